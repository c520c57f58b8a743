//! LDAP write-back of card identifiers (crous-escr.md §5): the values the templates give for the person's
//! enabled card are added to their directory entry; the values of their disabled and expired cards are
//! removed. One value per modify operation, so a replay is idempotent: adding a value already there
//! (`attributeOrValueExists`, 20) and removing one already gone (`noSuchAttribute`, 16) both count as
//! done. A separate write account binds (§5.1). An unchanged person costs no connection (fingerprint).

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use ldap3::{Mod, Scope, SearchEntry};

use super::error::{Class, RemoteError};
use super::ldap_template::{Placeholders, Template, values_for};
use super::state as st;
use crate::directory::client::{ConnectSettings, DirError, connect};
use crate::domain::card::CardState;
use crate::fl;
use crate::store::Store;
use crate::store::remote::{Subject, SubjectCard};

pub const SERVICE: &str = "ldap";

/// `(attribute, value)` pairs.
pub type Values = Vec<(String, String)>;

pub struct Writeback {
    pub connect: ConnectSettings,
    pub base: String,
    /// `{0}` = eppn, `{1}` = the part before `@`.
    pub filter: String,
    pub templates: Vec<Template>,
    pub country_code: String,
    pub verify_every: SignedDuration,
}

fn ldap_error(e: DirError, op: &str) -> RemoteError {
    let offline = e.is_unreachable();
    let class = match &e {
        DirError::Unreachable { .. } => Class::Retry,
        DirError::Ldap {
            rc: 51 | 52 | 53 | 80,
            ..
        } => Class::Retry,
        _ => Class::Human,
    };
    let code = match &e {
        DirError::Ldap { rc, .. } => format!("LDAP {rc}"),
        DirError::BindRefused { .. } => "credentials".into(),
        DirError::Unreachable { .. } => "network".into(),
        DirError::Tls { .. } => "tls".into(),
        _ => "ldap".into(),
    };
    let mut err = RemoteError::new(class, &code, e.to_string(), op);
    err.offline = offline;
    err
}

/// The template values of one card.
pub fn card_values(
    templates: &[Template],
    s: &Subject,
    c: &SubjectCard,
    country_code: &str,
) -> Vec<(String, String)> {
    let mut app_ids = BTreeMap::new();
    for (name, id) in &c.desfire_ids {
        app_ids.insert(name.clone(), id.clone());
        // Profile names like "access control" are written `%access-control%` in templates.
        app_ids.insert(name.to_lowercase().replace([' ', '_'], "-"), id.clone());
    }
    let p = Placeholders {
        csn_hex: c.csn.as_ref().map(|x| x.hex()),
        eppn: s.eppn.clone(),
        secondary_id: s.uid.clone(),
        enabled_date: c.enabled_at,
        due_date: c
            .due_date
            .or(s.due_date)
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp()),
        etat_date: Some(c.state_at),
        etat: Some(c.state.as_str().to_string()),
        escn: c.escn.clone(),
        esi: s
            .ine
            .as_deref()
            .and_then(|ine| super::escr_model::esi(country_code, ine)),
        app_ids,
    };
    values_for(templates, &p)
}

/// Values to add (enabled card) and to remove (disabled and expired cards, unless also wanted).
pub fn plan(templates: &[Template], s: &Subject, country_code: &str) -> (Values, Values) {
    let mut add = Vec::new();
    let mut remove = Vec::new();
    for c in &s.cards {
        match c.state {
            CardState::Enabled => add.extend(card_values(templates, s, c, country_code)),
            CardState::Disabled | CardState::Caduc => {
                remove.extend(card_values(templates, s, c, country_code))
            }
            _ => {}
        }
    }
    add.sort();
    add.dedup();
    remove.sort();
    remove.dedup();
    remove.retain(|v| !add.contains(v));
    (add, remove)
}

/// `{0}`/`{1}` of the filter, with the values escaped (RFC 4515).
pub fn person_filter(filter: &str, eppn: &str) -> String {
    let uid = eppn.split('@').next().unwrap_or(eppn);
    filter
        .replace("{0}", &ldap3::ldap_escape(eppn))
        .replace("{1}", &ldap3::ldap_escape(uid))
}

impl Writeback {
    /// The values the person's entry holds now for the templates' attributes (None: no entry).
    pub async fn entry_values(
        &self,
        s: &Subject,
    ) -> Result<Option<Vec<(String, String)>>, RemoteError> {
        let Some(eppn) = s.eppn.as_deref() else {
            return Ok(None);
        };
        let mut attrs: Vec<String> = self.templates.iter().map(|t| t.attribute.clone()).collect();
        attrs.sort();
        attrs.dedup();
        let mut ldap = connect(&self.connect)
            .await
            .map_err(|e| ldap_error(e, "bind"))?;
        let (entries, _) = ldap
            .with_timeout(self.connect.timeout)
            .search(
                &self.base,
                Scope::Subtree,
                &person_filter(&self.filter, eppn),
                attrs,
            )
            .await
            .and_then(|r| r.success())
            .map_err(|e| {
                ldap_error(
                    DirError::from_ldap(e, &self.connect.url, "search"),
                    "search",
                )
            })?;
        let _ = ldap.unbind().await;
        Ok(entries.into_iter().next().map(|e| {
            let e = SearchEntry::construct(e);
            let mut out: Vec<(String, String)> = e
                .attrs
                .into_iter()
                .flat_map(|(a, vs)| vs.into_iter().map(move |v| (a.clone(), v)))
                .collect();
            out.sort();
            out
        }))
    }

    pub async fn reconcile(
        &self,
        store: &Store,
        person: i64,
        now: Timestamp,
    ) -> Result<String, RemoteError> {
        let Some((s, mut state)) = st::load(store, SERVICE, person)? else {
            return Ok(fl!("remote-done-ldap-person-removed"));
        };
        let Some(eppn) = s.eppn.clone() else {
            return Ok(fl!("remote-done-no-eppn"));
        };
        let (add, remove) = plan(&self.templates, &s, &self.country_code);
        if add.is_empty() && remove.is_empty() {
            return Ok(fl!("remote-done-no-card-value"));
        }
        let fp = st::fingerprint(&serde_json::json!([eppn, add, remove]));
        if st::unchanged(&state, &fp, st::verify_due(&state, now, self.verify_every)) {
            return Ok(fl!("remote-done-unchanged"));
        }
        let mut ldap = connect(&self.connect)
            .await
            .map_err(|e| ldap_error(e, "bind"))?;
        let filter = person_filter(&self.filter, &eppn);
        let (entries, _) = ldap
            .with_timeout(self.connect.timeout)
            .search(&self.base, Scope::Subtree, &filter, vec!["1.1"])
            .await
            .and_then(|r| r.success())
            .map_err(|e| {
                ldap_error(
                    DirError::from_ldap(e, &self.connect.url, "search"),
                    "search",
                )
            })?;
        let Some(entry) = entries.into_iter().next() else {
            let _ = ldap.unbind().await;
            return Ok(fl!("remote-done-no-entry"));
        };
        let dn = SearchEntry::construct(entry).dn;
        let (mut added, mut removed) = (0, 0);
        for (attr, value, adding) in add
            .iter()
            .map(|(a, v)| (a, v, true))
            .chain(remove.iter().map(|(a, v)| (a, v, false)))
        {
            let values = std::collections::HashSet::from([value.as_bytes().to_vec()]);
            let m = if adding {
                Mod::Add(attr.as_bytes().to_vec(), values)
            } else {
                Mod::Delete(attr.as_bytes().to_vec(), values)
            };
            let res = ldap
                .with_timeout(self.connect.timeout)
                .modify(&dn, vec![m])
                .await
                .map_err(|e| {
                    ldap_error(
                        DirError::from_ldap(e, &self.connect.url, "modify"),
                        "modify",
                    )
                })?;
            match (res.rc, adding) {
                (0, true) => added += 1,
                (0, false) => removed += 1,
                (20, true) | (16, false) => {}
                (rc, _) => {
                    let _ = ldap.unbind().await;
                    let mut e = RemoteError::new(
                        Class::Human,
                        &format!("LDAP {rc}"),
                        format!("{attr}: {}", res.text),
                        if adding {
                            "modify add"
                        } else {
                            "modify delete"
                        },
                    );
                    if matches!(rc, 51 | 52 | 53 | 80) {
                        e.class = Class::Retry;
                    }
                    return Err(e);
                }
            }
        }
        let _ = ldap.unbind().await;
        state.remote_id = Some(dn);
        state.fingerprint = Some(fp);
        state.verified_at = Some(now);
        st::save(store, SERVICE, person, &state)?;
        Ok(fl!(
            "remote-done-ldap-values",
            added = added,
            removed = removed
        ))
    }
}

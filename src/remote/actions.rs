//! The managers' tools on the queue (crous-escr.md §2.13), shared by the Queue screen and the CLI: the
//! local values next to the live remote ones, a manual CROUS identifier change, turning the CROUS option
//! off, re-opening a closed CROUS account, tariff rules (API refresh, ESIST import), the bulk identifier
//! migration, a bulk resync, and the CSV export of the list.

use jiff::Timestamp;
use reqwest::Method;
use serde_json::Value;

use super::crous::client::{refused, segment};
use super::crous::model::{PatchIdentifier, RightHolder};
use super::crous::{CrousService, SERVICE as CROUS};
use super::error::{Class, RemoteError};
use super::escr::SERVICE as ESCR;
use super::ldap_writeback::SERVICE as LDAP;
use super::worker::Services;
use crate::config::RuleSource;
use crate::domain::tariff;
use crate::fl;
use crate::library::text::csv_value;
use crate::store::outbox::{self, Item};
use crate::store::remote::{self as rstore, PersonServices};
use crate::store::{Store, StoreError};

use super::state::db_error as db;

/// The person as the services see them, or "not found".
fn subject_of(store: &Store, person: i64) -> Result<rstore::Subject, RemoteError> {
    store
        .read(|c| rstore::subject(c, person))
        .map_err(db)?
        .ok_or_else(|| {
            RemoteError::config(
                "not-found",
                fl!("remote-err-person-not-found", person = person),
            )
        })
}

/// One line of the comparison: a field, Guichet's value, the service's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub field: String,
    pub local: String,
    pub remote: String,
}

/// What the detail shows: the rows, and which remote record they come from (or why there is none).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comparison {
    pub rows: Vec<Row>,
    /// The identifier the remote record was found under.
    pub found_under: Option<String>,
    pub remote_missing: bool,
}

fn flat(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Value::Object(m) = v {
        for (k, v) in m {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            out.push((k.clone(), text));
        }
    }
    out
}

fn merge(local: &Value, remote: Option<&Value>) -> Vec<Row> {
    let local = flat(local);
    let remote = remote.map(flat).unwrap_or_default();
    let mut rows: Vec<Row> = local
        .iter()
        .map(|(k, v)| Row {
            field: k.clone(),
            local: v.clone(),
            remote: remote
                .iter()
                .find(|(rk, _)| rk == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        })
        .collect();
    for (k, v) in &remote {
        if !rows.iter().any(|r| &r.field == k) {
            rows.push(Row {
                field: k.clone(),
                local: String::new(),
                remote: v.clone(),
            });
        }
    }
    rows
}

/// Local values next to the live remote ones for `person` and `service`.
pub async fn compare(
    services: &Services,
    store: &Store,
    service: &str,
    person: i64,
    now: Timestamp,
) -> Result<Comparison, RemoteError> {
    let subject = subject_of(store, person)?;
    let state = store
        .read(|c| rstore::remote_state(c, service, person))
        .map_err(db)?;
    match service {
        CROUS => {
            let crous = services.crous.as_ref().ok_or_else(|| {
                RemoteError::config(
                    "not-configured",
                    fl!("remote-err-not-configured", service = CROUS),
                )
            })?;
            let local = crous.local_view(&subject, &state, now);
            // §2.13: the records found by the saved identifier, the INE and the eppn.
            let mut tried = Vec::new();
            for id in [
                state.remote_id.clone(),
                subject.ine.clone(),
                subject.eppn.clone(),
                Some(local.identifier.clone()),
            ]
            .into_iter()
            .flatten()
            {
                if tried.contains(&id) {
                    continue;
                }
                tried.push(id.clone());
                if let Some(remote) = get_right_holder(crous, &id).await? {
                    return Ok(Comparison {
                        rows: merge(&to_value(&local), Some(&remote)),
                        found_under: Some(id),
                        remote_missing: false,
                    });
                }
            }
            Ok(Comparison {
                rows: merge(&to_value(&local), None),
                found_under: None,
                remote_missing: true,
            })
        }
        ESCR => {
            let escr = services.escr.as_ref().ok_or_else(|| {
                RemoteError::config(
                    "not-configured",
                    fl!("remote-err-not-configured", service = ESCR),
                )
            })?;
            let Some((person_body, cards)) = escr.local_view(&subject, &state) else {
                return Ok(Comparison {
                    remote_missing: true,
                    ..Comparison::default()
                });
            };
            let path = format!("/persons/{}", segment(&person_body.identifier));
            let reply = escr.client.call::<()>(Method::GET, &path, None).await?;
            let remote = reply.ok().then(|| reply.json()).flatten();
            let mut rows = merge(&to_value(&person_body), remote.as_ref());
            for c in &cards {
                let path = format!("/cards/{}/status", segment(&c.card_number));
                let reply = escr.client.call::<()>(Method::GET, &path, None).await?;
                rows.push(Row {
                    field: format!("card {}", c.card_number),
                    local: format!("{:?}", c.card_status_type).to_uppercase(),
                    remote: if reply.ok() {
                        String::from_utf8_lossy(&reply.body)
                            .chars()
                            .take(120)
                            .collect()
                    } else {
                        format!("HTTP {}", reply.status)
                    },
                });
            }
            Ok(Comparison {
                rows,
                found_under: remote.is_some().then(|| person_body.identifier.clone()),
                remote_missing: remote.is_none(),
            })
        }
        LDAP => {
            let wb = services.ldap.as_ref().ok_or_else(|| {
                RemoteError::config(
                    "not-configured",
                    fl!("remote-err-not-configured", service = LDAP),
                )
            })?;
            let (add, remove) =
                super::ldap_writeback::plan(&wb.templates, &subject, &wb.country_code);
            let remote = wb.entry_values(&subject).await?;
            let mut rows = Vec::new();
            let wanted = add.iter().map(|v| ("+", v));
            for (sign, (attr, value)) in wanted.chain(remove.iter().map(|v| ("−", v))) {
                let present = remote
                    .as_ref()
                    .is_some_and(|r| r.contains(&(attr.clone(), value.clone())));
                rows.push(Row {
                    field: attr.clone(),
                    local: format!("{sign} {value}"),
                    remote: if present {
                        value.clone()
                    } else {
                        String::new()
                    },
                });
            }
            Ok(Comparison {
                rows,
                found_under: state.remote_id.clone(),
                remote_missing: remote.is_none(),
            })
        }
        other => Err(RemoteError::config(
            "unknown-service",
            fl!("remote-err-unknown-service", service = other.to_string()),
        )),
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

async fn get_right_holder(crous: &CrousService, id: &str) -> Result<Option<Value>, RemoteError> {
    let path = format!("/rightholders/{}", segment(id));
    let reply = crous
        .client
        .call::<()>(Method::GET, &path, None, None)
        .await?;
    match reply.status {
        200..=299 => Ok(reply.json()),
        404 => Ok(None),
        _ => Err(refused(&reply, "GET /beforeizly/v1/rightholders/{id}")),
    }
}

/// The live right holder under `id` (or None), typed.
pub async fn right_holder(
    crous: &CrousService,
    id: &str,
) -> Result<Option<RightHolder>, RemoteError> {
    Ok(get_right_holder(crous, id)
        .await?
        .and_then(|v| serde_json::from_value(v).ok()))
}

/// "Patch identifiers" (§2.13): `PATCH /rightholders/{old}`.
pub async fn patch_identifier(
    crous: &CrousService,
    old: &str,
    new: &str,
    email: &str,
) -> Result<(), RemoteError> {
    let body = PatchIdentifier {
        current_identifier: old.to_string(),
        email: email.to_string(),
        new_identifier: new.to_string(),
    };
    let path = format!("/rightholders/{}", segment(old));
    let reply = crous
        .client
        .call(Method::PATCH, &path, Some(&body), None)
        .await?;
    if reply.ok() {
        return Ok(());
    }
    Err(refused(&reply, "PATCH /beforeizly/v1/rightholders/{id}"))
}

/// After a manual identifier change: the person keeps the new identifier and is reconciled again.
pub fn adopt_identifier(
    store: &Store,
    person: i64,
    new: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    store.write(|tx| {
        let mut state = rstore::remote_state(tx, CROUS, person)?;
        state.remote_id = Some(new.to_string());
        state.fingerprint = None;
        rstore::save_remote_state(tx, CROUS, person, &state)?;
        outbox::enqueue(tx, CROUS, "person", person, now)
    })
}

/// "Désactiver l'option CROUS": the person is no longer sent to CROUS; the queue row closes.
pub fn crous_option(
    store: &Store,
    person: i64,
    on: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    store.write(|tx| {
        let mut o: PersonServices = rstore::subject(tx, person)?
            .map(|s| s.options)
            .unwrap_or_default();
        o.crous = Some(on);
        rstore::set_person_services(tx, person, &o)?;
        rstore::forget_fingerprint(tx, CROUS, person)?;
        outbox::enqueue(tx, CROUS, "person", person, now)
    })
}

/// Un-close (§2.13): `DELETE /closed-rightholders/{identifier}`, then the person is reconciled again.
pub async fn reopen(
    crous: &CrousService,
    store: &Store,
    person: i64,
    now: Timestamp,
) -> Result<(), RemoteError> {
    let state = store
        .read(|c| rstore::remote_state(c, CROUS, person))
        .map_err(db)?;
    let subject = subject_of(store, person)?;
    let id = state
        .remote_id
        .or(subject.ine)
        .or(subject.eppn)
        .ok_or_else(|| RemoteError::config("no-identifier", fl!("remote-err-no-identifier")))?;
    let path = format!("/closed-rightholders/{}", segment(&id));
    let reply = crous
        .client
        .call::<()>(Method::DELETE, &path, None, None)
        .await?;
    let op = "DELETE /beforeizly/v1/closed-rightholders/{id}";
    if !reply.ok() {
        return Err(refused(&reply, op));
    }
    store
        .write(|tx| {
            rstore::forget_fingerprint(tx, CROUS, person)?;
            outbox::enqueue(tx, CROUS, "person", person, now)
        })
        .map_err(db)
}

/// Refreshes the tariff rules of every source from the API; an empty answer keeps the old rules.
/// Returns per source the number of rules kept, or the error.
pub async fn refresh_rules(
    crous: &CrousService,
    store: &Store,
    sources: &[RuleSource],
    now: Timestamp,
) -> Vec<(RuleSource, Result<usize, RemoteError>)> {
    let mut out = Vec::new();
    for src in sources {
        let path = format!(
            "/crous/{}/organization/{}",
            segment(&src.crous),
            segment(&src.rne)
        );
        let result = async {
            let reply = crous
                .client
                .call::<()>(Method::GET, &path, None, None)
                .await?;
            if !reply.ok() {
                let op = "GET /beforeizly/v1/crous/{id}/organization/{id}";
                return Err(refused(&reply, op));
            }
            let rules =
                tariff::rules_from_api(&reply.body, src.priority, &src.rne).map_err(|e| {
                    RemoteError::new(
                        Class::Human,
                        "rules",
                        crate::ui_text::tariff_error(&e),
                        "rules",
                    )
                })?;
            let source = format!("api:{}:{}", src.crous, src.rne);
            store
                .write(|tx| rstore::replace_rules(tx, &source, &rules, now))
                .map_err(db)?;
            Ok(rules.len())
        }
        .await;
        out.push((src.clone(), result));
    }
    out
}

/// Imports an ESIST XML file as the rules of source `esist:<file name>` (replacing a previous import of
/// the same name).
pub fn import_esist(
    store: &Store,
    path: &std::path::Path,
    now: Timestamp,
) -> Result<usize, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let rules = tariff::parse_esist(&bytes)
        .map_err(|e| format!("{}: {}", path.display(), crate::ui_text::tariff_error(&e)))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    store
        .write(|tx| rstore::replace_rules(tx, &format!("esist:{name}"), &rules, now))
        .map_err(|e| e.to_string())?;
    Ok(rules.len())
}

/// Records the lines of a migration batch (all pending) under the name `batch`.
pub fn record_patch_batch(
    store: &Store,
    batch: &str,
    lines: Vec<super::patch_ids::PatchLine>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let rows: Vec<_> = lines
        .into_iter()
        .map(|l| (l.line, l.old_id, l.new_id, l.email))
        .collect();
    store.write(|tx| rstore::insert_patch_batch(tx, batch, &rows, now))
}

/// Why an `oldId;eppnNewId;mail` file could not be recorded as a batch.
#[derive(Debug)]
pub enum PatchFileError {
    Read(std::io::Error),
    Parse(super::patch_ids::PatchIdsError),
    Store(StoreError),
}

/// Records the lines of an `oldId;eppnNewId;mail` file as a batch named after the file and the time;
/// returns the batch name. The Queue screen and `guichet crous patch-ids FILE` share it.
pub fn record_patch_file(
    store: &Store,
    path: &std::path::Path,
    now: Timestamp,
) -> Result<String, PatchFileError> {
    let text = std::fs::read_to_string(path).map_err(PatchFileError::Read)?;
    let lines = super::patch_ids::parse_csv(&text).map_err(PatchFileError::Parse)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let batch = format!("{name}@{}", crate::store::ts(now));
    record_patch_batch(store, &batch, lines, now).map_err(PatchFileError::Store)?;
    Ok(batch)
}

/// Records the eppn → INE pairs of every person with both as a batch; returns the batch name.
pub fn record_ine_pairs(store: &Store, now: Timestamp) -> Result<String, StoreError> {
    let batch = format!("eppn-ine@{}", crate::store::ts(now));
    let persons = store.read(rstore::eppn_ine_email)?;
    let lines = super::patch_ids::generate_ine_pairs(&persons);
    record_patch_batch(store, &batch, lines, now)?;
    Ok(batch)
}

/// Runs the pending (and, with `retry_failed`, the failed) lines of a migration batch, one PATCH each;
/// every line records its result. Returns (done, failed).
pub async fn run_patch_batch(
    crous: &CrousService,
    store: &Store,
    batch: &str,
    retry_failed: bool,
) -> Result<(usize, usize), RemoteError> {
    let rows = store
        .read(|c| rstore::patch_rows(c, Some(batch)))
        .map_err(db)?;
    let (mut ok, mut failed) = (0, 0);
    for r in rows {
        if !(r.status == "pending" || (retry_failed && r.status == "failed")) {
            continue;
        }
        let result = patch_identifier(crous, &r.old_id, &r.new_id, &r.email).await;
        let now = Timestamp::now();
        match &result {
            Ok(()) => {
                ok += 1;
                let person = store
                    .read(|c| rstore::person_by_crous_identifier(c, &r.old_id))
                    .map_err(db)?;
                store
                    .write(|tx| {
                        rstore::set_patch_status(tx, r.id, "done", None, now)?;
                        if let Some(p) = person {
                            let mut s = rstore::remote_state(tx, CROUS, p)?;
                            s.remote_id = Some(r.new_id.clone());
                            rstore::save_remote_state(tx, CROUS, p, &s)?;
                        }
                        Ok(())
                    })
                    .map_err(db)?;
            }
            Err(e) if e.offline => return Err(e.clone()),
            Err(e) => {
                failed += 1;
                let msg = format!("{} {}", e.code, e.message);
                store
                    .write(|tx| rstore::set_patch_status(tx, r.id, "failed", Some(&msg), now))
                    .map_err(db)?;
            }
        }
    }
    Ok((ok, failed))
}

/// Queues a reconcile of every person with an enabled, disabled or expired card for `services`
/// (unchanged persons then cost no call). Returns how many persons.
pub fn resync(store: &Store, services: &[&str], now: Timestamp) -> Result<usize, StoreError> {
    let persons = store.read(rstore::persons_with_followed_cards)?;
    store.write(|tx| {
        for p in &persons {
            for s in services {
                outbox::enqueue(tx, s, "person", *p, now)?;
            }
        }
        Ok(persons.len())
    })
}

/// The list as CSV (`;`-separated, header line, UTF-8), for the managers' spreadsheets.
pub fn export_csv(items: &[Item]) -> String {
    let mut out = String::from(
        "service;person;eppn;status;tries;error_code;error;operation;blocking;created_at;updated_at;next_attempt_at\n",
    );
    for i in items {
        let fields = [
            i.service.clone(),
            i.person.clone(),
            i.eppn.clone().unwrap_or_default(),
            i.status.clone(),
            i.tries.to_string(),
            i.error_code.clone().unwrap_or_default(),
            i.error.clone().unwrap_or_default(),
            i.operation.clone().unwrap_or_default(),
            if i.blocking { "1".into() } else { "0".into() },
            i.created_at.clone(),
            i.updated_at.clone(),
            i.next_attempt_at.clone(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_value(f, ';')).collect();
        out.push_str(&line.join(";"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_value("a;b", ';'), "\"a;b\"");
        assert_eq!(csv_value("say \"hi\"", ';'), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_value("plain", ';'), "plain");
    }

    #[test]
    fn comparison_rows_pair_fields() {
        let rows = merge(
            &serde_json::json!({"email": "a@x.fr", "idRate": 1}),
            Some(&serde_json::json!({"email": "b@x.fr", "accountStatus": "ACTIF"})),
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].remote, "b@x.fr");
        assert_eq!(rows[1].local, "1");
        assert_eq!(rows[2].field, "accountStatus");
    }
}

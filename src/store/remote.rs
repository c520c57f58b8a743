//! What the integrations read and keep: a person as the outside services see them (a [`Subject`]: the
//! person's pushed fields and cards, read at send time, never copied into the outbox), what each service was
//! last brought to ([`RemoteState`]), the per-person service options, the CROUS tariff rules and the bulk
//! identifier migration lines.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use super::{Result, parse_date, parse_ts, ts};
use crate::domain::card::{CardState, DisableReason};
use crate::domain::ids::Csn;
use crate::domain::tariff::Rule;

/// Per-person service choices (table `person_services`); `None` means the default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonServices {
    pub crous: Option<bool>,
    pub escr: Option<bool>,
    pub pic: Option<String>,
    pub reference_status: Option<String>,
    pub indice: Option<i64>,
}

/// A card as the services see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectCard {
    pub id: i64,
    pub state: CardState,
    pub state_at: Timestamp,
    pub csn: Option<Csn>,
    pub escn: Option<String>,
    pub desfire_ids: BTreeMap<String, String>,
    pub disable_reason: Option<DisableReason>,
    pub due_date: Option<Date>,
    pub encoded_at: Option<Timestamp>,
    pub enabled_at: Option<Timestamp>,
}

/// A person with the fields the services push and their cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub person_id: i64,
    pub dn: Option<String>,
    pub uid: Option<String>,
    pub eppn: Option<String>,
    pub ine: Option<String>,
    pub surname: String,
    pub given_name: String,
    pub email: Option<String>,
    pub birth_date: Option<Date>,
    pub affiliation: String,
    pub due_date: Option<Date>,
    /// UAI (RNE) of the person's establishment.
    pub uai: Option<String>,
    pub departed: bool,
    pub options: PersonServices,
    pub cards: Vec<SubjectCard>,
}

/// Reads a subject; `None` when the person no longer exists.
pub fn subject(conn: &Connection, person: i64) -> Result<Option<Subject>> {
    let row = conn
        .prepare_cached(
            "SELECT p.dn, p.uid, p.eppn, p.ine, p.surname, p.given_name, p.email, p.birth_date,
                    p.affiliation, p.due_date, p.structure_id, p.departed_at IS NOT NULL,
                    s.crous, s.escr, s.pic, s.reference_status, s.indice
             FROM persons p LEFT JOIN person_services s ON s.person_id = p.id
             WHERE p.id = ?1",
        )?
        .query_row([person], |r| {
            Ok((
                (
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                ),
                (
                    r.get::<_, String>(8)?,
                    r.get::<_, Option<String>>(9)?,
                    r.get::<_, Option<i64>>(10)?,
                    r.get::<_, bool>(11)?,
                ),
                PersonServices {
                    crous: r.get(12)?,
                    escr: r.get(13)?,
                    pic: r.get(14)?,
                    reference_status: r.get(15)?,
                    indice: r.get(16)?,
                },
            ))
        })
        .optional()?;
    let Some(((dn, uid, eppn, ine, surname, given_name, email, birth), rest, options)) = row else {
        return Ok(None);
    };
    let (affiliation, due, structure, departed) = rest;
    let uai = match structure {
        Some(sid) => super::structures::establishment(conn, sid)?.and_then(|s| s.uai),
        None => None,
    };
    Ok(Some(Subject {
        person_id: person,
        dn,
        uid,
        eppn,
        ine: ine.filter(|s| !s.trim().is_empty()),
        surname,
        given_name,
        email: email.filter(|s| !s.trim().is_empty()),
        birth_date: birth
            .map(|d| parse_date("persons.birth_date", &d))
            .transpose()?,
        affiliation,
        due_date: due
            .map(|d| parse_date("persons.due_date", &d))
            .transpose()?,
        uai,
        departed,
        options,
        cards: subject_cards(conn, person)?,
    }))
}

fn subject_cards(conn: &Connection, person: i64) -> Result<Vec<SubjectCard>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, state, state_at, csn, escn, desfire_ids, disable_reason, due_date, encoded_at,
                enabled_at
         FROM cards WHERE person_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([person], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?,
            r.get::<_, Option<String>>(7)?,
            r.get::<_, Option<String>>(8)?,
            r.get::<_, Option<String>>(9)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, state, state_at, csn, escn, ids, reason, due, encoded, enabled) = row?;
        let bad = |column: &'static str, value: &str| super::StoreError::BadValue {
            column,
            value: value.to_string(),
        };
        let desfire_ids = match ids.as_deref() {
            None | Some("") => BTreeMap::new(),
            Some(text) => serde_json::from_str::<BTreeMap<String, serde_json::Value>>(text)
                .map_err(|_| bad("cards.desfire_ids", text))?
                .into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (k, v)
                })
                .collect(),
        };
        out.push(SubjectCard {
            id,
            state: CardState::parse(&state).ok_or_else(|| bad("cards.state", &state))?,
            state_at: parse_ts("cards.state_at", &state_at)?,
            csn: csn
                .map(|c| Csn::parse_hex(&c).map_err(|_| bad("cards.csn", &c)))
                .transpose()?,
            escn,
            desfire_ids,
            disable_reason: reason
                .map(|r| DisableReason::parse(&r).ok_or_else(|| bad("cards.disable_reason", &r)))
                .transpose()?,
            due_date: due.map(|d| parse_date("cards.due_date", &d)).transpose()?,
            encoded_at: encoded
                .map(|t| parse_ts("cards.encoded_at", &t))
                .transpose()?,
            enabled_at: enabled
                .map(|t| parse_ts("cards.enabled_at", &t))
                .transpose()?,
        });
    }
    Ok(out)
}

/// What a service was last brought to for a person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RemoteState {
    pub fingerprint: Option<String>,
    pub verified_at: Option<Timestamp>,
    pub remote_id: Option<String>,
    pub data: serde_json::Value,
}

pub fn remote_state(conn: &Connection, service: &str, person: i64) -> Result<RemoteState> {
    let row = conn
        .prepare_cached(
            "SELECT fingerprint, verified_at, remote_id, data FROM remote_state
             WHERE service = ?1 AND person_id = ?2",
        )?
        .query_row(params![service, person], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })
        .optional()?;
    let Some((fingerprint, verified, remote_id, data)) = row else {
        return Ok(RemoteState::default());
    };
    Ok(RemoteState {
        fingerprint,
        verified_at: verified
            .map(|v| parse_ts("remote_state.verified_at", &v))
            .transpose()?,
        remote_id,
        data: data
            .and_then(|d| serde_json::from_str(&d).ok())
            .unwrap_or(serde_json::Value::Null),
    })
}

pub fn save_remote_state(
    tx: &Transaction<'_>,
    service: &str,
    person: i64,
    s: &RemoteState,
) -> Result<()> {
    let data = (!s.data.is_null()).then(|| s.data.to_string());
    tx.prepare_cached(
        "INSERT INTO remote_state (service, person_id, fingerprint, verified_at, remote_id, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(service, person_id) DO UPDATE SET fingerprint = excluded.fingerprint,
            verified_at = excluded.verified_at, remote_id = excluded.remote_id, data = excluded.data",
    )?
    .execute(params![
        service,
        person,
        s.fingerprint,
        s.verified_at.map(ts),
        s.remote_id,
        data
    ])?;
    Ok(())
}

/// Forgets the fingerprint of a person (the next run verifies against the service).
pub fn forget_fingerprint(tx: &Transaction<'_>, service: &str, person: i64) -> Result<()> {
    tx.execute(
        "UPDATE remote_state SET fingerprint = NULL WHERE service = ?1 AND person_id = ?2",
        params![service, person],
    )?;
    Ok(())
}

pub fn set_person_services(tx: &Transaction<'_>, person: i64, o: &PersonServices) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO person_services (person_id, crous, escr, pic, reference_status, indice)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(person_id) DO UPDATE SET crous = excluded.crous, escr = excluded.escr,
            pic = excluded.pic, reference_status = excluded.reference_status, indice = excluded.indice",
    )?
    .execute(params![
        person,
        o.crous,
        o.escr,
        o.pic,
        o.reference_status,
        o.indice
    ])?;
    Ok(())
}

/// Persons with at least one card in a state the services follow (ENABLED, DISABLED, CADUC), for a bulk
/// resync (crous-escr.md §2.10: CROUS is pushed only for them).
pub fn persons_with_followed_cards(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT person_id FROM cards WHERE state IN ('ENABLED', 'DISABLED', 'CADUC')
         ORDER BY person_id",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// A stored tariff rule with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRule {
    pub id: i64,
    pub source: String,
    pub rule: Rule,
    pub updated_at: String,
}

/// Every tariff rule, in evaluation order (descending priority, then insertion).
pub fn rules(conn: &Connection) -> Result<Vec<StoredRule>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, source, priority, reference_status, rne, indice_min, indice_max, id_company_rate,
                id_rate, updated_at
         FROM crous_rules ORDER BY priority DESC, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(StoredRule {
            id: r.get(0)?,
            source: r.get(1)?,
            rule: Rule {
                priority: r.get(2)?,
                reference_status: r.get(3)?,
                rne: r.get(4)?,
                indice_min: r.get(5)?,
                indice_max: r.get(6)?,
                id_company_rate: r.get(7)?,
                id_rate: r.get(8)?,
            },
            updated_at: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Replaces the rules of one source; an empty list keeps the previous rules (crous-escr.md §2.14).
/// Returns whether anything was replaced.
pub fn replace_rules(
    tx: &Transaction<'_>,
    source: &str,
    rules: &[Rule],
    now: Timestamp,
) -> Result<bool> {
    if rules.is_empty() {
        return Ok(false);
    }
    tx.execute("DELETE FROM crous_rules WHERE source = ?1", [source])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO crous_rules (source, priority, reference_status, rne, indice_min, indice_max,
                                  id_company_rate, id_rate, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let now = ts(now);
    for r in rules {
        stmt.execute(params![
            source,
            r.priority,
            r.reference_status,
            r.rne,
            r.indice_min,
            r.indice_max,
            r.id_company_rate,
            r.id_rate,
            now
        ])?;
    }
    Ok(true)
}

/// One line of a bulk identifier migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatchRow {
    pub id: i64,
    pub batch: String,
    pub line: i64,
    pub old_id: String,
    pub new_id: String,
    pub email: String,
    pub status: String,
    pub message: Option<String>,
}

/// Records a batch of migration lines (all pending).
pub fn insert_patch_batch(
    tx: &Transaction<'_>,
    batch: &str,
    lines: &[(usize, String, String, String)],
    now: Timestamp,
) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO crous_patch_ids (batch, line, old_id, new_id, email, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let now = ts(now);
    for (line, old, new, email) in lines {
        stmt.execute(params![batch, *line as i64, old, new, email, now])?;
    }
    Ok(())
}

/// The lines of a batch (all batches when `batch` is None), in input order.
pub fn patch_rows(conn: &Connection, batch: Option<&str>) -> Result<Vec<PatchRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, batch, line, old_id, new_id, email, status, message FROM crous_patch_ids
         WHERE ?1 IS NULL OR batch = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([batch], |r| {
        Ok(PatchRow {
            id: r.get(0)?,
            batch: r.get(1)?,
            line: r.get(2)?,
            old_id: r.get(3)?,
            new_id: r.get(4)?,
            email: r.get(5)?,
            status: r.get(6)?,
            message: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

pub fn set_patch_status(
    tx: &Transaction<'_>,
    id: i64,
    status: &str,
    message: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    tx.execute(
        "UPDATE crous_patch_ids SET status = ?2, message = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, status, message, ts(now)],
    )?;
    Ok(())
}

/// The person holding a CROUS identifier (INE or eppn), to keep the saved identifier after a migration.
pub fn person_by_crous_identifier(conn: &Connection, identifier: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT person_id FROM remote_state WHERE service = 'crous' AND remote_id = ?1
             UNION ALL SELECT id FROM persons WHERE eppn = ?1 OR ine = ?1 LIMIT 1",
            [identifier],
            |r| r.get(0),
        )
        .optional()?)
}

/// A person by id or eppn.
pub fn person_by_key(conn: &Connection, key: &str) -> Result<Option<i64>> {
    let key = key.trim();
    if let Ok(id) = key.parse::<i64>()
        && conn
            .query_row("SELECT 1 FROM persons WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some()
    {
        return Ok(Some(id));
    }
    Ok(conn
        .query_row("SELECT id FROM persons WHERE eppn = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// (eppn, INE, e-mail) of every person with an eppn, for the eppn → INE migration (§2.13).
/// (eppn, INE, e-mail).
pub type EppnIneEmail = (String, Option<String>, Option<String>);

pub fn eppn_ine_email(conn: &Connection) -> Result<Vec<EppnIneEmail>> {
    let mut stmt = conn.prepare(
        "SELECT eppn, ine, email FROM persons WHERE eppn IS NOT NULL AND departed_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

//! Persons of the mirror: insert, detail for the person panel, rows for the directory list.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, ToSql, Transaction, params};

use super::structures::{self, StructureInfo};
use super::{Result, StoreError, cards, groups, parse_date, photos, ts};
use crate::domain::card::PersonId;
use crate::domain::names;
use crate::domain::person::{IdKind, PersonRecord};

/// Directory facts the sync writes with a person: the DN comparison key and the digest of the mapped
/// entry (an unchanged entry is skipped on the next sync).
#[derive(Debug, Clone, Copy)]
pub struct SyncFacts<'a> {
    pub dn_key: &'a str,
    pub hash: &'a str,
    /// The record's computed columns, made on the sync's reading thread.
    pub computed: &'a Computed,
}

/// Inserts a person and its multi-valued identifiers; returns the new id.
pub fn insert(tx: &Transaction<'_>, rec: &PersonRecord, now: Timestamp) -> Result<PersonId> {
    let structure_id = match &rec.structure_code {
        Some(code) => structures::id_by_code(tx, code)?,
        None => None,
    };
    insert_with(tx, rec, structure_id, None, now)
}

const COLUMNS: &str = "dn, entry_uuid, uid, eppn, supann_etu_id, supann_emp_id, ine, ent_login, surname, given_name,
    birth_name, display_name, civility, birth_date, email, affiliation, structure_id, due_date, editable,
    folded_surname, folded_given, sort_key, source, dn_key, sync_hash, updated_at";

/// The values of `COLUMNS` that are computed from the record (the others are bound from it directly).
#[derive(Debug, Clone)]
pub struct Computed {
    pub(super) display_name: String,
    pub(super) birth_date: Option<String>,
    pub(super) due_date: Option<String>,
    pub(super) folded_surname: String,
    pub(super) folded_given: String,
    pub(super) sort_key: String,
}

impl Computed {
    pub fn of(rec: &PersonRecord) -> Computed {
        let folded_surname = names::fold(&rec.surname);
        let folded_given = names::fold(&rec.given_name);
        // names::sort_key, from the folded names just made.
        let mut sort_key = String::with_capacity(folded_surname.len() + folded_given.len() + 1);
        sort_key.push_str(&folded_surname);
        sort_key.push(' ');
        sort_key.push_str(&folded_given);
        Computed {
            display_name: rec.display_name(),
            birth_date: rec.birth_date.map(|d| d.to_string()),
            due_date: rec.due_date.map(|d| d.to_string()),
            folded_surname,
            folded_given,
            sort_key,
        }
    }
}

/// The values of `COLUMNS`, in the same order, borrowed (a sync binds hundreds of thousands of rows).
fn values<'a>(
    rec: &'a PersonRecord,
    computed: &'a Computed,
    structure_id: &'a Option<i64>,
    sync: &'a (Option<&'a str>, Option<&'a str>),
    now: &'a dyn ToSql,
) -> [&'a dyn ToSql; 26] {
    [
        &rec.dn,
        &rec.entry_uuid,
        &rec.uid,
        &rec.eppn,
        &rec.supann_etu_id,
        &rec.supann_emp_id,
        &rec.ine,
        &rec.ent_login,
        &rec.surname,
        &rec.given_name,
        &rec.birth_name,
        &computed.display_name,
        &rec.civility,
        &computed.birth_date,
        &rec.email,
        &rec.affiliation,
        structure_id,
        &computed.due_date,
        &rec.editable,
        &computed.folded_surname,
        &computed.folded_given,
        &computed.sort_key,
        &rec.source,
        &sync.0,
        &sync.1,
        now,
    ]
}

fn column_names() -> impl Iterator<Item = &'static str> {
    COLUMNS.split(',').map(str::trim)
}

static INSERT_SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let marks: Vec<String> = (1..=column_names().count())
        .map(|i| format!("?{i}"))
        .collect();
    format!(
        "INSERT INTO persons ({COLUMNS}, created_at) VALUES ({}, ?{})",
        marks.join(", "),
        marks.len()
    )
});

static UPDATE_SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let sets: Vec<String> = column_names()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect();
    format!(
        "UPDATE persons SET {}, departed_at = NULL WHERE id = ?{}",
        sets.join(", "),
        sets.len() + 1
    )
});

/// Inserts a person with an already resolved structure; returns the new id.
pub fn insert_with(
    tx: &Transaction<'_>,
    rec: &PersonRecord,
    structure_id: Option<i64>,
    sync: Option<SyncFacts<'_>>,
    now: Timestamp,
) -> Result<PersonId> {
    let now = ts(now);
    let own;
    let computed = match sync {
        Some(s) => s.computed,
        None => {
            // A person written while a first directory load keeps the uniqueness rules itself
            // (`indexes::suspend_unique_indexes_of`): the rules come back first, and hold for it.
            super::restore_unique_indexes_of(tx, "persons")?;
            own = Computed::of(rec);
            &own
        }
    };
    let sync = (sync.map(|s| s.dn_key), sync.map(|s| s.hash));
    let vals = values(rec, computed, &structure_id, &sync, &now);
    tx.prepare_cached(&INSERT_SQL)?.execute(&vals[..])?;
    let id = tx.last_insert_rowid();
    insert_identifiers(tx, id, rec)?;
    Ok(id)
}

/// Rewrites a person from a new record (the directory changed it): every column and the identifiers.
pub fn update_with(
    tx: &Transaction<'_>,
    id: PersonId,
    rec: &PersonRecord,
    structure_id: Option<i64>,
    sync: SyncFacts<'_>,
    now: Timestamp,
) -> Result<()> {
    let now = ts(now);
    let computed = sync.computed;
    let sync = (Some(sync.dn_key), Some(sync.hash));
    let vals = values(rec, computed, &structure_id, &sync, &now);
    let mut params: Vec<&dyn ToSql> = vals.to_vec();
    params.push(&id);
    tx.prepare_cached(&UPDATE_SQL)?.execute(params.as_slice())?;
    let current: Vec<(String, String)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT kind, value FROM person_identifiers WHERE person_id = ?1 ORDER BY kind, value",
        )?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    let mut wanted: Vec<(String, String)> = rec
        .identifiers
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.clone()))
        .collect();
    wanted.sort();
    wanted.dedup();
    if current != wanted {
        tx.prepare_cached("DELETE FROM person_identifiers WHERE person_id = ?1")?
            .execute([id])?;
        insert_identifiers(tx, id, rec)?;
    }
    Ok(())
}

fn insert_identifiers(tx: &Transaction<'_>, id: PersonId, rec: &PersonRecord) -> Result<()> {
    let mut ids = tx.prepare_cached(
        "INSERT OR IGNORE INTO person_identifiers (person_id, kind, value) VALUES (?1, ?2, ?3)",
    )?;
    for (kind, value) in &rec.identifiers {
        ids.execute(params![id, kind.as_str(), value])?;
    }
    Ok(())
}

/// Records that `person` is related to `related` (e.g. a parent to a pupil).
pub fn link(tx: &Transaction<'_>, person: PersonId, related: PersonId, kind: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO person_links (person_id, related_id, kind) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![person, related, kind])?;
    Ok(())
}

/// A person with everything the person panel shows.
#[derive(Debug, Clone)]
pub struct PersonDetail {
    pub id: PersonId,
    pub record: PersonRecord,
    pub display_name: String,
    pub structure: Option<StructureInfo>,
    pub establishment: Option<StructureInfo>,
    pub groups: Vec<groups::GroupInfo>,
    pub links: Vec<Link>,
    pub photo: Option<photos::Photo>,
    pub cards: Vec<cards::CardDetail>,
    /// When the person left the directory (kept because they hold cards).
    pub departed_at: Option<Timestamp>,
}

/// A relation to another person, seen from this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub kind: String,
    /// `true` when this person is the subject (`parent_of` the other); `false` when it is the object.
    pub outgoing: bool,
    pub other_id: PersonId,
    pub other_name: String,
}

pub fn detail(conn: &Connection, id: PersonId) -> Result<PersonDetail> {
    let (record, display_name, structure_id) = conn
        .query_row(
            "SELECT dn, entry_uuid, uid, eppn, supann_etu_id, supann_emp_id, ine, ent_login, surname, given_name,
                    birth_name, civility, birth_date, email, affiliation, due_date, editable, source,
                    display_name, structure_id, departed_at
             FROM persons WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    PersonRecord {
                        dn: r.get(0)?,
                        entry_uuid: r.get(1)?,
                        uid: r.get(2)?,
                        eppn: r.get(3)?,
                        supann_etu_id: r.get(4)?,
                        supann_emp_id: r.get(5)?,
                        ine: r.get(6)?,
                        ent_login: r.get(7)?,
                        surname: r.get(8)?,
                        given_name: r.get(9)?,
                        birth_name: r.get(10)?,
                        civility: r.get(11)?,
                        birth_date: None,
                        email: r.get(13)?,
                        affiliation: r.get(14)?,
                        structure_code: None,
                        due_date: None,
                        editable: r.get(16)?,
                        identifiers: Vec::new(),
                        source: r.get(17)?,
                    },
                    (r.get::<_, Option<String>>(12)?, r.get::<_, Option<String>>(15)?),
                    r.get::<_, String>(18)?,
                    (r.get::<_, Option<i64>>(19)?, r.get::<_, Option<String>>(20)?),
                ))
            },
        )
        .optional()?
        .map(|(rec, dates, name, sid)| (fill_dates(rec, dates), name, sid))
        .ok_or(StoreError::NotFound { kind: "person", id })?;
    let (structure_id, departed_at) = structure_id;
    let departed_at = departed_at
        .map(|t| super::parse_ts("persons.departed_at", &t))
        .transpose()?;
    let mut record = record?;
    let mut stmt = conn.prepare_cached(
        "SELECT kind, value FROM person_identifiers WHERE person_id = ?1 ORDER BY kind, value",
    )?;
    let ids = stmt.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in ids {
        let (kind, value) = row?;
        if let Some(k) = IdKind::parse(&kind) {
            record.identifiers.push((k, value));
        }
    }
    let structure = match structure_id {
        Some(sid) => structures::get(conn, sid)?,
        None => None,
    };
    record.structure_code = structure.as_ref().map(|s| s.code.clone());
    let establishment = match structure_id {
        Some(sid) => structures::establishment(conn, sid)?,
        None => None,
    };
    Ok(PersonDetail {
        id,
        record,
        display_name,
        structure,
        establishment,
        groups: groups::of_person(conn, id)?,
        links: links(conn, id)?,
        photo: photos::current(conn, id)?,
        cards: cards::of_person(conn, id)?,
        departed_at,
    })
}

fn fill_dates(
    mut rec: PersonRecord,
    (birth, due): (Option<String>, Option<String>),
) -> Result<PersonRecord> {
    rec.birth_date = birth
        .map(|s| parse_date("persons.birth_date", &s))
        .transpose()?;
    rec.due_date = due
        .map(|s| parse_date("persons.due_date", &s))
        .transpose()?;
    Ok(rec)
}

fn links(conn: &Connection, id: PersonId) -> Result<Vec<Link>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.kind, 1, l.related_id, p.display_name FROM person_links l JOIN persons p ON p.id = l.related_id
          WHERE l.person_id = ?1
         UNION ALL
         SELECT l.kind, 0, l.person_id, p.display_name FROM person_links l JOIN persons p ON p.id = l.person_id
          WHERE l.related_id = ?1
         ORDER BY 4",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Link {
            kind: r.get(0)?,
            outgoing: r.get(1)?,
            other_id: r.get(2)?,
            other_name: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// One line of the directory list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub id: PersonId,
    pub display_name: String,
    pub affiliation: String,
    pub eppn: Option<String>,
    pub structure: Option<String>,
    /// State of the person's most recent card.
    pub last_card_state: Option<String>,
}

/// The rows for `ids`, in the same order (missing ids are skipped).
pub fn rows(conn: &Connection, ids: &[PersonId]) -> Result<Vec<PersonRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.display_name, p.affiliation, p.eppn, s.name,
                (SELECT c.state FROM cards c WHERE c.person_id = p.id ORDER BY c.id DESC LIMIT 1)
           FROM persons p LEFT JOIN structures s ON s.id = p.structure_id WHERE p.id = ?1",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let row = stmt
            .query_row([id], |r| {
                Ok(PersonRow {
                    id: r.get(0)?,
                    display_name: r.get(1)?,
                    affiliation: r.get(2)?,
                    eppn: r.get(3)?,
                    structure: r.get(4)?,
                    last_card_state: r.get(5)?,
                })
            })
            .optional()?;
        out.extend(row);
    }
    Ok(out)
}

/// Every person id in directory order (surname, given name).
pub fn all_sorted_ids(conn: &Connection) -> Result<Vec<PersonId>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM persons ORDER BY sort_key, id")?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<std::result::Result<_, _>>()?)
}

pub fn editable_and_due_date(
    conn: &Connection,
    id: PersonId,
) -> Result<(bool, Option<jiff::civil::Date>)> {
    let (editable, due): (bool, Option<String>) = conn
        .query_row(
            "SELECT editable, due_date FROM persons WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(StoreError::NotFound { kind: "person", id })?;
    Ok((
        editable,
        due.map(|d| parse_date("persons.due_date", &d))
            .transpose()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computed_columns_fold_like_the_names_module() {
        for (surname, given) in [
            ("De La Fontaine", "Jean-Pierre"),
            ("", "Zoé"),
            ("N'Diaye", ""),
            ("  Lœwy ", "Ærø"),
        ] {
            let rec = PersonRecord {
                surname: surname.into(),
                given_name: given.into(),
                ..PersonRecord::default()
            };
            let c = Computed::of(&rec);
            assert_eq!(c.sort_key, names::sort_key(surname, given));
            assert_eq!(c.folded_surname, names::fold(surname));
            assert_eq!(c.folded_given, names::fold(given));
        }
    }
}

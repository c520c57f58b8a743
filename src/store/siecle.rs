//! What a SIECLE import writes (`library::siecle::import` decides; formats.md §8.1): the pupil found by
//! INE, the columns SIECLE owns, the class group, departures.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, Transaction, params};

use super::persons::Computed;
use super::{Result, groups, mirror};
use crate::domain::group::{GroupKind, GroupRecord};
use crate::domain::person::{IdKind, PersonRecord};

/// The person holding `ine` (either case), as (id, source): one of `source` first, then one of the
/// establishment `structure`.
pub fn by_ine(
    tx: &Transaction<'_>,
    ine: &str,
    source: &str,
    structure: i64,
) -> Result<Option<(i64, String)>> {
    Ok(tx
        .prepare_cached(
            // Both cases spelt out rather than COLLATE NOCASE, which would bypass the INE index.
            "SELECT id, source FROM persons WHERE ine IN (?1, ?4)
              ORDER BY source = ?2 DESC, structure_id = ?3 DESC, id LIMIT 1",
        )?
        .query_row(params![ine, source, structure, ine.to_lowercase()], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?)
}

/// Rewrites what SIECLE owns of a person it created (names, birth date, INE, establishment, its join
/// key `join_key`, replacing any other of the same `join_prefix`) and clears a departure.
pub fn update_pupil(
    tx: &Transaction<'_>,
    id: i64,
    rec: &PersonRecord,
    structure: i64,
    join_key: &str,
    join_prefix: &str,
    stamp: &str,
) -> Result<()> {
    let c = Computed::of(rec);
    tx.prepare_cached(
        "UPDATE persons SET surname = ?2, given_name = ?3, birth_name = ?4, display_name = ?5,
                birth_date = ?6, ine = ?7, folded_surname = ?8, folded_given = ?9, sort_key = ?10,
                structure_id = ?11, departed_at = NULL, updated_at = ?12
          WHERE id = ?1",
    )?
    .execute(params![
        id,
        rec.surname,
        rec.given_name,
        rec.birth_name,
        c.display_name,
        c.birth_date,
        rec.ine,
        c.folded_surname,
        c.folded_given,
        c.sort_key,
        structure,
        stamp
    ])?;
    tx.prepare_cached(
        "DELETE FROM person_identifiers WHERE person_id = ?1 AND kind = ?2 AND value LIKE ?3 AND value <> ?4",
    )?
    .execute(params![
        id,
        IdKind::Jointure.as_str(),
        format!("{join_prefix}$%"),
        join_key
    ])?;
    tx.prepare_cached(
        "INSERT OR IGNORE INTO person_identifiers (person_id, kind, value) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![id, IdKind::Jointure.as_str(), join_key])?;
    Ok(())
}

/// Puts a pupil in exactly their division's class group (none without a division); a missing group
/// is created with `source`.
pub fn set_class(
    tx: &Transaction<'_>,
    person: i64,
    structure_code: &str,
    division: Option<&str>,
    source: &str,
) -> Result<()> {
    let mut wanted = HashSet::new();
    if let Some(d) = division {
        let name = format!("{structure_code}:Classes:{d}");
        let existing: Option<i64> = tx
            .prepare_cached("SELECT id FROM groups WHERE name = ?1")?
            .query_row([&name], |r| r.get(0))
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => groups::upsert(
                tx,
                &GroupRecord {
                    name,
                    display_name: d.to_string(),
                    kind: GroupKind::Class,
                    source: source.into(),
                },
            )?,
        };
        wanted.insert(id);
    }
    mirror::set_person_groups(tx, person, &wanted)?;
    Ok(())
}

/// Marks a person departed (kept with their cards and history) and takes them out of their class.
pub fn mark_departed(tx: &Transaction<'_>, id: i64, stamp: &str) -> Result<()> {
    tx.prepare_cached("UPDATE persons SET departed_at = ?2 WHERE id = ?1 AND departed_at IS NULL")?
        .execute(params![id, stamp])?;
    mirror::set_person_groups(tx, id, &HashSet::new())?;
    Ok(())
}

/// The present persons of `source` in an establishment, as (id, INE, display name), in directory order.
pub fn present(
    tx: &Transaction<'_>,
    source: &str,
    structure: i64,
) -> Result<Vec<(i64, Option<String>, String)>> {
    let mut st = tx.prepare_cached(
        "SELECT id, ine, display_name FROM persons
          WHERE source = ?1 AND structure_id = ?2 AND departed_at IS NULL ORDER BY sort_key, id",
    )?;
    let rows = st.query_map(params![source, structure], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

//! Groups and memberships.

use rusqlite::{Connection, Transaction, params};

use super::Result;
use crate::domain::card::PersonId;
use crate::domain::group::GroupRecord;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInfo {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub kind: String,
}

/// Inserts or updates a group by name; returns its id.
pub fn upsert(tx: &Transaction<'_>, rec: &GroupRecord) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO groups (name, display_name, kind, source) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(name) DO UPDATE SET display_name = excluded.display_name, kind = excluded.kind,
                                         source = excluded.source",
    )?
    .execute(params![
        rec.name,
        rec.display_name,
        rec.kind.as_str(),
        rec.source
    ])?;
    Ok(tx
        .prepare_cached("SELECT id FROM groups WHERE name = ?1")?
        .query_row([&rec.name], |r| r.get(0))?)
}

pub fn add_member(tx: &Transaction<'_>, group_id: i64, person_id: PersonId) -> Result<()> {
    tx.prepare_cached("INSERT OR IGNORE INTO memberships (group_id, person_id) VALUES (?1, ?2)")?
        .execute(params![group_id, person_id])?;
    Ok(())
}

pub fn of_person(conn: &Connection, person_id: PersonId) -> Result<Vec<GroupInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.id, g.name, g.display_name, g.kind FROM memberships m JOIN groups g ON g.id = m.group_id
          WHERE m.person_id = ?1 ORDER BY g.kind, g.name",
    )?;
    let rows = stmt.query_map([person_id], |r| {
        Ok(GroupInfo {
            id: r.get(0)?,
            name: r.get(1)?,
            display_name: r.get(2)?,
            kind: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

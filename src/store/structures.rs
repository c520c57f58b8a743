//! Structures: establishments and components.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::Result;
use crate::domain::structure::StructureRecord;

/// A structure as shown next to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureInfo {
    pub id: i64,
    pub code: String,
    pub uai: Option<String>,
    pub kind: String,
    pub name: String,
}

/// Inserts or updates a structure by code; returns its id.
pub fn upsert(tx: &Transaction<'_>, rec: &StructureRecord) -> Result<i64> {
    let parent: Option<i64> = match &rec.parent_code {
        Some(code) => id_by_code(tx, code)?,
        None => None,
    };
    tx.execute(
        "INSERT INTO structures (code, uai, kind, name, parent_id) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(code) DO UPDATE SET uai = excluded.uai, kind = excluded.kind, name = excluded.name,
                                         parent_id = excluded.parent_id",
        params![rec.code, rec.uai, rec.kind.as_str(), rec.name, parent],
    )?;
    Ok(tx.query_row(
        "SELECT id FROM structures WHERE code = ?1",
        [&rec.code],
        |r| r.get(0),
    )?)
}

pub fn id_by_code(conn: &Connection, code: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM structures WHERE code = ?1", [code], |r| {
            r.get(0)
        })
        .optional()?)
}

/// A structure from a row of `SELECT id, code, uai, kind, name`.
pub fn info(r: &rusqlite::Row<'_>) -> rusqlite::Result<StructureInfo> {
    Ok(StructureInfo {
        id: r.get(0)?,
        code: r.get(1)?,
        uai: r.get(2)?,
        kind: r.get(3)?,
        name: r.get(4)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<StructureInfo>> {
    Ok(conn
        .query_row(
            "SELECT id, code, uai, kind, name FROM structures WHERE id = ?1",
            [id],
            info,
        )
        .optional()?)
}

/// The establishment a structure belongs to: itself if it has a UAI, else the nearest ancestor with one.
pub fn establishment(conn: &Connection, id: i64) -> Result<Option<StructureInfo>> {
    let mut cur = Some(id);
    let mut guard = 0;
    while let Some(sid) = cur {
        guard += 1;
        let Some(s) = get(conn, sid)? else {
            return Ok(None);
        };
        if s.uai.is_some() || guard > 32 {
            return Ok(Some(s));
        }
        cur = conn.query_row(
            "SELECT parent_id FROM structures WHERE id = ?1",
            [sid],
            |r| r.get(0),
        )?;
    }
    Ok(None)
}

//! Photos: JPEG blobs stored once by content hash, and the photo history of each person.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::{Result, ts};
use crate::domain::card::PersonId;

/// A person's photo as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub id: i64,
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub source: String,
    pub created_at: String,
}

/// Stores a JPEG blob (once per content) and returns its id.
pub fn put_blob(tx: &Transaction<'_>, jpeg: &[u8], width: u32, height: u32) -> Result<i64> {
    let sha: String = Sha256::digest(jpeg)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    tx.prepare_cached(
        "INSERT OR IGNORE INTO photo_blobs (sha256, jpeg, width, height) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![sha, jpeg, width, height])?;
    Ok(tx
        .prepare_cached("SELECT id FROM photo_blobs WHERE sha256 = ?1")?
        .query_row([sha], |r| r.get(0))?)
}

/// Adds a photo to a person's history, making it the current one; returns the photo id.
pub fn add(
    tx: &Transaction<'_>,
    person: PersonId,
    blob_id: i64,
    source: &str,
    now: Timestamp,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO photos (person_id, blob_id, source, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![person, blob_id, source, ts(now)])?;
    Ok(tx.last_insert_rowid())
}

/// The person's current photo (the latest added).
pub fn current(conn: &Connection, person: PersonId) -> Result<Option<Photo>> {
    Ok(conn
        .prepare_cached(
            "SELECT p.id, b.jpeg, b.width, b.height, p.source, p.created_at
               FROM photos p JOIN photo_blobs b ON b.id = p.blob_id
              WHERE p.person_id = ?1 ORDER BY p.id DESC LIMIT 1",
        )?
        .query_row([person], |r| {
            Ok(Photo {
                id: r.get(0)?,
                jpeg: r.get(1)?,
                width: r.get(2)?,
                height: r.get(3)?,
                source: r.get(4)?,
                created_at: r.get(5)?,
            })
        })
        .optional()?)
}

pub fn current_id(conn: &Connection, person: PersonId) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM photos WHERE person_id = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([person], |r| r.get(0))
        .optional()?)
}

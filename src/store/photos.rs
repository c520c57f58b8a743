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
    /// Photo-publication consent (CNIL): `None` = not asked.
    pub consent: Option<bool>,
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

/// Adds a photo to a person's history, making it the current one; returns the photo id. `consent` is the
/// photo-publication consent (CNIL) given with it; `None` when nobody asked (directory, older data).
pub fn add(
    tx: &Transaction<'_>,
    person: PersonId,
    blob_id: i64,
    source: &str,
    consent: Option<bool>,
    now: Timestamp,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO photos (person_id, blob_id, source, publication_consent, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![person, blob_id, source, consent, ts(now)])?;
    Ok(tx.last_insert_rowid())
}

/// The person's current photo (the latest added).
pub fn current(conn: &Connection, person: PersonId) -> Result<Option<Photo>> {
    Ok(conn
        .prepare_cached(&format!(
            "{PHOTO_SELECT} WHERE p.person_id = ?1 ORDER BY p.id DESC LIMIT 1"
        ))?
        .query_row([person], photo_row)
        .optional()?)
}

const PHOTO_SELECT: &str = "SELECT p.id, b.jpeg, b.width, b.height, p.source, p.created_at,
        p.publication_consent FROM photos p JOIN photo_blobs b ON b.id = p.blob_id";

fn photo_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Photo> {
    Ok(Photo {
        id: r.get(0)?,
        jpeg: r.get(1)?,
        width: r.get(2)?,
        height: r.get(3)?,
        source: r.get(4)?,
        created_at: r.get(5)?,
        consent: r.get(6)?,
    })
}

/// A photo by id (the photo a card carries).
pub fn get(conn: &Connection, id: i64) -> Result<Option<Photo>> {
    Ok(conn
        .prepare_cached(&format!("{PHOTO_SELECT} WHERE p.id = ?1"))?
        .query_row([id], photo_row)
        .optional()?)
}

/// The person's latest photo from a given source (`directory`, `card`, ...), e.g. the directory's
/// jpegPhoto to reuse.
pub fn latest_from(conn: &Connection, person: PersonId, source: &str) -> Result<Option<Photo>> {
    Ok(conn
        .prepare_cached(&format!(
            "{PHOTO_SELECT} WHERE p.person_id = ?1 AND p.source = ?2 ORDER BY p.id DESC LIMIT 1"
        ))?
        .query_row(params![person, source], photo_row)
        .optional()?)
}

/// A photo about to be stored: the JPEG, its size, where it comes from and the consent given with it.
#[derive(Debug, Clone, Copy)]
pub struct NewPhoto<'a> {
    pub jpeg: &'a [u8],
    pub width: u32,
    pub height: u32,
    /// `file`, `webcam`, `directory`, `card` (reused from a previous card), `demo`.
    pub source: &'a str,
    pub consent: Option<bool>,
}

/// Stores a new photo for a person (blob once per content) with its consent, and makes it the photo of
/// `card` when given; returns the photo id. The caller checks that the card's photo may change.
pub fn attach(
    tx: &Transaction<'_>,
    person: PersonId,
    card: Option<i64>,
    photo: &NewPhoto<'_>,
    now: Timestamp,
) -> Result<i64> {
    let blob = put_blob(tx, photo.jpeg, photo.width, photo.height)?;
    let id = add(tx, person, blob, photo.source, photo.consent, now)?;
    if let Some(card) = card {
        tx.prepare_cached("UPDATE cards SET photo_id = ?1 WHERE id = ?2 AND person_id = ?3")?
            .execute(params![id, card, person])?;
    }
    Ok(id)
}

pub fn current_id(conn: &Connection, person: PersonId) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM photos WHERE person_id = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([person], |r| r.get(0))
        .optional()?)
}

impl super::Store {
    /// Gives a card a new photo (and makes it the person's current one). Only while the card's photo may
    /// change: `NEW`, `RENEWED`, `REQUEST_CHECKED`, `IN_PRINT` (reference crous-escr.md §1.5).
    pub fn set_card_photo(
        &self,
        card: crate::domain::card::CardId,
        photo: &NewPhoto<'_>,
        actor: &str,
        now: Timestamp,
    ) -> Result<i64> {
        self.write(|tx| {
            let c = super::cards::get(tx, card)?;
            if !c.state.photo_editable() {
                return Err(super::StoreError::PhotoLocked {
                    card,
                    state: c.state,
                });
            }
            let id = attach(tx, c.person_id, Some(card), photo, now)?;
            super::audit::append(
                tx,
                now,
                actor,
                "card.photo",
                "card",
                card,
                Some(photo.source),
            )?;
            Ok(id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_util;

    #[test]
    fn a_card_photo_changes_only_while_editable() {
        let (store, _dir) = test_util::temp_store();
        let now: Timestamp = "2026-11-22T10:00:00Z".parse().unwrap();
        let card = test_util::person_with_card(&store, now);
        let photo = NewPhoto {
            jpeg: &[0xff, 0xd8, 1, 2, 3],
            width: 300,
            height: 376,
            source: "file",
            consent: Some(false),
        };
        let id = store.set_card_photo(card, &photo, "alice", now).unwrap();
        let (photo_id, person): (Option<i64>, i64) = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT photo_id, person_id FROM cards WHERE id = ?1",
                    [card],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        assert_eq!(photo_id, Some(id));
        let current = store.read(|c| current(c, person)).unwrap().unwrap();
        assert_eq!((current.id, current.consent), (id, Some(false)));
        store
            .write(|tx| {
                tx.execute("UPDATE cards SET state = 'PRINTED' WHERE id = ?1", [card])?;
                Ok(())
            })
            .unwrap();
        assert!(matches!(
            store.set_card_photo(card, &photo, "alice", now),
            Err(crate::store::StoreError::PhotoLocked { .. })
        ));
    }
}

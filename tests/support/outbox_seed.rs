//! Many persons with an enabled card, queued for CROUS, written straight into the store in one
//! transaction (the crash test and the queue benchmark need thousands; the card lifecycle is tested
//! elsewhere).
#![allow(dead_code)]

use guichet::store::{Store, outbox, ts};
use jiff::Timestamp;

/// `n` staff members `p{i}@univ.example` with e-mail `p{i}@mail.example`, each with an ENABLED card whose
/// CSN is `04` + `csn_base + i` in 12 hex digits, each queued for `service`.
pub fn enabled_cards(store: &Store, n: i64, csn_base: i64, service: &str) {
    let now = ts(Timestamp::now());
    store
        .write(|tx| {
            for i in 0..n {
                tx.execute(
                    "INSERT INTO persons (eppn, surname, given_name, display_name, email, affiliation,
                        due_date, folded_surname, folded_given, sort_key, source, created_at, updated_at)
                     VALUES (?1, 'Martin', 'Léa', 'MARTIN Léa', ?2, 'staff', '2030-09-30', 'martin', 'lea',
                        'martin lea', 'test', ?3, ?3)",
                    rusqlite::params![format!("p{i}@univ.example"), format!("p{i}@mail.example"), now],
                )?;
                let person = tx.last_insert_rowid();
                tx.execute(
                    "INSERT INTO cards (person_id, state, state_at, requested_at, csn, encoded_at, enabled_at)
                     VALUES (?1, 'ENABLED', ?2, ?2, ?3, ?2, ?2)",
                    rusqlite::params![person, now, format!("04{:012X}", csn_base + i)],
                )?;
                outbox::enqueue(tx, service, "person", person, Timestamp::now())?;
            }
            Ok(())
        })
        .expect("seed the store");
}

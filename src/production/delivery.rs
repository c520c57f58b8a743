//! The delivery slip of a batch: the cards to hand over, grouped by the holder's structure (the delivery
//! address inside the institution) or by class/group, with a column to sign on delivery.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::Connection;

use super::slip::{Slip, SlipSection};
use crate::domain::card::CardId;
use crate::fl;
use crate::store::{self, Store};

/// How the slip groups the cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// By the holder's structure (affectation): where the cards are delivered.
    Structure,
    /// By the holder's class or group (schools: one envelope per class).
    Group,
}

struct Line {
    card: CardId,
    surname: String,
    given: String,
    number: String,
    affiliation: String,
    structure: Option<String>,
    group: Option<String>,
    sort_key: String,
}

fn lines(conn: &Connection, ids: &[CardId]) -> store::Result<Vec<Line>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, p.surname, p.given_name, COALESCE(p.supann_etu_id, p.supann_emp_id, p.ine, ''),
                p.affiliation, s.name,
                (SELECT g.display_name FROM memberships m JOIN groups g ON g.id = m.group_id
                  WHERE m.person_id = p.id ORDER BY g.kind <> 'class', g.display_name LIMIT 1),
                p.sort_key
           FROM cards c JOIN persons p ON p.id = c.person_id
           LEFT JOIN structures s ON s.id = p.structure_id
          WHERE c.id = ?1",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let line = stmt.query_row([id], |r| {
            Ok(Line {
                card: r.get(0)?,
                surname: r.get(1)?,
                given: r.get(2)?,
                number: r.get(3)?,
                affiliation: r.get(4)?,
                structure: r.get(5)?,
                group: r.get(6)?,
                sort_key: r.get(7)?,
            })
        });
        match line {
            Ok(l) => out.push(l),
            Err(rusqlite::Error::QueryReturnedNoRows) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// The slip of the cards `ids`, sections in name order, holders in name order inside each.
pub fn slip(
    store: &Store,
    ids: &[CardId],
    grouping: Grouping,
    now: Timestamp,
) -> store::Result<Slip> {
    let lines = store.read(|c| lines(c, ids))?;
    let mut sections: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    for l in lines {
        let key = match grouping {
            Grouping::Structure => l.structure.clone(),
            Grouping::Group => l.group.clone(),
        }
        .unwrap_or_else(|| fl!("slip-no-section"));
        sections.entry(key).or_default().push(l);
    }
    let total: usize = sections.values().map(Vec::len).sum();
    let sections = sections
        .into_iter()
        .map(|(heading, mut rows)| {
            rows.sort_by(|a, b| a.sort_key.cmp(&b.sort_key));
            SlipSection {
                heading: fl!("slip-section", name = heading, count = rows.len()),
                rows: rows
                    .into_iter()
                    .map(|l| {
                        vec![
                            l.card.to_string(),
                            l.surname,
                            l.given,
                            l.number,
                            crate::ui_text::affiliation(&l.affiliation),
                            String::new(),
                        ]
                    })
                    .collect(),
            }
        })
        .collect();
    let date = crate::ui_text::datetime(now);
    Ok(Slip {
        title: fl!("slip-title"),
        subtitle: fl!("slip-subtitle", date = date, count = total),
        columns: vec![
            fl!("slip-col-card"),
            fl!("slip-col-surname"),
            fl!("slip-col-given"),
            fl!("slip-col-number"),
            fl!("slip-col-affiliation"),
            fl!("slip-col-signature"),
        ],
        sections,
        weights: Vec::new(),
    })
}

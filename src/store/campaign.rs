//! Card selection for print campaigns (Production screen, `guichet print --batch`): cards by state, group,
//! structure and a free search, with counts, and what a delivery slip lists.

use rusqlite::{Connection, params_from_iter, types::Value};

use super::{Result, search};
use crate::domain::card::{CardId, CardState, PersonId};

/// Which cards a campaign takes. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardFilter {
    pub state: Option<CardState>,
    /// A group (a class, a Grouper group) by id; its members, nested groups flattened by the sync.
    pub group: Option<i64>,
    /// A structure by id: persons attached to it.
    pub structure: Option<i64>,
    /// Free search, as at the Desk (names, identifiers).
    pub text: String,
    /// At most this many cards (0: no limit).
    pub limit: usize,
}

/// One selected card, with what the list and the delivery slip show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignCard {
    pub card_id: CardId,
    pub person_id: PersonId,
    pub state: CardState,
    pub surname: String,
    pub given_name: String,
    pub affiliation: String,
    /// Student number, else staff number.
    pub number: Option<String>,
    pub structure: Option<String>,
    pub has_photo: bool,
}

/// How many persons a free search may match before it is applied as a filter.
const TEXT_CANDIDATES: usize = 50_000;

fn where_clause(
    conn: &Connection,
    f: &CardFilter,
    with_state: bool,
) -> Result<(String, Vec<Value>)> {
    let mut sql = String::from(" WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    if with_state && let Some(st) = f.state {
        sql.push_str(" AND c.state = ?");
        args.push(Value::Text(st.as_str().into()));
    }
    if let Some(g) = f.group {
        sql.push_str(" AND c.person_id IN (SELECT person_id FROM memberships WHERE group_id = ?)");
        args.push(Value::Integer(g));
    }
    if let Some(s) = f.structure {
        sql.push_str(" AND p.structure_id = ?");
        args.push(Value::Integer(s));
    }
    if !f.text.trim().is_empty() {
        let ids = search::search_ids(conn, &f.text, TEXT_CANDIDATES)?;
        let list = ids
            .iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        sql.push_str(&format!(" AND c.person_id IN ({list})"));
    }
    Ok((sql, args))
}

/// The cards a filter selects, in name order.
pub fn select(conn: &Connection, f: &CardFilter) -> Result<Vec<CampaignCard>> {
    let (clause, args) = where_clause(conn, f, true)?;
    let limit = if f.limit == 0 { -1 } else { f.limit as i64 };
    let sql = format!(
        "SELECT c.id, c.person_id, c.state, p.surname, p.given_name, p.affiliation,
                COALESCE(p.supann_etu_id, p.supann_emp_id), s.name, c.photo_id IS NOT NULL
           FROM cards c JOIN persons p ON p.id = c.person_id
           LEFT JOIN structures s ON s.id = p.structure_id
         {clause} ORDER BY p.sort_key, c.id LIMIT {limit}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        let state: String = r.get(2)?;
        Ok(CampaignCard {
            card_id: r.get(0)?,
            person_id: r.get(1)?,
            state: CardState::parse(&state).unwrap_or(CardState::New),
            surname: r.get(3)?,
            given_name: r.get(4)?,
            affiliation: r.get(5)?,
            number: r.get(6)?,
            structure: r.get(7)?,
            has_photo: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many cards the filter's group, structure and text select in each state (the state filter aside).
pub fn counts_by_state(conn: &Connection, f: &CardFilter) -> Result<Vec<(CardState, u64)>> {
    let (clause, args) = where_clause(conn, f, false)?;
    let sql = format!(
        "SELECT c.state, COUNT(*) FROM cards c JOIN persons p ON p.id = c.person_id {clause}
          GROUP BY c.state"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out: Vec<(CardState, u64)> = Vec::new();
    for row in rows {
        let (s, n) = row?;
        if let Some(st) = CardState::parse(&s) {
            out.push((st, n.max(0) as u64));
        }
    }
    out.sort_by_key(|(s, _)| CardState::ALL.iter().position(|x| x == s));
    Ok(out)
}

/// A group by its exact name (as `--group NAME` gives it) or display name.
pub fn group_by_name(conn: &Connection, name: &str) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(
            "SELECT id FROM groups WHERE name = ?1
             UNION ALL SELECT id FROM groups WHERE display_name = ?1 LIMIT 1",
        )?
        .query_row([name], |r| r.get(0))
        .optional()?)
}

/// Structures that persons holding cards are attached to, by name, for the Production filter.
pub fn structures_with_cards(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.name FROM structures s
          WHERE EXISTS (SELECT 1 FROM persons p JOIN cards c ON c.person_id = p.id
                         WHERE p.structure_id = s.id)
          ORDER BY s.name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The affiliations of the mirror's persons and how many persons each has (template rules).
pub fn populations(conn: &Connection) -> Result<Vec<(String, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT affiliation, COUNT(*) FROM persons GROUP BY affiliation ORDER BY COUNT(*) DESC",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::card::Actor;
    use crate::store::cards::CardOptions;
    use crate::store::test_util;

    #[test]
    fn filters_select_by_state_group_and_text() {
        let (store, _dir) = test_util::temp_store();
        let now: jiff::Timestamp = "2026-11-22T10:00:00Z".parse().unwrap();
        let card = test_util::person_with_card(&store, now);
        let f = CardFilter {
            state: Some(CardState::New),
            ..Default::default()
        };
        let rows = store.read(|c| select(c, &f)).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].card_id, card);
        assert_eq!(rows[0].surname, "Dupré");
        let f2 = CardFilter {
            state: Some(CardState::RequestChecked),
            ..Default::default()
        };
        assert!(store.read(|c| select(c, &f2)).unwrap().is_empty());
        let counts = store.read(|c| counts_by_state(c, &f2)).unwrap();
        assert_eq!(counts, vec![(CardState::New, 1)]);
        let text = CardFilter {
            text: "dupre".into(),
            ..Default::default()
        };
        assert_eq!(store.read(|c| select(c, &text)).unwrap().len(), 1);
        let other = CardFilter {
            text: "zzzz".into(),
            ..Default::default()
        };
        assert!(store.read(|c| select(c, &other)).unwrap().is_empty());
        // A group: only its members.
        let person = rows[0].person_id;
        let gid = store
            .write(|tx| {
                let g = crate::store::groups::upsert(
                    tx,
                    &crate::domain::group::GroupRecord {
                        name: "classes:3A".into(),
                        display_name: "3e A".into(),
                        kind: crate::domain::group::GroupKind::Class,
                        source: "test".into(),
                    },
                )?;
                crate::store::groups::add_member(tx, g, person)?;
                Ok(g)
            })
            .unwrap();
        assert_eq!(store.read(|c| group_by_name(c, "3e A")).unwrap(), Some(gid));
        let by_group = CardFilter {
            group: Some(gid),
            ..Default::default()
        };
        assert_eq!(store.read(|c| select(c, &by_group)).unwrap().len(), 1);
        let other_person = store
            .write(|tx| {
                let rec = crate::domain::person::PersonRecord {
                    eppn: Some("x@u.fr".into()),
                    surname: "Martin".into(),
                    given_name: "Paul".into(),
                    affiliation: "student".into(),
                    editable: true,
                    source: "test".into(),
                    ..Default::default()
                };
                crate::store::persons::insert(tx, &rec, now)
            })
            .unwrap();
        store
            .request_card(
                other_person,
                &Actor::Operator("a".into()),
                None,
                &CardOptions::default(),
                now,
            )
            .unwrap();
        assert_eq!(store.read(|c| select(c, &by_group)).unwrap().len(), 1);
        assert_eq!(
            store
                .read(|c| select(c, &CardFilter::default()))
                .unwrap()
                .len(),
            2
        );
    }
}

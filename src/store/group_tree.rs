//! Read queries for the Groups screen and the person panel: every group with its member count in one
//! query, the members of a group in directory order, and the member counts of a few groups.

use rusqlite::{Connection, params_from_iter};

use super::Result;
use crate::domain::card::PersonId;

/// A group and how many persons belong to it (direct and through nested groups, as the mirror
/// records them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    pub id: i64,
    /// Full Grouper name, `:`-separated stems.
    pub name: String,
    pub display_name: String,
    pub kind: String,
    pub members: u64,
}

/// Every group with its member count, ordered by name. One query; the count uses the primary key of
/// `memberships` (group_id first), so 24,000 groups cost one index pass.
pub fn all_with_counts(conn: &Connection) -> Result<Vec<GroupCount>> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.id, g.name, g.display_name, g.kind,
                (SELECT COUNT(*) FROM memberships m WHERE m.group_id = g.id)
           FROM groups g ORDER BY g.name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(GroupCount {
            id: r.get(0)?,
            name: r.get(1)?,
            display_name: r.get(2)?,
            kind: r.get(3)?,
            members: r.get::<_, i64>(4)?.max(0) as u64,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The members of a group in directory order (the Desk's sort key).
pub fn members(conn: &Connection, group_id: i64) -> Result<Vec<PersonId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id FROM memberships m JOIN persons p ON p.id = m.person_id
          WHERE m.group_id = ?1 ORDER BY p.sort_key, p.id",
    )?;
    let rows = stmt.query_map([group_id], |r| r.get::<_, PersonId>(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Member counts of the given groups, as `(group id, count)` in the order given (a person's groups).
pub fn member_counts(conn: &Connection, group_ids: &[i64]) -> Result<Vec<(i64, u64)>> {
    let mut out = Vec::with_capacity(group_ids.len());
    // Bounded chunks keep the statement under SQLite's parameter limit whatever the person's groups.
    for chunk in group_ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!(
            "SELECT group_id, COUNT(*) FROM memberships WHERE group_id IN ({marks}) GROUP BY group_id"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(chunk.iter()), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
        })?;
        let found: std::collections::HashMap<i64, u64> =
            rows.collect::<std::result::Result<_, _>>()?;
        out.extend(
            chunk
                .iter()
                .map(|id| (*id, found.get(id).copied().unwrap_or(0))),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::group::{GroupKind, GroupRecord};
    use crate::domain::person::PersonRecord;
    use crate::store::{Store, groups, persons};

    #[test]
    fn counts_and_members_in_directory_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("g.db")).unwrap();
        let now = jiff::Timestamp::now();
        let (g1, g2) = store
            .write(|tx| {
                let mut ids = Vec::new();
                for (surname, given) in [("Zola", "Émile"), ("Abel", "Anne"), ("Martin", "Paul")] {
                    let rec = PersonRecord {
                        surname: surname.into(),
                        given_name: given.into(),
                        affiliation: "student".into(),
                        editable: true,
                        source: "test".into(),
                        ..Default::default()
                    };
                    ids.push(persons::insert(tx, &rec, now)?);
                }
                let group = |name: &str| GroupRecord {
                    name: name.into(),
                    display_name: name.into(),
                    kind: GroupKind::Group,
                    source: "test".into(),
                };
                let g1 = groups::upsert(tx, &group("u:etudiants:L1"))?;
                let g2 = groups::upsert(tx, &group("u:etudiants:L2"))?;
                for id in &ids {
                    groups::add_member(tx, g1, *id)?;
                }
                Ok((g1, g2))
            })
            .unwrap();
        let all = store.read(all_with_counts).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].id, all[0].members), (g1, 3));
        assert_eq!((all[1].id, all[1].members), (g2, 0));
        let members = store.read(|c| members(c, g1)).unwrap();
        let names = store.read(|c| persons::rows(c, &members)).unwrap();
        let mut by_id: Vec<String> = Vec::new();
        for id in &members {
            by_id.push(
                names
                    .iter()
                    .find(|r| r.id == *id)
                    .unwrap()
                    .display_name
                    .clone(),
            );
        }
        assert!(by_id[0].contains("ABEL"), "{by_id:?}");
        assert!(by_id[2].contains("ZOLA"), "{by_id:?}");
        let counts = store.read(|c| member_counts(c, &[g2, g1])).unwrap();
        assert_eq!(counts, vec![(g2, 0), (g1, 3)]);
    }
}

//! The persons of one establishment (UAI) as the school files need them: BCDI/e-sidoc export, SACoche
//! export, the librarian's update preview. One query for all of them.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use rusqlite::{Connection, params};

use super::Result;
use super::structures::StructureInfo;
use crate::domain::group::class_code;

/// A person attached to an establishment, with what the school files read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchoolPerson {
    pub id: i64,
    pub surname: String,
    pub given_name: String,
    pub birth_date: Option<Date>,
    /// The SDET profile (`National_ELV`, `National_ENS`, `National_TUT`…) or the SupAnn affiliation.
    pub profile: String,
    pub civility: Option<String>,
    pub email: Option<String>,
    pub uid: Option<String>,
    pub ent_login: Option<String>,
    pub ine: Option<String>,
    /// Class codes (`2NDE1`), sorted; teachers' teaching groups are not classes.
    pub classes: Vec<String>,
    /// Per-application ids without their prefix, by application (`BCDI`, `SACOCHE`…), from the
    /// directory's `ESCOPersonExternalIds` (formats.md §1.7).
    pub app_ids: Vec<(String, String)>,
    /// `ENTPersonJointure` values (`AC-RENNES$128407`).
    pub jointures: Vec<String>,
    /// For a parent: the ids of their children (pupils) in the mirror.
    pub children: Vec<i64>,
    pub departed: bool,
}

impl SchoolPerson {
    /// The id this person has for application `app` (`BCDI`, `SACOCHE`), case-insensitively.
    pub fn app_id(&self, app: &str) -> Option<&str> {
        self.app_ids
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(app))
            .map(|(_, v)| v.as_str())
    }
}

/// The persons attached to structure `?1` or to a structure below it.
const PERSONS_OF_TREE: &str = "SELECT p.id FROM persons p WHERE p.structure_id IN (
    WITH RECURSIVE tree(id) AS (
        SELECT ?1 UNION SELECT s.id FROM structures s JOIN tree t ON s.parent_id = t.id)
    SELECT id FROM tree)";

/// The establishments: structures that carry a UAI, by name.
pub fn establishments(conn: &Connection) -> Result<Vec<StructureInfo>> {
    let mut st = conn.prepare(
        "SELECT id, code, uai, kind, name FROM structures WHERE uai IS NOT NULL AND uai <> ''
         ORDER BY name",
    )?;
    let rows = st.query_map([], super::structures::info)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The establishment with this UAI (case-insensitive).
pub fn establishment(conn: &Connection, uai: &str) -> Result<Option<StructureInfo>> {
    Ok(establishments(conn)?.into_iter().find(|s| {
        s.uai
            .as_deref()
            .is_some_and(|u| u.eq_ignore_ascii_case(uai.trim()))
    }))
}

/// The persons of one establishment (`None` when the UAI is unknown), or of every establishment, each
/// once (a person attached to none has no ENT identifier): what SACoche exports and checks.
pub fn persons(conn: &Connection, uai: Option<&str>) -> Result<Option<Vec<SchoolPerson>>> {
    let Some(uai) = uai else {
        let mut seen = HashSet::new();
        let mut all = Vec::new();
        for s in establishments(conn)? {
            let people = persons_of(conn, s.uai.as_deref().unwrap_or_default())?;
            all.extend(people.into_iter().filter(|p| seen.insert(p.id)));
        }
        return Ok(Some(all));
    };
    match establishment(conn, uai)? {
        Some(_) => persons_of(conn, uai).map(Some),
        None => Ok(None),
    }
}

/// Every person attached to the establishment `uai` (its structure and the structures below it),
/// departed persons included (flagged), sorted by surname and given name.
pub fn persons_of(conn: &Connection, uai: &str) -> Result<Vec<SchoolPerson>> {
    let Some(school) = establishment(conn, uai)? else {
        return Ok(Vec::new());
    };
    let mut st = conn.prepare(
        "WITH RECURSIVE tree(id) AS (
             SELECT ?1 UNION SELECT s.id FROM structures s JOIN tree t ON s.parent_id = t.id)
         SELECT p.id, p.surname, p.given_name, p.birth_date, p.affiliation, p.civility, p.email, p.uid,
                p.ent_login, p.ine, p.departed_at IS NOT NULL
         FROM persons p WHERE p.structure_id IN (SELECT id FROM tree)
         ORDER BY p.sort_key, p.id",
    )?;
    let mut persons: Vec<SchoolPerson> = st
        .query_map(params![school.id], |r| {
            let birth: Option<String> = r.get(3)?;
            Ok(SchoolPerson {
                id: r.get(0)?,
                surname: r.get(1)?,
                given_name: r.get(2)?,
                birth_date: birth.and_then(|b| b.parse().ok()),
                profile: r.get(4)?,
                civility: r.get(5)?,
                email: r.get(6)?,
                uid: r.get(7)?,
                ent_login: r.get(8)?,
                ine: r.get(9)?,
                departed: r.get(10)?,
                ..SchoolPerson::default()
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    let index: HashMap<i64, usize> = persons.iter().enumerate().map(|(i, p)| (p.id, i)).collect();

    let mut st = conn.prepare(&format!(
        "SELECT m.person_id, g.name FROM memberships m JOIN groups g ON g.id = m.group_id
             WHERE g.kind = 'class' AND m.person_id IN ({PERSONS_OF_TREE})"
    ))?;
    let mut rows = st.query(params![school.id])?;
    while let Some(r) = rows.next()? {
        let (id, name): (i64, String) = (r.get(0)?, r.get(1)?);
        if let Some(&i) = index.get(&id) {
            persons[i].classes.push(class_code(&name).to_string());
        }
    }
    let mut st = conn.prepare(&format!(
        "SELECT person_id, kind, value FROM person_identifiers
             WHERE kind IN ('app', 'jointure') AND person_id IN ({PERSONS_OF_TREE})"
    ))?;
    let mut rows = st.query(params![school.id])?;
    while let Some(r) = rows.next()? {
        let (id, kind, value): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let Some(&i) = index.get(&id) else { continue };
        if kind == "app" {
            if let Some((app, v)) = value.split_once('$') {
                persons[i].app_ids.push((app.to_string(), v.to_string()));
            }
        } else {
            persons[i].jointures.push(value);
        }
    }
    let mut st =
        conn.prepare("SELECT person_id, related_id FROM person_links WHERE kind = 'parent_of'")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let (parent, child): (i64, i64) = (r.get(0)?, r.get(1)?);
        if let Some(&i) = index.get(&parent) {
            persons[i].children.push(child);
        }
    }
    for p in &mut persons {
        p.classes.sort();
        p.classes.dedup();
        p.app_ids.sort();
        p.jointures.sort();
        p.children.sort_unstable();
    }
    Ok(persons)
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    #[test]
    fn the_demo_school_has_pupils_with_classes_and_parents_with_children() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("g.db")).unwrap();
        let opts = crate::demo::DemoOptions {
            persons: 400,
            seed: 7,
        };
        crate::demo::generate(&store, &opts, jiff::Timestamp::now()).unwrap();
        let schools = store.read(super::establishments).unwrap();
        let lycee = schools
            .iter()
            .find(|s| s.kind == "school")
            .and_then(|s| s.uai.clone())
            .unwrap();
        let persons = store.read(|c| super::persons_of(c, &lycee)).unwrap();
        let pupils: Vec<_> = persons
            .iter()
            .filter(|p| p.profile == "National_ELV")
            .collect();
        assert!(!pupils.is_empty());
        assert!(pupils.iter().all(|p| p.classes.len() == 1), "{pupils:?}");
        assert!(pupils.iter().any(|p| p.app_id("bcdi").is_some()));
        let parents: Vec<_> = persons
            .iter()
            .filter(|p| p.profile == "National_TUT")
            .collect();
        assert!(parents.iter().all(|p| !p.children.is_empty()));
        assert!(
            store
                .read(|c| super::persons_of(c, "9999999X"))
                .unwrap()
                .is_empty()
        );
    }
}

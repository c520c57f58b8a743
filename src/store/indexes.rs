//! The secondary indexes a first directory load drops and re-creates: building an index once from
//! the written rows is much faster than keeping it up to date row by row. Their SQL is recorded in
//! settings, so a load killed mid-way gets them back at the next `Store::open`.

use rusqlite::Transaction;

use super::{Result, StoreError, settings};

/// Settings key holding the SQL of the secondary indexes dropped for a first load.
const SUSPENDED_INDEXES: &str = "index.suspended_indexes";

/// Tables whose secondary (non-unique) indexes a first directory load drops and re-creates at the end:
/// building an index once from sorted rows is much faster than keeping it up to date row by row.
const BULK_INDEXED_TABLES: [&str; 3] = ["persons", "person_identifiers", "memberships"];

/// How indexes are built: sorted in runs of 2 MB written to temporary files, one run sorted by a
/// helper thread while the next is read, then merged (SQLite's external sorter). The connections sort
/// in memory otherwise (`CONNECTION_MEMORY`), where SQLite sorts all the keys at once on the calling
/// thread: for the 275,000 persons of the bench, the persons' six indexes took 1.7 s that way and
/// 1.1 s this way, and a full load 0.5–1 s less.
const BUILD_SORTER: &str =
    "PRAGMA threads = 1; PRAGMA cache_size = -2048; PRAGMA temp_store = FILE;";

/// Drops the secondary indexes of [`BULK_INDEXED_TABLES`] and records their SQL, in the caller's
/// transaction; an interrupted load gets them back at the next `Store::open`. Unique indexes stay (they
/// are rules the load relies on), except where [`suspend_unique_indexes_of`] says. Does nothing when
/// already suspended.
pub fn suspend_secondary_indexes_in(tx: &Transaction<'_>) -> Result<()> {
    if settings::get(tx, SUSPENDED_INDEXES)?.is_some() {
        return Ok(());
    }
    drop_and_record(tx, |index| {
        !index.unique
            && BULK_INDEXED_TABLES
                .iter()
                .any(|t| t.eq_ignore_ascii_case(index.table))
    })
}

/// Drops the unique indexes of `table` too, for a first load into a mirror with no directory rows
/// yet, and records their SQL with the others (in the caller's transaction). The load must then keep
/// their rules itself until they are back: the directory sync checks each new person's entryUUID and
/// eppn against those it has written ([`restore_unique_indexes_of`] as soon as one may repeat), and a
/// person written by anything else puts them back first (`persons::insert_with`).
pub fn suspend_unique_indexes_of(tx: &Transaction<'_>, table: &str) -> Result<()> {
    drop_and_record(tx, |index| {
        index.unique && index.table.eq_ignore_ascii_case(table)
    })
}

/// Re-creates the unique indexes of `table` that [`suspend_unique_indexes_of`] dropped, if any;
/// returns whether there were any. Fails, building nothing, when rows break their rule.
pub fn restore_unique_indexes_of(tx: &Transaction<'_>, table: &str) -> Result<bool> {
    restore_indexes(tx, |index| {
        index.unique && index.table.eq_ignore_ascii_case(table)
    })
}

/// Drops the indexes `pick` chooses (those made by a `CREATE INDEX` statement: not the automatic
/// ones) and adds their SQL to the suspended list, in the caller's transaction.
fn drop_and_record(tx: &Transaction<'_>, pick: impl Fn(&IndexSql<'_>) -> bool) -> Result<()> {
    // (name, statement) of each index picked.
    let indexes: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let all: Vec<String> = rows.collect::<std::result::Result<_, _>>()?;
        all.into_iter()
            .filter_map(|sql| {
                let name = IndexSql::parse(&sql).filter(|index| pick(index))?.name;
                Some((name.to_string(), sql))
            })
            .collect()
    };
    if indexes.is_empty() {
        return Ok(());
    }
    let mut saved = saved_statements(tx, SUSPENDED_INDEXES)?.unwrap_or_default();
    for (name, sql) in indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
        saved.push(sql);
    }
    save_statements(tx, SUSPENDED_INDEXES, &saved)
}

/// Records SQL statements to run later under a settings key (JSON list).
fn save_statements(tx: &Transaction<'_>, key: &str, sql: &[impl AsRef<str>]) -> Result<()> {
    let list: Vec<&str> = sql.iter().map(AsRef::as_ref).collect();
    let json = serde_json::to_string(&list).map_err(|e| StoreError::BadValue {
        column: "settings.value",
        value: e.to_string(),
    })?;
    settings::set(tx, key, &json)
}

/// The statements [`save_statements`] recorded under `key`, if any.
fn saved_statements(tx: &Transaction<'_>, key: &'static str) -> Result<Option<Vec<String>>> {
    let Some(json) = settings::get(tx, key)? else {
        return Ok(None);
    };
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|_| StoreError::BadValue {
            column: "settings.value",
            value: key.to_string(),
        })
}

/// Re-creates the indexes [`suspend_secondary_indexes_in`] dropped; returns whether there were any.
pub fn restore_secondary_indexes_in(tx: &Transaction<'_>) -> Result<bool> {
    restore_indexes(tx, |_| true)
}

/// Re-creates the suspended indexes of `tables` only, and keeps the others suspended: a first load
/// indexes the persons as soon as they are all written, while the groups are still being read.
pub fn restore_secondary_indexes_of(tx: &Transaction<'_>, tables: &[&str]) -> Result<bool> {
    restore_indexes(tx, |index| {
        tables.iter().any(|t| t.eq_ignore_ascii_case(index.table))
    })
}

fn restore_indexes(tx: &Transaction<'_>, now: impl Fn(&IndexSql<'_>) -> bool) -> Result<bool> {
    let Some(sql) = saved_statements(tx, SUSPENDED_INDEXES)? else {
        return Ok(false);
    };
    // A statement that does not parse (never written by this module) is run with the rest.
    let (restore, keep): (Vec<String>, Vec<String>) = sql
        .into_iter()
        .partition(|s| IndexSql::parse(s).is_none_or(|index| now(&index)));
    if !restore.is_empty() {
        tx.execute_batch(BUILD_SORTER)?;
        let built = restore.iter().try_for_each(|statement| {
            // A migration may have made it again meanwhile (V11 re-creates the persons' indexes).
            if index_exists(tx, statement)? {
                return Ok(());
            }
            let t = std::time::Instant::now();
            tx.execute_batch(statement)?;
            tracing::debug!(
                ms = t.elapsed().as_millis() as u64,
                statement,
                "index restored"
            );
            Ok::<_, StoreError>(())
        });
        let back = tx.execute_batch(super::CONNECTION_MEMORY);
        built?;
        back?;
    }
    if keep.is_empty() {
        tx.execute("DELETE FROM settings WHERE key = ?1", [SUSPENDED_INDEXES])?;
    } else {
        save_statements(tx, SUSPENDED_INDEXES, &keep)?;
    }
    Ok(!restore.is_empty())
}

/// Whether the index a `CREATE [UNIQUE] INDEX name ON …` statement makes exists already.
fn index_exists(tx: &Transaction<'_>, sql: &str) -> Result<bool> {
    let Some(index) = IndexSql::parse(sql) else {
        return Ok(false);
    };
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM main.sqlite_master WHERE type = 'index' AND name = ?1)",
        [index.name],
        |r| r.get(0),
    )?)
}

/// What this module needs from a `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table(…)` statement,
/// as SQLite keeps it in `sqlite_master`.
#[derive(Debug, PartialEq)]
struct IndexSql<'a> {
    unique: bool,
    name: &'a str,
    table: &'a str,
}

impl<'a> IndexSql<'a> {
    fn parse(sql: &'a str) -> Option<Self> {
        let mut rest = keyword(sql.trim_start(), "CREATE")?;
        let unique = match keyword(rest, "UNIQUE") {
            Some(after) => {
                rest = after;
                true
            }
            None => false,
        };
        rest = keyword(rest, "INDEX")?;
        if let Some(after) = keyword(rest, "IF NOT EXISTS") {
            rest = after;
        }
        let (name, rest) = identifier(rest)?;
        let (table, _) = identifier(keyword(rest, "ON")?)?;
        Some(Self {
            unique,
            name,
            table,
        })
    }
}

/// `text` after a leading `word` (any case) and the blanks that follow it.
fn keyword<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let head = text.get(..word.len())?;
    let rest = &text[word.len()..];
    (head.eq_ignore_ascii_case(word) && rest.starts_with(char::is_whitespace))
        .then(|| rest.trim_start())
}

/// A leading identifier, bare or in double quotes, and the text after it and its blanks.
fn identifier(text: &str) -> Option<(&str, &str)> {
    let (name, rest) = match text.strip_prefix('"') {
        Some(quoted) => {
            let end = quoted.find('"')?;
            (&quoted[..end], &quoted[end + 1..])
        }
        None => {
            let end = text
                .find(|c: char| c == '(' || c.is_whitespace())
                .unwrap_or(text.len());
            (&text[..end], &text[end..])
        }
    };
    (!name.is_empty()).then(|| (name, rest.trim_start()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, test_util};

    fn index_names(store: &Store) -> Vec<String> {
        store
            .read(|c| {
                let mut s = c.prepare(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
                )?;
                let rows = s.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<std::result::Result<_, _>>()?)
            })
            .unwrap()
    }

    #[test]
    fn unique_indexes_come_back_with_the_others_or_on_their_own() {
        let (store, _dir) = test_util::temp_store();
        let all = index_names(&store);
        store
            .write(|tx| {
                suspend_secondary_indexes_in(tx)?;
                suspend_unique_indexes_of(tx, "persons")
            })
            .unwrap();
        let suspended = index_names(&store);
        for gone in ["persons_entry_uuid", "persons_eppn", "persons_sort"] {
            assert!(!suspended.iter().any(|n| n == gone), "{gone} still there");
        }
        assert!(suspended.iter().any(|n| n == "groups_entry_uuid"));
        assert!(
            store
                .write(|tx| restore_unique_indexes_of(tx, "persons"))
                .unwrap()
        );
        let partly = index_names(&store);
        assert!(partly.iter().any(|n| n == "persons_eppn"));
        assert!(!partly.iter().any(|n| n == "persons_sort"));
        assert!(
            !store
                .write(|tx| restore_unique_indexes_of(tx, "persons"))
                .unwrap()
        );
        store
            .write(|tx| {
                suspend_unique_indexes_of(tx, "persons")?;
                restore_secondary_indexes_of(tx, &["persons", "person_identifiers"])
            })
            .unwrap();
        let persons_back = index_names(&store);
        assert!(persons_back.iter().any(|n| n == "persons_entry_uuid"));
        assert!(store.write(restore_secondary_indexes_in).unwrap());
        assert_eq!(index_names(&store), all);
    }

    #[test]
    fn index_statements_give_their_name_table_and_uniqueness() {
        let index = |unique, name, table| IndexSql {
            unique,
            name,
            table,
        };
        let cases = [
            (
                "CREATE UNIQUE INDEX IF NOT EXISTS \"a b\" ON t(x)",
                index(true, "a b", "t"),
            ),
            (
                "create unique index persons_eppn on persons(eppn)",
                index(true, "persons_eppn", "persons"),
            ),
            (
                "CREATE INDEX x ON \"persons\"(a, b)",
                index(false, "x", "persons"),
            ),
            (
                "create index x on memberships (person_id)",
                index(false, "x", "memberships"),
            ),
            (
                "CREATE INDEX uniquely ON t(x)",
                index(false, "uniquely", "t"),
            ),
        ];
        for (sql, expected) in cases {
            assert_eq!(IndexSql::parse(sql), Some(expected), "{sql}");
        }
        for bad in [
            "",
            "CREATE TABLE t(x)",
            "CREATE INDEX",
            "CREATE INDEX \"x ON t(a)",
            "CREATEINDEX x ON t(a)",
        ] {
            assert_eq!(IndexSql::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn suspended_indexes_come_back_table_by_table_and_at_the_next_open() {
        let (store, _dir) = test_util::temp_store();
        let all = index_names(&store);
        store.write(suspend_secondary_indexes_in).unwrap();
        let suspended = index_names(&store);
        for gone in [
            "persons_sort",
            "persons_dn_key",
            "person_identifiers_value",
            "memberships_person",
        ] {
            assert!(!suspended.iter().any(|n| n == gone), "{gone} still there");
        }
        let persons = ["persons", "person_identifiers"];
        assert!(
            store
                .write(|tx| restore_secondary_indexes_of(tx, &persons))
                .unwrap()
        );
        let partly = index_names(&store);
        assert!(partly.iter().any(|n| n == "persons_sort"));
        assert!(partly.iter().any(|n| n == "person_identifiers_value"));
        assert!(!partly.iter().any(|n| n == "memberships_person"));
        // The connection sorts in memory again once the indexes are built.
        let settings: (i64, i64, i64) = store
            .write(|tx| {
                Ok(tx.query_row(
                    "SELECT (SELECT cache_size FROM pragma_cache_size),
                            (SELECT temp_store FROM pragma_temp_store),
                            (SELECT threads FROM pragma_threads)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?)
            })
            .unwrap();
        assert_eq!(settings, (-32768, 2, 0));
        // Nothing more of those tables to restore; the rest comes back when the store opens again
        // (an interrupted load).
        assert!(
            !store
                .write(|tx| restore_secondary_indexes_of(tx, &["persons"]))
                .unwrap()
        );
        let path = store.path().to_path_buf();
        drop(store);
        let again = Store::open(&path).unwrap();
        assert_eq!(index_names(&again), all);
        assert!(!again.write(restore_secondary_indexes_in).unwrap());
    }
}

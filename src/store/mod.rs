//! The local store: one SQLite file (WAL), migrations, one writer connection and one reader connection.
//!
//! Every write goes through [`Store::write`], which runs a closure inside one transaction on the single
//! writer connection; reads from the GUI and the CLI go through [`Store::read`] on a read-only connection,
//! so a long write never blocks a search. One file per aggregate holds the SQL for it.

pub mod audit;
pub mod campaign;
pub mod cards;
pub mod checkpoint;
pub mod counts;
pub mod due_dates;
pub mod encoding;
pub mod group_tree;
pub mod groups;
pub mod guests;
mod indexes;
pub mod library;
pub mod mirror;
pub mod outbox;
pub mod persons;
pub mod photos;
pub mod prints;
pub mod remote;
pub mod school;
pub mod search;
pub mod settings;
pub mod side_index;
pub mod siecle;
pub mod structures;
pub mod sync_state;

pub use indexes::{
    restore_secondary_indexes_in, restore_secondary_indexes_of, restore_unique_indexes_of,
    suspend_secondary_indexes_in, suspend_unique_indexes_of,
};

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OpenFlags, Transaction};

use crate::domain::card::CardError;
use crate::domain::names;

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The store's errors. Shown to users through `ui_text::store_error`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot open the database {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("{kind} {id} not found")]
    NotFound { kind: &'static str, id: i64 },
    #[error(transparent)]
    Card(#[from] CardError),
    #[error("chip serial number {csn} already belongs to card {card_id}")]
    CsnInUse { csn: String, card_id: i64 },
    #[error("unexpected value in column {column}: {value:?}")]
    BadValue { column: &'static str, value: String },
    #[error("the database is busy in another thread")]
    Poisoned,
    #[error("the photo of card {card} cannot change in state {state}")]
    PhotoLocked {
        card: i64,
        state: crate::domain::card::CardState,
    },
}

pub type Result<T> = std::result::Result<T, StoreError>;

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
}

/// Handle to the local store; cheap to clone and to send to other threads.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.inner.path)
            .finish()
    }
}

/// SQLite's process-wide settings, made once before the first connection (SQLite takes them only
/// before it initialises). Memory statistics off: with them, every allocation SQLite makes takes one
/// process-wide lock to count itself, and during a directory load the writer, the search index thread
/// and the checkpoints allocate at once and wait on each other for it (the writer's profile showed
/// `futex` calls under `sqlite3Malloc`). Guichet reads no SQLite memory statistic.
fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: `sqlite3_config` with an option that takes one int, called once, before this process
        // opens any connection (`Store::open` is the first to). Refused (SQLITE_MISUSE, nothing changed)
        // if SQLite is already initialised, which only costs the lock.
        let rc = unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            )
        };
        if rc != rusqlite::ffi::SQLITE_OK {
            tracing::debug!(rc, "SQLite memory statistics left on");
        }
    });
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        configure_sqlite();
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        }
        let open_writer = || -> Result<Connection> {
            let conn = Connection::open(path).map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
            configure(&conn)?;
            conn.pragma_update(None, "page_size", PAGE_SIZE)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            Ok(conn)
        };
        // The migrations get a connection of their own: a table rename opens the connection's
        // temporary database, after which SQLite refuses to change where it sorts within a
        // transaction (`indexes` does, to build indexes).
        migrate(&mut open_writer()?)?;
        let writer = open_writer()?;
        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        configure(&reader)?;
        let store = Store {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                writer: Mutex::new(writer),
                reader: Mutex::new(reader),
            }),
        };
        store.recover_first_load()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` in one write transaction on the single writer connection; commits if `f` succeeds.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.inner.writer.lock().map_err(|_| StoreError::Poisoned)?;
        commit(&mut conn, f)
    }

    /// Like [`Store::write`] with foreign keys unchecked in this one transaction (SQLite only turns them
    /// off outside a transaction). Only for rows whose references the caller has just read from this
    /// database: a first directory load's million memberships would otherwise each look up their group
    /// and their person.
    pub fn write_unchecked<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.inner.writer.lock().map_err(|_| StoreError::Poisoned)?;
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        let out = commit(&mut conn, f);
        let back = conn.pragma_update(None, "foreign_keys", "ON");
        let out = out?;
        back?;
        Ok(out)
    }

    /// Runs `f` in a write transaction that is always rolled back: what a change would do (its
    /// report), with nothing written.
    pub fn dry_run<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.inner.writer.lock().map_err(|_| StoreError::Poisoned)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&tx);
        tx.rollback()?;
        out
    }

    /// Like [`Store::write`], without the search index triggers in this transaction (they are dropped
    /// at its start and re-created before its commit, so every other transaction has them): `f` indexes
    /// every person whose search document it changes itself, with [`search::index_persons`]. A
    /// directory sync's batches do so, once per person and range by range, instead of once per changed
    /// row and identifier; without triggers, SQLite also needs no statement journal for their inserts.
    pub fn write_self_indexed<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write(|tx| {
            let triggers = search::suspend_index(tx)?;
            let out = f(tx)?;
            search::restore_triggers(tx, &triggers)?;
            Ok(out)
        })
    }

    /// Like [`Store::write`], for loading many rows at once: the search index triggers are suspended for
    /// the duration and the index is rebuilt once before the commit. Still one transaction: on error
    /// nothing is applied and the triggers are back as they were.
    pub fn write_bulk<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let out = self.write_self_indexed(|tx| {
            let out = f(tx)?;
            search::rebuild_index(tx)?;
            Ok(out)
        })?;
        // A bulk load leaves a write-ahead log as large as the data; fold it into the database now so
        // the next start does not have to read it back.
        self.checkpoint()?;
        Ok(out)
    }

    /// Puts back what a first directory load stopped mid-way (error, cancel, killed process) leaves
    /// undone: its dropped secondary indexes and a search index not copied in yet. Nothing to do after
    /// a load that finished. Called by `Store::open` and at the end of every sync.
    pub fn recover_first_load(&self) -> Result<()> {
        self.restore_secondary_indexes()?;
        self.repair_search_index()?;
        Ok(())
    }

    /// Re-creates the secondary indexes an interrupted first directory load left dropped, and folds
    /// the WAL back. Returns whether there were any.
    pub fn restore_secondary_indexes(&self) -> Result<bool> {
        let resumed = self.write(restore_secondary_indexes_in)?;
        if resumed {
            self.checkpoint()?;
        }
        Ok(resumed)
    }

    /// Folds the write-ahead log back into the database file.
    pub fn checkpoint(&self) -> Result<()> {
        let conn = self.inner.writer.lock().map_err(|_| StoreError::Poisoned)?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Runs `f` on the read-only connection.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.inner.reader.lock().map_err(|_| StoreError::Poisoned)?;
        f(&conn)
    }
}

/// Page size of a new database file, in bytes (SQLite's default is 4096). Only a new file takes it: an
/// existing one keeps the size it was made with (a database in WAL mode cannot change it). With fewer,
/// larger pages a first directory load of 275,000 persons writes a quarter as many log frames and
/// splits fewer B-tree pages: the load's writer used 0.3–0.6 s less CPU and the load took 5.66 s
/// against 5.92 s (alternated runs); the desk window lists the directory sooner (first frame 860 ms
/// against 960 ms), and a counter search reads larger pages (p50 0.63 ms against 0.50 ms, p99 2.3 ms
/// against 2.2 ms; the goal is 10 ms). BENCHMARKS.md has the current figures.
const PAGE_SIZE: i64 = 16384;

/// Page cache and temporary storage of every connection (32 MB; sorts and temporary tables in
/// memory). `indexes` changes them for the time it builds indexes, and puts these back.
pub(crate) const CONNECTION_MEMORY: &str =
    "PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY; PRAGMA threads = 0;";

/// Brings the schema up to date. Foreign keys are off meanwhile (SQLite only turns them off outside a
/// transaction): a migration that rebuilds a table drops the old one, which with them on would delete
/// every row that refers to it (V11). Every reference is checked once the migrations are done; a
/// broken one is logged (the migrations are committed by then: refusing to open would not undo them).
fn migrate(conn: &mut Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let run = embedded::migrations::runner()
        .run(conn)
        .map_err(|e| StoreError::Migration(e.to_string()));
    let back = conn.pragma_update(None, "foreign_keys", "ON");
    run?;
    back?;
    let broken: Vec<String> = {
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    if let Some(table) = broken.first() {
        tracing::error!(
            rows = broken.len(),
            table,
            "rows refer to missing rows after the migrations"
        );
    }
    Ok(())
}

/// One immediate write transaction on `conn`, committed if `f` succeeds.
fn commit<T>(conn: &mut Connection, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 64;

/// Connection settings shared by the writer and the reader, and the SQL functions the schema uses
/// (`fold_text`, `compact_ids`: the same folding as everywhere else, from `domain::names`).
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    // More statements than rusqlite's default 16: a sync's group batches cycle through about twenty,
    // and with 16 each group prepared its statements again (half the time of writing the groups).
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(CONNECTION_MEMORY)?;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("fold_text", 1, flags, |ctx| {
        let s: Option<String> = ctx.get(0)?;
        Ok(s.map(|s| names::fold(&s)))
    })?;
    conn.create_scalar_function("compact_ids", -1, flags, |ctx| {
        let mut out = String::new();
        for i in 0..ctx.len() {
            let v: Option<String> = ctx.get(i)?;
            if let Some(v) = v {
                search::push_id_tokens(&mut out, &v);
            }
        }
        Ok(out)
    })?;
    Ok(())
}

/// Timestamps are stored as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn ts(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn parse_ts(column: &'static str, s: &str) -> Result<Timestamp> {
    s.parse().map_err(|_| StoreError::BadValue {
        column,
        value: s.to_string(),
    })
}

pub fn parse_date(column: &'static str, s: &str) -> Result<Date> {
    s.parse().map_err(|_| StoreError::BadValue {
        column,
        value: s.to_string(),
    })
}

#[cfg(test)]
pub(crate) mod test_util {
    use super::Store;

    /// A fresh store in a temporary directory (kept alive by the returned guard).
    pub fn temp_store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("guichet.db")).unwrap();
        (store, dir)
    }

    /// A student (eppn `hdupre@univ.example`) with one card in `NEW`; returns the card id.
    pub fn person_with_card(store: &Store, now: jiff::Timestamp) -> crate::domain::card::CardId {
        use crate::domain::card::Actor;
        use crate::domain::person::PersonRecord;
        let person = store
            .write(|tx| {
                let rec = PersonRecord {
                    eppn: Some("hdupre@univ.example".into()),
                    surname: "Dupré".into(),
                    given_name: "Hélène".into(),
                    affiliation: "student".into(),
                    editable: true,
                    source: "test".into(),
                    ..Default::default()
                };
                super::persons::insert(tx, &rec, now)
            })
            .unwrap();
        store
            .request_card(
                person,
                &Actor::Operator("alice".into()),
                None,
                &super::cards::CardOptions::default(),
                now,
            )
            .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_persons_rebuild_keeps_every_row_and_what_refers_to_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("guichet.db");
        // A store as version 10 left it, with a person, an identifier and a link that refer to it.
        {
            let mut conn = Connection::open(&path).unwrap();
            configure(&conn).unwrap();
            conn.pragma_update(None, "journal_mode", "WAL").unwrap();
            embedded::migrations::runner()
                .set_target(refinery::Target::Version(10))
                .run(&mut conn)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO persons (id, entry_uuid, eppn, surname, given_name, display_name,
                     affiliation, folded_surname, folded_given, sort_key, source, created_at, updated_at)
                 VALUES (7, 'u7', 'kerhervé@x', 'Kerhervé', 'Anne', 'Kerhervé Anne', 'student',
                         'kerherve', 'anne', 'kerherve anne', 'ldap', '', ''),
                        (8, NULL, NULL, 'Le Goff', 'Yann', 'Le Goff Yann', 'parent',
                         'le goff', 'yann', 'le goff yann', 'local', '', '');
                 INSERT INTO person_identifiers (person_id, kind, value) VALUES (7, 'etu', '2501');
                 INSERT INTO person_links (person_id, related_id, kind) VALUES (8, 7, 'pupil');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let counts: (i64, i64, i64, i64) = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT COUNT(*) FROM persons), (SELECT COUNT(*) FROM person_identifiers),
                            (SELECT COUNT(*) FROM person_links),
                            (SELECT COUNT(*) FROM pragma_foreign_key_check)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?)
            })
            .unwrap();
        assert_eq!(counts, (2, 1, 1, 0));
        // An existing file keeps its page size.
        let page: i64 = store
            .read(|c| Ok(c.query_row("PRAGMA page_size", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(page, 4096);
        // The search index and its triggers are there, the uniqueness rules hold, the references too.
        let found = store
            .read(|c| search::search_ids(c, "kerherve", 5))
            .unwrap();
        assert_eq!(found, [7]);
        store
            .write(|tx| {
                tx.execute(
                    "UPDATE persons SET surname = 'Kerhervé-Morvan', folded_surname = 'kerherve morvan'
                      WHERE id = 7",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        let found = store.read(|c| search::search_ids(c, "morvan", 5)).unwrap();
        assert_eq!(found, [7]);
        let copy = store.write(|tx| {
            tx.execute(
                "INSERT INTO persons (eppn, surname, given_name, display_name, affiliation,
                     folded_surname, folded_given, sort_key, source, created_at, updated_at)
                 SELECT eppn, 'X', 'Y', 'X Y', 'student', 'x', 'y', 'x y', 'local', '', ''
                   FROM persons WHERE id = 7",
                [],
            )?;
            Ok(())
        });
        assert!(copy.is_err(), "the eppn is unique");
        let orphan = store.write(|tx| {
            tx.execute(
                "INSERT INTO person_identifiers (person_id, kind, value) VALUES (99, 'etu', '1')",
                [],
            )?;
            Ok(())
        });
        assert!(orphan.is_err(), "foreign keys are on again");
    }

    #[test]
    fn migrations_create_every_table_from_an_empty_file_and_reopen_cleanly() {
        let (store, dir) = test_util::temp_store();
        let tables: Vec<String> = store
            .read(|c| {
                let mut stmt = c.prepare(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name",
                )?;
                let rows = stmt.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<std::result::Result<_, _>>()?)
            })
            .unwrap();
        for t in [
            "audit_log",
            "card_events",
            "cards",
            "groups",
            "memberships",
            "outbox",
            "person_fts",
            "person_ids_fts",
            "person_identifiers",
            "person_links",
            "person_search_doc",
            "persons",
            "photo_blobs",
            "photos",
            "print_jobs",
            "settings",
            "structures",
            "sync_state",
        ] {
            assert!(tables.iter().any(|x| x == t), "missing {t} in {tables:?}");
        }
        let mode: String = store
            .read(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(mode, "wal");
        let page: i64 = store
            .read(|c| Ok(c.query_row("PRAGMA page_size", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(page, PAGE_SIZE, "a new database takes the larger pages");
        let fk: i64 = store
            .read(|c| Ok(c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(fk, 1);
        let path = store.path().to_path_buf();
        drop(store);
        let again = Store::open(&path).unwrap();
        let applied: i64 = again
            .read(|c| {
                Ok(
                    c.query_row("SELECT COUNT(*) FROM refinery_schema_history", [], |r| {
                        r.get(0)
                    })?,
                )
            })
            .unwrap();
        let known = embedded::migrations::runner().get_migrations().len() as i64;
        assert_eq!(applied, known, "every migration applied once");
        drop(dir);
    }

    fn count_triggers(store: &Store) -> i64 {
        store
            .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fts%'", [], |r| r.get(0))?))
            .unwrap()
    }

    #[test]
    fn bulk_writes_rebuild_the_index_once_and_keep_the_triggers() {
        use crate::domain::person::PersonRecord;
        let (store, _dir) = test_util::temp_store();
        let triggers = count_triggers(&store);
        assert_eq!(triggers, 7);
        let rec = |s: &str| PersonRecord {
            surname: s.into(),
            given_name: "Zoé".into(),
            affiliation: "student".into(),
            source: "test".into(),
            ..Default::default()
        };
        store
            .write_bulk(|tx| {
                persons::insert(tx, &rec("Lœwy"), jiff::Timestamp::now())?;
                persons::insert(tx, &rec("Œuvray"), jiff::Timestamp::now())
            })
            .unwrap();
        assert_eq!(count_triggers(&store), triggers);
        let wal = store.path().with_extension("db-wal");
        let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        assert_eq!(wal_len, 0, "write-ahead log folded in");
        assert_eq!(
            store.read(|c| search::search(c, "loewy", 5)).unwrap().len(),
            1
        );
        // After the bulk load, ordinary writes are indexed by the triggers again.
        store
            .write(|tx| persons::insert(tx, &rec("Lefèvre"), jiff::Timestamp::now()))
            .unwrap();
        assert_eq!(
            store
                .read(|c| search::search(c, "lefevre zoe", 5))
                .unwrap()
                .len(),
            1
        );
        // A failing bulk load applies nothing and leaves the triggers in place.
        let err = store.write_bulk(|tx| {
            persons::insert(tx, &rec("Dupré"), jiff::Timestamp::now())?;
            Err::<(), _>(StoreError::NotFound {
                kind: "test",
                id: 0,
            })
        });
        assert!(err.is_err());
        assert_eq!(count_triggers(&store), triggers);
        assert!(
            store
                .read(|c| search::search(c, "dupre", 5))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn an_unchecked_write_skips_foreign_keys_for_its_own_transaction_only() {
        let (store, _dir) = test_util::temp_store();
        let dangling =
            "INSERT INTO memberships (group_id, person_id, origin) VALUES (424242, 434343, 1)";
        assert!(store.write(|tx| Ok(tx.execute(dangling, [])?)).is_err());
        store
            .write_unchecked(|tx| Ok(tx.execute(dangling, [])?))
            .unwrap();
        let fk: i64 = store
            .write(|tx| Ok(tx.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(fk, 1, "checks are back for the next transaction");
        // Also after a failed unchecked transaction.
        let failed: Result<()> = store.write_unchecked(|_| Err(StoreError::Poisoned));
        assert!(failed.is_err());
        assert!(
            store
                .write(|tx| Ok(tx.execute(dangling.replace("424242", "1").as_str(), [])?))
                .is_err()
        );
    }

    #[test]
    fn the_reader_cannot_write() {
        let (store, _dir) = test_util::temp_store();
        let err = store
            .read(|c| Ok(c.execute("INSERT INTO settings (key, value) VALUES ('a', 'b')", [])?));
        assert!(err.is_err());
    }
}

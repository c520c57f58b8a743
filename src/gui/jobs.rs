//! Blocking work requested by the screens, run off the GUI thread. Each job returns one message; tests
//! run the same function synchronously, so what the window does and what the tests check is one path.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{Config, Paths};
use crate::demo::{self, DemoOptions};
use crate::domain::card::{Actor, CardId, CardState, PersonId, Request};
use crate::gui::dir_jobs::{self, DirDone, DirJob};
use crate::gui::enc_jobs::{self, EncDone, EncJob};
use crate::gui::imports_jobs::{self, ImportsDone, ImportsJob};
use crate::gui::library_jobs::{self, LibraryDone, LibraryJob};
use crate::gui::prod_jobs::{self, ProdDone, ProdJob};
use crate::gui::queue_jobs::{self, QueueDone, QueueJob};
use crate::store::counts::Counts;
use crate::store::persons::{PersonDetail, PersonRow};
use crate::store::{Store, cards, counts, group_tree, persons, search};
use crate::ui_text;

/// What the window needs to reach: the store, where the settings live, and the settings themselves.
#[derive(Debug, Clone)]
pub struct Services {
    pub store: Store,
    pub config_file: PathBuf,
    pub config: Config,
    /// The database file did not exist before this run: the demo institution is loaded.
    pub fresh: bool,
}

impl Services {
    pub fn open(paths: Paths, config: Config) -> Result<Services, String> {
        let db = paths.database();
        let fresh = !db.exists();
        let store = Store::open(&db).map_err(|e| ui_text::store_error(&e))?;
        Ok(Services {
            store,
            config_file: paths.config_file,
            config,
            fresh,
        })
    }

    /// The data folder: where the database lives, with the installation's templates.
    pub fn data_dir(&self) -> PathBuf {
        self.store
            .path()
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default()
    }

    pub fn actor(&self) -> Actor {
        Actor::Operator(self.config.operator())
    }
}

/// A person with the transitions offered for each card, ready to display.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub detail: PersonDetail,
    pub offered: Vec<(CardId, Vec<CardState>)>,
    /// Member count of each of the person's groups, by group id.
    pub group_members: Vec<(i64, u64)>,
    /// The latest print job of each card that was sent to print.
    pub print_jobs: Vec<crate::store::prints::PrintJobRow>,
    /// The CROUS tariff line (société, tarif and the rule), when CROUS is on.
    pub crous_tariff: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Job {
    /// First run: fill an empty new database with the demo institution.
    Startup,
    Counts,
    Search {
        seq: u64,
        query: String,
        limit: usize,
    },
    Directory,
    Rows(Vec<PersonId>),
    Person(PersonId),
    RequestCard(PersonId),
    /// Records a person the directory does not hold (the Desk's form).
    CaptureGuest(Box<crate::store::guests::GuestInput>),
    Transition {
        person: PersonId,
        card: CardId,
        to: CardState,
        request: Request,
    },
    SaveConfig(Box<Config>),
    /// Directory settings, sync status and groups (`dir_jobs.rs`).
    Dir(DirJob),
    /// Photos, previews, campaigns, printers and templates (`prod_jobs.rs`).
    Prod(ProdJob),
    /// Encoding profile, keys and the batch scan (`enc_jobs.rs`).
    Enc(EncJob),
    /// The outbox, the managers' tools, Settings → Services (`queue_jobs.rs`).
    Queue(QueueJob),
    /// The Library screen's establishments, files, plan and outputs (`library_jobs.rs`).
    Library(LibraryJob),
    /// The Imports screen's school files (`imports_jobs.rs`).
    Imports(ImportsJob),
}

/// The result of a job, as a message for the window.
#[derive(Debug, Clone)]
pub enum Done {
    Started {
        demo_loaded: Option<usize>,
    },
    Counts(Counts),
    Searched {
        seq: u64,
        ids: Vec<PersonId>,
    },
    Directory(Arc<Vec<PersonId>>),
    Rows(Vec<PersonRow>),
    Person(Box<PersonView>),
    CardChanged {
        person: PersonId,
        message: String,
    },
    /// The person recorded by the Desk's form and the message, or why not.
    Captured(Result<(PersonId, String), String>),
    ConfigSaved,
    Failed(String),
    Dir(DirDone),
    Prod(ProdDone),
    Enc(EncDone),
    Queue(QueueDone),
    Library(LibraryDone),
    Imports(ImportsDone),
}

/// Runs a job to completion (blocking).
pub fn perform(services: &Services, job: Job) -> Done {
    let now = jiff::Timestamp::now();
    let store = &services.store;
    let fail = |e: crate::store::StoreError| Done::Failed(ui_text::store_error(&e));
    match job {
        Job::Startup => {
            let empty = match store.read(counts::counts) {
                Ok(c) => c.persons == 0,
                Err(e) => return fail(e),
            };
            if services.fresh && empty {
                match demo::generate(store, &DemoOptions::default(), now) {
                    Ok(summary) => Done::Started {
                        demo_loaded: Some(summary.persons),
                    },
                    Err(e) => fail(e),
                }
            } else {
                Done::Started { demo_loaded: None }
            }
        }
        Job::Counts => store
            .read(counts::counts)
            .map(Done::Counts)
            .unwrap_or_else(fail),
        Job::Search { seq, query, limit } => store
            .read(|c| search::search_ids(c, &query, limit))
            .map(|ids| Done::Searched { seq, ids })
            .unwrap_or_else(fail),
        Job::Directory => store
            .read(persons::all_sorted_ids)
            .map(|ids| Done::Directory(Arc::new(ids)))
            .unwrap_or_else(fail),
        Job::Rows(ids) => store
            .read(|c| persons::rows(c, &ids))
            .map(Done::Rows)
            .unwrap_or_else(fail),
        Job::Person(id) => load_person(services, id, now),
        Job::CaptureGuest(input) => {
            let sdet = services.config.sdet.clone();
            Done::Captured(
                match store.write(|tx| Ok(crate::store::guests::capture(tx, &input, &sdet, now))) {
                    Ok(Ok(c)) => Ok((c.person_id, ui_text::captured(&c))),
                    Ok(Err(e)) => Err(ui_text::guest_error(&e)),
                    Err(e) => Err(ui_text::store_error(&e)),
                },
            )
        }
        Job::RequestCard(person) => {
            match store.request_card(
                person,
                &services.actor(),
                None,
                &services.config.card_options(),
                now,
            ) {
                Ok(card) => Done::CardChanged {
                    person,
                    message: crate::fl!("desk-card-requested", card = card),
                },
                Err(e) => fail(e),
            }
        }
        Job::Transition {
            person,
            card,
            to,
            request,
        } => {
            match store.transition_card(
                card,
                to,
                &services.actor(),
                &request,
                &services.config.card_options(),
                now,
            ) {
                Ok((_, created)) => {
                    let message = match created {
                        Some(new) => crate::fl!("cli-card-renewal-created", card = new),
                        None => crate::fl!("desk-card-moved", card = card, to = ui_text::state(to)),
                    };
                    Done::CardChanged { person, message }
                }
                Err(e) => fail(e),
            }
        }
        Job::SaveConfig(config) => match config.save(&services.config_file) {
            Ok(()) => Done::ConfigSaved,
            Err(e) => Done::Failed(ui_text::config_error(&e)),
        },
        Job::Dir(job) => dir_jobs::perform(services, job),
        Job::Prod(job) => prod_jobs::perform(services, job),
        Job::Enc(job) => enc_jobs::perform(services, job),
        Job::Queue(job) => queue_jobs::perform(services, job),
        Job::Library(job) => Done::Library(library_jobs::perform(services, job)),
        Job::Imports(job) => imports_jobs::perform(services, job),
    }
}

fn load_person(services: &Services, id: PersonId, now: jiff::Timestamp) -> Done {
    let actor = services.actor();
    let res = services.store.read(|c| {
        let detail = persons::detail(c, id)?;
        let mut offered = Vec::with_capacity(detail.cards.len());
        for card in &detail.cards {
            offered.push((card.id, cards::offered(c, card, &actor, now)?));
        }
        let ids: Vec<i64> = detail.groups.iter().map(|g| g.id).collect();
        let group_members = group_tree::member_counts(c, &ids)?;
        let mut print_jobs = Vec::new();
        for card in &detail.cards {
            if let Some(j) = crate::store::prints::latest(c, card.id)? {
                print_jobs.push(j);
            }
        }
        let crous_tariff = match services.config.crous.enabled {
            true => Some(queue_jobs::tariff_line(c, id)?),
            false => None,
        };
        Ok(PersonView {
            detail,
            offered,
            group_members,
            print_jobs,
            crous_tariff,
        })
    });
    match res {
        Ok(v) => Done::Person(Box::new(v)),
        Err(e) => Done::Failed(ui_text::store_error(&e)),
    }
}

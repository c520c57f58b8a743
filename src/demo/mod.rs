//! The demo institution: a deterministic synthetic university (Université de Brocéliande) and
//! secondary school (Lycée Anne de Bretagne) with persons, groups, photos and cards in every state,
//! written through the store's own functions so that the data obeys the same rules as real data.
//!
//! The same seed and person count always give the same persons, groups and card histories; `now`
//! only moves the dates (histories spread over the three years before it, due dates follow its
//! academic year). Everything is written in one transaction (nothing is left half-written), generated
//! in batches of [`BATCH`] persons so that memory stays flat for large counts, and the search index
//! is built once at the end (`Store::write_bulk`).
//!
//! Fixed persons, always present (university students, created first): Hélène Dupré (a `NEW`
//! request, no enabled card), Jérôme Lefèvre (enabled card with CSN `04A1B2C3D4E5F6`),
//! Jean-Pierre de La Fontaine, Zoé Œuvray, and two homonyms Jean Dupont (`jean.dupont@…`,
//! `jean.dupont2@…`). At the school: the pupil Zoé Lœwy, the teacher Anne-Cécile d'Artagnan and
//! exactly one documentaliste.

mod cards;
mod desk;
pub(crate) mod names;
pub(crate) mod people;
pub mod portrait;
pub(crate) mod rng;
mod school;
mod university;

use jiff::Timestamp;
use rusqlite::Connection;

use crate::store::{Store, StoreError, photos, settings};
use people::World;
use school::School;
use university::University;

pub use cards::FIXED_CSN;
pub use school::{STEM as SCHOOL_GROUP_STEM, UAI as SCHOOL_UAI};
pub use university::UAI as UNIVERSITY_UAI;

/// Persons generated per batch.
pub const BATCH: usize = 2_500;
/// Share of the persons that belong to the school, and its maximum size.
const SCHOOL_SHARE: f64 = 0.3;
const SCHOOL_MAX: usize = 4_000;
/// Smallest school: the documentaliste, a teacher, a pupil and a parent.
const SCHOOL_MIN: usize = 4;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// How many persons, university and school together (at least the fixed persons are written).
    pub persons: usize,
    /// The same seed gives the same institution.
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> DemoOptions {
        DemoOptions {
            persons: 2_000,
            seed: 1,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DemoSummary {
    pub persons: usize,
    pub structures: usize,
    pub groups: usize,
    pub memberships: usize,
    pub cards: usize,
    /// Photos attached to persons (the JPEG blobs themselves are a shared pool of portraits).
    pub photos: usize,
}

/// Fills an empty database with the demo institution. `now` anchors every generated date: card
/// histories spread over the three years before it, due dates follow its academic year.
///
/// Fails with `StoreError::BadValue { column: "persons", .. }` when the database already has persons.
pub fn generate(
    store: &Store,
    opts: &DemoOptions,
    now: Timestamp,
) -> Result<DemoSummary, StoreError> {
    store.read(ensure_empty)?;
    let jpegs =
        portrait::pool(opts.seed, pool_size(opts.persons)).map_err(|e| StoreError::BadValue {
            column: "photo_blobs.jpeg",
            value: e.to_string(),
        })?;
    let school_budget =
        ((opts.persons as f64 * SCHOOL_SHARE).round() as usize).clamp(SCHOOL_MIN, SCHOOL_MAX);
    let university_budget = opts
        .persons
        .saturating_sub(school_budget)
        .max(university::fixed_count());
    // One transaction for the whole institution, with the search index rebuilt once at the end: a
    // failure leaves the database empty, and 275,000 persons load in one pass.
    let generator = store.write_bulk(|tx| {
        ensure_empty(tx)?;
        settings::set(tx, "demo.seed", &opts.seed.to_string())?;
        settings::set(tx, "demo.persons", &opts.persons.to_string())?;
        let mut blobs = Vec::with_capacity(jpegs.len());
        for jpeg in &jpegs {
            blobs.push(photos::put_blob(
                tx,
                jpeg,
                portrait::WIDTH,
                portrait::HEIGHT,
            )?);
        }
        let mut world = World::new(opts.seed, now, blobs);
        let university = University::setup(tx, &mut world)?;
        let school = School::setup(tx, &mut world, school_budget)?;
        let mut generator = Generator {
            world,
            university,
            school,
            phase: Phase::Fixed(0),
            university_left: university_budget - university::fixed_count(),
        };
        while generator.batch(tx, BATCH)? {
            tracing::debug!(
                persons = generator.world.summary.persons,
                "demo batch written"
            );
        }
        Ok(generator)
    })?;
    tracing::info!(?generator.world.summary, "demo institution generated");
    Ok(generator.world.summary)
}

/// How many distinct portraits to draw: enough for variety, few enough to stay fast (drawing and
/// JPEG encoding cost about 3 ms each in release builds, ten times more in debug builds).
fn pool_size(persons: usize) -> usize {
    (persons / 64).clamp(64, 256)
}

fn ensure_empty(conn: &Connection) -> Result<(), StoreError> {
    if crate::store::counts::counts(conn)?.persons > 0 {
        return Err(StoreError::BadValue {
            column: "persons",
            value: "database is not empty".into(),
        });
    }
    Ok(())
}

/// Where the generator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The fixed university persons, by index.
    Fixed(usize),
    School,
    University,
    Done,
}

struct Generator {
    world: World,
    university: University,
    school: School,
    phase: Phase,
    university_left: usize,
}

impl Generator {
    /// Writes about `size` persons (families are never split); `false` once everything is written.
    fn batch(&mut self, tx: &rusqlite::Transaction<'_>, size: usize) -> Result<bool, StoreError> {
        let target = self.world.summary.persons + size;
        while self.world.summary.persons < target {
            match self.phase {
                Phase::Fixed(i) if i < university::fixed_count() => {
                    self.university.fixed(tx, &mut self.world, i)?;
                    self.phase = Phase::Fixed(i + 1);
                }
                Phase::Fixed(_) => self.phase = Phase::School,
                Phase::School => {
                    if !self.school.step(tx, &mut self.world)? {
                        self.phase = Phase::University;
                    }
                }
                Phase::University if self.university_left > 0 => {
                    self.university.random(tx, &mut self.world)?;
                    self.university_left -= 1;
                }
                Phase::University => self.phase = Phase::Done,
                Phase::Done => return Ok(false),
            }
        }
        Ok(true)
    }
}

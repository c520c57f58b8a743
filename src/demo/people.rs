//! The generator's shared state: the random stream, name sampling, unique logins and identifiers,
//! dates, and the store calls every population uses (persons, memberships, photos, cards), counted
//! into the summary.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rusqlite::Transaction;

use super::DemoSummary;
use super::cards::{self, CardIds, Holder, Story};
use super::names::{FEMALE, Given, MALE, SURNAMES};
use super::rng::{Rng, Weighted, mix64, scatter};
use crate::domain::card::PersonId;
use crate::domain::group::GroupRecord;
use crate::domain::names::fold;
use crate::domain::person::{IdKind, PersonRecord};
use crate::store::{Result, groups, persons, photos};

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;
pub const YEAR: i64 = 365 * DAY;

/// Letters used as the INE check character (no I, O, Q: easily confused with digits).
const INE_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

/// A sampled name.
#[derive(Debug, Clone, Copy)]
pub struct Name {
    pub given: &'static str,
    pub surname: &'static str,
    pub female: bool,
}

/// Weighted name tables, built once.
struct NamePicker {
    surnames: Weighted,
    female_young: Weighted,
    female_old: Weighted,
    male_young: Weighted,
    male_old: Weighted,
}

impl NamePicker {
    fn new() -> NamePicker {
        let young = |list: &[Given]| Weighted::new(list.iter().map(|g| u64::from(g.1)));
        let old = |list: &[Given]| Weighted::new(list.iter().map(|g| u64::from(g.2)));
        NamePicker {
            surnames: Weighted::new(SURNAMES.iter().map(|s| u64::from(s.1))),
            female_young: young(FEMALE),
            female_old: old(FEMALE),
            male_young: young(MALE),
            male_old: old(MALE),
        }
    }
}

/// Per-family unique logins: the first `jean.dupont`, then `jean.dupont2`, `jean.dupont3`...
#[derive(Debug, Default)]
pub struct Logins {
    seen: HashMap<String, u32>,
}

impl Logins {
    /// The next free login for `given` and `surname`, folded to ASCII (`jean-pierre.de-la-fontaine`).
    pub fn next(&mut self, given: &str, surname: &str) -> String {
        let base = login_base(given, surname);
        let n = self.seen.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}{n}") }
    }
}

/// `prenom.nom` folded to lower-case ASCII, words joined with `-`.
pub fn login_base(given: &str, surname: &str) -> String {
    let part = |s: &str| {
        fold(s)
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    };
    format!("{}.{}", part(given), part(surname))
}

/// Counters of the identifier families, turned into scattered unique values.
#[derive(Debug, Default)]
struct Sequences {
    ine: u64,
    etu: u64,
    emp: u64,
    jointure: u64,
    school_uid: u64,
    refid: u64,
}

/// Everything the populations share.
pub struct World {
    pub rng: Rng,
    salt: u64,
    pub now_s: i64,
    /// Latest time a generated event may take (one hour before `now`).
    pub limit: i64,
    /// First year of the current academic year (2026 for 2026-2027).
    pub year: i16,
    names: NamePicker,
    pub eppns: Logins,
    pub ent_logins: Logins,
    seq: Sequences,
    /// RFC 4122 time (100 ns since 1582-10-15) of the last entryUUID.
    uuid_time: u64,
    card_ids: CardIds,
    photos: Vec<i64>,
    pub summary: DemoSummary,
}

impl World {
    pub fn new(seed: u64, now: Timestamp, photos: Vec<i64>) -> World {
        let today = now.to_zoned(TimeZone::UTC).date();
        let year = if today.month() >= 9 {
            today.year()
        } else {
            today.year() - 1
        };
        World {
            rng: Rng::new(seed, 1),
            salt: mix64(seed),
            now_s: now.as_second(),
            limit: now.as_second() - HOUR,
            year,
            names: NamePicker::new(),
            eppns: Logins::default(),
            ent_logins: Logins::default(),
            seq: Sequences::default(),
            // The directory was loaded about four years before `now`.
            uuid_time: ((now.as_second() - 4 * YEAR).max(0) as u64) * 10_000_000
                + 122_192_928_000_000_000,
            card_ids: CardIds::new(seed),
            photos,
            summary: DemoSummary::default(),
        }
    }

    /// A name: `young` picks among names given in the 2000s, otherwise among older generations.
    pub fn name(&mut self, female: bool, young: bool) -> Name {
        let table = match (female, young) {
            (true, true) => &self.names.female_young,
            (true, false) => &self.names.female_old,
            (false, true) => &self.names.male_young,
            (false, false) => &self.names.male_old,
        };
        let list = if female { FEMALE } else { MALE };
        let given = list
            .get(table.sample(&mut self.rng))
            .map_or("Camille", |g| g.0);
        Name {
            given,
            surname: self.surname(),
            female,
        }
    }

    pub fn surname(&mut self) -> &'static str {
        SURNAMES
            .get(self.names.surnames.sample(&mut self.rng))
            .map_or("Martin", |s| s.0)
    }

    /// A given name only (for a family member who keeps the family surname).
    pub fn given(&mut self, female: bool, young: bool) -> &'static str {
        self.name(female, young).given
    }

    /// INE: 10 digits and a check letter, unique within the run.
    pub fn ine(&mut self) -> String {
        self.seq.ine += 1;
        let digits = scatter(self.seq.ine, self.salt ^ 0x1e, 10);
        let letter = char::from(INE_LETTERS[(digits % 23) as usize]);
        format!("{digits:010}{letter}")
    }

    /// supannEtuId: 8 digits starting with 2.
    pub fn etu_id(&mut self) -> String {
        self.seq.etu += 1;
        format!(
            "{}",
            20_000_000 + scatter(self.seq.etu, self.salt ^ 0xe7, 7)
        )
    }

    /// supannEmpId: 6 digits.
    pub fn emp_id(&mut self) -> String {
        self.seq.emp += 1;
        format!("{:06}", scatter(self.seq.emp, self.salt ^ 0xe4, 6))
    }

    /// ENTPersonJointure from the académie's feed: `AC-RENNES$1234567`.
    pub fn jointure(&mut self) -> String {
        self.seq.jointure += 1;
        format!(
            "AC-RENNES${}",
            1_000_000 + scatter(self.seq.jointure, self.salt ^ 0x10, 6) * 3
        )
    }

    /// A school directory uid in RECIA's shape: `F1700ivg`.
    pub fn school_uid(&mut self) -> String {
        self.seq.school_uid += 1;
        let v = scatter(self.seq.school_uid, self.salt ^ 0x5c, 6) % 1_757_600;
        let letters: String = [v / 676 % 26, v / 26 % 26, v % 26]
            .iter()
            .map(|&l| char::from(b'a' + l as u8))
            .collect();
        format!("F17{:02}{letters}", v / 17_576 % 100)
    }

    /// An access-control number for `supannRefId`.
    pub fn access_control_id(&mut self) -> String {
        self.seq.refid += 1;
        format!("{:06}", scatter(self.seq.refid, self.salt ^ 0xac, 6))
    }

    /// With probability `p`, a university access-control `supannRefId` for `rec`.
    pub fn maybe_access_control(&mut self, rec: &mut PersonRecord, p: f64) {
        if self.rng.chance(p) {
            let id = self.access_control_id();
            rec.identifiers.push((
                IdKind::RefId,
                format!("{{UNIV-BROCELIANDE:ACCESS-CONTROL}}{id}"),
            ));
        }
    }

    /// A directory entryUUID as OpenLDAP makes them: a version-1 UUID whose time is the entry's
    /// creation during the directory's initial load (so consecutive persons get nearby values).
    pub fn entry_uuid(&mut self) -> String {
        self.uuid_time += self.rng.range(2_000, 60_000) as u64;
        let t = self.uuid_time;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            t & 0xFFFF_FFFF,
            (t >> 32) & 0xFFFF,
            ((t >> 48) & 0x0FFF) | 0x1000,
            ((self.salt >> 16) & 0x3FFF) | 0x8000,
            (self.salt >> 20) & 0xFFFF_FFFF_FFFF
        )
    }

    /// A birth date in `years` (inclusive).
    pub fn birth_date(&mut self, from_year: i64, to_year: i64) -> Option<Date> {
        let y = self.rng.range(from_year, to_year);
        let m = self.rng.range(1, 12);
        let d = self.rng.range(1, 28);
        Date::new(i16::try_from(y).ok()?, m as i8, d as i8).ok()
    }

    /// 31 August ending the academic year that starts in `self.year + offset`.
    pub fn year_end(&self, offset: i16) -> Option<Date> {
        Date::new(self.year + offset + 1, 8, 31).ok()
    }

    /// 1 September of the academic year `self.year + offset`, in seconds, plus a few weeks.
    pub fn back_to_school(&mut self, offset: i16, max_days: i64) -> i64 {
        let start =
            date_seconds(Date::new(self.year + offset, 9, 1).ok()).unwrap_or(self.now_s - YEAR);
        start + self.rng.range(0, max_days * DAY) + self.rng.range(8 * HOUR, 18 * HOUR) % DAY
    }

    /// A recent moment, for requests still in progress.
    pub fn recent(&mut self, max_days: i64) -> i64 {
        self.limit - self.rng.range(HOUR, max_days * DAY)
    }

    /// Clamps a story start into the generated history (the last three years).
    pub fn clamp_start(&self, s: i64) -> i64 {
        s.clamp(self.now_s - 3 * YEAR + 10 * DAY, self.limit - 20 * DAY)
    }

    pub fn insert_person(&mut self, tx: &Transaction<'_>, rec: &PersonRecord) -> Result<PersonId> {
        let id = persons::insert(tx, rec, ts(self.now_s))?;
        self.summary.persons += 1;
        Ok(id)
    }

    pub fn group(&mut self, tx: &Transaction<'_>, rec: &GroupRecord) -> Result<i64> {
        let id = groups::upsert(tx, rec)?;
        self.summary.groups += 1;
        Ok(id)
    }

    pub fn member(&mut self, tx: &Transaction<'_>, group: i64, person: PersonId) -> Result<()> {
        groups::add_member(tx, group, person)?;
        self.summary.memberships += 1;
        Ok(())
    }

    /// Attaches one of the pooled portraits, uploaded at `at`; returns the photo id.
    pub fn photo(
        &mut self,
        tx: &Transaction<'_>,
        person: PersonId,
        at: i64,
    ) -> Result<Option<i64>> {
        let Some(&blob) = self.rng.pick(&self.photos) else {
            return Ok(None);
        };
        let id = photos::add(tx, person, blob, "demo", Some(true), ts(at.min(self.limit)))?;
        self.summary.photos += 1;
        Ok(Some(id))
    }

    /// Plays a card story for a person (with a photo when a card is involved, and sometimes
    /// without one). `start` is when the first request is made.
    pub fn cards(
        &mut self,
        tx: &Transaction<'_>,
        holder: &mut Holder<'_>,
        story: Story,
        start: i64,
        photo_without_card: f64,
    ) -> Result<()> {
        if story != Story::NoCard || self.rng.chance(photo_without_card) {
            let upload = start - self.rng.range(10 * MINUTE, 5 * DAY);
            holder.photo_id = self.photo(tx, holder.person_id, upload)?;
        }
        let limit = self.limit;
        let n = cards::play(
            tx,
            &mut self.rng,
            &mut self.card_ids,
            holder,
            story,
            start,
            limit,
        )?;
        self.summary.cards += n;
        Ok(())
    }
}

/// A timestamp from seconds (the Unix epoch if out of range, which generated times never are).
pub fn ts(s: i64) -> Timestamp {
    Timestamp::from_second(s).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Midnight UTC of `date`, in seconds.
pub fn date_seconds(date: Option<Date>) -> Option<i64> {
    date?
        .to_zoned(TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_number_homonyms_from_two() {
        let mut l = Logins::default();
        assert_eq!(l.next("Jean", "Dupont"), "jean.dupont");
        assert_eq!(l.next("Jean", "Dupont"), "jean.dupont2");
        assert_eq!(l.next("Jean", "Dupont"), "jean.dupont3");
        assert_eq!(
            l.next("Jean-Pierre", "de La Fontaine"),
            "jean-pierre.de-la-fontaine"
        );
        assert_eq!(l.next("Zoé", "Lœwy"), "zoe.loewy");
        assert_eq!(
            l.next("Anne-Cécile", "d'Artagnan"),
            "anne-cecile.d-artagnan"
        );
    }

    #[test]
    fn identifiers_have_their_shapes() {
        let mut w = World::new(
            3,
            "2026-11-22T10:00:00Z".parse().expect("valid"),
            Vec::new(),
        );
        let ine = w.ine();
        assert_eq!(ine.len(), 11);
        assert!(
            ine[..10].bytes().all(|b| b.is_ascii_digit())
                && ine.as_bytes()[10].is_ascii_uppercase()
        );
        assert_eq!(w.etu_id().len(), 8);
        assert_eq!(w.emp_id().len(), 6);
        assert!(w.jointure().starts_with("AC-RENNES$"));
        let uid = w.school_uid();
        assert_eq!(uid.len(), 8, "{uid}");
        assert!(uid.starts_with("F17"));
        assert_eq!(w.year, 2026);
        assert_eq!(
            w.year_end(0).map(|d| d.to_string()),
            Some("2027-08-31".into())
        );
    }
}

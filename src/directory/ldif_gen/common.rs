//! What both presets share: the group plan (member sets as arithmetic progressions of person
//! indices, so that nothing per person is kept), budget sharing, name sampling, logins that can be
//! recomputed from a person's index, identifiers and dates.

use std::collections::HashMap;

use crate::demo::names::{FEMALE, Given, MALE, SURNAMES};
use crate::demo::people::login_base;
use crate::demo::rng::{Rng, Weighted, mix64, scatter};

/// Person indices `start, start + step, …` below `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ap {
    pub start: u32,
    pub step: u32,
    pub end: u32,
}

impl Ap {
    pub fn range(start: u32, end: u32) -> Ap {
        Ap {
            start,
            step: 1,
            end,
        }
    }

    pub fn iter(self) -> impl Iterator<Item = u32> {
        (self.start..self.end).step_by(self.step.max(1) as usize)
    }

    pub fn len(self) -> usize {
        if self.end <= self.start {
            0
        } else {
            ((self.end - self.start - 1) / self.step.max(1) + 1) as usize
        }
    }
}

/// Who is in a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Members {
    Persons(Ap),
    /// The teachers of a class (SDET): computed by the population.
    Teachers {
        etab: u32,
        class: u32,
    },
    /// Other groups (by index in the plan) and a few persons directly.
    Nested {
        groups: Vec<u32>,
        persons: Vec<u32>,
    },
}

#[derive(Debug, Clone)]
pub struct GroupSpec {
    /// The full Grouper name, also the `cn`.
    pub name: String,
    pub description: Option<String>,
    pub members: Members,
    /// Groups this group is a direct member of (its `isMemberOf`).
    pub member_of: Vec<u32>,
}

/// The groups, in the order they are written; a group's id is its index.
#[derive(Debug, Default)]
pub struct Plan {
    pub groups: Vec<GroupSpec>,
}

impl Plan {
    pub fn push(&mut self, name: String, description: Option<String>, members: Members) -> u32 {
        self.groups.push(GroupSpec {
            name,
            description,
            members,
            member_of: Vec::new(),
        });
        (self.groups.len() - 1) as u32
    }

    /// Fills every group's `member_of` from the nested groups' member lists.
    pub fn link_nested(&mut self) {
        let mut links = Vec::new();
        for (parent, g) in self.groups.iter().enumerate() {
            if let Members::Nested { groups, .. } = &g.members {
                links.extend(groups.iter().map(|&child| (child, parent as u32)));
            }
        }
        for (child, parent) in links {
            if let Some(g) = self.groups.get_mut(child as usize) {
                g.member_of.push(parent);
            }
        }
    }

    pub fn name(&self, gid: u32) -> &str {
        self.groups
            .get(gid as usize)
            .map_or("", |g| g.name.as_str())
    }
}

/// How many groups are still to be created.
#[derive(Debug)]
pub struct Budget(pub usize);

impl Budget {
    pub fn take(&mut self) -> bool {
        if self.0 == 0 {
            return false;
        }
        self.0 -= 1;
        true
    }
}

/// `total` shared in proportion to `weights` (largest remainder; all zero weights give nothing).
pub fn apportion(total: usize, weights: &[u64]) -> Vec<usize> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut shares: Vec<usize> = Vec::with_capacity(weights.len());
    let mut rests: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        let exact = total as u128 * u128::from(w);
        shares.push((exact / sum) as usize);
        rests.push((exact % sum, i));
    }
    let given: usize = shares.iter().sum();
    // Largest remainders first; ties go to the first.
    rests.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in rests.iter().take(total.saturating_sub(given)) {
        shares[i] += 1;
    }
    shares
}

/// A partition of `len` positions (person `base + p * stride` for position `p`) into `parts`
/// groups with consecutive ids from `first_gid`. With no more parts than positions, part `k` holds
/// a run of consecutive positions; with more, part `k` holds the one position `k % len` (so every
/// part is non-empty and positions are in several parts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub base: u32,
    pub stride: u32,
    pub len: u32,
    pub parts: u32,
    pub first_gid: u32,
}

impl Split {
    /// The positions `[lo, hi)` of part `k` when parts are runs.
    fn run(&self, k: u32) -> (u32, u32) {
        let lo = u64::from(k) * u64::from(self.len) / u64::from(self.parts.max(1));
        let hi = (u64::from(k) + 1) * u64::from(self.len) / u64::from(self.parts.max(1));
        (lo as u32, hi as u32)
    }

    pub fn members(&self, k: u32) -> Ap {
        let (lo, hi) = if self.parts <= self.len {
            self.run(k)
        } else {
            let p = k % self.len.max(1);
            (p, p + 1)
        };
        Ap {
            start: self.base + lo * self.stride,
            step: self.stride,
            end: self.base + hi * self.stride,
        }
    }

    /// Calls `f` with the id of every part holding position `p`.
    pub fn parts_of(&self, p: u32, mut f: impl FnMut(u32)) {
        if self.parts == 0 || p >= self.len {
            return;
        }
        if self.parts <= self.len {
            let k = ((u64::from(p) + 1) * u64::from(self.parts) - 1) / u64::from(self.len);
            f(self.first_gid + k as u32);
        } else {
            let mut k = p;
            while k < self.parts {
                f(self.first_gid + k);
                k += self.len;
            }
        }
    }
}

/// Weighted name tables built from the demo's lists.
pub struct Names {
    surnames: Weighted,
    female_young: Weighted,
    female_old: Weighted,
    male_young: Weighted,
    male_old: Weighted,
}

impl Names {
    pub fn new() -> Names {
        let young = |list: &[Given]| Weighted::new(list.iter().map(|g| u64::from(g.1)));
        let old = |list: &[Given]| Weighted::new(list.iter().map(|g| u64::from(g.2)));
        Names {
            surnames: Weighted::new(SURNAMES.iter().map(|s| u64::from(s.1))),
            female_young: young(FEMALE),
            female_old: old(FEMALE),
            male_young: young(MALE),
            male_old: old(MALE),
        }
    }

    pub fn surname_index(&self, rng: &mut Rng) -> usize {
        self.surnames.sample(rng)
    }

    pub fn given_index(&self, rng: &mut Rng, female: bool, young: bool) -> usize {
        match (female, young) {
            (true, true) => self.female_young.sample(rng),
            (true, false) => self.female_old.sample(rng),
            (false, true) => self.male_young.sample(rng),
            (false, false) => self.male_old.sample(rng),
        }
    }

    pub fn surname(&self, rng: &mut Rng) -> &'static str {
        surname_at(self.surname_index(rng))
    }

    pub fn given(&self, rng: &mut Rng, female: bool, young: bool) -> &'static str {
        given_at(female, self.given_index(rng, female, young))
    }
}

pub fn surname_at(i: usize) -> &'static str {
    SURNAMES.get(i).map_or("Martin", |s| s.0)
}

pub fn given_at(female: bool, i: usize) -> &'static str {
    let list = if female { FEMALE } else { MALE };
    list.get(i).map_or("Camille", |g| g.0)
}

/// A person's name and the number of earlier persons with the same login base (0 for the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatternName<'a> {
    pub given: &'static str,
    pub surname: &'static str,
    pub female: bool,
    pub base: &'a str,
    pub occurrence: u64,
}

impl PatternName<'_> {
    /// `prenom.nom`, then `prenom.nom2`, `prenom.nom3`… for homonyms.
    pub fn login(&self) -> String {
        if self.occurrence == 0 {
            self.base.to_string()
        } else {
            format!("{}{}", self.base, self.occurrence + 1)
        }
    }
}

const PERIOD: u32 = 10_000;
/// Slots `0..YOUNG_SLOTS` hold names of the young (students), the rest names of the older.
const YOUNG_SLOTS: u32 = 8_500;

#[derive(Debug, Clone)]
struct Slot {
    given: u16,
    surname: u16,
    female: bool,
    base: String,
    rank: u32,
    count: u32,
}

/// Names that can be recomputed from a person's ordinal alone, homonym number included, so that a
/// group's member DNs (`uid=<login>`) are rebuilt without keeping anything per person. A table of
/// 10,000 sampled names is used in rounds; round `r` visits the slots in its own order (a keyed
/// bijection), and a name that appears `count` times in the table gets occurrence
/// `r * count + rank` in round `r`: unique, and the same every time it is computed.
pub struct LoginPattern {
    slots: Vec<Slot>,
    salt: u64,
}

impl LoginPattern {
    pub fn new(seed: u64, names: &Names) -> LoginPattern {
        let mut rng = Rng::new(seed, 0x7061_7474);
        let mut slots = Vec::with_capacity(PERIOD as usize);
        let mut counts: HashMap<String, u32> = HashMap::new();
        for s in 0..PERIOD {
            let female = rng.chance(0.5);
            let given = names.given_index(&mut rng, female, s < YOUNG_SLOTS);
            let surname = names.surname_index(&mut rng);
            let base = login_base(given_at(female, given), surname_at(surname));
            let n = counts.entry(base.clone()).or_insert(0);
            slots.push(Slot {
                given: given as u16,
                surname: surname as u16,
                female,
                base,
                rank: *n,
                count: 0,
            });
            *n += 1;
        }
        for slot in &mut slots {
            slot.count = counts.get(&slot.base).copied().unwrap_or(1);
        }
        LoginPattern {
            slots,
            salt: mix64(seed ^ 0x6c6f_6769_6e73),
        }
    }

    fn name(&self, slot: u32, round: u64) -> PatternName<'_> {
        let s = &self.slots[slot as usize];
        PatternName {
            given: given_at(s.female, usize::from(s.given)),
            surname: surname_at(usize::from(s.surname)),
            female: s.female,
            base: &s.base,
            occurrence: round * u64::from(s.count) + u64::from(s.rank),
        }
    }

    /// The name of the `ordinal`-th young person.
    pub fn young(&self, ordinal: u64) -> PatternName<'_> {
        let round = ordinal / u64::from(YOUNG_SLOTS);
        let o = (ordinal % u64::from(YOUNG_SLOTS)) as u32;
        self.name(walk(o, YOUNG_SLOTS, self.salt ^ mix64(round)), round)
    }

    /// The name of the `ordinal`-th older person.
    pub fn old(&self, ordinal: u64) -> PatternName<'_> {
        let len = PERIOD - YOUNG_SLOTS;
        let round = ordinal / u64::from(len);
        let o = (ordinal % u64::from(len)) as u32;
        let key = self.salt ^ mix64(round ^ 0x6f6c_6400_0000_0000);
        self.name(YOUNG_SLOTS + walk(o, len, key), round)
    }
}

/// A keyed bijection of `0..len` (`len` ≤ 10,000) by cycle walking over `scatter`.
fn walk(o: u32, len: u32, key: u64) -> u32 {
    let mut y = scatter(u64::from(o), key, 4);
    while y >= u64::from(len) {
        y = scatter(y, key, 4);
    }
    y as u32
}

/// Per-base homonym counters for logins written in index order (SDET `ENTPersonLogin`), keyed by a
/// hash of the base to keep memory small; a collision only skips numbers, logins stay unique.
#[derive(Debug, Default)]
pub struct Homonyms {
    seen: HashMap<u64, u32>,
}

impl Homonyms {
    pub fn next(&mut self, given: &str, surname: &str) -> String {
        let base = login_base(given, surname);
        let key = base.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        let n = self.seen.entry(key).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}{n}") }
    }
}

/// Letters of the UAI and INE check character (no I, O, Q).
const CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

/// An INE: 10 digits and a check letter, unique for distinct `n` below 10^10.
pub fn ine(n: u64, salt: u64) -> String {
    let digits = scatter(n, salt ^ 0x1e, 10);
    let letter = char::from(CHECK_LETTERS[(digits % 23) as usize]);
    format!("{digits:010}{letter}")
}

/// A UAI from its 7 digits: the digits and the check letter (number mod 23).
pub fn uai(digits: u32) -> String {
    let letter = char::from(CHECK_LETTERS[(digits % 23) as usize]);
    format!("{digits:07}{letter}")
}

/// A 7-byte card serial number (CSN) in upper-case hex, `04…` like NXP chips, unique per `n`.
pub fn csn(n: u64, salt: u64) -> String {
    // A bijection of 48-bit values: odd multiplier, xor-shift, key.
    const MASK: u64 = (1 << 48) - 1;
    let mut x = n & MASK;
    for round in 0..3u64 {
        x = (x ^ (mix64(salt.wrapping_add(round)) & MASK)).wrapping_mul(0x9E37_79B9_7F4B) & MASK;
        x ^= x >> 23;
    }
    format!("04{x:012X}")
}

/// First year of the current academic year (2025 for 2025-2026): dates follow it, so the same seed
/// gives the same bytes within an academic year.
pub fn academic_year() -> i16 {
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::UTC)
        .date();
    if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    }
}

/// Upper case without diacritics, words joined by `_`: `LYCEE_ANNE_DE_BRETAGNE`.
pub fn stem_word(s: &str) -> String {
    crate::domain::names::fold(s)
        .to_uppercase()
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

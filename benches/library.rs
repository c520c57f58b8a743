//! `make bench`, library part (issue #7): the BCDI update plan (`library::reconcile::plan`) for 3,000
//! borrowers against 3,000 ENT persons (a school; goal < 100 ms) and 275,000 against 275,000 (goal < 5 s),
//! in both of BCDI's modes: a first update (name matching, homonyms, suggestions for the accents, commas
//! and typos BCDI misses) and a later update by identifier.

#[path = "support/mod.rs"]
mod support;

use std::time::Instant;

use guichet::library::bcdi::{Borrower, EsidocBorrower};
use guichet::library::reconcile::{Decisions, Mode, Scope, plan};

const SYLLABLES: [&str; 40] = [
    "ber", "lan", "dou", "mar", "tin", "ro", "gé", "vil", "le", "noé", "ka", "zin", "pa", "quet",
    "sa", "lo", "mon", "bé", "rou", "chet", "da", "vi", "gna", "ud", "fè", "vre", "co", "lin",
    "ar", "naud", "ti", "phon", "gi", "rard", "cha", "mbon", "du", "bois", "é", "mile",
];
const GIVEN: [&str; 24] = [
    "Léa",
    "Hugo",
    "Chloé",
    "Louis",
    "Emma",
    "Jules",
    "Inès",
    "Gabriel",
    "Zoé",
    "Noah",
    "Anaïs",
    "Théo",
    "Jade",
    "Raphaël",
    "Manon",
    "Lucas",
    "Éléonore",
    "Mathéo",
    "Clémence",
    "Nathan",
    "Maëlys",
    "Adam",
    "Océane",
    "Timothée",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn strip_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'É' | 'È' => 'E',
            'ï' | 'î' => 'i',
            'ç' => 'c',
            'à' => 'a',
            other => other,
        })
        .collect()
}

/// `n` ENT persons and BCDI's borrowers for them: 90 % the same, 2 % without accents, 1 % with a comma,
/// 1 % with a typo, 3 % new in the ENT, 3 % leaving BCDI (a third with loans). `with_ids`: BCDI already
/// holds the identifiers (a later update).
fn data(n: usize, with_ids: bool, seed: u64) -> (Vec<Borrower>, Vec<EsidocBorrower>) {
    let mut rng = Rng(seed);
    let mut ent = Vec::with_capacity(n);
    let mut bcdi = Vec::with_capacity(n);
    for i in 0..n {
        let syl = 2 + rng.below(2);
        let surname: String = (0..syl)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
            .collect();
        let name = format!(
            "{} {}",
            surname.to_uppercase(),
            GIVEN[rng.below(GIVEN.len())]
        );
        let class = format!(
            "{}{}",
            3 + rng.below(4),
            (b'A' + rng.below(6) as u8) as char
        );
        let id = format!("00000000-0000-4000-8000-{i:012}");
        let roll = rng.below(100);
        if roll < 97 {
            ent.push(EsidocBorrower {
                name: name.clone(),
                status: "Elève".into(),
                class: Some(class.clone()),
                ent_id: id.clone(),
                ..EsidocBorrower::default()
            });
        }
        if (94..97).contains(&roll) {
            continue; // new in the ENT
        }
        let typed = match roll {
            90..=91 => strip_accents(&name),
            92 => name.replacen(' ', ", ", 1),
            93 => format!("{name}e"),
            _ => name,
        };
        bcdi.push(Borrower {
            line: i + 2,
            number: Some(i.to_string()),
            name: typed,
            status: "Elève".into(),
            class: Some(class),
            kind: "Usager".into(),
            loans: Some(if roll >= 97 && roll.is_multiple_of(3) {
                2
            } else {
                0
            }),
            ent_id: with_ids.then_some(id),
        });
    }
    (bcdi, ent)
}

fn time_plan(n: usize, with_ids: bool, runs: usize) -> (f64, usize, usize, usize) {
    let (bcdi, ent) = data(n, with_ids, 0x5eed + n as u64);
    let scope = Scope::parse("Statut=Elève").expect("scope");
    let mut samples = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let p = plan(&bcdi, &ent, &scope, &Decisions::default());
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(p);
    }
    let p = last.expect("one run");
    assert_eq!(
        p.mode,
        if with_ids {
            Mode::ByIdentifier
        } else {
            Mode::FirstUpdate
        }
    );
    (
        support::median(&mut samples),
        p.suggestions.len(),
        p.homonyms.len(),
        p.deleted.len() + p.set_aside.len(),
    )
}

fn main() {
    let mut s = String::from("## Library: BCDI update plan (issue #7)\n\n");
    s.push_str(&format!(
        "`library::reconcile::plan` on synthetic borrowers: 90 % identical, 2 % without accents, 1 % \"NOM, Prénom\", \
         1 % with a typo, 3 % new, 3 % leaving; median of the runs. Release build; {}.\n\n",
        support::machine()
    ));
    s.push_str("| borrowers × ENT persons | mode | time | suggestions | homonym groups | leaving | goal |\n|---|---|---|---|---|---|---|\n");
    for (n, runs, goal) in [(3_000, 21, "< 100 ms"), (275_000, 3, "< 5 s")] {
        for with_ids in [false, true] {
            let (ms, sugg, hom, leaving) = time_plan(n, with_ids, runs);
            s.push_str(&format!(
                "| {n} × {n} | {} | **{ms:.1} ms** | {sugg} | {hom} | {leaving} | {goal} |\n",
                if with_ids {
                    "by identifier"
                } else {
                    "first update (names)"
                }
            ));
        }
    }
    s.push('\n');
    support::write_section("library-bench", &s);
    println!("{s}");
}

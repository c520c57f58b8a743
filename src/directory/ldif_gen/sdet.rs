//! The SDET population: schools (`ENTEtablissement`), pupils (`ENTEleve`), their parents
//! (`ENTAuxPersRelEleve`), teachers (`ENTAuxEnseignant`), a documentaliste and staff, with RECIA
//! shapes (opaque `uid`, `ENTPersonLogin` `prenom.nom` numbered for homonyms, `AC-RENNES$…` join
//! keys) and Grouper groups `esco:Etablissements:<NOM>_<UAI>:…`.
//!
//! Each school's persons are a run of indices: pupils, parents, teachers, the documentaliste,
//! staff. Pupils come in families (see `data`), so parent ↔ pupil links are arithmetic; pupil
//! `j` is in class `j % classes`, so siblings are in different classes.

mod data;
mod entries;

use std::io::{self, Write};

use super::common::{Ap, Budget, Homonyms, Members, Names, Plan, Split, apportion, stem_word, uai};
use super::{Ctx, Ldif, LdifOptions, Population};
use crate::demo::rng::{Rng, mix64, scatter};
use data::{COURSES, Kind, PATRONS, TOWNS, family_of_pupil, parents_for};

const ORG: &str = "ENT Guichet — académie de Rennes";
const DOMAIN: &str = "ent-guichet.fr";
/// The group with `max_group` members.
pub const BIGGEST: &str = "esco:Applications:Mediacentre:Acces ressources (GAR)";
/// The first school: the demo's lycée.
const FIRST_UAI: &str = "0291234X";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Pupil,
    Parent,
    Teacher,
    Doc,
    Staff,
}

#[derive(Debug)]
struct Etab {
    kind: Kind,
    name: String,
    uai: String,
    siren: String,
    dn: String,
    stem: String,
    town: usize,
    lo: u32,
    pupils: u32,
    parents: u32,
    teachers: u32,
    doc: u32,
    staff: u32,
    families: u64,
    classes: u32,
    per_teacher: u32,
    eleves: Option<u32>,
    profs: Option<u32>,
    parents_g: Option<u32>,
    admin: Option<u32>,
    tous: Option<u32>,
    tous_direct: bool,
    class_first: u32,
    ce: u32,
    profs_first: u32,
    cp: u32,
    /// Two partitions of the pupils into teaching groups: languages, then options.
    fillers: [Option<Split>; 2],
}

impl Etab {
    fn size(&self) -> u32 {
        self.pupils + self.parents + self.teachers + self.doc + self.staff
    }

    fn teachers_lo(&self) -> u32 {
        self.lo + self.pupils + self.parents
    }

    fn covered(&self) -> u32 {
        self.classes.min(self.teachers * self.per_teacher)
    }

    /// Level index and class code of class `c`.
    fn class(&self, c: u32) -> (usize, String) {
        let levels = self.kind.levels();
        let l = levels.len() as u32;
        let lvl = c * l / self.classes.max(1);
        let first = (lvl * self.classes).div_ceil(l);
        (
            lvl as usize,
            format!("{}{}", levels[lvl as usize].short, c - first + 1),
        )
    }

    /// Whether teacher `t` teaches class `c`.
    fn teaches(&self, t: u32, c: u32) -> bool {
        let n = self.classes.max(1);
        (c + n - (t * self.per_teacher) % n) % n < self.per_teacher
    }
}

pub struct Sdet {
    ctx: Ctx,
    domain: String,
    salt: u64,
    n: u32,
    etabs: Vec<Etab>,
    big: Option<u32>,
    /// The nested group across schools and the person it also holds directly.
    nested: Option<(u32, u32)>,
    plan: Plan,
    names: Names,
    logins: Homonyms,
}

/// Splits `n` persons of a school into pupils, parents, teachers, documentaliste, staff.
fn roles(n: u32) -> (u32, u32, u32, u32, u32) {
    let doc = u32::from(n >= 4);
    let teachers = if n >= 2 {
        ((f64::from(n) * 0.07).round() as u32).max(1)
    } else {
        0
    };
    let staff = (f64::from(n) * 0.02).round() as u32;
    let rest = n.saturating_sub(doc + teachers + staff);
    let (mut lo, mut hi) = (0u32, rest);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if mid + parents_for(mid) <= rest {
            lo = mid
        } else {
            hi = mid - 1
        }
    }
    let parents = parents_for(lo);
    (
        lo,
        parents,
        teachers,
        doc,
        n - lo - parents - teachers - doc,
    )
}

/// The function of the `j`-th staff member: a head, an education counsellor, then alternately.
fn staff_function(j: u32) -> usize {
    if j < 2 {
        j as usize
    } else {
        2 + j as usize % 2
    }
}

impl Sdet {
    pub fn new(opts: &LdifOptions, ctx: Ctx) -> Sdet {
        let n = opts.persons as u32;
        let m = opts.max_group.min(opts.persons) as u32;
        let salt = mix64(opts.seed ^ 0x5344_4554);
        let by_size = n.div_ceil(2000) as usize;
        let by_big = if m > 0 {
            (u64::from(n) * 5).div_ceil(4 * u64::from(m)) as usize
        } else {
            0
        };
        let active = if n == 0 {
            0
        } else {
            by_size.max(by_big).clamp(1, 60)
        };
        let weights: Vec<u64> = (0..active).map(|e| 9 + (e as u64 * 5) % 4).collect();
        let sizes = apportion(n as usize, &weights);
        let mut etabs = Vec::new();
        let (mut lo, mut families) = (0u32, 0u64);
        for e in 0..active.max(2) {
            let kind = Kind::of(e);
            let town = e % TOWNS.len();
            let patron = PATRONS[e % PATRONS.len()];
            let name = if e < PATRONS.len() {
                format!("{} {patron}", kind.prefix())
            } else {
                format!("{} {patron} {}", kind.prefix(), TOWNS[town].0)
            };
            let uai = if e == 0 {
                FIRST_UAI.to_string()
            } else {
                uai(TOWNS[town].2 * 10_000 + 1000 + (e as u32 * 7) % 9000)
            };
            let digits: u32 = uai[..7].parse().unwrap_or(0);
            let siren = format!("19{digits:07}000{:02}", digits % 97);
            let dn = format!("ENTStructureSIREN={siren},ou=structures,{}", ctx.base);
            let stem = format!("esco:Etablissements:{}_{uai}", stem_word(&name));
            let size = sizes.get(e).copied().unwrap_or(0) as u32;
            let (pupils, parents, teachers, doc, staff) = roles(size);
            let classes =
                if pupils == 0 { 0 } else { (pupils + 14) / 28 }.clamp(pupils.min(1), pupils);
            etabs.push(Etab {
                kind,
                name,
                uai,
                siren,
                dn,
                stem,
                town,
                lo,
                pupils,
                parents,
                teachers,
                doc,
                staff,
                families,
                classes,
                per_teacher: classes.min(4),
                eleves: None,
                profs: None,
                parents_g: None,
                admin: None,
                tous: None,
                tous_direct: e >= 2,
                class_first: 0,
                ce: 0,
                profs_first: 0,
                cp: 0,
                fillers: [None, None],
            });
            lo += size;
            families += u64::from(family_of_pupil(pupils).0) + 1;
        }
        let total = if opts.groups > 0 || n == 0 {
            opts.groups
        } else {
            (n as usize / 11).max(8)
        };
        let mut s = Sdet {
            domain: ctx.domain.clone().unwrap_or_else(|| DOMAIN.to_string()),
            ctx,
            salt,
            n,
            etabs,
            big: None,
            nested: None,
            plan: Plan::default(),
            names: Names::new(),
            logins: Homonyms::default(),
        };
        s.plan_groups(total, m);
        s
    }

    fn plan_groups(&mut self, total: usize, m: u32) {
        let mut b = Budget(total);
        let plan = &mut self.plan;
        if m > 0 && b.take() {
            let d = Some("Accès aux ressources numériques du GAR".into());
            self.big = Some(plan.push(BIGGEST.into(), d, Members::Persons(Ap::range(0, m))));
        }
        for tier in 0..5 {
            for e in self.etabs.iter_mut() {
                let t = e.teachers_lo();
                let (count, ap, leaf) = match tier {
                    0 => (
                        e.pupils,
                        Ap::range(e.lo, e.lo + e.pupils),
                        "Eleves".to_string(),
                    ),
                    1 => (
                        e.teachers + e.doc,
                        Ap::range(t, t + e.teachers + e.doc),
                        "Profs".into(),
                    ),
                    2 => (e.parents, Ap::range(e.lo + e.pupils, t), "Parents".into()),
                    3 => (
                        e.staff,
                        Ap::range(t + e.teachers + e.doc, e.lo + e.size()),
                        "Administratifs:Tous_Administratifs".into(),
                    ),
                    _ => (
                        e.size(),
                        Ap::range(e.lo, e.lo + e.size()),
                        format!("Tous_{}", stem_word(&e.name)),
                    ),
                };
                if count == 0 || !b.take() {
                    continue;
                }
                let mut members = Members::Persons(ap);
                if tier == 4 && !e.tous_direct {
                    let groups: Vec<u32> = [e.eleves, e.profs, e.parents_g, e.admin]
                        .into_iter()
                        .flatten()
                        .collect();
                    if groups.is_empty() {
                        e.tous_direct = true;
                    } else {
                        members = Members::Nested {
                            groups,
                            persons: Vec::new(),
                        };
                    }
                }
                let g = Some(plan.push(format!("{}:{leaf}", e.stem), None, members));
                match tier {
                    0 => e.eleves = g,
                    1 => e.profs = g,
                    2 => e.parents_g = g,
                    3 => e.admin = g,
                    _ => e.tous = g,
                }
            }
        }
        let nested: Vec<u32> = self
            .etabs
            .iter()
            .filter(|e| !e.tous_direct)
            .filter_map(|e| e.tous)
            .collect();
        if !nested.is_empty() && b.take() {
            let e = &self.etabs[0];
            let direct = if e.teachers > 0 { e.teachers_lo() } else { 0 };
            let members = Members::Nested {
                groups: nested,
                persons: vec![direct],
            };
            let d = Some("Tous les établissements (groupes imbriqués)".into());
            let name = "esco:Applications:Annuaire:Communauté éducative (imbriqué)".to_string();
            self.nested = Some((plan.push(name, d, members), direct));
        }
        // Classes: Eleves_<class> for every class, Profs_<class> for the classes with teachers.
        let natural: Vec<u64> = self
            .etabs
            .iter()
            .map(|e| u64::from(e.classes + e.covered()))
            .collect();
        let shares = if b.0 as u64 >= natural.iter().sum::<u64>() {
            natural.iter().map(|&x| x as usize).collect()
        } else {
            apportion(b.0, &natural)
        };
        for (e, share) in self.etabs.iter_mut().zip(shares) {
            b.0 -= share;
            let share = share as u32;
            e.ce = share.min(e.classes);
            e.cp = (share - e.ce).min(e.covered());
            e.class_first = plan.groups.len() as u32;
            for c in 0..e.ce {
                let (lvl, code) = e.class(c);
                let ap = Ap {
                    start: e.lo + c,
                    step: e.classes,
                    end: e.lo + e.pupils,
                };
                let name = format!("{}:{}:Eleves_{code}", e.stem, e.kind.levels()[lvl].stem);
                plan.push(name, None, Members::Persons(ap));
            }
            e.profs_first = plan.groups.len() as u32;
            for c in 0..e.cp {
                let (lvl, code) = e.class(c);
                let name = format!("{}:{}:Profs_{code}", e.stem, e.kind.levels()[lvl].stem);
                plan.push(name, None, Members::Teachers { etab: 0, class: c });
            }
        }
        // Teaching groups fill the rest, over the pupils (or the whole school if it has none).
        let any_pupil = self.etabs.iter().any(|e| e.pupils > 0);
        let weights: Vec<u64> = self
            .etabs
            .iter()
            .map(|e| u64::from(if any_pupil { e.pupils } else { e.size() }))
            .collect();
        for (e, f) in self.etabs.iter_mut().zip(apportion(b.0, &weights)) {
            let len = if any_pupil { e.pupils } else { e.size() };
            for (half, parts) in [(0, f.div_ceil(2)), (1, f / 2)] {
                if parts == 0 || len == 0 {
                    continue;
                }
                let first_gid = plan.groups.len() as u32;
                let split = Split {
                    base: e.lo,
                    stride: 1,
                    len,
                    parts: parts as u32,
                    first_gid,
                };
                let courses = if half == 0 {
                    &COURSES[..4]
                } else {
                    &COURSES[4..]
                };
                for k in 0..split.parts {
                    let course = courses[k as usize % courses.len()];
                    let n = k as usize / courses.len() + 1;
                    let name = format!("{}:Enseignements:{course} (groupe {n})", e.stem);
                    plan.push(name, None, Members::Persons(split.members(k)));
                }
                e.fillers[half] = Some(split);
            }
        }
        // `Teachers` members name their school by index.
        for (ei, e) in self.etabs.iter().enumerate() {
            for c in 0..e.cp {
                if let Some(g) = plan.groups.get_mut((e.profs_first + c) as usize) {
                    g.members = Members::Teachers {
                        etab: ei as u32,
                        class: c,
                    };
                }
            }
        }
        plan.link_nested();
    }

    fn locate(&self, i: u32) -> (usize, Role, u32) {
        let ei = self.etabs.partition_point(|e| e.lo <= i).saturating_sub(1);
        let e = &self.etabs[ei];
        let mut o = i - e.lo;
        for (role, n) in [
            (Role::Pupil, e.pupils),
            (Role::Parent, e.parents),
            (Role::Teacher, e.teachers),
            (Role::Doc, e.doc),
        ] {
            if o < n {
                return (ei, role, o);
            }
            o -= n;
        }
        (ei, Role::Staff, o)
    }

    /// `uid` in RECIA's shape (`F` + 4 digits + 3 letters), unique per index.
    fn uid(&self, i: u32) -> String {
        let v = scatter(u64::from(i), self.salt ^ 0x01d5, 8);
        let l = v % 17_576;
        let letters: String = [l / 676, l / 26 % 26, l % 26]
            .iter()
            .map(|&x| char::from(b'a' + x as u8))
            .collect();
        format!("F{:04}{letters}", v / 17_576)
    }

    fn family_rng(&self, e: &Etab, f: u32) -> Rng {
        Rng::new(self.ctx.seed, 0x4641_4d00_0000 + e.families + u64::from(f))
    }

    /// A family's surname (the first families of the first school are fixed).
    fn family_surname(&self, ei: usize, f: u32) -> &'static str {
        if ei == 0 && f < 3 {
            return ["de La Fontaine", "de La Fontaine", "Lœwy"][f as usize];
        }
        self.names.surname(&mut self.family_rng(&self.etabs[ei], f))
    }

    fn groups_of(&self, i: u32, ei: usize, role: Role, j: u32, out: &mut Vec<u32>) {
        let e = &self.etabs[ei];
        if let Some(g) = self.big
            && let Members::Persons(ap) = &self.plan.groups[g as usize].members
            && i < ap.end
        {
            out.push(g);
        }
        if let Some((g, p)) = self.nested
            && p == i
        {
            out.push(g);
        }
        if e.tous_direct {
            out.extend(e.tous);
        }
        match role {
            Role::Pupil => {
                out.extend(e.eleves);
                let c = j % e.classes.max(1);
                if c < e.ce {
                    out.push(e.class_first + c);
                }
            }
            Role::Parent => out.extend(e.parents_g),
            Role::Teacher => {
                out.extend(e.profs);
                out.extend(
                    (0..e.cp)
                        .filter(|&c| e.teaches(j, c))
                        .map(|c| e.profs_first + c),
                );
            }
            Role::Doc => out.extend(e.profs),
            Role::Staff => out.extend(e.admin),
        }
        for split in e.fillers.iter().flatten() {
            split.parts_of(i - e.lo, |g| out.push(g));
        }
        out.sort_unstable();
        out.dedup();
    }
}

impl Population for Sdet {
    fn persons(&self) -> u32 {
        self.n
    }

    fn plan(&self) -> &Plan {
        &self.plan
    }

    fn organisation(&self) -> (&'static str, &'static str) {
        (ORG, DOMAIN)
    }

    fn biggest(&self) -> Option<u32> {
        self.big
    }

    fn person_dn(&self, i: u32, out: &mut String) {
        out.push_str("uid=");
        out.push_str(&self.uid(i));
        out.push_str(",ou=people,");
        out.push_str(&self.ctx.base);
    }

    fn teachers(&self, etab: u32, class: u32, f: &mut dyn FnMut(u32)) {
        if let Some(e) = self.etabs.get(etab as usize) {
            for t in (0..e.teachers).filter(|&t| e.teaches(t, class)) {
                f(e.teachers_lo() + t);
            }
        }
    }

    fn write_structures<W: Write>(&self, w: &mut Ldif<W>) -> io::Result<usize> {
        self.structures_ldif(w)
    }

    fn write_person<W: Write>(&mut self, i: u32, w: &mut Ldif<W>) -> io::Result<()> {
        self.person_ldif(i, w)
    }
}

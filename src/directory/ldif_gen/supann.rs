//! The SupAnn population: a university (`supannOrg`), its components (`supannEntite`), students,
//! faculty and staff (`inetOrgPerson` + `eduPerson` + `supannPerson` + SCHAC + `eduMember`), and
//! Grouper-named groups (`univ:composantes:<code>:etudiants`, `univ:diplomes:<code>:<année>`…).
//!
//! Persons are laid out by component: each component's students, then its faculty, then its
//! staff, so every group's members are a run of indices.

use std::io::{self, Write};

use super::common::{Ap, Budget, LoginPattern, Members, Names, Plan, Split, apportion, csn, ine};
use super::{Ctx, Ldif, LdifOptions, Population};
use crate::demo::people::login_base;
use crate::demo::rng::{Rng, mix64, scatter};

/// The university's fictitious UAI, also its structure code.
pub const UAI: &str = "0359999Z";
const ORG: &str = "Université de Guichet-sur-Vilaine";
const DOMAIN: &str = "univ-guichet.fr";
/// The group with `max_group` members.
pub const BIGGEST: &str = "univ:applications:bibliotheque:lecteurs (carte active)";

/// Components: code and name.
const COMPONENTS: &[(&str, &str)] = &[
    ("SCI", "UFR Sciences et propriétés de la matière"),
    ("DROIT", "Faculté de droit et de science politique"),
    ("ECO", "Faculté des sciences économiques"),
    ("MED", "Faculté de médecine"),
    ("PHARMA", "Faculté de pharmacie"),
    ("ODONTO", "Faculté d'odontologie"),
    ("IGR", "IGR-IAE, école universitaire de management"),
    ("ISTIC", "UFR Informatique – Électronique"),
    ("SVE", "UFR Sciences de la vie et de l'environnement"),
    ("MATHS", "UFR Mathématiques"),
    (
        "LLCE",
        "UFR Langues, littératures et civilisations étrangères",
    ),
    ("STAPS", "UFR STAPS"),
    ("IUT-LAN", "IUT de Lannion"),
    ("IUT-SMA", "IUT de Saint-Malo"),
    ("OSUR", "Observatoire des sciences de l'univers"),
    ("ESIR", "École supérieure d'ingénieurs"),
    (
        "IPAG",
        "Institut de préparation à l'administration générale",
    ),
    ("SUAPS", "Service des activités physiques et sportives"),
];
/// Departments inside components: code, parent code, name.
const DEPARTMENTS: &[(&str, &str, &str)] = &[
    ("SCI-PHYS", "SCI", "Département de physique"),
    ("ISTIC-INFO", "ISTIC", "Département d'informatique"),
];
const YEARS: &[(&str, &str)] = &[
    ("L1", "L1"),
    ("L2", "L2"),
    ("L3", "L3"),
    ("M1", "M1"),
    ("M2", "M2"),
    ("D (doctorat)", "D"),
];
/// Fixed persons: the first students, then the first of the older persons.
const FIXED_YOUNG: &[(&str, &str, bool)] = &[
    ("Hélène", "Dupré", true),
    ("Jérôme", "Lefèvre", false),
    ("Jean-Pierre", "de La Fontaine", false),
    ("Zoé", "Œuvray", true),
    ("Zoé", "Œuvray", true),
];
const FIXED_OLD: &[(&str, &str, bool)] = &[("Anne-Cécile", "d'Artagnan", true)];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Student,
    Faculty,
    Staff,
}

#[derive(Debug, Default)]
struct Comp {
    code: &'static str,
    lo: u32,
    students: u32,
    faculty: u32,
    staff: u32,
    young_base: u64,
    old_base: u64,
    etudiants: Option<u32>,
    personnels: Option<u32>,
    enseignants: Option<u32>,
    cohorts: Option<Split>,
    teams: Option<Split>,
    /// Per cohort (or team): its TD and TP partitions.
    cohort_td: Vec<[Option<Split>; 2]>,
    team_td: Vec<[Option<Split>; 2]>,
}

impl Comp {
    fn size(&self) -> u32 {
        self.students + self.faculty + self.staff
    }
}

struct Who {
    comp: usize,
    role: Role,
    /// Offset in the component's block of its role kind (students, or faculty + staff).
    offset: u32,
    ordinal: u64,
    given: &'static str,
    surname: &'static str,
    female: bool,
    login: String,
}

pub struct Supann {
    ctx: Ctx,
    domain: String,
    salt: u64,
    n: u32,
    comps: Vec<Comp>,
    big: Option<u32>,
    communaute: Option<u32>,
    plan: Plan,
    pattern: LoginPattern,
}

/// Adds a run-partition of `len` persons from `base` as `parts` groups named by `name(k)`.
fn push_split(
    plan: &mut Plan,
    base: u32,
    len: u32,
    parts: usize,
    name: impl Fn(u32) -> String,
) -> Option<Split> {
    if parts == 0 || len == 0 {
        return None;
    }
    let split = Split {
        base,
        stride: 1,
        len,
        parts: parts as u32,
        first_gid: plan.groups.len() as u32,
    };
    for k in 0..split.parts {
        plan.push(name(k), None, Members::Persons(split.members(k)));
    }
    Some(split)
}

impl Supann {
    pub fn new(opts: &LdifOptions, ctx: Ctx) -> Supann {
        let n = opts.persons as u32;
        let m = opts.max_group.min(opts.persons) as u32;
        let names = Names::new();
        let pattern = LoginPattern::new(opts.seed, &names);
        let salt = mix64(opts.seed ^ 0x5375_7061_6e6e);
        // Enough components that none is bigger than the biggest group.
        let by_size = n.div_ceil(400) as usize;
        let by_big = if m > 0 {
            (u64::from(n) * 5).div_ceil(4 * u64::from(m)) as usize
        } else {
            0
        };
        let k = if n == 0 {
            0
        } else {
            by_size.max(by_big).clamp(1, COMPONENTS.len())
        };
        let weights: Vec<u64> = (0..k).map(|c| 8 + (c as u64 * 7) % 5).collect();
        let sizes = apportion(n as usize, &weights);
        let mut comps = Vec::with_capacity(k);
        let (mut lo, mut young, mut old) = (0u32, 0u64, 0u64);
        for (c, &s) in sizes.iter().enumerate() {
            let s = s as u32;
            let faculty = (f64::from(s) * 0.05).round() as u32;
            let staff = (f64::from(s) * 0.10).round() as u32;
            let comp = Comp {
                code: COMPONENTS[c].0,
                lo,
                students: s - faculty - staff,
                faculty,
                staff,
                young_base: young,
                old_base: old,
                ..Comp::default()
            };
            lo += s;
            young += u64::from(comp.students);
            old += u64::from(faculty + staff);
            comps.push(comp);
        }
        let total = if opts.groups > 0 || n == 0 {
            opts.groups
        } else {
            (n as usize / 11).max(8)
        };
        let mut s = Supann {
            domain: ctx.domain.clone().unwrap_or_else(|| DOMAIN.to_string()),
            ctx,
            salt,
            n,
            comps,
            big: None,
            communaute: None,
            plan: Plan::default(),
            pattern,
        };
        s.plan_groups(total, m);
        s
    }

    fn plan_groups(&mut self, total: usize, m: u32) {
        let mut b = Budget(total);
        let plan = &mut self.plan;
        if m > 0 && b.take() {
            let d = Some("Lecteurs de la bibliothèque universitaire ayant une carte active".into());
            self.big = Some(plan.push(BIGGEST.into(), d, Members::Persons(Ap::range(0, m))));
        }
        let name = |c: &Comp| {
            COMPONENTS
                .iter()
                .find(|x| x.0 == c.code)
                .map_or("", |x| x.1)
        };
        for c in self.comps.iter_mut() {
            if c.students > 0 && b.take() {
                let ap = Ap::range(c.lo, c.lo + c.students);
                let d = Some(format!("Étudiants — {}", name(c)));
                let g = format!("univ:composantes:{}:etudiants", c.code);
                c.etudiants = Some(plan.push(g, d, Members::Persons(ap)));
            }
        }
        for c in self.comps.iter_mut() {
            if c.faculty + c.staff > 0 && b.take() {
                let ap = Ap::range(c.lo + c.students, c.lo + c.size());
                let d = Some(format!("Personnels — {}", name(c)));
                let g = format!("univ:composantes:{}:personnels", c.code);
                c.personnels = Some(plan.push(g, d, Members::Persons(ap)));
            }
        }
        let firsts: Vec<u32> = self
            .comps
            .iter()
            .take(3)
            .filter_map(|c| c.personnels)
            .collect();
        let mut nested = Vec::new();
        if !firsts.is_empty() && b.take() {
            let members = Members::Nested {
                groups: firsts,
                persons: Vec::new(),
            };
            nested.push(plan.push("univ:tous:personnels".into(), None, members));
        }
        if self.n > 0 && b.take() {
            nested.extend(self.comps.first().and_then(|c| c.etudiants));
            let members = Members::Nested {
                groups: nested,
                persons: vec![0],
            };
            let d = Some("Communauté universitaire (groupes imbriqués)".into());
            let g = "univ:tous:communauté (imbriqué)".to_string();
            self.communaute = Some(plan.push(g, d, members));
        }
        for c in self.comps.iter_mut() {
            if c.faculty > 0 && b.take() {
                let ap = Ap::range(c.lo + c.students, c.lo + c.students + c.faculty);
                let d = Some(format!("Enseignants — {}", name(c)));
                let g = format!("univ:composantes:{}:enseignants", c.code);
                c.enseignants = Some(plan.push(g, d, Members::Persons(ap)));
            }
        }
        // Units: diploma cohorts of about 40 students, teams of about 25 staff.
        let desired: Vec<u64> = self
            .comps
            .iter()
            .flat_map(|c| [c.students.div_ceil(40), (c.faculty + c.staff).div_ceil(25)])
            .map(u64::from)
            .collect();
        let wanted: u64 = desired.iter().sum();
        let units: Vec<usize> = if b.0 as u64 >= wanted {
            desired.iter().map(|&d| d as usize).collect()
        } else {
            apportion(b.0, &desired)
        };
        b.0 -= units.iter().sum::<usize>();
        for (ci, c) in self.comps.iter_mut().enumerate() {
            let code = c.code;
            c.cohorts = push_split(plan, c.lo, c.students, units[2 * ci], |k| {
                let (year, _) = YEARS[k as usize % YEARS.len()];
                format!(
                    "univ:diplomes:{code}-{:03}:{year}",
                    k as usize / YEARS.len() + 1
                )
            });
            c.teams = push_split(
                plan,
                c.lo + c.students,
                c.faculty + c.staff,
                units[2 * ci + 1],
                |k| format!("univ:composantes:{code}:equipes:Equipe {}", k + 1),
            );
        }
        // Fillers: two partitions of each cohort, TD and TP groups (or projects and workshops inside
        // the teams when there is no cohort), so a student is in one TD and one TP group.
        let any_cohort = self.comps.iter().any(|c| c.cohorts.is_some());
        let mut hosts: Vec<(usize, u32, Ap)> = Vec::new();
        for (ci, c) in self.comps.iter().enumerate() {
            let split = if any_cohort { c.cohorts } else { c.teams };
            if let Some(s) = split {
                hosts.extend((0..s.parts).map(|k| (ci, k, s.members(k))));
            }
        }
        let sizes: Vec<u64> = hosts.iter().map(|h| h.2.len() as u64).collect();
        let fillers = apportion(b.0, &sizes);
        for ((ci, k, ap), f) in hosts.into_iter().zip(fillers) {
            let c = &mut self.comps[ci];
            let code = c.code;
            let (_, short) = YEARS[k as usize % YEARS.len()];
            let d = k as usize / YEARS.len() + 1;
            let mut pair = [None, None];
            for (half, parts) in [(0, f.div_ceil(2)), (1, f / 2)] {
                pair[half] = push_split(plan, ap.start, ap.len() as u32, parts, |t| {
                    let kind = match (any_cohort, half) {
                        (true, 0) => "Groupe TD",
                        (true, _) => "Groupe TP",
                        (false, 0) => "Projet",
                        (false, _) => "Atelier",
                    };
                    if any_cohort {
                        format!("univ:enseignements:{code}-{d:03}-{short}:{kind} {}", t + 1)
                    } else {
                        format!("univ:projets:{code}-E{}:{kind} {}", k + 1, t + 1)
                    }
                });
            }
            let list = if any_cohort {
                &mut c.cohort_td
            } else {
                &mut c.team_td
            };
            list.resize(k as usize + 1, [None, None]);
            list[k as usize] = pair;
        }
        plan.link_nested();
    }

    fn comp_of(&self, i: u32) -> usize {
        self.comps.partition_point(|c| c.lo <= i).saturating_sub(1)
    }

    fn who(&self, i: u32) -> Who {
        let comp = self.comp_of(i);
        let c = &self.comps[comp];
        let o = i - c.lo;
        let (role, offset, young) = if o < c.students {
            (Role::Student, o, true)
        } else if o < c.students + c.faculty {
            (Role::Faculty, o - c.students, false)
        } else {
            (Role::Staff, o - c.students, false)
        };
        let ordinal = if young { c.young_base } else { c.old_base } + u64::from(offset);
        let fixed = if young { FIXED_YOUNG } else { FIXED_OLD };
        let (given, surname, female, login) = match fixed.get(ordinal as usize) {
            Some(&(g, s, f)) => {
                let twin = fixed[..ordinal as usize]
                    .iter()
                    .filter(|x| x.0 == g && x.1 == s)
                    .count();
                let base = login_base(g, s);
                let login = if twin == 0 {
                    base
                } else {
                    format!("{base}{}", twin + 1)
                };
                (g, s, f, login)
            }
            None => {
                let p = if young {
                    self.pattern.young(ordinal)
                } else {
                    self.pattern.old(ordinal)
                };
                (p.given, p.surname, p.female, p.login())
            }
        };
        Who {
            comp,
            role,
            offset,
            ordinal,
            given,
            surname,
            female,
            login,
        }
    }

    fn groups_of(&self, i: u32, who: &Who, out: &mut Vec<u32>) {
        let c = &self.comps[who.comp];
        if let Some(g) = self.big
            && let Members::Persons(ap) = &self.plan.groups[g as usize].members
            && i < ap.end
        {
            out.push(g);
        }
        if i == 0 {
            out.extend(self.communaute);
        }
        let (unit, tds) = if who.role == Role::Student {
            out.extend(c.etudiants);
            (c.cohorts, &c.cohort_td)
        } else {
            out.extend(c.personnels);
            if who.role == Role::Faculty {
                out.extend(c.enseignants);
            }
            (c.teams, &c.team_td)
        };
        if let Some(split) = unit {
            split.parts_of(who.offset, |g| {
                out.push(g);
                let k = g - split.first_gid;
                for td in tds.get(k as usize).into_iter().flatten().flatten() {
                    td.parts_of(i - td.base, |t| out.push(t));
                }
            });
        }
        out.sort_unstable();
        out.dedup();
    }
}

impl Population for Supann {
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
        out.push_str(&self.who(i).login);
        out.push_str(",ou=people,");
        out.push_str(&self.ctx.base);
    }

    fn teachers(&self, _etab: u32, _class: u32, _f: &mut dyn FnMut(u32)) {}

    fn write_structures<W: Write>(&self, w: &mut Ldif<W>) -> io::Result<usize> {
        let base = &self.ctx.base;
        w.dn(&format!("supannCodeEntite={UAI},ou=structures,{base}"))?;
        w.classes(&["top", "organization", "supannOrg", "supannEntite"])?;
        w.attr("o", ORG)?;
        w.attr("supannCodeEntite", UAI)?;
        w.attr("supannEtablissement", &format!("{{UAI}}{UAI}"))?;
        w.attr("description", ORG)?;
        w.attr("postalAddress", "2 rue du Thabor$35000 Rennes")?;
        w.attr("telephoneNumber", "+33 2 99 00 00 00")?;
        w.end()?;
        let parents = COMPONENTS.iter().map(|&(c, n)| (c, UAI, n));
        let depts = DEPARTMENTS.iter().copied();
        for (code, parent, name) in parents.chain(depts) {
            w.dn(&format!("supannCodeEntite={code},ou=structures,{base}"))?;
            w.classes(&["top", "organizationalUnit", "supannEntite"])?;
            w.attr("ou", name)?;
            w.attr("description", name)?;
            w.attr("supannCodeEntite", code)?;
            w.attr("supannCodeEntiteParent", parent)?;
            w.end()?;
        }
        Ok(1 + COMPONENTS.len() + DEPARTMENTS.len())
    }

    fn write_person<W: Write>(&mut self, i: u32, w: &mut Ldif<W>) -> io::Result<()> {
        let who = self.who(i);
        let mut rng = Rng::new(self.ctx.seed, 0x5355_0000_0000 + u64::from(i));
        let year = i64::from(self.ctx.year);
        let (login, domain) = (&who.login, &self.domain);
        let code = self.comps[who.comp].code;
        w.dn(&format!("uid={login},ou=people,{}", self.ctx.base))?;
        w.classes(&[
            "top",
            "person",
            "organizationalPerson",
            "inetOrgPerson",
            "eduPerson",
            "supannPerson",
            "schacPersonalCharacteristics",
            "schacEntryMetadata",
            "eduMember",
        ])?;
        let full = format!("{} {}", who.given, who.surname);
        w.attr("uid", login)?;
        w.attr("cn", &full)?;
        w.attr("sn", who.surname)?;
        w.attr("givenName", who.given)?;
        w.attr("displayName", &full)?;
        let student = who.role == Role::Student;
        let mail = if student {
            format!("{login}@etu.{domain}")
        } else {
            format!("{login}@{domain}")
        };
        w.attr("mail", &mail)?;
        w.attr("eduPersonPrincipalName", &format!("{login}@{domain}"))?;
        let (primary, affiliations): (&str, &[&str]) = match who.role {
            Role::Student => ("student", &["student", "member"]),
            Role::Faculty if rng.chance(0.5) => {
                ("faculty", &["faculty", "researcher", "employee", "member"])
            }
            Role::Faculty => ("faculty", &["faculty", "employee", "member"]),
            Role::Staff => ("staff", &["staff", "employee", "member"]),
        };
        for a in affiliations {
            w.attr("eduPersonAffiliation", a)?;
        }
        w.attr("eduPersonPrimaryAffiliation", primary)?;
        w.attr("supannCivilite", if who.female { "Mme" } else { "M." })?;
        if student {
            let etu = 20_000_000 + scatter(who.ordinal, self.salt ^ 0xe7, 7);
            w.attr("supannEtuId", &etu.to_string())?;
            w.attr("supannCodeINE", &ine(who.ordinal, self.salt))?;
        } else {
            let emp = scatter(who.ordinal, self.salt ^ 0xe4, 6);
            w.attr("supannEmpId", &format!("{emp:06}"))?;
            if rng.chance(0.6) {
                let t = scatter(u64::from(i), self.salt ^ 0x7e1, 6);
                let tel = format!(
                    "+33 2 99 {:02} {:02} {:02}",
                    t / 10_000,
                    t / 100 % 100,
                    t % 100
                );
                w.attr("telephoneNumber", &tel)?;
            }
        }
        w.attr("supannEtablissement", &format!("{{UAI}}{UAI}"))?;
        w.attr("supannEntiteAffectation", code)?;
        w.attr("supannEntiteAffectationPrincipale", code)?;
        if rng.chance(0.02) {
            w.attr("supannListeRouge", "TRUE")?;
        }
        if rng.chance(0.45) {
            w.attr(
                "supannRefId",
                &format!("{{ISO15693}}{}", csn(u64::from(i), self.salt)),
            )?;
        }
        if rng.chance(0.2) {
            let id = scatter(u64::from(i), self.salt ^ 0xac, 7);
            w.attr(
                "supannRefId",
                &format!("{{UNIV-GUICHET:ACCESS-CONTROL}}{id:07}"),
            )?;
        }
        let age = if student {
            rng.range(18, 27)
        } else {
            rng.range(24, 64)
        };
        let (m, d) = (rng.range(1, 12), rng.range(1, 28));
        w.attr(
            "schacDateOfBirth",
            &format!("{:04}{m:02}{d:02}", year - age),
        )?;
        let expiry = if rng.chance(0.04) {
            format!("{year}0630235959Z")
        } else if student || rng.chance(0.2) {
            format!("{}0831235959Z", year + 1)
        } else {
            format!("{}1231235959Z", year + rng.range(3, 8))
        };
        w.attr("schacExpiryDate", &expiry)?;
        let mut groups = Vec::new();
        self.groups_of(i, &who, &mut groups);
        for g in groups {
            w.attr("isMemberOf", self.plan.name(g))?;
        }
        w.end()
    }
}

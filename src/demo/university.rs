//! The university: Université de Brocéliande, its components, its groups, and its persons (students,
//! faculty, staff, employees, guests) with SupAnn / eduPerson identifiers and card stories.

use rusqlite::Transaction;

use super::cards::{Holder, Story, UNIV_PRINTERS};
use super::people::{DAY, Name, World, YEAR};
use super::rng::Weighted;
use crate::domain::card::{CardState, DisableReason};
use crate::domain::group::{GroupKind, GroupRecord};
use crate::domain::person::PersonRecord;
use crate::domain::structure::{StructureKind, StructureRecord};
use crate::store::{Result, structures};

/// The university's fictitious UAI, also its structure code.
pub const UAI: &str = "0359999Z";
const DOMAIN: &str = "univ-broceliande.fr";
const GROUP_ROOT: &str = "univ-broceliande";
const OPERATORS: &[&str] = &[
    "sandrine.le-gall@univ-broceliande.fr",
    "yannick.morvan@univ-broceliande.fr",
    "claire.hamon@univ-broceliande.fr",
    "thomas.riou@univ-broceliande.fr",
];

/// Share of the students who opt in for the European Student Card (and so get an ESCN).
const ESC_OPT_IN: f64 = 0.65;

/// A component: code, name, weight among students, weight among personnel, study levels.
type ComponentDef = (
    &'static str,
    &'static str,
    u64,
    u64,
    &'static [&'static str],
);

const LMD: &[&str] = &["L1", "L2", "L3", "M1", "M2"];
const LMDD: &[&str] = &["L1", "L2", "L3", "M1", "M2", "DOC"];
const MED: &[&str] = &["PASS", "DFGSM2", "DFGSM3", "DFASM1", "DFASM2", "DFASM3"];
#[rustfmt::skip]
const COMPONENTS: &[ComponentDef] = &[
    ("UFR-SCI", "UFR Sciences et Techniques", 22, 16, LMDD),
    ("FAC-DROIT", "Faculté de Droit", 18, 8, LMD),
    ("IUT", "IUT de Brocéliande", 12, 8, &["BUT1", "BUT2", "BUT3"]),
    ("UFR-LL", "UFR Lettres et Langues", 16, 9, LMDD),
    ("FAC-MED", "Faculté de Médecine", 15, 12, MED),
    ("UFR-STAPS", "UFR STAPS", 6, 4, LMD),
    ("ECOLE-ING", "École d'ingénieurs", 11, 7, &["ING1", "ING2", "ING3"]),
    ("SERV-CENTRAUX", "Services centraux", 0, 36, &[]),
];

/// Affiliations (eduPersonPrimaryAffiliation), their share, and their group's display name.
const AFFILIATIONS: &[(&str, u64, &str)] = &[
    ("student", 83, "Étudiants"),
    ("faculty", 6, "Enseignants et enseignants-chercheurs"),
    ("staff", 6, "Personnels BIATSS"),
    ("employee", 2, "Personnels contractuels"),
    ("affiliate", 3, "Invités et lecteurs extérieurs"),
];

/// A forced name: given name, surname, female.
type ForcedName = (&'static str, &'static str, bool);

/// A fixed person: given name, surname, female, component index, level index, card story.
type FixedPerson = (&'static str, &'static str, bool, usize, usize, Story);

/// The persons every demo database has, in this order.
#[rustfmt::skip]
const FIXED: &[FixedPerson] = &[
    ("Hélène", "Dupré", true, 3, 1, Story::Pending(CardState::New)),
    ("Jérôme", "Lefèvre", false, 0, 2, Story::Enabled),
    ("Jean-Pierre", "de La Fontaine", false, 1, 3, Story::Enabled),
    ("Zoé", "Œuvray", true, 4, 0, Story::Renewal { destroy_old: false }),
    ("Jean", "Dupont", false, 2, 0, Story::Enabled),
    ("Jean", "Dupont", false, 5, 1, Story::Lost(DisableReason::Theft)),
];

/// The first random students play these stories, so that every card state occurs in any database
/// of a reasonable size; the names force a few more homonyms.
#[rustfmt::skip]
const PRELUDE: &[(Option<ForcedName>, Story)] = &[
    (None, Story::Pending(CardState::RequestChecked)),
    (None, Story::Pending(CardState::InPrint)),
    (None, Story::Pending(CardState::Printed)),
    (None, Story::Pending(CardState::InEncode)),
    (None, Story::Pending(CardState::Encoded)),
    (Some(("Marie", "Martin", true)), Story::Rejected),
    (Some(("Marie", "Martin", true)), Story::Canceled { then_new: false }),
    (None, Story::PendingRenewal),
    (None, Story::Expired { destroy: false }),
    (None, Story::Expired { destroy: true }),
    (Some(("Jean", "Dupont", false)), Story::DisabledOnly(DisableReason::Lost)),
    (None, Story::Renewal { destroy_old: true }),
    (None, Story::Broken),
];

const STUDENT_STORIES: &[(Story, u64)] = &[
    (Story::NoCard, 50),
    (Story::Enabled, 600),
    (Story::Lost(DisableReason::Lost), 45),
    (Story::Lost(DisableReason::Theft), 15),
    (Story::Broken, 20),
    (Story::Renewal { destroy_old: false }, 35),
    (Story::Renewal { destroy_old: true }, 15),
    (Story::PendingRenewal, 15),
    (Story::Pending(CardState::New), 30),
    (Story::Pending(CardState::RequestChecked), 15),
    (Story::Pending(CardState::InPrint), 8),
    (Story::Pending(CardState::Printed), 5),
    (Story::Pending(CardState::InEncode), 3),
    (Story::Pending(CardState::Encoded), 6),
    (Story::Rejected, 15),
    (Story::RejectedThenCanceled, 10),
    (Story::Canceled { then_new: false }, 8),
    (Story::Canceled { then_new: true }, 12),
    (Story::DisabledOnly(DisableReason::Lost), 8),
    (Story::DisabledOnly(DisableReason::OutOfOrder), 3),
    (Story::Reenabled, 10),
    (Story::Misencoded, 8),
];

const STAFF_STORIES: &[(Story, u64)] = &[
    (Story::NoCard, 40),
    (Story::Enabled, 720),
    (Story::Lost(DisableReason::Lost), 40),
    (Story::Broken, 20),
    (Story::Renewal { destroy_old: false }, 50),
    (Story::Renewal { destroy_old: true }, 30),
    (Story::PendingRenewal, 10),
    (Story::Pending(CardState::New), 15),
    (Story::Pending(CardState::RequestChecked), 8),
    (Story::Pending(CardState::InPrint), 4),
    (Story::Reenabled, 10),
    (Story::DisabledOnly(DisableReason::OutOfOrder), 5),
];

const EXPIRED_STORIES: &[(Story, u64)] = &[
    (Story::NoCard, 15),
    (Story::Expired { destroy: false }, 45),
    (Story::Expired { destroy: true }, 20),
    (Story::ExpiredRequest, 10),
    (Story::ExpiredDisabled, 10),
];

const GUEST_STORIES: &[(Story, u64)] = &[
    (Story::NoCard, 45),
    (Story::Enabled, 40),
    (Story::Pending(CardState::New), 5),
    (Story::Pending(CardState::RequestChecked), 3),
    (Story::Canceled { then_new: false }, 2),
];

fn table(stories: &'static [(Story, u64)]) -> (Weighted, &'static [(Story, u64)]) {
    (Weighted::new(stories.iter().map(|s| s.1)), stories)
}

/// Where a student is enrolled and what happens to their cards.
struct Enrolment {
    /// Index in [`COMPONENTS`].
    component: usize,
    /// Index of the study level in the component's levels.
    level: usize,
    /// Rights ended with the last academic year.
    expired: bool,
    /// A forced card story (else drawn from the students' table).
    story: Option<Story>,
    /// The first encoded card gets [`FIXED_CSN`](super::cards::FIXED_CSN).
    fixed_csn: bool,
}

struct Component {
    code: &'static str,
    group: i64,
    levels: Vec<(&'static str, i64)>,
}

/// The university's groups and the state of its population.
pub struct University {
    components: Vec<Component>,
    affiliation_groups: Vec<i64>,
    student_components: Weighted,
    staff_components: Weighted,
    affiliations: Weighted,
    stories: [(Weighted, &'static [(Story, u64)]); 4],
    prelude: usize,
}

/// The persons of the university the plan asks for.
pub fn fixed_count() -> usize {
    FIXED.len()
}

impl University {
    /// Creates the structures and groups.
    pub fn setup(tx: &Transaction<'_>, w: &mut World) -> Result<University> {
        structures::upsert(
            tx,
            &StructureRecord {
                code: UAI.into(),
                uai: Some(UAI.into()),
                kind: StructureKind::University,
                name: "Université de Brocéliande".into(),
                parent_code: None,
            },
        )?;
        w.summary.structures += 1;
        let mut components = Vec::new();
        for &(code, name, _, _, levels) in COMPONENTS {
            let kind = if code == "SERV-CENTRAUX" {
                StructureKind::Service
            } else {
                StructureKind::Component
            };
            structures::upsert(
                tx,
                &StructureRecord {
                    code: code.into(),
                    uai: None,
                    kind,
                    name: name.into(),
                    parent_code: Some(UAI.into()),
                },
            )?;
            w.summary.structures += 1;
            let group = w.group(
                tx,
                &record(
                    format!("{GROUP_ROOT}:structures:{code}"),
                    name,
                    GroupKind::Structure,
                ),
            )?;
            let mut level_groups = Vec::new();
            for &level in levels {
                let name = format!("{GROUP_ROOT}:etudiants:{code}:{level}");
                let gid = w.group(
                    tx,
                    &record(name, &format!("{code} {level}"), GroupKind::Group),
                )?;
                level_groups.push((level, gid));
            }
            components.push(Component {
                code,
                group,
                levels: level_groups,
            });
        }
        let mut affiliation_groups = Vec::new();
        for &(aff, _, label) in AFFILIATIONS {
            affiliation_groups.push(w.group(
                tx,
                &record(
                    format!("{GROUP_ROOT}:affiliations:{aff}"),
                    label,
                    GroupKind::Profile,
                ),
            )?);
        }
        Ok(University {
            components,
            affiliation_groups,
            student_components: Weighted::new(COMPONENTS.iter().map(|c| c.2)),
            staff_components: Weighted::new(COMPONENTS.iter().map(|c| c.3)),
            affiliations: Weighted::new(AFFILIATIONS.iter().map(|a| a.1)),
            stories: [
                table(STUDENT_STORIES),
                table(STAFF_STORIES),
                table(EXPIRED_STORIES),
                table(GUEST_STORIES),
            ],
            prelude: 0,
        })
    }

    /// Writes fixed person `i` (see [`fixed_count`]).
    pub fn fixed(&mut self, tx: &Transaction<'_>, w: &mut World, i: usize) -> Result<()> {
        let Some(&(given, surname, female, component, level, story)) = FIXED.get(i) else {
            return Ok(());
        };
        let name = Name {
            given,
            surname,
            female,
        };
        let enrolment = Enrolment {
            component,
            level,
            expired: false,
            story: Some(story),
            fixed_csn: surname == "Lefèvre",
        };
        self.student(tx, w, name, enrolment)
    }

    /// Writes one random person of the university.
    pub fn random(&mut self, tx: &Transaction<'_>, w: &mut World) -> Result<()> {
        if let Some(&(forced, story)) = PRELUDE.get(self.prelude) {
            self.prelude += 1;
            let name = match forced {
                Some((given, surname, female)) => Name {
                    given,
                    surname,
                    female,
                },
                None => {
                    let female = w.rng.chance(0.55);
                    w.name(female, true)
                }
            };
            let component = self.student_components.sample(&mut w.rng);
            let expired = matches!(story, Story::Expired { .. });
            let level = 1 + w.rng.index(2);
            let enrolment = Enrolment {
                component,
                level,
                expired,
                story: Some(story),
                fixed_csn: false,
            };
            return self.student(tx, w, name, enrolment);
        }
        let affiliation = AFFILIATIONS
            .get(self.affiliations.sample(&mut w.rng))
            .map_or("student", |a| a.0);
        if affiliation == "student" {
            let female = w.rng.chance(0.56);
            let name = w.name(female, true);
            let component = self.student_components.sample(&mut w.rng);
            let levels = COMPONENTS.get(component).map_or(1, |c| c.4.len().max(1));
            let level = w.rng.index(levels);
            let expired = w.rng.chance(0.05);
            let enrolment = Enrolment {
                component,
                level,
                expired,
                story: None,
                fixed_csn: false,
            };
            self.student(tx, w, name, enrolment)
        } else {
            self.personnel(tx, w, affiliation)
        }
    }

    fn student(
        &mut self,
        tx: &Transaction<'_>,
        w: &mut World,
        name: Name,
        enrolment: Enrolment,
    ) -> Result<()> {
        let Enrolment {
            component,
            level,
            expired,
            story,
            fixed_csn,
        } = enrolment;
        let comp = self.components.get(component).or(self.components.first());
        let code = comp.map_or("UFR-SCI", |c| c.code);
        // Years since enrolment: at most the three years of generated history.
        let years = level.min(2) as i16;
        let login = w.eppns.next(name.given, name.surname);
        let (due, start_offset) = if expired {
            (w.year_end(-1), -1 - years)
        } else {
            (w.year_end(0), -years)
        };
        let age = 18
            + level as i64
            + if w.rng.chance(0.15) {
                w.rng.range(1, 3)
            } else {
                0
            };
        let born = (i64::from(w.year) - age).clamp(1998, 2008);
        let story = story.unwrap_or_else(|| {
            let (weights, list) = &self.stories[if expired { 2 } else { 0 }];
            let s = list
                .get(weights.sample(&mut w.rng))
                .map_or(Story::Enabled, |s| s.0);
            if s == Story::RejectedThenCanceled && years == 0 {
                Story::Rejected
            } else {
                s
            }
        });
        let editable =
            !(matches!(story, Story::NoCard | Story::Pending(CardState::New)) && w.rng.chance(0.1));
        let mut rec = PersonRecord {
            dn: Some(format!("uid={login},ou=people,dc=univ-broceliande,dc=fr")),
            entry_uuid: Some(w.entry_uuid()),
            uid: Some(login.clone()),
            eppn: Some(format!("{login}@{DOMAIN}")),
            supann_etu_id: Some(w.etu_id()),
            ine: Some(w.ine()),
            surname: name.surname.into(),
            given_name: name.given.into(),
            civility: Some(if name.female { "Mme" } else { "M." }.into()),
            birth_date: w.birth_date(born, born),
            email: Some(format!("{login}@etu.{DOMAIN}")),
            affiliation: "student".into(),
            structure_code: Some(code.into()),
            due_date: due,
            editable,
            source: "demo".into(),
            ..Default::default()
        };
        w.maybe_access_control(&mut rec, 0.2);
        let id = w.insert_person(tx, &rec)?;
        if let Some(c) = comp {
            w.member(tx, c.group, id)?;
            if let Some(&(_, g)) = c.levels.get(level) {
                w.member(tx, g, id)?;
            }
        }
        if let Some(&g) = self.affiliation_groups.first() {
            w.member(tx, g, id)?;
        }
        let enrolled = w.back_to_school(start_offset, 40);
        let start = story_start(w, story, enrolled);
        let eppn = rec.eppn.as_deref();
        let mut holder = Holder {
            person_id: id,
            editable,
            due_date: due,
            qr: eppn,
            // Students opt in for the European Student Card (ESUP-SGC's `europeanTransient`).
            escn: fixed_csn || w.rng.chance(ESC_OPT_IN),
            self_actor: eppn,
            operators: OPERATORS,
            printers: UNIV_PRINTERS,
            photo_id: None,
            fixed_csn,
        };
        w.cards(tx, &mut holder, story, start, 0.3)
    }

    fn personnel(&mut self, tx: &Transaction<'_>, w: &mut World, affiliation: &str) -> Result<()> {
        let female = w
            .rng
            .chance(if affiliation == "faculty" { 0.45 } else { 0.6 });
        let mut name = w.name(female, false);
        let mut birth_name = None;
        if female && w.rng.chance(0.3) {
            birth_name = Some(name.surname.to_string());
            name.surname = w.surname();
        }
        let component = if affiliation == "affiliate" {
            self.student_components.sample(&mut w.rng)
        } else {
            self.staff_components.sample(&mut w.rng)
        };
        let comp = self.components.get(component).or(self.components.first());
        let login = w.eppns.next(name.given, name.surname);
        let expired = w.rng.chance(if affiliation == "affiliate" {
            0.12
        } else {
            0.03
        });
        let due = match (affiliation, expired) {
            (_, true) => w.year_end(-1),
            ("faculty" | "staff", false) if w.rng.chance(0.7) => None,
            ("affiliate", false) => w.year_end(0),
            _ => {
                let offset = w.rng.range(0, 2) as i16;
                w.year_end(offset)
            }
        };
        let (weights, list) = &self.stories[match (affiliation, expired) {
            (_, true) => 2,
            ("affiliate", false) => 3,
            _ => 1,
        }];
        let story = list
            .get(weights.sample(&mut w.rng))
            .map_or(Story::Enabled, |s| s.0);
        let external = affiliation == "affiliate" && w.rng.chance(0.5);
        let mut rec = PersonRecord {
            dn: Some(format!("uid={login},ou=people,dc=univ-broceliande,dc=fr")),
            entry_uuid: Some(w.entry_uuid()),
            uid: Some(login.clone()),
            eppn: Some(format!("{login}@{DOMAIN}")),
            supann_emp_id: (affiliation != "affiliate").then(|| w.emp_id()),
            surname: name.surname.into(),
            given_name: name.given.into(),
            birth_name,
            civility: Some(if female { "Mme" } else { "M." }.into()),
            birth_date: w.birth_date(1958, 1998),
            email: Some(if external {
                format!("{login}@example.org")
            } else {
                format!("{login}@{DOMAIN}")
            }),
            affiliation: affiliation.into(),
            structure_code: comp.map(|c| c.code.to_string()),
            due_date: due,
            editable: true,
            source: "demo".into(),
            ..Default::default()
        };
        w.maybe_access_control(&mut rec, 0.35);
        let id = w.insert_person(tx, &rec)?;
        if let Some(c) = comp {
            w.member(tx, c.group, id)?;
        }
        let aff_index = AFFILIATIONS
            .iter()
            .position(|a| a.0 == affiliation)
            .unwrap_or(0);
        if let Some(&g) = self.affiliation_groups.get(aff_index) {
            w.member(tx, g, id)?;
        }
        let first = if expired {
            w.now_s - 3 * YEAR + 30 * DAY
        } else {
            w.now_s - 3 * YEAR + 10 * DAY
        };
        let last = if expired {
            super::people::date_seconds(due).unwrap_or(w.limit) - 60 * DAY
        } else {
            w.limit - 30 * DAY
        };
        let usual = w.rng.range(first, last.max(first));
        let start = story_start(w, story, usual);
        let eppn = rec.eppn.as_deref();
        let mut holder = Holder {
            person_id: id,
            editable: true,
            due_date: due,
            qr: eppn,
            escn: false,
            self_actor: eppn,
            operators: OPERATORS,
            printers: UNIV_PRINTERS,
            photo_id: None,
            fixed_csn: false,
        };
        w.cards(tx, &mut holder, story, start, 0.2)
    }
}

/// When a story starts: recently for requests still in production, else at `usual` (kept within the
/// generated history).
pub fn story_start(w: &mut World, story: Story, usual: i64) -> i64 {
    match story {
        Story::Pending(_) => w.recent(20),
        Story::Expired { .. } | Story::ExpiredRequest | Story::ExpiredDisabled => {
            usual.max(w.now_s - 3 * YEAR + 10 * DAY)
        }
        _ => w.clamp_start(usual),
    }
}

fn record(name: String, display: &str, kind: GroupKind) -> GroupRecord {
    GroupRecord {
        name,
        display_name: display.into(),
        kind,
        source: "demo".into(),
    }
}

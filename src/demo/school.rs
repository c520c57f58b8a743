//! The secondary school: Lycée Anne de Bretagne, with SDET-style persons (pupils, teachers, staff,
//! parents linked to their children), RECIA-style logins and join keys, and Grouper-named classes
//! and profile groups (`esco:Etablissements:<NAME>_<UAI>:<level>:Eleves_<class>`).

use rusqlite::Transaction;

use super::cards::{Holder, Story};
use super::people::{DAY, Name, World};
use super::rng::Weighted;
use super::university::story_start;
use crate::domain::card::{CardState, DisableReason};
use crate::domain::group::{GroupKind, GroupRecord};
use crate::domain::person::{IdKind, PersonRecord};
use crate::domain::structure::{StructureKind, StructureRecord};
use crate::store::{Result, persons, structures};

/// The school's fictitious UAI, also its structure code.
pub const UAI: &str = "0291234X";
const NAME: &str = "Lycée Anne de Bretagne";
/// Grouper stem of the school.
pub const STEM: &str = "esco:Etablissements:LYCEE_ANNE_DE_BRETAGNE_0291234X";
const MAIL_DOMAIN: &str = "ent-broceliande.fr";
const OPERATORS: &[&str] = &[
    "nathalie.prigent",
    "erwan.le-gall",
    "vie-scolaire.lycee-anne-de-bretagne",
];
const PRINTERS: &[&str] = &["evolis-zenius-cdi"];
/// Levels: Grouper stem, class prefix, share of the pupils, age at the start of the year.
const LEVELS: &[(&str, &str, u64, i64)] = &[
    ("2NDE", "2NDE", 36, 15),
    ("1ERE", "1G", 32, 16),
    ("TERM", "TG", 32, 17),
];
/// Pupils per class the plan aims at.
const CLASS_SIZE: usize = 28;

const PUPIL_STORIES: &[(Story, u64)] = &[
    (Story::NoCard, 300),
    (Story::Enabled, 520),
    (Story::Lost(DisableReason::Lost), 40),
    (Story::Pending(CardState::New), 30),
    (Story::Pending(CardState::RequestChecked), 20),
    (Story::Pending(CardState::InPrint), 10),
    (Story::Rejected, 10),
    (Story::Canceled { then_new: true }, 10),
    (Story::Reenabled, 20),
    (Story::DisabledOnly(DisableReason::Lost), 10),
    (Story::Renewal { destroy_old: false }, 20),
];

const ADULT_STORIES: &[(Story, u64)] = &[
    (Story::NoCard, 350),
    (Story::Enabled, 550),
    (Story::Lost(DisableReason::Lost), 30),
    (Story::Renewal { destroy_old: true }, 30),
    (Story::Pending(CardState::New), 20),
    (Story::Reenabled, 20),
];

struct Class {
    level: usize,
    eleves: i64,
    profs: i64,
}

/// The school's groups, its plan, and how far it has been written.
pub struct School {
    classes: Vec<Class>,
    head_teachers: Vec<i64>,
    eleves: i64,
    profs: i64,
    parents: i64,
    everyone: i64,
    admin: Vec<(&'static str, i64)>,
    all_admin: i64,
    level_weights: Weighted,
    pupil_stories: Weighted,
    adult_stories: Weighted,
    /// Profiles of the staff to write, in order.
    staff: Vec<&'static str>,
    teachers: usize,
    budget: usize,
    written: usize,
    teachers_written: usize,
    families: usize,
}

/// Staff, teacher and class counts for a school of `budget` persons.
fn plan(budget: usize) -> (Vec<&'static str>, usize, usize) {
    let mut staff = vec!["National_DOC"];
    if budget >= 40 {
        staff.extend(std::iter::repeat_n("National_DIR", 2 + budget / 2000));
        staff.extend(std::iter::repeat_n("National_ETA", (budget / 150).max(1)));
        staff.extend(std::iter::repeat_n("National_EVS", (budget / 120).max(1)));
    }
    let teachers = (budget / 30).max(1);
    let pupils_estimate = budget.saturating_sub(staff.len() + teachers) * 10 / 25;
    let per_level = pupils_estimate
        .div_ceil(LEVELS.len() * CLASS_SIZE)
        .clamp(1, 20);
    (staff, teachers, per_level)
}

impl School {
    /// Creates the structure and groups for a school of `budget` persons (at least 4).
    pub fn setup(tx: &Transaction<'_>, w: &mut World, budget: usize) -> Result<School> {
        structures::upsert(
            tx,
            &StructureRecord {
                code: UAI.into(),
                uai: Some(UAI.into()),
                kind: StructureKind::School,
                name: NAME.into(),
                parent_code: None,
            },
        )?;
        w.summary.structures += 1;
        let (staff, teachers, per_level) = plan(budget);
        let mut classes = Vec::new();
        let mut head_teachers = Vec::new();
        for (level, &(stem, prefix, _, _)) in LEVELS.iter().enumerate() {
            head_teachers.push(w.group(
                tx,
                &group(
                    format!("{STEM}:{stem}:Profs Principaux"),
                    "Professeurs principaux",
                    GroupKind::Group,
                ),
            )?);
            // Seconde has one class more than the other levels, as in most lycées.
            let count = if level == 0 { per_level + 1 } else { per_level };
            for n in 1..=count {
                let class = format!("{prefix}{n}");
                let eleves = w.group(
                    tx,
                    &group(
                        format!("{STEM}:{stem}:Eleves_{class}"),
                        &format!("Élèves {class}"),
                        GroupKind::Class,
                    ),
                )?;
                let profs = w.group(
                    tx,
                    &group(
                        format!("{STEM}:{stem}:Profs_{class}"),
                        &format!("Professeurs {class}"),
                        GroupKind::Group,
                    ),
                )?;
                classes.push(Class {
                    level,
                    eleves,
                    profs,
                });
            }
        }
        let eleves = w.group(
            tx,
            &group(format!("{STEM}:Eleves"), "Élèves", GroupKind::Profile),
        )?;
        let profs = w.group(
            tx,
            &group(format!("{STEM}:Profs"), "Professeurs", GroupKind::Profile),
        )?;
        let parents = w.group(
            tx,
            &group(format!("{STEM}:Parents"), "Parents", GroupKind::Profile),
        )?;
        let everyone = w.group(
            tx,
            &group(
                format!("{STEM}:Tous_LYCEE_ANNE_DE_BRETAGNE"),
                "Tous",
                GroupKind::Profile,
            ),
        )?;
        let mut admin = Vec::new();
        for (profile, function) in [
            ("National_DIR", "DIRECTION"),
            ("National_ETA", "PERSONNELS ADMINISTRATIFS"),
            ("National_EVS", "EDUCATION"),
            ("National_DOC", "DOCUMENTATION"),
        ] {
            admin.push((
                profile,
                w.group(
                    tx,
                    &group(
                        format!("{STEM}:Administratifs:{function}"),
                        function,
                        GroupKind::Group,
                    ),
                )?,
            ));
        }
        let all_admin = w.group(
            tx,
            &group(
                format!("{STEM}:Administratifs:Tous_Administratifs"),
                "Tous les administratifs",
                GroupKind::Group,
            ),
        )?;
        Ok(School {
            classes,
            head_teachers,
            eleves,
            profs,
            parents,
            everyone,
            admin,
            all_admin,
            level_weights: Weighted::new(LEVELS.iter().map(|l| l.2)),
            pupil_stories: Weighted::new(PUPIL_STORIES.iter().map(|s| s.1)),
            adult_stories: Weighted::new(ADULT_STORIES.iter().map(|s| s.1)),
            staff,
            teachers,
            budget,
            written: 0,
            teachers_written: 0,
            families: 0,
        })
    }

    /// Writes the next unit (a staff member, a teacher, or a family); `false` when the school is full.
    pub fn step(&mut self, tx: &Transaction<'_>, w: &mut World) -> Result<bool> {
        let left = self.budget.saturating_sub(self.written);
        if left == 0 {
            return Ok(false);
        }
        if let Some(&profile) = self.staff.get(self.written) {
            self.adult(tx, w, profile, None)?;
            self.written += 1;
        } else if self.teachers_written < self.teachers || left == 1 {
            let fixed = (self.teachers_written == 0).then_some(Name {
                given: "Anne-Cécile",
                surname: "d'Artagnan",
                female: true,
            });
            self.adult(tx, w, "National_ENS", fixed)?;
            self.teachers_written += 1;
            self.written += 1;
        } else {
            self.written += self.family(tx, w, left)?;
        }
        Ok(true)
    }

    /// Common fields of a school person.
    fn record(&self, w: &mut World, name: &Name, profile: &str) -> PersonRecord {
        let uid = w.school_uid();
        let login = w.ent_logins.next(name.given, name.surname);
        PersonRecord {
            dn: Some(format!("uid={uid},ou=people,dc=ent-broceliande,dc=fr")),
            entry_uuid: Some(w.entry_uuid()),
            email: (profile != "National_TUT" || w.rng.chance(0.5))
                .then(|| format!("{login}@{MAIL_DOMAIN}")),
            uid: Some(uid),
            ent_login: Some(login),
            surname: name.surname.into(),
            given_name: name.given.into(),
            civility: Some(if name.female { "Mme" } else { "M" }.into()),
            affiliation: profile.into(),
            structure_code: Some(UAI.into()),
            editable: true,
            source: "demo".into(),
            identifiers: vec![(IdKind::Jointure, w.jointure())],
            ..Default::default()
        }
    }

    /// A teacher or a staff member; `fixed` forces the name.
    fn adult(
        &mut self,
        tx: &Transaction<'_>,
        w: &mut World,
        profile: &str,
        fixed: Option<Name>,
    ) -> Result<()> {
        let name = fixed.unwrap_or_else(|| {
            let female = w.rng.chance(0.6);
            w.name(female, false)
        });
        let mut rec = self.record(w, &name, profile);
        rec.birth_date = w.birth_date(1962, 1998);
        if matches!(profile, "National_ENS" | "National_DOC") {
            if w.rng.chance(0.8) {
                rec.identifiers
                    .push((IdKind::AppId, format!("BCDI${}", w.rng.uuid())));
            }
            if profile == "National_ENS" && w.rng.chance(0.6) {
                rec.identifiers
                    .push((IdKind::AppId, format!("SACOCHE${}", w.rng.uuid())));
            }
        }
        let id = w.insert_person(tx, &rec)?;
        w.member(tx, self.everyone, id)?;
        if profile == "National_ENS" {
            w.member(tx, self.profs, id)?;
            self.teach(tx, w, id)?;
        } else {
            if let Some(&(_, g)) = self.admin.iter().find(|a| a.0 == profile) {
                w.member(tx, g, id)?;
            }
            w.member(tx, self.all_admin, id)?;
        }
        let story = ADULT_STORIES
            .get(self.adult_stories.sample(&mut w.rng))
            .map_or(Story::Enabled, |s| s.0);
        let usual = w.now_s - w.rng.range(30 * DAY, 1000 * DAY);
        let start = story_start(w, story, usual);
        let mut holder = Holder {
            person_id: id,
            editable: true,
            due_date: None,
            qr: rec.uid.as_deref(),
            escn: false,
            self_actor: rec.ent_login.as_deref(),
            operators: OPERATORS,
            printers: PRINTERS,
            photo_id: None,
            fixed_csn: false,
        };
        w.cards(tx, &mut holder, story, start, 0.2)
    }

    /// Makes teacher `id` a member of the `Profs_<class>` groups of 3 to 6 classes; the classes
    /// `j` with `j % teachers == i` come first, so every class has at least one teacher, who is also
    /// its head teacher.
    fn teach(&mut self, tx: &Transaction<'_>, w: &mut World, id: i64) -> Result<()> {
        let i = self.teachers_written;
        let n = self.classes.len();
        let mut mine: Vec<usize> = (0..n).filter(|j| j % self.teachers.max(1) == i).collect();
        for &j in &mine {
            if let Some(class) = self.classes.get(j)
                && let Some(&g) = self.head_teachers.get(class.level)
            {
                w.member(tx, g, id)?;
            }
        }
        let wanted = w.rng.range(3, 6) as usize;
        for _ in 0..wanted * 2 {
            if mine.len() >= wanted.min(n) {
                break;
            }
            let j = w.rng.index(n);
            if !mine.contains(&j) {
                mine.push(j);
            }
        }
        for j in mine {
            if let Some(class) = self.classes.get(j) {
                w.member(tx, class.profs, id)?;
            }
        }
        Ok(())
    }

    /// A family of one or two parents and one to three pupils, within `left` persons; returns how
    /// many persons it wrote.
    fn family(&mut self, tx: &Transaction<'_>, w: &mut World, left: usize) -> Result<usize> {
        let first = self.families == 0;
        self.families += 1;
        let mut pupils = match w.rng.below(100) {
            0..80 => 1,
            80..97 => 2,
            _ => 3,
        };
        let mut parents = if w.rng.chance(0.75) { 2 } else { 1 };
        while parents + pupils > left && pupils > 1 {
            pupils -= 1;
        }
        if parents + pupils > left {
            parents = 1;
        }
        let surname = if first { "Lœwy" } else { w.surname() };
        let mut parent_ids = Vec::new();
        for p in 0..parents {
            let female = if parents == 2 {
                p == 1
            } else {
                w.rng.chance(0.7)
            };
            let mut name = Name {
                given: w.given(female, false),
                surname,
                female,
            };
            let mut rec_birth_name = None;
            if p == 1 && w.rng.chance(0.3) {
                name.surname = w.surname();
            } else if female && w.rng.chance(0.5) {
                rec_birth_name = Some(w.surname().to_string());
            }
            let mut rec = self.record(w, &name, "National_TUT");
            rec.birth_name = rec_birth_name;
            rec.birth_date = w.birth_date(1966, 1992);
            let id = w.insert_person(tx, &rec)?;
            w.member(tx, self.parents, id)?;
            parent_ids.push(id);
        }
        let mut levels_taken = Vec::new();
        for k in 0..pupils {
            let mut level = self.level_weights.sample(&mut w.rng);
            if levels_taken.contains(&level) {
                level = (0..LEVELS.len())
                    .find(|l| !levels_taken.contains(l))
                    .unwrap_or(level);
            }
            levels_taken.push(level);
            // The first pupil of the first family is the fixed pupil Zoé Lœwy.
            let zoe = first && k == 0;
            let female = w.rng.chance(0.52) || zoe;
            let given = if zoe { "Zoé" } else { w.given(female, true) };
            let name = Name {
                given,
                surname,
                female,
            };
            let id = self.pupil(tx, w, &name, level)?;
            for &parent in &parent_ids {
                persons::link(tx, parent, id, "parent_of")?;
            }
        }
        Ok(parents + pupils)
    }

    fn pupil(
        &mut self,
        tx: &Transaction<'_>,
        w: &mut World,
        name: &Name,
        level: usize,
    ) -> Result<i64> {
        let mut rec = self.record(w, name, "National_ELV");
        let age = LEVELS.get(level).map_or(15, |l| l.3) + i64::from(w.rng.chance(0.1));
        let born = i64::from(w.year) - age;
        rec.birth_date = w.birth_date(born, born);
        rec.ine = Some(w.ine());
        rec.due_date = w.year_end(0);
        if w.rng.chance(0.8) {
            rec.identifiers
                .push((IdKind::AppId, format!("BCDI${}", w.rng.uuid())));
        }
        if w.rng.chance(0.6) {
            rec.identifiers
                .push((IdKind::AppId, format!("SACOCHE${}", w.rng.uuid())));
        }
        let id = w.insert_person(tx, &rec)?;
        let in_level: Vec<usize> = (0..self.classes.len())
            .filter(|&j| self.classes.get(j).is_some_and(|c| c.level == level))
            .collect();
        if let Some(&j) = w.rng.pick(&in_level)
            && let Some(class) = self.classes.get(j)
        {
            w.member(tx, class.eleves, id)?;
        }
        w.member(tx, self.eleves, id)?;
        w.member(tx, self.everyone, id)?;
        let story = PUPIL_STORIES
            .get(self.pupil_stories.sample(&mut w.rng))
            .map_or(Story::Enabled, |s| s.0);
        // Years at the lycée so far: 0 in seconde, 1 in première, 2 in terminale.
        let usual = w.back_to_school(-(level as i16), 30);
        let start = story_start(w, story, usual);
        let mut holder = Holder {
            person_id: id,
            editable: true,
            due_date: rec.due_date,
            qr: rec.uid.as_deref(),
            escn: false,
            self_actor: None,
            operators: OPERATORS,
            printers: PRINTERS,
            photo_id: None,
            fixed_csn: false,
        };
        w.cards(tx, &mut holder, story, start, 0.2)?;
        Ok(id)
    }
}

fn group(name: String, display: &str, kind: GroupKind) -> GroupRecord {
    GroupRecord {
        name,
        display_name: display.into(),
        kind,
        source: "demo".into(),
    }
}

//! The LDIF of the SDET schools and persons.

use std::io::{self, Write};

use super::data::{
    DISCIPLINES, PATRONS, REGIMES, STAFF, TOWNS, family_of_parent, family_of_pupil, pupils_of,
};
use super::{Role, Sdet, staff_function};
use crate::demo::rng::{Rng, scatter};
use crate::directory::ldif_gen::Ldif;
use crate::directory::ldif_gen::Population;
use crate::directory::ldif_gen::common::ine;

impl Sdet {
    pub(super) fn structures_ldif<W: Write>(&self, w: &mut Ldif<W>) -> io::Result<usize> {
        for (ei, e) in self.etabs.iter().enumerate() {
            let (town, postcode, _) = TOWNS[e.town];
            w.dn(&e.dn)?;
            w.classes(&[
                "top",
                "organizationalUnit",
                "ENTStructure",
                "ENTEtablissement",
            ])?;
            w.attr("ou", &e.name)?;
            w.attr("ENTStructureSIREN", &e.siren)?;
            w.attr("ENTStructureNomCourant", &e.name)?;
            w.attr("ENTStructureJointure", &format!("AC-RENNES${}", 2828 + ei))?;
            w.attr("ENTStructureUAI", &e.uai)?;
            w.attr("ENTStructureTypeStruct", e.kind.type_struct())?;
            w.attr(
                "ENTEtablissementMinistereTutelle",
                "MINISTERE DE L'EDUCATION NATIONALE",
            )?;
            w.attr(
                "ENTEtablissementContrat",
                if ei % 7 == 6 { "PR" } else { "PU" },
            )?;
            w.attr(
                "street",
                &format!(
                    "{} RUE {}",
                    1 + ei * 3 % 40,
                    PATRONS[(ei + 5) % PATRONS.len()]
                ),
            )?;
            w.attr("postalCode", postcode)?;
            w.attr("l", town)?;
            for c in 0..e.classes {
                let (lvl, code) = e.class(c);
                w.attr(
                    "ENTStructureClasses",
                    &format!("{code}${}", e.kind.levels()[lvl].libelle_mef),
                )?;
            }
            w.end()?;
        }
        Ok(self.etabs.len())
    }

    pub(super) fn person_ldif<W: Write>(&mut self, i: u32, w: &mut Ldif<W>) -> io::Result<()> {
        let (ei, role, j) = self.locate(i);
        let mut rng = Rng::new(self.ctx.seed, 0x5344_0000_0000 + u64::from(i));
        let year = i64::from(self.ctx.year);
        let e = &self.etabs[ei];
        // Name.
        let (given, surname, female) = match role {
            Role::Pupil => {
                let (f, _) = family_of_pupil(j);
                let fixed = if ei == 0 {
                    [Some("Jean-Pierre"), Some("Jean-Pierre"), None, Some("Zoé")]
                        .get(j as usize)
                        .copied()
                        .flatten()
                } else {
                    None
                };
                let female = fixed.map_or_else(|| rng.chance(0.5), |g| g == "Zoé");
                let given = fixed.unwrap_or_else(|| self.names.given(&mut rng, female, true));
                (given, self.family_surname(ei, f), female)
            }
            Role::Parent => {
                let (f, pos) = family_of_parent(j);
                let mut frng = self.family_rng(e, f);
                let _ = self.names.surname(&mut frng);
                let own = self.names.surname(&mut frng);
                let first_female = frng.chance(0.65);
                let same = frng.chance(0.7);
                let female = if pos == 0 {
                    first_female
                } else {
                    !first_female || frng.chance(0.1)
                };
                let surname = if pos == 0 || same {
                    self.family_surname(ei, f)
                } else {
                    own
                };
                (self.names.given(&mut rng, female, false), surname, female)
            }
            _ if ei == 0 && role == Role::Teacher && j == 0 => ("Anne-Cécile", "d'Artagnan", true),
            _ => {
                let female = rng.chance(0.6);
                (
                    self.names.given(&mut rng, female, false),
                    self.names.surname(&mut rng),
                    female,
                )
            }
        };
        let login = self.logins.next(given, surname);
        let e = &self.etabs[ei];
        let uid = self.uid(i);
        let mut classes = vec![
            "top",
            "person",
            "organizationalPerson",
            "inetOrgPerson",
            "ENTPerson",
        ];
        match role {
            Role::Pupil => classes.push("ENTEleve"),
            Role::Parent => classes.push("ENTAuxPersRelEleve"),
            Role::Teacher | Role::Doc => classes.push("ENTAuxEnseignant"),
            Role::Staff => {}
        }
        classes.push("eduMember");
        let external = role == Role::Pupil && rng.chance(0.3);
        if external {
            classes.push("ESCOPerson");
        }
        w.dn(&format!("uid={uid},ou=people,{}", self.ctx.base))?;
        w.classes(&classes)?;
        w.attr("uid", &uid)?;
        w.attr(
            "cn",
            &format!("{} {}", surname.to_uppercase(), given.to_uppercase()),
        )?;
        w.attr("sn", surname)?;
        w.attr("givenName", given)?;
        w.attr(
            "displayName",
            &format!("{given} {}", surname.to_uppercase()),
        )?;
        if role != Role::Pupil {
            w.attr("personalTitle", if female { "Mme" } else { "M" })?;
        }
        w.attr("ENTPersonLogin", &login)?;
        let jointure = 1_000_000 + scatter(u64::from(i), self.salt ^ 0x10, 7);
        w.attr("ENTPersonJointure", &format!("AC-RENNES${jointure}"))?;
        w.attr("ENTPersonStructRattach", &e.dn)?;
        w.attr("ENTPersonSexe", if female { "F" } else { "M" })?;
        let profiles: &[&str] = match role {
            Role::Pupil if rng.chance(0.5) => &["National_ELV", "National_1"],
            Role::Pupil => &["National_ELV"],
            Role::Parent if rng.chance(0.3) => &["National_TUT", "National_2"],
            Role::Parent => &["National_TUT"],
            Role::Teacher => &["National_ENS"],
            Role::Doc => &["National_DOC"],
            Role::Staff => &[STAFF[staff_function(j)].0],
        };
        for p in profiles {
            w.attr("ENTPersonProfils", p)?;
        }
        let (lvl, class) = if role == Role::Pupil {
            e.class(j % e.classes.max(1))
        } else {
            (0, String::new())
        };
        let level = &e.kind.levels()[lvl];
        let age = match role {
            Role::Pupil => level.age + i64::from(rng.chance(0.12)),
            Role::Parent => rng.range(34, 58),
            _ => rng.range(25, 63),
        };
        let (bm, bd) = (rng.range(1, 12), rng.range(1, 28));
        w.attr(
            "ENTPersonDateNaissance",
            &format!("{bd:02}/{bm:02}/{}", year - age),
        )?;
        match role {
            Role::Pupil => {
                w.attr("ENTEleveINE", &ine(u64::from(i), self.salt))?;
                let sconet = 100_000 + scatter(u64::from(i), self.salt ^ 0x5c, 7);
                w.attr("ENTEleveStructRattachId", &sconet.to_string())?;
                w.attr("ENTEleveStatutEleve", "ELEVE")?;
                w.attr("ENTEleveMEF", level.mef)?;
                w.attr("ENTEleveLibelleMEF", level.libelle_mef)?;
                w.attr("ENTEleveNivFormation", level.niveau)?;
                w.attr("ENTEleveFiliere", level.filiere)?;
                w.attr("ENTEleveClasses", &format!("{}${class}", e.dn))?;
                // Of age on 1 September of the academic year.
                let adult = age > 18 || (age == 18 && bm < 9);
                w.attr("ENTEleveMajeur", if adult { "O" } else { "N" })?;
                w.attr("ENTEleveBoursier", if rng.chance(0.25) { "O" } else { "N" })?;
                w.attr("ENTEleveRegime", REGIMES[rng.index(REGIMES.len())])?;
                w.attr("ENTEleveTransport", if rng.chance(0.4) { "O" } else { "N" })?;
                if external {
                    w.attr("ESCOPersonExternalIds", &format!("BCDI${}", rng.uuid()))?;
                    w.attr("ESCOPersonExternalIds", &format!("SACOCHE${}", rng.uuid()))?;
                }
            }
            Role::Parent => {
                let (f, _) = family_of_parent(j);
                let (first, count) = pupils_of(f);
                let mut dn = String::new();
                for k in first..(first + count).min(e.pupils) {
                    dn.clear();
                    self.person_dn(e.lo + k, &mut dn);
                    w.attr("ENTAuxPersRelEleveEleve", &dn)?;
                }
                if rng.chance(0.6) {
                    let domain = if rng.chance(0.5) {
                        "example.org"
                    } else {
                        "example.net"
                    };
                    w.attr("mail", &format!("{login}@{domain}"))?;
                }
            }
            Role::Teacher | Role::Doc => {
                let (code, label) = if role == Role::Doc {
                    ("L0080", "DOCUMENTATION")
                } else {
                    DISCIPLINES[rng.index(DISCIPLINES.len())]
                };
                let (fc, fl) = if role == Role::Doc {
                    ("DOC", "DOCUMENTATION")
                } else {
                    ("ENS", "ENSEIGNEMENT")
                };
                w.attr("mail", &format!("{login}@ac-rennes.fr"))?;
                w.attr(
                    "ENTPersonFonctions",
                    &format!("{}${fc}${fl}${code}${label}", e.dn),
                )?;
                w.attr("ENTAuxEnsCategoDiscipline", &format!("{code}${label}"))?;
                if role == Role::Teacher {
                    for c in (0..e.classes).filter(|&c| e.teaches(j, c)) {
                        w.attr("ENTAuxEnsClasses", &format!("{}${}", e.dn, e.class(c).1))?;
                    }
                    if j < e.classes {
                        w.attr(
                            "ENTAuxEnsClassesPrincipal",
                            &format!("{}${}", e.dn, e.class(j).1),
                        )?;
                    }
                }
            }
            Role::Staff => {
                let (_, code, label) = STAFF[staff_function(j)];
                w.attr("mail", &format!("{login}@ac-rennes.fr"))?;
                w.attr("ENTPersonFonctions", &format!("{}${code}${label}", e.dn))?;
            }
        }
        if role == Role::Pupil && rng.chance(0.2) {
            w.attr("mail", &format!("{login}@{}", self.domain))?;
        }
        let mut groups = Vec::new();
        self.groups_of(i, ei, role, j, &mut groups);
        for g in groups {
            w.attr("isMemberOf", self.plan.name(g))?;
        }
        w.end()
    }
}

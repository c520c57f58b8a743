//! The SDET preset (secondary schools, "annuaire ENT"): `formats.md` §1 (schema, §1.7 value formats,
//! §1.8 profiles), RECIA-local attributes, Grouper groups (§9).

use super::{
    Filters, GROUPS_FILTER, KindRule, Mapping, Parse, PersonField as P, PresetName,
    StructureField as S, group_rows, row,
};

pub(super) fn preset() -> Mapping {
    Mapping {
        name: PresetName::Sdet,
        person: vec![
            row(P::Uid, &["uid"]),
            row(P::Login, &["ENTPersonLogin"]),
            // §1.2, §2.2: the alias login; logins given at the desk avoid it.
            row(P::Aliases, &["ENTPersonAlias"]),
            // §1.2, §2.4: `SOURCE$key`, multi-valued; the raw AAF feed has bare ids, so kept as is.
            row(P::Jointure, &["ENTPersonJointure"]),
            row(P::Surname, &["sn"]).required(),
            row(P::GivenName, &["givenName"]).required(),
            row(P::BirthName, &["ENTPersonNomPatro"]),
            // §1.7: `M`/`Mme` (RECIA), `M.` (AAF).
            row(P::Civility, &["personalTitle"]),
            row(P::Email, &["mail"]),
            // §1.8: national profiles by preference, legacy `National_1..4` understood.
            row(P::Profiles, &["ENTPersonProfils"]).required(),
            // §1.7: a DN in the SDET LDAP, a UAI at Toutatice; RECIA's local `ESCOUAICourant` /
            // `ESCOUAI` (UAIs) when the national attribute is absent.
            row(
                P::Structure,
                &["ENTPersonStructRattach", "ESCOUAICourant", "ESCOUAI"],
            ),
            // §1.7: dd/mm/yyyy.
            row(P::BirthDate, &["ENTPersonDateNaissance"]),
            row(P::DueDate, &[]),
            row(P::Ine, &["ENTEleveINE"]),
            // §1.3, §1.7: `<structure DN>$<class>`, split on the last `$`.
            row(P::Classes, &["ENTEleveClasses"]),
            row(P::TeacherClasses, &["ENTAuxEnsClasses"]),
            // §1.4: DNs of the pupils a relative is responsible for.
            row(P::Pupils, &["ENTAuxPersRelEleveEleve"]),
            // §1.7 (RECIA-local): `APP$uuid`.
            row(P::AppIds, &["ESCOPersonExternalIds"]),
            row(P::MemberOf, &["isMemberOf"]),
        ],
        structure: vec![
            // §1.5: the UAI when the structure has one, else the SIREN (MUST of ENTStructure).
            row(S::Code, &["ENTStructureUAI", "ENTStructureSIREN"]),
            row(S::Uai, &["ENTStructureUAI"]).parse(Parse::Text),
            row(S::Name, &["ENTStructureNomCourant", "ou"]),
            // §1.5: DN, multi-valued; the first one is kept.
            row(S::Parent, &["ENTEtablissementStructRattachAdmin"]),
        ],
        group: group_rows(),
        filters: Filters {
            people: "(objectClass=ENTPerson)".to_owned(),
            groups: GROUPS_FILTER.to_owned(),
            structures: "(objectClass=ENTStructure)".to_owned(),
        },
        kinds: KindRule::ByClass("ENTEtablissement"),
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use crate::directory::entry::Entry;
    use crate::directory::mapping::{ClassRef, MapError, Mapping, PresetName, StructureRef};
    use crate::domain::person::IdKind;
    use crate::domain::structure::StructureKind;

    const LYCEE: &str = "ENTStructureSIREN=19290009000015,ou=structures,dc=esco-centre,dc=fr";

    fn sdet() -> Mapping {
        Mapping::preset(PresetName::Sdet)
    }

    /// A pupil as RECIA's directory publishes him (`formats.md` §1.7).
    fn pupil() -> Entry<'static> {
        Entry::new("uid=F1700ivg,ou=people,dc=esco-centre,dc=fr")
            .with("objectClass", "ENTPerson")
            .with("objectClass", "ENTEleve")
            .with("entryUUID", "A1B2C3D4-0000-1000-8000-00AA00BB00CC")
            .with("uid", "F1700ivg")
            .with("ENTPersonLogin", "corentin.colin")
            .with("ENTPersonAlias", "ccolin")
            .with("ENTPersonJointure", "AC-RENNES$128407")
            .with("ENTPersonJointure", "ENT$INCONNU")
            .with("cn", "COLIN CORENTIN")
            .with("sn", "COLIN")
            .with("givenName", "Corentin-Hervé")
            .with("ENTPersonNomPatro", "COLIN")
            .with("personalTitle", "M")
            .with("ENTPersonProfils", "National_1")
            .with("ENTPersonProfils", "National_ELV")
            .with("ENTPersonStructRattach", LYCEE)
            .with("ENTPersonDateNaissance", "09/07/1998")
            .with("ENTEleveINE", "070723456AB")
            .with("ENTEleveClasses", format!("{LYCEE}$TS2"))
            .with(
                "ESCOPersonExternalIds",
                "BCDI$c76a329b-0d5f-4b43-9a8b-1f0c2d3e4f50",
            )
            .with(
                "ESCOPersonExternalIds",
                "SACOCHE$1a771ef5-3c2d-4e5f-8a9b-0c1d2e3f4a5b",
            )
            .with(
                "isMemberOf",
                "esco:Etablissements:LYCEE_X_0290009C:TS:Eleves_TS2",
            )
    }

    #[test]
    fn maps_a_pupil() {
        let p = sdet().map_person(&pupil()).unwrap();
        let r = &p.record;
        assert_eq!(
            r.dn.as_deref(),
            Some("uid=F1700ivg,ou=people,dc=esco-centre,dc=fr")
        );
        assert_eq!(
            r.entry_uuid.as_deref(),
            Some("a1b2c3d4-0000-1000-8000-00aa00bb00cc")
        );
        assert_eq!(r.uid.as_deref(), Some("F1700ivg"));
        assert_eq!(r.ent_login.as_deref(), Some("corentin.colin"));
        assert_eq!(
            (r.surname.as_str(), r.given_name.as_str()),
            ("COLIN", "Corentin-Hervé")
        );
        assert_eq!(r.birth_name.as_deref(), Some("COLIN"));
        assert_eq!(r.civility.as_deref(), Some("M"));
        assert_eq!(r.affiliation, "National_ELV");
        assert_eq!(r.birth_date, Some(date(1998, 7, 9)));
        assert_eq!((r.due_date, r.eppn.as_deref()), (None, None));
        assert_eq!(r.ine.as_deref(), Some("070723456AB"));
        assert_eq!(r.structure_code, None);
        assert_eq!(p.structure, Some(StructureRef::Dn(LYCEE.into())));
        assert_eq!(
            r.identifiers,
            vec![
                (IdKind::Jointure, "AC-RENNES$128407".to_owned()),
                (IdKind::Jointure, "ENT$INCONNU".to_owned()),
                (
                    IdKind::AppId,
                    "BCDI$c76a329b-0d5f-4b43-9a8b-1f0c2d3e4f50".to_owned()
                ),
                (
                    IdKind::AppId,
                    "SACOCHE$1a771ef5-3c2d-4e5f-8a9b-0c1d2e3f4a5b".to_owned()
                ),
                (IdKind::Alias, "ccolin".to_owned()),
            ]
        );
        assert_eq!(
            p.classes,
            vec![ClassRef {
                structure: StructureRef::Dn(LYCEE.into()),
                class: "TS2".into(),
                teacher: false
            }]
        );
        assert_eq!(
            p.member_of,
            ["esco:Etablissements:LYCEE_X_0290009C:TS:Eleves_TS2"]
        );
        assert_eq!((p.photo, p.pupils.len()), (None, 0));
        assert_eq!((r.source.as_str(), r.editable), ("ldap", true));
    }

    #[test]
    fn maps_a_relative_and_a_teacher() {
        let relative = Entry::new("uid=F17p0001,ou=people,dc=esco-centre,dc=fr")
            .with("objectClass", "ENTPerson")
            .with("objectClass", "ENTAuxPersRelEleve")
            .with("sn", "LE GUÉNNEC")
            .with("givenName", "Maëlle")
            .with("personalTitle", "Mme")
            .with("ENTPersonProfils", "National_2")
            .with(
                "ENTAuxPersRelEleveEleve",
                "uid=F1700ivg,ou=people,dc=esco-centre,dc=fr",
            )
            .with("ENTAuxPersRelEleveEleve", " ")
            .with(
                "ENTAuxPersRelEleveEleve",
                "uid=F1700ivh,ou=people,dc=esco-centre,dc=fr",
            );
        let p = sdet().map_person(&relative).unwrap();
        assert_eq!(p.record.affiliation, "National_TUT");
        assert_eq!(p.record.surname, "LE GUÉNNEC");
        assert_eq!(
            p.pupils,
            [
                "uid=F1700ivg,ou=people,dc=esco-centre,dc=fr",
                "uid=F1700ivh,ou=people,dc=esco-centre,dc=fr"
            ]
        );

        // Toutatice style: the structure and the first part of the classes are UAIs.
        let teacher = Entry::new("uid=ens1,ou=people,dc=toutatice,dc=fr")
            .with("sn", "Ollivier")
            .with("givenName", "Gwénaël")
            .with("ENTPersonProfils", "National_DOC")
            .with("ENTPersonProfils", "National_3")
            .with("ENTPersonStructRattach", "0290009C")
            .with("ENTAuxEnsClasses", "0290009C$1S2")
            .with("ENTAuxEnsClasses", "0290009C$2NDE 4 (EURO)")
            .with("ENTPersonDateNaissance", "07/08/1967");
        let p = sdet().map_person(&teacher).unwrap();
        assert_eq!(p.record.affiliation, "National_ENS");
        assert_eq!(p.structure, Some(StructureRef::Code("0290009C".into())));
        assert_eq!(p.record.structure_code.as_deref(), Some("0290009C"));
        let classes: Vec<(&str, bool)> = p
            .classes
            .iter()
            .map(|c| (c.class.as_str(), c.teacher))
            .collect();
        assert_eq!(classes, [("1S2", true), ("2NDE 4 (EURO)", true)]);
        assert!(
            p.classes
                .iter()
                .all(|c| c.structure == StructureRef::Code("0290009C".into()))
        );
    }

    #[test]
    fn profiles_are_required() {
        let mut e = pupil();
        e.remove("entpersonprofils");
        assert_eq!(
            sdet().map_person(&e),
            Err(MapError::Missing {
                dn: "uid=F1700ivg,ou=people,dc=esco-centre,dc=fr".into(),
                attr: "ENTPersonProfils".into()
            })
        );
        let mut other = pupil();
        other.set("entpersonprofils", "ELEVE");
        assert_eq!(
            sdet().map_person(&other).unwrap().record.affiliation,
            "ELEVE"
        );
    }

    #[test]
    fn bad_values_are_reported() {
        let check = |attr: &str, value: &str| {
            let mut e = pupil();
            e.set(attr, value.to_owned());
            match sdet().map_person(&e) {
                Err(MapError::BadValue {
                    attr: a, value: v, ..
                }) => {
                    assert_eq!((a.as_str(), v.as_str()), (attr, value));
                }
                other => panic!("{attr}: {other:?}"),
            }
        };
        check("ENTPersonDateNaissance", "31/02/2008");
        check("ENTPersonDateNaissance", "1998-07-09T00:00");
        check("ENTEleveClasses", "TS2");
        check("ENTEleveClasses", &format!("{LYCEE}$"));
        check("ESCOPersonExternalIds", "c76a329b");
    }

    #[test]
    fn missing_surname() {
        let mut e = pupil();
        e.remove("sn");
        assert!(matches!(
            sdet().map_person(&e),
            Err(MapError::Missing { attr, .. }) if attr == "sn"
        ));
    }

    #[test]
    fn structures() {
        let m = sdet();
        let lycee = Entry::new(LYCEE)
            .with("objectClass", "ENTStructure")
            .with("objectClass", "ENTEtablissement")
            .with("ENTStructureSIREN", "19290009000015")
            .with("ENTStructureUAI", "0290009C")
            .with("ENTStructureJointure", "AC-RENNES$2828")
            .with("ENTStructureNomCourant", "LYCÉE DE L'ELORN")
            .with("ou", "LYCEE ELORN")
            .with(
                "ENTEtablissementStructRattachAdmin",
                "ENTStructureSIREN=13000000000000,ou=structures,dc=esco-centre,dc=fr",
            );
        let s = m.map_structure(&lycee).unwrap();
        assert_eq!(s.record.code, "0290009C");
        assert_eq!(s.record.uai.as_deref(), Some("0290009C"));
        assert_eq!(s.record.kind, StructureKind::School);
        assert_eq!(s.record.name, "LYCÉE DE L'ELORN");
        assert_eq!(s.record.parent_code, None);
        assert_eq!(
            s.parent,
            Some(StructureRef::Dn(
                "ENTStructureSIREN=13000000000000,ou=structures,dc=esco-centre,dc=fr".into()
            ))
        );
        assert_eq!(s.dn, LYCEE);

        let service = Entry::new("ENTStructureSIREN=17350001800017,ou=structures,dc=x")
            .with("objectClass", "ENTStructure")
            .with("objectClass", "ENTServAc")
            .with("ENTStructureSIREN", "17350001800017")
            .with("ou", "Rectorat de Rennes");
        let s = m.map_structure(&service).unwrap();
        assert_eq!(s.record.code, "17350001800017");
        assert_eq!(
            (s.record.uai, s.record.kind),
            (None, StructureKind::Service)
        );
        assert_eq!(s.record.name, "Rectorat de Rennes");

        assert!(matches!(
            m.map_structure(&Entry::new("ou=x").with("ou", "x")),
            Err(MapError::Missing { attr, .. }) if attr == "ENTStructureUAI or ENTStructureSIREN"
        ));
    }

    #[test]
    fn filters_and_attributes() {
        let m = sdet();
        assert_eq!(m.name(), PresetName::Sdet);
        assert_eq!(m.filters().people, "(objectClass=ENTPerson)");
        assert_eq!(m.filters().structures, "(objectClass=ENTStructure)");
        let attrs = m.person_attrs();
        assert!(attrs.iter().any(|a| a == "isMemberOf"));
        assert!(!attrs.iter().any(|a| a == "jpegPhoto"));
        assert!(
            m.describe()
                .contains(&("person.due_date".into(), String::new()))
        );
        assert!(
            m.describe()
                .contains(&("person.classes".into(), "ENTEleveClasses".into()))
        );
    }
}

//! Tests of the value parsers (`values.rs`) and of the parts shared by both presets.

mod values {
    use super::super::StructureRef;
    use super::super::values::*;
    use jiff::civil::Date;

    fn d(y: i16, m: i8, day: i8) -> Option<Date> {
        Some(Date::new(y, m, day).unwrap())
    }

    #[test]
    fn dates_in_every_directory_format() {
        assert_eq!(parse_date("09/07/1998"), d(1998, 7, 9));
        assert_eq!(parse_date(" 7/8/1967 "), d(1967, 8, 7));
        assert_eq!(parse_date("20040123"), d(2004, 1, 23));
        assert_eq!(parse_date("2004-01-23"), d(2004, 1, 23));
        assert_eq!(parse_date("29990607012345Z"), d(2999, 6, 7));
        assert_eq!(parse_date("20260831220000.123Z"), d(2026, 8, 31));
        assert_eq!(parse_date("20260831220000,5Z"), d(2026, 8, 31));
        assert_eq!(parse_date("20260831220000+0200"), d(2026, 8, 31));
        assert_eq!(parse_date("20260831220000-05"), d(2026, 8, 31));
        assert_eq!(parse_date("202608312200Z"), d(2026, 8, 31));
        assert_eq!(parse_date("2026083122Z"), d(2026, 8, 31));
        assert_eq!(parse_date("20240229"), d(2024, 2, 29));
    }

    #[test]
    fn impossible_or_malformed_dates_are_rejected() {
        for bad in [
            "",
            "31/02/2008",
            "29/02/2023",
            "00/01/2000",
            "01/13/2000",
            "1/1/98",
            "01/01/2000/1",
            "2023-02-29",
            "2023-1-01",
            "20231301",
            "20230132",
            "20260831220000",
            "20260831250000Z",
            "20260831226000Z",
            "20260831220000+2500",
            "20260831220000.Z",
            "20260831220000ZZ",
            "2026083122000Z",
            "１２/０１/２０００",
            "demain",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn labels() {
        assert_eq!(strip_label("{UAI}0290009C"), Some(("UAI", "0290009C")));
        assert_eq!(
            strip_label(" {UAI:0123456Y:EXEMPLE_NUMERO_ETUDIANT}123456 "),
            Some(("UAI:0123456Y:EXEMPLE_NUMERO_ETUDIANT", "123456"))
        );
        assert_eq!(strip_label("{ISO15693}"), Some(("ISO15693", "")));
        assert_eq!(strip_label("0290009C"), None);
        assert_eq!(strip_label("{}x"), None);
        assert_eq!(strip_label("{UAI"), None);
    }

    #[test]
    fn last_dollar() {
        let v = "ENTStructureSIREN=19290009000015,ou=structures,dc=esco-centre,dc=fr$TS2";
        assert_eq!(
            split_last_dollar(v),
            Some((
                "ENTStructureSIREN=19290009000015,ou=structures,dc=esco-centre,dc=fr",
                "TS2"
            ))
        );
        assert_eq!(
            split_last_dollar("55794$1S2$006600"),
            Some(("55794$1S2", "006600"))
        );
        assert_eq!(
            split_last_dollar("BCDI$c76a329b"),
            Some(("BCDI", "c76a329b"))
        );
        assert_eq!(split_last_dollar("TS2"), None);
        assert_eq!(split_last_dollar("$TS2"), None);
        assert_eq!(split_last_dollar("dn$ "), None);
    }

    #[test]
    fn structure_refs() {
        assert_eq!(
            structure_ref(" ENTStructureSIREN=1,ou=structures "),
            StructureRef::Dn("ENTStructureSIREN=1,ou=structures".into())
        );
        assert_eq!(
            structure_ref("0290009C "),
            StructureRef::Code("0290009C".into())
        );
    }

    #[test]
    fn profiles_by_preference() {
        assert_eq!(profile(&["National_1", "National_ELV"]), "National_ELV");
        assert_eq!(profile(&["National_ENS", "National_DOC"]), "National_ENS");
        assert_eq!(profile(&["National_DOC", "National_ENS"]), "National_ENS");
        assert_eq!(profile(&["National_2"]), "National_TUT");
        assert_eq!(profile(&["national_3"]), "National_ENS");
        assert_eq!(profile(&["National_4"]), "National_ETA");
        assert_eq!(profile(&["National_COL", "National_ACA"]), "National_ACA");
        assert_eq!(profile(&[" ", "ELEVE", "AUTRE"]), "ELEVE");
        assert_eq!(profile::<&str>(&[]), "");
        assert_eq!(profile(&["  "]), "");
    }

    #[test]
    fn affiliations_by_preference() {
        assert_eq!(affiliation(&["member", "student"]), "student");
        assert_eq!(affiliation(&["employee", "Staff"]), "staff");
        assert_eq!(affiliation(&["member", "faculty", "researcher"]), "faculty");
        assert_eq!(affiliation(&["alum"]), "alum");
        assert_eq!(affiliation::<String>(&[]), "");
    }

    #[test]
    fn unique_members() {
        assert_eq!(
            uniquemember_dn("uid=a,ou=people,dc=x#'0101'B"),
            "uid=a,ou=people,dc=x"
        );
        assert_eq!(uniquemember_dn("uid=a,dc=x#''B"), "uid=a,dc=x");
        assert_eq!(uniquemember_dn(" cn=a#b,dc=x "), "cn=a#b,dc=x");
        assert_eq!(uniquemember_dn("cn=a,dc=x#'012'B"), "cn=a,dc=x#'012'B");
        assert_eq!(uniquemember_dn("#'1'B"), "");
    }

    /// Property-style: odd strings built from separators, digits, multi-byte characters and
    /// whitespace never make a parser panic, and the results keep their invariants.
    #[test]
    fn odd_inputs_never_panic() {
        const ATOMS: [&str; 24] = [
            "",
            "0",
            "1",
            "9",
            "2",
            "/",
            "-",
            "$",
            "{",
            "}",
            "#",
            "'",
            "B",
            "Z",
            "+",
            ".",
            ",",
            "=",
            " ",
            "é",
            "日",
            "\u{0}",
            "\u{200b}",
            "National_1",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let s: String = (0..len)
                .map(|_| ATOMS[(next() % ATOMS.len() as u64) as usize])
                .collect();
            if let Some(date) = parse_date(&s) {
                assert!((0..=9999).contains(&date.year()), "{s:?}");
            }
            if let Some((label, _)) = strip_label(&s) {
                assert!(!label.is_empty() && !label.contains('}'), "{s:?}");
            }
            if let Some((head, tail)) = split_last_dollar(&s) {
                assert!(
                    !head.is_empty() && !tail.is_empty() && !tail.contains('$'),
                    "{s:?}"
                );
            }
            let _ = structure_ref(&s);
            assert!(s.contains(uniquemember_dn(&s)));
            let parts: Vec<&str> = s.split('$').collect();
            let _ = profile(&parts);
            let _ = affiliation(&parts);
        }
    }
}

mod groups {
    use crate::directory::entry::Entry;
    use crate::directory::mapping::{MapError, Mapping, PresetName, group_kind};
    use crate::domain::group::GroupKind;

    const CLASS: &str = "esco:Etablissements:LYCEE_X_0290009C:2NDE (GT):Eleves_2NDE1";

    #[test]
    fn grouper_group_of_names() {
        let e = Entry::new(format!("cn={CLASS},ou=groups,dc=esco-centre,dc=fr"))
            .with("objectClass", "groupOfNames")
            .with("objectClass", "eduMember")
            .with("cn", CLASS)
            .with("member", "uid=F1700ivg,ou=people,dc=esco-centre,dc=fr")
            .with("member", "")
            .with("member", "UID=F1700ivg, ou=people,dc=esco-centre,dc=fr")
            .with(
                "member",
                "cn=esco:Etablissements:LYCEE_X_0290009C:Eleves,ou=groups,dc=x",
            );
        for preset in [PresetName::Sdet, PresetName::Supann] {
            let g = Mapping::preset(preset).map_group(&e).unwrap();
            assert_eq!(g.record.name, CLASS);
            assert_eq!(g.record.display_name, "Eleves_2NDE1");
            assert_eq!(g.record.kind, GroupKind::Class);
            assert_eq!(g.record.source, "ldap");
            assert_eq!(g.dn, format!("cn={CLASS},ou=groups,dc=esco-centre,dc=fr"));
            assert_eq!(
                g.member_keys,
                [
                    "cn=esco:etablissements:lycee_x_0290009c:eleves,ou=groups,dc=x",
                    "uid=f1700ivg,ou=people,dc=esco-centre,dc=fr",
                ]
            );
        }
    }

    #[test]
    fn group_of_unique_names_with_description() {
        let e = Entry::new("cn=univ:composantes:SCI:Etudiants,ou=groups,dc=univ-rennes,dc=fr")
            .with("objectClass", "groupOfUniqueNames")
            .with("cn", "univ:composantes:SCI:Etudiants")
            .with("description", "Étudiants de l'UFR Sciences")
            .with(
                "uniqueMember",
                "uid=a,ou=people,dc=univ-rennes,dc=fr#'0101'B",
            )
            .with("uniqueMember", "uid=b,ou=people,dc=univ-rennes,dc=fr");
        let g = Mapping::preset(PresetName::Supann).map_group(&e).unwrap();
        assert_eq!(g.record.display_name, "Étudiants de l'UFR Sciences");
        assert_eq!(g.record.kind, GroupKind::Group);
        assert_eq!(
            g.member_keys,
            [
                "uid=a,ou=people,dc=univ-rennes,dc=fr",
                "uid=b,ou=people,dc=univ-rennes,dc=fr"
            ]
        );
    }

    #[test]
    fn groups_need_a_cn() {
        let e = Entry::new("ou=x,dc=x").with("objectClass", "groupOfNames");
        assert_eq!(
            Mapping::preset(PresetName::Sdet).map_group(&e),
            Err(MapError::Missing {
                dn: "ou=x,dc=x".into(),
                attr: "cn".into()
            })
        );
    }

    #[test]
    fn kinds_by_last_stem() {
        let lycee = "esco:Etablissements:LYCEE_X_0290009C";
        assert_eq!(group_kind(&format!("{lycee}:Eleves")), GroupKind::Profile);
        assert_eq!(group_kind(&format!("{lycee}:Profs")), GroupKind::Profile);
        assert_eq!(
            group_kind(&format!("{lycee}:Tous_LYCEE_X")),
            GroupKind::Profile
        );
        assert_eq!(
            group_kind(&format!("{lycee}:Administratifs:Tous_Administratifs")),
            GroupKind::Profile
        );
        assert_eq!(
            group_kind(&format!("{lycee}:TS:Eleves_TS2")),
            GroupKind::Class
        );
        assert_eq!(
            group_kind(&format!("{lycee}:TS:Profs_TS2")),
            GroupKind::Group
        );
        assert_eq!(
            group_kind(&format!("{lycee}:TS:eleves_TS2")),
            GroupKind::Group
        );
        assert_eq!(group_kind("Eleves_3A"), GroupKind::Class);
        assert_eq!(group_kind("esco:admin:central"), GroupKind::Group);
    }

    #[test]
    fn attributes_and_filter() {
        for preset in [PresetName::Sdet, PresetName::Supann] {
            let m = Mapping::preset(preset);
            assert_eq!(
                m.filters().groups,
                "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))"
            );
            assert_eq!(
                m.group_attrs(),
                [
                    "entryUUID",
                    "objectClass",
                    "cn",
                    "description",
                    "member",
                    "uniqueMember"
                ]
            );
        }
    }
}

mod overrides {
    use std::collections::BTreeMap;

    use jiff::civil::date;

    use crate::directory::entry::Entry;
    use crate::directory::mapping::{MapError, Mapping, PresetName};

    fn table(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn person() -> Entry<'static> {
        Entry::new("uid=a,ou=people,dc=univ-rennes,dc=fr")
            .with("sn", "Guégan")
            .with("givenName", "Loïc")
            .with("schacExpiryDate", "20250831220000Z")
            .with("supannEtuDateFin", "20260831220000Z")
            .with("supannEtuDateFin", "20270831220000+0200")
            .with("supannAliasLogin", "lguegan")
    }

    #[test]
    fn due_date_from_another_attribute() {
        let m = Mapping::preset(PresetName::Supann)
            .with_overrides(&table(&[("person.due_date", "supannEtuDateFin")]))
            .unwrap();
        assert_eq!(m.name(), PresetName::Supann);
        let p = m.map_person(&person()).unwrap();
        assert_eq!(p.record.due_date, Some(date(2027, 8, 31)));
        assert!(m.person_attrs().iter().any(|a| a == "supannEtuDateFin"));
        assert!(!m.person_attrs().iter().any(|a| a == "schacExpiryDate"));
        assert!(
            m.describe()
                .contains(&("person.due_date".into(), "supannEtuDateFin".into()))
        );
    }

    #[test]
    fn fields_can_be_disabled_added_and_chained() {
        let m = Mapping::preset(PresetName::Supann)
            .with_overrides(&table(&[
                ("person.photo", ""),
                ("person.due_date", " "),
                ("person.login", "supannAliasLogin"),
                ("person.email", "supannAutreMail, mail"),
            ]))
            .unwrap();
        assert!(!m.person_attrs().iter().any(|a| a == "jpegPhoto"));
        let mut e = person().with("mail", "loic.guegan@univ-rennes.fr");
        e.push_bin("jpegPhoto", vec![1, 2, 3]);
        let p = m.map_person(&e).unwrap();
        assert_eq!((p.photo, p.record.due_date), (None, None));
        assert_eq!(p.record.ent_login.as_deref(), Some("lguegan"));
        assert_eq!(
            p.record.email.as_deref(),
            Some("loic.guegan@univ-rennes.fr")
        );
        let p = m
            .map_person(&e.with("supannAutreMail", "loic@example.org"))
            .unwrap();
        assert_eq!(p.record.email.as_deref(), Some("loic@example.org"));
        let described = m.describe();
        assert!(described.contains(&("person.photo".into(), String::new())));
        assert!(described.contains(&("person.login".into(), "supannAliasLogin".into())));
        assert!(described.contains(&("person.email".into(), "supannAutreMail, mail".into())));
    }

    #[test]
    fn structure_and_group_overrides() {
        let m = Mapping::preset(PresetName::Sdet)
            .with_overrides(&table(&[
                ("structure.name", "ESCOStructureNomCourt"),
                ("group.display_name", "displayName"),
            ]))
            .unwrap();
        let s = Entry::new("ENTStructureSIREN=1,ou=structures,dc=x")
            .with("ENTStructureUAI", "0290009C")
            .with("ENTStructureNomCourant", "LYCEE DE L ELORN")
            .with("ESCOStructureNomCourt", "Elorn");
        assert_eq!(m.map_structure(&s).unwrap().record.name, "Elorn");
        let g = Entry::new("cn=a:b,dc=x")
            .with("cn", "a:b")
            .with("description", "ignored")
            .with("displayName", "Groupe B");
        assert_eq!(m.map_group(&g).unwrap().record.display_name, "Groupe B");
        assert!(m.group_attrs().iter().any(|a| a == "displayName"));
    }

    #[test]
    fn unknown_or_required_fields_are_refused() {
        for key in [
            "person.birthday",
            "person",
            "people.uid",
            "structure.siren",
            "group.member",
            "",
        ] {
            let err = Mapping::preset(PresetName::Supann)
                .with_overrides(&table(&[(key, "x")]))
                .unwrap_err();
            assert_eq!(err, MapError::UnknownField(key.to_owned()));
        }
        for (preset, key) in [
            (PresetName::Supann, "person.surname"),
            (PresetName::Sdet, "person.given_name"),
            (PresetName::Sdet, "person.profiles"),
            (PresetName::Supann, "group.name"),
        ] {
            let err = Mapping::preset(preset)
                .with_overrides(&table(&[(key, "")]))
                .unwrap_err();
            assert!(
                matches!(&err, MapError::UnknownField(k) if k.starts_with(key)),
                "{err:?}"
            );
        }
        let m = Mapping::preset(PresetName::Sdet)
            .with_overrides(&table(&[("person.surname", "ENTPersonNomUsage, sn")]))
            .unwrap();
        let e = Entry::new("uid=x,dc=x")
            .with("sn", "Le Goff")
            .with("givenName", "Anaëlle")
            .with("ENTPersonProfils", "National_ELV");
        assert_eq!(m.map_person(&e).unwrap().record.surname, "Le Goff");
    }

    #[test]
    fn describe_lists_the_preset() {
        let d = Mapping::preset(PresetName::Supann).describe();
        assert_eq!(d[0], ("person.uid".into(), "uid".into()));
        assert!(d.contains(&(
            "person.affiliation".into(),
            "eduPersonPrimaryAffiliation, eduPersonAffiliation".into()
        )));
        assert!(d.contains(&("structure.parent".into(), "supannCodeEntiteParent".into())));
        assert!(d.contains(&("group.unique_members".into(), "uniqueMember".into())));
        // Every key it shows is accepted back.
        let all: BTreeMap<String, String> = d.into_iter().collect();
        let m = Mapping::preset(PresetName::Supann);
        assert_eq!(m.clone().with_overrides(&all).unwrap(), m);
    }
}

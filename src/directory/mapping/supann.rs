//! The SupAnn preset (universities): SupAnn 2018/2021, eduPerson and SCHAC attributes
//! (`formats.md` §4), Grouper groups (§9).

use super::{
    Filters, GROUPS_FILTER, KindRule, Mapping, Parse, PersonField as P, PresetName,
    StructureField as S, group_rows, row,
};

pub(super) fn preset() -> Mapping {
    Mapping {
        name: PresetName::Supann,
        person: vec![
            row(P::Uid, &["uid"]),
            // §4.5: single-valued, case-insensitive; kept as given.
            row(P::Eppn, &["eduPersonPrincipalName"]),
            row(P::Surname, &["sn"]).required(),
            row(P::GivenName, &["givenName"]).required(),
            row(P::BirthName, &["supannNomDeNaissance"]),
            row(P::Civility, &["supannCivilite"]),
            row(P::Email, &["mail"]),
            // §4.5: the primary affiliation, else the best of eduPersonAffiliation, else `member`.
            row(
                P::Affiliation,
                &["eduPersonPrimaryAffiliation", "eduPersonAffiliation"],
            )
            .or_default("member"),
            row(P::EtuId, &["supannEtuId"]),
            row(P::EmpId, &["supannEmpId"]),
            row(P::Ine, &["supannCodeINE"]),
            // §4.1: supannCodeEntite values; the establishment's UAI when neither is present.
            row(
                P::Structure,
                &[
                    "supannEntiteAffectationPrincipale",
                    "supannEntiteAffectation",
                ],
            )
            .parse(Parse::Code),
            row(P::Establishment, &["supannEtablissement"]),
            // §4.5: YYYYMMDD; schacExpiryDate is GeneralizedTime.
            row(P::BirthDate, &["schacDateOfBirth"]),
            row(P::DueDate, &["schacExpiryDate"]),
            // §4.3: `{LABEL}value`, case-exact.
            row(P::RefId, &["supannRefId"]),
            // §9.2: full Grouper names, case-exact.
            row(P::MemberOf, &["isMemberOf"]),
            row(P::Photo, &["jpegPhoto"]),
        ],
        structure: vec![
            row(S::Code, &["supannCodeEntite"]),
            row(S::Uai, &["supannEtablissement"]),
            row(S::Name, &["ou", "description"]),
            row(S::OrgName, &["o", "description", "ou", "dc"]),
            row(S::Parent, &["supannCodeEntiteParent"]).parse(Parse::Code),
        ],
        group: group_rows(),
        filters: Filters {
            people: "(|(objectClass=supannPerson)(objectClass=eduPerson))".to_owned(),
            groups: GROUPS_FILTER.to_owned(),
            structures: "(|(objectClass=supannEntite)(objectClass=supannOrg))".to_owned(),
        },
        kinds: KindRule::ByCode,
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use crate::directory::entry::Entry;
    use crate::directory::mapping::{MapError, Mapping, PresetName, StructureRef};
    use crate::domain::person::IdKind;
    use crate::domain::structure::StructureKind;

    fn supann() -> Mapping {
        Mapping::preset(PresetName::Supann)
    }

    /// A student as a SupAnn 2021 directory publishes her.
    fn student() -> Entry<'static> {
        Entry::new("uid=zlebihan,ou=people,dc=univ-rennes,dc=fr")
            .with("objectClass", "inetOrgPerson")
            .with("objectClass", "eduPerson")
            .with("objectClass", "supannPerson")
            .with("entryUUID", "3F2504E0-4F89-11D3-9A0C-0305E82C3301")
            .with("uid", "zlebihan")
            .with("eduPersonPrincipalName", "zlebihan@univ-rennes.fr")
            .with("sn", " Le Bihan-Guénolé ")
            .with("givenName", "Zoé Anaïs")
            .with("supannNomDeNaissance", "Kergoat")
            .with("supannCivilite", "Mme")
            .with("mail", "zoe.le-bihan@etudiant.univ-rennes.fr")
            .with("eduPersonAffiliation", "member")
            .with("eduPersonAffiliation", "student")
            .with("eduPersonPrimaryAffiliation", "student")
            .with("supannEtuId", "22012345")
            .with("supannCodeINE", "0A1B2C3D4E5")
            .with("supannEntiteAffectationPrincipale", "SCI")
            .with("supannEntiteAffectation", "SCI")
            .with("supannEntiteAffectation", "DROIT")
            .with("supannEtablissement", "{UAI}0351234X")
            .with("schacDateOfBirth", "20040123")
            .with("schacExpiryDate", "20260831220000Z")
            .with("supannRefId", "{ISO15693}044D137A7A5E65480")
            .with("supannRefId", "{LEOCARTE:ACCESS-CONTROL}AbC123")
            .with("isMemberOf", "univ:composantes:SCI:Etudiants")
            .with("isMemberOf", "univ:Tous_Etudiants")
    }

    #[test]
    fn maps_a_student() {
        let mut e = student();
        e.push_bin("jpegPhoto", vec![0xff, 0xd8, 0xff, 0xe0]);
        let p = supann().map_person(&e).unwrap();
        let r = &p.record;
        assert_eq!(
            r.dn.as_deref(),
            Some("uid=zlebihan,ou=people,dc=univ-rennes,dc=fr")
        );
        assert_eq!(
            r.entry_uuid.as_deref(),
            Some("3f2504e0-4f89-11d3-9a0c-0305e82c3301")
        );
        assert_eq!(r.uid.as_deref(), Some("zlebihan"));
        assert_eq!(r.eppn.as_deref(), Some("zlebihan@univ-rennes.fr"));
        assert_eq!(r.surname, "Le Bihan-Guénolé");
        assert_eq!(r.given_name, "Zoé Anaïs");
        assert_eq!(r.birth_name.as_deref(), Some("Kergoat"));
        assert_eq!(r.civility.as_deref(), Some("Mme"));
        assert_eq!(
            r.email.as_deref(),
            Some("zoe.le-bihan@etudiant.univ-rennes.fr")
        );
        assert_eq!(r.affiliation, "student");
        assert_eq!(r.supann_etu_id.as_deref(), Some("22012345"));
        assert_eq!(r.supann_emp_id, None);
        assert_eq!(r.ine.as_deref(), Some("0A1B2C3D4E5"));
        assert_eq!(r.ent_login, None);
        assert_eq!(r.structure_code.as_deref(), Some("SCI"));
        assert_eq!(r.birth_date, Some(date(2004, 1, 23)));
        assert_eq!(r.due_date, Some(date(2026, 8, 31)));
        assert_eq!(
            r.identifiers,
            vec![
                (IdKind::RefId, "{ISO15693}044D137A7A5E65480".to_owned()),
                (IdKind::RefId, "{LEOCARTE:ACCESS-CONTROL}AbC123".to_owned()),
            ]
        );
        assert_eq!((r.source.as_str(), r.editable), ("ldap", true));
        assert_eq!(p.structure, Some(StructureRef::Code("SCI".into())));
        assert_eq!(
            p.member_of,
            ["univ:composantes:SCI:Etudiants", "univ:Tous_Etudiants"]
        );
        assert!(p.classes.is_empty() && p.pupils.is_empty());
        assert_eq!(p.photo, Some(vec![0xff, 0xd8, 0xff, 0xe0]));
    }

    #[test]
    fn affiliation_fallbacks() {
        let staff = Entry::new("uid=b,dc=x")
            .with("sn", "Ñúñez")
            .with("givenName", "Inès")
            .with("eduPersonAffiliation", "member")
            .with("eduPersonAffiliation", "employee")
            .with("eduPersonAffiliation", "Staff");
        assert_eq!(
            supann().map_person(&staff).unwrap().record.affiliation,
            "staff"
        );
        let bare = Entry::new("uid=c,dc=x")
            .with("sn", "Ø")
            .with("givenName", "Åse");
        let p = supann().map_person(&bare).unwrap();
        assert_eq!(p.record.affiliation, "member");
        assert_eq!((p.record.entry_uuid, p.photo), (None, None));
    }

    #[test]
    fn structure_fallbacks() {
        let base = Entry::new("uid=d,dc=x")
            .with("sn", "Durand")
            .with("givenName", "Léa");
        let secondary = base.clone().with("supannEntiteAffectation", "DROIT");
        let p = supann().map_person(&secondary).unwrap();
        assert_eq!(p.structure, Some(StructureRef::Code("DROIT".into())));
        let establishment = base.clone().with("supannEtablissement", "{UAI}0351234X");
        let p = supann().map_person(&establishment).unwrap();
        assert_eq!(p.structure, Some(StructureRef::Code("0351234X".into())));
        assert_eq!(p.record.structure_code.as_deref(), Some("0351234X"));
        let p = supann().map_person(&base).unwrap();
        assert_eq!((p.structure, p.record.structure_code), (None, None));
        let odd = base.with("supannEtablissement", "{SIRET}19350936100013");
        assert!(matches!(
            supann().map_person(&odd),
            Err(MapError::BadValue { attr, .. }) if attr == "supannEtablissement"
        ));
    }

    #[test]
    fn bad_dates_are_reported() {
        let mut e = student();
        e.set("schacexpirydate", "20261331220000Z");
        match supann().map_person(&e) {
            Err(MapError::BadValue {
                dn, attr, value, ..
            }) => {
                assert_eq!(dn, "uid=zlebihan,ou=people,dc=univ-rennes,dc=fr");
                assert_eq!(
                    (attr.as_str(), value.as_str()),
                    ("schacExpiryDate", "20261331220000Z")
                );
            }
            other => panic!("{other:?}"),
        }
        let e = Entry::new("uid=e,dc=x")
            .with("sn", "Martin")
            .with("givenName", "Jules")
            .with("schacDateOfBirth", "20230229");
        assert!(matches!(
            supann().map_person(&e),
            Err(MapError::BadValue { attr, .. }) if attr == "schacDateOfBirth"
        ));
    }

    #[test]
    fn missing_names() {
        let e = Entry::new("uid=f,dc=x")
            .with("givenName", "Jules")
            .with("sn", "  ");
        assert_eq!(
            supann().map_person(&e),
            Err(MapError::Missing {
                dn: "uid=f,dc=x".into(),
                attr: "sn".into()
            })
        );
        let e = Entry::new("uid=g,dc=x").with("sn", "Martin");
        assert!(matches!(
            supann().map_person(&e),
            Err(MapError::Missing { attr, .. }) if attr == "givenName"
        ));
    }

    #[test]
    fn structures() {
        let m = supann();
        let component = Entry::new("supannCodeEntite=SCI,ou=structures,dc=univ-rennes,dc=fr")
            .with("objectClass", "supannEntite")
            .with("supannCodeEntite", "SCI")
            .with("ou", "UFR Sciences et Propriétés de la Matière")
            .with("supannCodeEntiteParent", "UR1")
            .with("supannEtablissement", "{UAI}0351234X");
        let s = m.map_structure(&component).unwrap();
        assert_eq!(s.record.code, "SCI");
        assert_eq!(s.record.kind, StructureKind::Component);
        assert_eq!(s.record.name, "UFR Sciences et Propriétés de la Matière");
        assert_eq!(s.record.uai.as_deref(), Some("0351234X"));
        assert_eq!(s.record.parent_code.as_deref(), Some("UR1"));
        assert_eq!(s.parent, Some(StructureRef::Code("UR1".into())));
        assert_eq!(
            s.dn,
            "supannCodeEntite=SCI,ou=structures,dc=univ-rennes,dc=fr"
        );

        let nameless = Entry::new("supannCodeEntite=X1,dc=x").with("supannCodeEntite", "X1");
        let s = m
            .map_structure(&nameless.with("description", "Service X"))
            .unwrap();
        assert_eq!((s.record.name.as_str(), s.record.uai), ("Service X", None));
        let s = m
            .map_structure(&Entry::new("supannCodeEntite=X2,dc=x").with("supannCodeEntite", "X2"))
            .unwrap();
        assert_eq!((s.record.name.as_str(), s.parent), ("X2", None));

        let university = Entry::new("dc=univ-rennes,dc=fr")
            .with("objectClass", "supannOrg")
            .with("dc", "univ-rennes")
            .with("o", "Université de Rennes")
            .with("supannEtablissement", "{UAI}0351234X");
        let s = m.map_structure(&university).unwrap();
        assert_eq!(s.record.code, "0351234X");
        assert_eq!(s.record.uai.as_deref(), Some("0351234X"));
        assert_eq!(s.record.kind, StructureKind::University);
        assert_eq!(s.record.name, "Université de Rennes");
        let only_dc = Entry::new("dc=x")
            .with("dc", "univ-x")
            .with("supannEtablissement", "{UAI}0351234X");
        assert_eq!(m.map_structure(&only_dc).unwrap().record.name, "univ-x");

        assert_eq!(
            m.map_structure(&Entry::new("ou=x,dc=x").with("ou", "x")),
            Err(MapError::Missing {
                dn: "ou=x,dc=x".into(),
                attr: "supannCodeEntite or supannEtablissement".into()
            })
        );
    }

    #[test]
    fn filters_and_attributes() {
        let m = supann();
        assert_eq!(m.name(), PresetName::Supann);
        let f = m.filters();
        assert_eq!(
            f.people,
            "(|(objectClass=supannPerson)(objectClass=eduPerson))"
        );
        assert_eq!(
            f.structures,
            "(|(objectClass=supannEntite)(objectClass=supannOrg))"
        );
        let attrs = m.person_attrs();
        for a in [
            "entryUUID",
            "objectClass",
            "isMemberOf",
            "jpegPhoto",
            "schacExpiryDate",
            "sn",
        ] {
            assert!(attrs.iter().any(|x| x == a), "{a}");
        }
        let s = m.structure_attrs();
        assert_eq!(s.iter().filter(|a| *a == "description").count(), 1);
    }
}

//! Generator tests: the written LDIF is parsed back and checked for exact counts, non-empty groups,
//! resolvable members, `isMemberOf` consistency and determinism.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::*;

#[derive(Debug)]
struct Parsed {
    dn: String,
    attrs: Vec<(String, String)>,
}

impl Parsed {
    fn all(&self, attr: &str) -> Vec<&str> {
        self.attrs
            .iter()
            .filter(|(a, _)| a.eq_ignore_ascii_case(attr))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn has_class(&self, class: &str) -> bool {
        self.all("objectClass").contains(&class)
    }
}

fn b64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let v = match B64.iter().position(|&x| x == c) {
            Some(v) => v as u32,
            None => continue,
        };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn parse(text: &str) -> Vec<Parsed> {
    let mut entries = Vec::new();
    for block in text.split("\n\n") {
        let mut dn = None;
        let mut attrs = Vec::new();
        for line in block.lines() {
            if line.starts_with("version:") {
                continue;
            }
            assert!(!line.starts_with(' '), "folded line {line:?}");
            let (attr, rest) = line.split_once(':').expect("attr: value");
            let value = if let Some(b) = rest.strip_prefix(": ") {
                String::from_utf8(b64_decode(b)).expect("utf-8")
            } else {
                let v = rest.strip_prefix(' ').unwrap_or(rest);
                assert!(is_safe_string(v), "{line:?} should be base64");
                v.to_string()
            };
            if attr == "dn" {
                dn = Some(value);
            } else {
                attrs.push((attr.to_string(), value));
            }
        }
        if let Some(dn) = dn {
            entries.push(Parsed { dn, attrs });
        }
    }
    entries
}

fn generate(preset: PresetName, persons: usize, groups: usize, max: usize) -> (String, LdifStats) {
    let opts = LdifOptions {
        groups,
        max_group: max,
        seed: 42,
        ..LdifOptions::new(preset, persons)
    };
    let mut out = Vec::new();
    let stats = write_ldif(&opts, &mut out).expect("generate");
    (String::from_utf8(out).expect("utf-8"), stats)
}

/// Checks everything that must hold for any options; returns the parsed entries.
fn check(preset: PresetName, persons: usize, groups: usize, max: usize) -> Vec<Parsed> {
    let (text, stats) = generate(preset, persons, groups, max);
    let entries = parse(&text);
    let base = default_base(preset).to_string();
    let label = format!("{preset:?} {persons}/{groups}/{max}");
    assert_eq!(stats.entries, entries.len(), "{label}");
    let dns: BTreeSet<String> = entries.iter().map(|e| e.dn.to_lowercase()).collect();
    assert_eq!(dns.len(), entries.len(), "{label}: duplicate DN");
    let people: Vec<&Parsed> = entries
        .iter()
        .filter(|e| e.has_class("inetOrgPerson"))
        .collect();
    let groups_e: Vec<&Parsed> = entries
        .iter()
        .filter(|e| e.has_class("groupOfNames"))
        .collect();
    assert_eq!(people.len(), persons, "{label}");
    assert_eq!(stats.persons, persons);
    if groups > 0 {
        assert_eq!(groups_e.len(), groups, "{label}");
    }
    assert_eq!(stats.groups, groups_e.len());
    // Members resolve, groups are not empty, counts add up.
    let mut expected: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut values = 0;
    let mut sizes = BTreeMap::new();
    for g in &groups_e {
        let name = g.all("cn")[0].to_string();
        assert_eq!(g.dn, group_dn(&name, &base), "{label}");
        let members = g.all("member");
        assert!(
            !members.is_empty() && members.iter().all(|m| !m.is_empty()),
            "{label}: {name} empty"
        );
        let unique: BTreeSet<&str> = members.iter().copied().collect();
        assert_eq!(
            unique.len(),
            members.len(),
            "{label}: {name} repeats a member"
        );
        for m in &members {
            assert!(
                dns.contains(&m.to_lowercase()),
                "{label}: {name}: unknown member {m}"
            );
            expected
                .entry(m.to_lowercase())
                .or_default()
                .insert(name.clone());
        }
        values += members.len();
        sizes.insert(name, members.len());
    }
    assert_eq!(stats.member_values, values, "{label}");
    // isMemberOf = the groups the entry is directly in.
    for e in people.iter().chain(groups_e.iter()) {
        let got: BTreeSet<String> = e.all("isMemberOf").iter().map(|s| s.to_string()).collect();
        let want = expected.remove(&e.dn.to_lowercase()).unwrap_or_default();
        assert_eq!(got, want, "{label}: isMemberOf of {}", e.dn);
    }
    if max > 0 && groups > 0 {
        let name = stats.biggest_group.clone().expect("biggest group");
        assert_eq!(sizes.get(&name), Some(&max.min(persons)), "{label}");
    }
    // Identifiers are unique.
    let uids: BTreeSet<&str> = people.iter().map(|p| p.all("uid")[0]).collect();
    assert_eq!(uids.len(), persons, "{label}: duplicate uid");
    for attr in [
        "eduPersonPrincipalName",
        "ENTPersonLogin",
        "ENTPersonJointure",
        "supannCodeINE",
        "ENTEleveINE",
    ] {
        let v: Vec<&str> = people.iter().flat_map(|p| p.all(attr)).collect();
        let set: BTreeSet<String> = v.iter().map(|s| s.to_lowercase()).collect();
        assert_eq!(set.len(), v.len(), "{label}: duplicate {attr}");
    }
    entries
}

#[test]
fn exact_counts_for_many_shapes() {
    for preset in [PresetName::Supann, PresetName::Sdet] {
        for (n, g, m) in [
            (300, 40, 120),
            (1, 1, 0),
            (1, 5, 0),
            (1, 3, 1),
            (7, 30, 3),
            (50, 0, 0),
            (10, 200, 0),
            (2_000, 150, 400),
            (2_000, 12, 2_000),
            (500, 600, 9_999),
        ] {
            check(preset, n, g, m);
        }
    }
}

#[test]
fn supann_entries_have_their_shapes() {
    let entries = check(PresetName::Supann, 400, 50, 150);
    let fixed: Vec<&Parsed> = entries
        .iter()
        .filter(|e| e.all("sn").contains(&"Œuvray"))
        .collect();
    let uids: Vec<&str> = fixed.iter().map(|e| e.all("uid")[0]).collect();
    assert_eq!(uids, ["zoe.oeuvray", "zoe.oeuvray2"]);
    let helene = entries
        .iter()
        .find(|e| e.all("uid") == ["helene.dupre"])
        .expect("fixed person");
    assert_eq!(
        helene.dn,
        "uid=helene.dupre,ou=people,dc=univ-guichet,dc=fr"
    );
    assert_eq!(
        helene.all("eduPersonPrincipalName"),
        ["helene.dupre@univ-guichet.fr"]
    );
    assert_eq!(helene.all("supannEtablissement"), ["{UAI}0359999Z"]);
    let ine = helene.all("supannCodeINE")[0];
    assert!(ine.len() == 11 && ine[..10].bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(helene.all("schacDateOfBirth")[0].len(), 8);
    let people: Vec<&Parsed> = entries
        .iter()
        .filter(|e| e.has_class("supannPerson"))
        .collect();
    let students = people
        .iter()
        .filter(|p| p.all("eduPersonPrimaryAffiliation") == ["student"])
        .count();
    assert!(
        (0.8..0.9).contains(&(students as f64 / people.len() as f64)),
        "{students}"
    );
    let csns: Vec<&str> = people
        .iter()
        .flat_map(|p| p.all("supannRefId"))
        .filter_map(|v| v.strip_prefix("{ISO15693}"))
        .collect();
    assert!(
        csns.len() > 100
            && csns
                .iter()
                .all(|c| c.len() == 14 && c.bytes().all(|b| b.is_ascii_hexdigit()))
    );
    let year = i64::from(common::academic_year());
    let past = people
        .iter()
        .filter(|p| p.all("schacExpiryDate")[0][..4].parse::<i64>().unwrap_or(0) <= year)
        .count();
    assert!(past > 0 && past < people.len() / 10, "{past}");
    let comps = entries
        .iter()
        .filter(|e| e.has_class("supannEntite"))
        .count();
    assert!(comps >= 20);
    assert!(
        entries
            .iter()
            .any(|e| e.all("member").iter().any(|m| m.starts_with("cn=univ:"))),
        "nested group"
    );
}

#[test]
fn sdet_entries_have_their_shapes() {
    let entries = check(PresetName::Sdet, 400, 60, 150);
    let pupils: Vec<&Parsed> = entries.iter().filter(|e| e.has_class("ENTEleve")).collect();
    let fontaine: Vec<&str> = pupils
        .iter()
        .filter(|p| p.all("sn") == ["de La Fontaine"] && p.all("givenName") == ["Jean-Pierre"])
        .map(|p| p.all("ENTPersonLogin")[0])
        .collect();
    assert_eq!(
        fontaine,
        ["jean-pierre.de-la-fontaine", "jean-pierre.de-la-fontaine2"]
    );
    let dns: BTreeSet<&str> = pupils.iter().map(|p| p.dn.as_str()).collect();
    for p in &pupils {
        let class = p.all("ENTEleveClasses")[0];
        let (structure, code) = class.rsplit_once('$').expect("structure$class");
        assert_eq!(p.all("ENTPersonStructRattach"), [structure]);
        assert!(!code.is_empty());
        assert!(p.all("ENTPersonProfils").contains(&"National_ELV"));
        let birth = p.all("ENTPersonDateNaissance")[0];
        assert!(
            birth.len() == 10 && &birth[2..3] == "/" && &birth[5..6] == "/",
            "{birth}"
        );
        let year = i64::from(common::academic_year());
        let born: i64 = birth[6..].parse().expect("year");
        if year - born < 18 {
            assert_eq!(p.all("ENTEleveMajeur"), ["N"], "{birth}");
        }
        for attr in [
            "ENTEleveMEF",
            "ENTEleveMajeur",
            "ENTEleveFiliere",
            "ENTEleveINE",
        ] {
            assert_eq!(p.all(attr).len(), 1, "{attr}");
        }
    }
    let parents: Vec<&Parsed> = entries
        .iter()
        .filter(|e| e.has_class("ENTAuxPersRelEleve"))
        .collect();
    assert!(!parents.is_empty());
    for p in &parents {
        let kids = p.all("ENTAuxPersRelEleveEleve");
        assert!(!kids.is_empty() && kids.iter().all(|k| dns.contains(k)));
        assert!(p.all("ENTPersonProfils").contains(&"National_TUT"));
    }
    let profile = |p: &str| {
        entries
            .iter()
            .filter(|e| e.all("ENTPersonProfils").contains(&p))
            .count()
    };
    assert!(
        profile("National_ENS") > 0 && profile("National_DOC") >= 1 && profile("National_1") > 0
    );
    let first = entries
        .iter()
        .find(|e| e.all("ENTStructureUAI") == ["0291234X"])
        .expect("first school");
    assert!(first.dn.starts_with("ENTStructureSIREN=19"));
    assert_eq!(first.all("ENTStructureJointure"), ["AC-RENNES$2828"]);
    assert!(
        entries.iter().any(|e| e.all("cn").iter().any(|c| c
            .starts_with("esco:Etablissements:LYCEE_ANNE_DE_BRETAGNE_0291234X:2NDE:Eleves_2NDE"))),
        "class group"
    );
    let teachers = entries
        .iter()
        .filter(|e| e.has_class("ENTAuxEnseignant") && !e.all("ENTAuxEnsClasses").is_empty());
    assert!(teachers.count() > 0);
}

#[test]
fn same_seed_same_bytes_and_seeds_differ() {
    for preset in [PresetName::Supann, PresetName::Sdet] {
        let a = generate(preset, 500, 60, 100).0;
        let b = generate(preset, 500, 60, 100).0;
        assert!(a == b, "{preset:?} is not deterministic");
        let opts = LdifOptions {
            groups: 60,
            max_group: 100,
            seed: 43,
            ..LdifOptions::new(preset, 500)
        };
        let mut c = Vec::new();
        write_ldif(&opts, &mut c).expect("generate");
        assert_ne!(a.as_bytes(), &c[..]);
    }
}

#[test]
fn member_values_stay_a_few_per_person() {
    for preset in [PresetName::Supann, PresetName::Sdet] {
        let (_, stats) = generate(preset, 5_000, 450, 640);
        let per_person = stats.member_values as f64 / 5_000.0;
        assert!(
            (2.5..=6.5).contains(&per_person),
            "{preset:?}: {per_person}"
        );
    }
}

#[test]
fn logins_are_unique_across_pattern_rounds() {
    let names = common::Names::new();
    let pattern = common::LoginPattern::new(9, &names);
    let mut seen = std::collections::HashSet::new();
    for k in 0..30_000 {
        assert!(seen.insert(pattern.young(k).login()), "young {k}");
    }
    for k in 0..6_000 {
        assert!(seen.insert(pattern.old(k).login()), "old {k}");
    }
    assert!(
        seen.iter().any(|l| l.ends_with('2')),
        "homonyms are numbered"
    );
}

#[test]
fn bad_options_are_refused() {
    let mut opts = LdifOptions::new(PresetName::Supann, 0);
    opts.groups = 3;
    assert!(check_options(&opts).is_err());
    let mut opts = LdifOptions::new(PresetName::Sdet, 10);
    opts.base = "cn=x,dc=fr".into();
    let mut out = Vec::new();
    assert_eq!(
        write_ldif(&opts, &mut out).map_err(|e| e.kind()).err(),
        Some(std::io::ErrorKind::InvalidInput)
    );
    opts.base = "o=Lycee,c=FR".into();
    assert!(write_ldif(&opts, &mut out).is_ok());
}

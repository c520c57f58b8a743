//! Fixed data of the SDET population: school kinds, levels, towns, subjects, families.

/// What a school teaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Lycee,
    College,
    LyceePro,
}

impl Kind {
    pub fn of(e: usize) -> Kind {
        [Kind::Lycee, Kind::College, Kind::College, Kind::LyceePro][e % 4]
    }

    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Lycee => "LYCEE",
            Kind::College => "COLLEGE",
            Kind::LyceePro => "LYCEE PROFESSIONNEL",
        }
    }

    pub fn type_struct(self) -> &'static str {
        match self {
            Kind::Lycee => "LYCEE D ENSEIGNEMENT GENERAL",
            Kind::College => "COLLEGE",
            Kind::LyceePro => "LYCEE PROFESSIONNEL",
        }
    }

    pub fn levels(self) -> &'static [Level] {
        match self {
            Kind::Lycee => LYCEE,
            Kind::College => COLLEGE,
            Kind::LyceePro => LP,
        }
    }
}

/// A level (niveau): its Grouper folder, class-code prefix, MEF, labels and the usual age.
#[derive(Debug)]
pub struct Level {
    pub stem: &'static str,
    pub short: &'static str,
    pub mef: &'static str,
    pub libelle_mef: &'static str,
    pub niveau: &'static str,
    pub filiere: &'static str,
    pub age: i64,
}

const fn level(
    stem: &'static str,
    short: &'static str,
    mef: &'static str,
    libelle_mef: &'static str,
    niveau: &'static str,
    filiere: &'static str,
    age: i64,
) -> Level {
    Level {
        stem,
        short,
        mef,
        libelle_mef,
        niveau,
        filiere,
        age,
    }
}

const LYCEE: &[Level] = &[
    level(
        "2NDE",
        "2NDE",
        "20010010110",
        "2NDE GENERALE & TECHNO YC BT",
        "2NDE GENERALE ET TECHNOLOGIQUE",
        "2NDE GENERALE ET TECHNOLOGIQUE",
        15,
    ),
    level(
        "1ERE G (1ERE GENERALE)",
        "1G",
        "20111010110",
        "1ERE GENERALE",
        "1ERE GENERALE",
        "GENERALE",
        16,
    ),
    level(
        "TERM G (TLE GENERALE)",
        "TG",
        "20211010110",
        "TERMINALE GENERALE",
        "TERMINALE GENERALE",
        "GENERALE",
        17,
    ),
];

const COLLEGE: &[Level] = &[
    level("6EME", "6E", "10010012110", "6EME", "6EME", "COLLEGE", 11),
    level("5EME", "5E", "10110001110", "5EME", "5EME", "COLLEGE", 12),
    level("4EME", "4E", "10210001110", "4EME", "4EME", "COLLEGE", 13),
    level("3EME", "3E", "10310019110", "3EME", "3EME", "COLLEGE", 14),
];

const LP: &[Level] = &[
    level(
        "2NDPRO (METIERS RELATION CLIENT)",
        "2MRC",
        "24731219310",
        "2NDPRO METIERS RELATION CLIENT",
        "2NDE PROFESSIONNELLE",
        "PROFESSIONNELLE",
        15,
    ),
    level(
        "1ERPRO",
        "1MCV",
        "24732218210",
        "1ERPRO METIERS COMMERCE VENTE",
        "1ERE PROFESSIONNELLE",
        "PROFESSIONNELLE",
        16,
    ),
    level(
        "TLEPRO",
        "TMCV",
        "24733218210",
        "TLEPRO METIERS COMMERCE VENTE",
        "TERMINALE PROFESSIONNELLE",
        "PROFESSIONNELLE",
        17,
    ),
];

/// Names the schools are named after.
pub const PATRONS: &[&str] = &[
    "ANNE DE BRETAGNE",
    "LA TOUR D'AUVERGNE",
    "JEAN MOULIN",
    "BRIZEUX",
    "KERICHEN",
    "DE L'ELORN",
    "VAUBAN",
    "LAENNEC",
    "YVES THEPOT",
    "JULES FERRY",
    "VICTOR HUGO",
    "SAINT-EXUPERY",
    "PAUL LANGEVIN",
    "LES OCEANIDES",
    "JACQUES PREVERT",
    "MARIE CURIE",
    "CHATEAUBRIAND",
    "ERNEST RENAN",
    "TRISTAN CORBIERE",
    "ANATOLE LE BRAZ",
    "PAUL SERUSIER",
    "FULGENCE BIENVENUE",
    "HELENE BOUCHER",
    "EMILE ZOLA",
];

/// Towns: name, postal code, département number.
pub const TOWNS: &[(&str, &str, u32)] = &[
    ("BREST", "29200", 29),
    ("QUIMPER", "29000", 29),
    ("MORLAIX", "29600", 29),
    ("SAINT-BRIEUC", "22000", 22),
    ("LANNION", "22300", 22),
    ("RENNES", "35000", 35),
    ("SAINT-MALO", "35400", 35),
    ("VANNES", "56000", 56),
    ("LORIENT", "56100", 56),
    ("PONTIVY", "56300", 56),
];

/// Teachers' disciplines: code and label.
pub const DISCIPLINES: &[(&str, &str)] = &[
    ("L0202", "LETTRES MODERNES"),
    ("L0422", "ANGLAIS"),
    ("L0421", "ALLEMAND"),
    ("L0426", "ESPAGNOL"),
    ("L1000", "HISTOIRE GEOGRAPHIE"),
    ("L1300", "MATHEMATIQUES"),
    ("L1500", "PHYSIQUE CHIMIE"),
    ("L1600", "SCIENCES VIE ET TERRE"),
    ("L1900", "EDUCATION PHYSIQUE ET SPORTIVE"),
    ("L1400", "TECHNOLOGIE"),
    ("L0100", "PHILOSOPHIE"),
    ("L1800", "ARTS PLASTIQUES"),
];

/// Courses that name the teaching groups (`…:Enseignements:<course> (groupe n)`).
pub const COURSES: &[&str] = &[
    "ANGLAIS LV1",
    "ESPAGNOL LV2",
    "ALLEMAND LV2",
    "BRETON LV2",
    "LATIN",
    "SECTION EUROPEENNE",
    "SPE MATHEMATIQUES",
    "SPE NUMERIQUE ET SC.INFORMAT.",
    "SPE HIST.GEO.GEOPOL.SC.POL.",
    "OPTION MUSIQUE",
    "ACCOMPAGNEMENT PERSONNALISE",
    "ATELIER THEATRE",
];

pub const REGIMES: &[&str] = &[
    "DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT",
    "EXTERNE LIBRE",
    "INTERNE DANS L'ETABLISSEMENT",
];

/// Staff functions: profile, function code, label.
pub const STAFF: &[(&str, &str, &str)] = &[
    ("National_DIR", "DIR", "DIRECTION"),
    ("National_EVS", "EDU", "EDUCATION"),
    ("National_ETA", "ADF", "PERSONNELS ADMINISTRATIFS"),
    ("National_EVS", "SUR", "ASSISTANCE EDUCATIVE"),
];

/// Families in blocks of 8: (children, parents). 13 children and 12 parents per block.
const FAMILIES: [(u32, u32); 8] = [
    (1, 2),
    (2, 2),
    (1, 1),
    (2, 1),
    (3, 2),
    (1, 1),
    (2, 2),
    (1, 1),
];
const KIDS_PER_BLOCK: u32 = 13;
const PARENTS_PER_BLOCK: u32 = 12;

fn locate(r: u32, pick: impl Fn((u32, u32)) -> u32) -> (u32, u32) {
    let mut acc = 0;
    for (i, &f) in FAMILIES.iter().enumerate() {
        let n = pick(f);
        if r < acc + n {
            return (i as u32, r - acc);
        }
        acc += n;
    }
    (FAMILIES.len() as u32 - 1, 0)
}

fn before(f: u32, pick: impl Fn((u32, u32)) -> u32) -> u32 {
    let per_block: u32 = FAMILIES.iter().map(|&x| pick(x)).sum();
    f / 8 * per_block
        + FAMILIES[..(f % 8) as usize]
            .iter()
            .map(|&x| pick(x))
            .sum::<u32>()
}

/// The family of the `k`-th pupil and the pupil's rank among its siblings.
pub fn family_of_pupil(k: u32) -> (u32, u32) {
    let (i, pos) = locate(k % KIDS_PER_BLOCK, |f| f.0);
    (k / KIDS_PER_BLOCK * 8 + i, pos)
}

/// The family of the `j`-th parent and the parent's rank in the family (0 or 1).
pub fn family_of_parent(j: u32) -> (u32, u32) {
    let (i, pos) = locate(j % PARENTS_PER_BLOCK, |f| f.1);
    (j / PARENTS_PER_BLOCK * 8 + i, pos)
}

/// The pupils of family `f`: first pupil and count.
pub fn pupils_of(f: u32) -> (u32, u32) {
    (before(f, |x| x.0), FAMILIES[(f % 8) as usize].0)
}

/// How many parents the first `pupils` pupils have.
pub fn parents_for(pupils: u32) -> u32 {
    if pupils == 0 {
        return 0;
    }
    let (f, _) = family_of_pupil(pupils - 1);
    before(f + 1, |x| x.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_are_consistent_both_ways() {
        for p in 0..200 {
            let (f, pos) = family_of_pupil(p);
            let (first, n) = pupils_of(f);
            assert!(pos < n && first + pos == p, "pupil {p}");
        }
        for j in 0..200 {
            let (f, pos) = family_of_parent(j);
            assert!(pos < FAMILIES[(f % 8) as usize].1);
            assert_eq!(before(f, |x| x.1) + pos, j);
        }
        assert_eq!(parents_for(0), 0);
        assert_eq!(parents_for(1), 2);
        assert_eq!(parents_for(13), 12);
        assert_eq!(parents_for(14), 14);
    }
}

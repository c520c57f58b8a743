//! Groups: classes, teaching groups, profiles; named as Grouper does (`:`-separated stems).

/// What a group stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKind {
    /// A class of pupils (`…:Eleves_2NDE1`) or a teaching group.
    Class,
    /// Teachers of a class, staff of a function, other working groups.
    Group,
    /// Everyone of a profile in an establishment (`…:Eleves`, `…:Profs`).
    Profile,
    /// Members of a structure (a university component).
    Structure,
}

impl GroupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Class => "class",
            GroupKind::Group => "group",
            GroupKind::Profile => "profile",
            GroupKind::Structure => "structure",
        }
    }

    pub fn parse(s: &str) -> Option<GroupKind> {
        match s {
            "class" => Some(GroupKind::Class),
            "group" => Some(GroupKind::Group),
            "profile" => Some(GroupKind::Profile),
            "structure" => Some(GroupKind::Structure),
            _ => None,
        }
    }
}

/// A group as written to the mirror.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupRecord {
    /// Full name, unique: `esco:Etablissements:LYCEE_X_0290009C:2NDE:Eleves_2NDE1`.
    pub name: String,
    pub display_name: String,
    pub kind: GroupKind,
    pub source: String,
}

/// The last stem of a Grouper name, used as a short display name: `Eleves_2NDE1`.
pub fn short_name(full: &str) -> &str {
    full.rsplit(':').next().unwrap_or(full)
}

/// The class code of a class group: the part after `Classes:` of a directory class
/// (`0290009C:Classes:2NDE1`), the part after `Eleves_` of a Grouper class
/// (`…:2NDE:Eleves_2NDE1`), else the last stem.
pub fn class_code(full: &str) -> &str {
    let last = short_name(full);
    last.strip_prefix("Eleves_").unwrap_or(last)
}

#[cfg(test)]
mod tests {
    #[test]
    fn class_code_of_both_namings() {
        assert_eq!(super::class_code("0290009C:Classes:2NDE1"), "2NDE1");
        assert_eq!(
            super::class_code("esco:Etablissements:LYCEE_X_0290009C:2NDE:Eleves_2NDE1"),
            "2NDE1"
        );
    }

    #[test]
    fn short_name_is_the_last_stem() {
        assert_eq!(
            super::short_name("esco:Etablissements:LYCEE_X_0290009C:2NDE:Eleves_2NDE1"),
            "Eleves_2NDE1"
        );
        assert_eq!(super::short_name("plain"), "plain");
    }
}

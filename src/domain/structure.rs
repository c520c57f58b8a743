//! Structures: establishments (with their UAI, the national school and university code) and components.

/// What kind of structure this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StructureKind {
    University,
    Component,
    School,
    Service,
}

impl StructureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StructureKind::University => "university",
            StructureKind::Component => "component",
            StructureKind::School => "school",
            StructureKind::Service => "service",
        }
    }

    pub fn parse(s: &str) -> Option<StructureKind> {
        match s {
            "university" => Some(StructureKind::University),
            "component" => Some(StructureKind::Component),
            "school" => Some(StructureKind::School),
            "service" => Some(StructureKind::Service),
            _ => None,
        }
    }
}

/// A structure as written to the mirror.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureRecord {
    /// Stable code: `supannCodeEntite`, or the UAI for an establishment.
    pub code: String,
    /// UAI (Unité Administrative Immatriculée): 7 digits and a letter, e.g. `0290009C`.
    pub uai: Option<String>,
    pub kind: StructureKind,
    pub name: String,
    pub parent_code: Option<String>,
}

/// Whether `s` has the UAI shape: 7 characters (digits) then one letter.
pub fn is_uai(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 8 && b[..7].iter().all(u8::is_ascii_digit) && b[7].is_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    #[test]
    fn uai_shape() {
        assert!(super::is_uai("0290009C"));
        assert!(!super::is_uai("0290009"));
        assert!(!super::is_uai("029000XC"));
    }
}

//! A directory entry as the mapping sees it: a DN and its attribute values, independent of the LDAP
//! client library (so presets can be tested without a server).

use std::collections::HashMap;
use std::hash::BuildHasher;

/// One LDAP entry. Attribute names are stored lower-cased (LDAP attribute names are
/// case-insensitive); values are kept exactly as the server sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub dn: String,
    pub attrs: HashMap<String, Vec<String>, FastHash>,
    pub bin_attrs: HashMap<String, Vec<Vec<u8>>, FastHash>,
}

/// Hashing with one multiply per 8 bytes instead of SipHash, for keys that are already well spread or
/// come from the directory itself (no flooding to fear): UUIDs (OpenLDAP's are time-based: the low
/// time bits vary fastest), DN fingerprints, attribute names. A sync hashes millions of them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FastHash;

impl BuildHasher for FastHash {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

#[derive(Debug, Default)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(29) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_u128(&mut self, n: u128) {
        self.write_u64(n as u64);
        self.write_u64((n >> 64) as u64);
    }
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 32)
    }
}

impl Entry {
    pub fn new(dn: impl Into<String>) -> Entry {
        Entry {
            dn: dn.into(),
            ..Entry::default()
        }
    }

    /// Adds a value (builder style, for tests and the LDIF reader).
    pub fn with(mut self, attr: &str, value: impl Into<String>) -> Entry {
        self.push(attr, value.into());
        self
    }

    pub fn push(&mut self, attr: &str, value: String) {
        self.attrs
            .entry(attr.to_ascii_lowercase())
            .or_default()
            .push(value);
    }

    /// Adds all the values of one attribute, taking ownership (the sync's path: no copy per value).
    pub fn push_values(&mut self, mut attr: String, values: Vec<String>) {
        attr.make_ascii_lowercase();
        match self.attrs.entry(attr) {
            std::collections::hash_map::Entry::Occupied(mut o) => o.get_mut().extend(values),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(values);
            }
        }
    }

    pub fn push_bin(&mut self, attr: &str, value: Vec<u8>) {
        self.bin_attrs
            .entry(attr.to_ascii_lowercase())
            .or_default()
            .push(value);
    }

    /// Every value of `attr` (case-insensitive name); empty when absent.
    pub fn all(&self, attr: &str) -> &[String] {
        let found = if attr.bytes().any(|b| b.is_ascii_uppercase()) {
            self.attrs.get(&attr.to_ascii_lowercase())
        } else {
            self.attrs.get(attr)
        };
        found.map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first non-blank value of `attr`, trimmed.
    pub fn first(&self, attr: &str) -> Option<&str> {
        self.all(attr)
            .iter()
            .map(|v| v.trim())
            .find(|v| !v.is_empty())
    }

    /// The first binary value of `attr` (e.g. `jpegPhoto`).
    pub fn first_bin(&self, attr: &str) -> Option<&[u8]> {
        self.bin_attrs
            .get(&attr.to_ascii_lowercase())
            .and_then(|v| v.first())
            .map(Vec::as_slice)
    }

    /// Whether the entry has `class` among its objectClass values (case-insensitive).
    pub fn has_class(&self, class: &str) -> bool {
        self.all("objectClass")
            .iter()
            .any(|c| c.trim().eq_ignore_ascii_case(class))
    }
}

/// A comparison key for a DN: attribute types and values lower-cased, spaces around `,`, `=` and `+`
/// removed, so that `member: UID=x, ou=People,dc=ex` finds the entry `uid=x,ou=people,dc=ex`.
/// Escaped separators (`\,`) are kept as they are.
pub fn dn_key(dn: &str) -> String {
    if is_plain(dn) {
        return dn.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(dn.len());
    let mut chars = dn.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push('\\');
                if let Some(n) = chars.next() {
                    out.extend(n.to_lowercase());
                }
            }
            ',' | '=' | '+' => {
                while out.ends_with(' ') {
                    out.pop();
                }
                out.push(c);
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
            }
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The usual DN (ASCII, no space, no escape): lower-casing is all [`dn_key`] does to it.
fn is_plain(dn: &str) -> bool {
    dn.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}

/// [`dn_key`] of a DN the caller no longer needs: the usual DN is lower-cased in place (a group's
/// members are a million DNs in a large directory).
pub fn into_dn_key(mut dn: String) -> String {
    if is_plain(&dn) {
        dn.make_ascii_lowercase();
        dn
    } else {
        dn_key(&dn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dn_keys_ignore_case_and_spacing() {
        assert_eq!(
            dn_key(" UID=Jdupont, ou=People ,DC=univ-rennes,dc=fr"),
            "uid=jdupont,ou=people,dc=univ-rennes,dc=fr"
        );
        assert_eq!(dn_key("cn=A\\, B,ou=x"), "cn=a\\, b,ou=x");
        assert_eq!(dn_key("cn=Élise+sn=Ô,ou=X"), "cn=élise+sn=ô,ou=x");
        for dn in [
            " UID=Jdupont, ou=People ,DC=univ-rennes,dc=fr",
            "UID=Jdupont,ou=People,DC=univ-rennes,dc=fr",
            "cn=A\\, B,ou=x",
            "cn=Élise+sn=Ô,ou=X",
        ] {
            assert_eq!(into_dn_key(dn.to_owned()), dn_key(dn), "{dn}");
        }
    }

    #[test]
    fn attribute_names_are_case_insensitive() {
        let e = Entry::new("uid=a,dc=x")
            .with("givenName", "  ")
            .with("givenname", "Zoé")
            .with("objectClass", "inetOrgPerson");
        assert_eq!(e.first("GIVENNAME"), Some("Zoé"));
        assert_eq!(e.all("givenName").len(), 2);
        assert!(e.has_class("inetorgperson"));
        assert!(e.all("sn").is_empty());
    }
}

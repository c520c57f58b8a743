//! A directory entry as the mapping sees it: a DN and its attribute values, independent of the LDAP
//! client library (so presets can be tested without a server).

use std::borrow::Cow;

/// One LDAP entry. Values are kept exactly as the server sent them; attribute names are compared
/// without regard to case (LDAP attribute names are case-insensitive).
///
/// The sync decodes entries straight from the received message: names and values then borrow its
/// bytes (`'a`) instead of being copied, and the mapping copies only the values it keeps. Entries
/// built by hand (tests, the LDIF reader) own theirs (`Entry<'static>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry<'a> {
    pub dn: Cow<'a, str>,
    /// (attribute name as received, range of its values in `values`), in the order received. An
    /// entry has a score of attributes: a linear search costs less than hashing the name.
    names: Vec<(Cow<'a, str>, usize, usize)>,
    values: Vec<Cow<'a, str>>,
    /// Attributes with a value that is not UTF-8 (e.g. `jpegPhoto`): all their values as bytes.
    bin: Vec<(Cow<'a, str>, BinValues<'a>)>,
}

/// The values of a binary attribute.
type BinValues<'a> = Vec<Cow<'a, [u8]>>;

impl<'a> Entry<'a> {
    pub fn new(dn: impl Into<Cow<'a, str>>) -> Entry<'a> {
        Entry {
            dn: dn.into(),
            ..Entry::default()
        }
    }

    /// Adds a value (builder style, for tests and the LDIF reader).
    pub fn with(mut self, attr: &str, value: impl Into<Cow<'a, str>>) -> Entry<'a> {
        self.push(attr, value.into());
        self
    }

    /// Adds one value of `attr`.
    pub fn push(&mut self, attr: &str, value: impl Into<Cow<'a, str>>) {
        let value = value.into();
        match self.position(attr) {
            Some(i) => {
                let end = self.names[i].2;
                self.values.insert(end, value);
                self.names[i].2 += 1;
                for later in &mut self.names[i + 1..] {
                    later.1 += 1;
                    later.2 += 1;
                }
            }
            None => {
                let at = self.values.len();
                self.values.push(value);
                self.names.push((Cow::Owned(attr.to_owned()), at, at + 1));
            }
        }
    }

    /// Adds the values of one attribute as received (the sync's path: nothing is copied). They are
    /// text when every one is UTF-8; otherwise the attribute is binary, all of it (e.g. `jpegPhoto`),
    /// as ldap3's `SearchEntry` has it.
    pub fn push_received<I>(&mut self, attr: &'a str, raw: I)
    where
        I: Iterator<Item = &'a [u8]> + Clone,
    {
        let repeated = self.position(attr).is_some();
        let start = self.values.len();
        for v in raw.clone() {
            match std::str::from_utf8(v) {
                Ok(text) => self.values.push(Cow::Borrowed(text)),
                Err(_) => {
                    self.values.truncate(start);
                    for v in raw {
                        self.push_bin(attr, v);
                    }
                    return;
                }
            }
        }
        if repeated {
            // The same attribute twice in one entry: rare, its values kept in one place.
            let values: Vec<_> = self.values.drain(start..).collect();
            for v in values {
                self.push(attr, v);
            }
        } else {
            let end = self.values.len();
            self.names.push((Cow::Borrowed(attr), start, end));
        }
    }

    /// Room for `attrs` attributes and `values` values, when they are known beforehand.
    pub fn reserve(&mut self, attrs: usize, values: usize) {
        self.names.reserve(attrs);
        self.values.reserve(values);
    }

    /// Adds a binary value of `attr`.
    pub fn push_bin(&mut self, attr: &str, value: impl Into<Cow<'a, [u8]>>) {
        let value = value.into();
        match self
            .bin
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(attr))
        {
            Some((_, v)) => v.push(value),
            None => self.bin.push((Cow::Owned(attr.to_owned()), vec![value])),
        }
    }

    /// Removes every text value of `attr` (tests: an entry without one attribute).
    pub fn remove(&mut self, attr: &str) {
        if let Some(i) = self.position(attr) {
            let (_, start, end) = self.names.remove(i);
            self.values.drain(start..end);
            for later in &mut self.names[i..] {
                later.1 -= end - start;
                later.2 -= end - start;
            }
        }
    }

    /// Replaces every value of `attr` by `value` (tests: an entry with one odd value).
    pub fn set(&mut self, attr: &str, value: impl Into<Cow<'a, str>>) {
        self.remove(attr);
        self.push(attr, value);
    }

    fn position(&self, attr: &str) -> Option<usize> {
        self.names
            .iter()
            .position(|(n, _, _)| n.len() == attr.len() && n.eq_ignore_ascii_case(attr))
    }

    /// Every value of `attr` (case-insensitive name); empty when absent.
    pub fn all(&self, attr: &str) -> &[Cow<'a, str>] {
        match self.position(attr) {
            Some(i) => {
                let (_, start, end) = self.names[i];
                &self.values[start..end]
            }
            None => &[],
        }
    }

    /// The first non-blank value of `attr`, trimmed.
    pub fn first(&self, attr: &str) -> Option<&str> {
        self.all(attr)
            .iter()
            .map(|v| v.trim())
            .find(|v| !v.is_empty())
    }

    /// Every binary value of `attr` (an attribute with a value that is not UTF-8).
    pub fn all_bin(&self, attr: &str) -> &[Cow<'a, [u8]>] {
        self.bin
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(attr))
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }

    /// The first binary value of `attr` (e.g. `jpegPhoto`).
    pub fn first_bin(&self, attr: &str) -> Option<&[u8]> {
        self.all_bin(attr).first().map(|v| &**v)
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
    fn received_values_are_borrowed_and_kept_per_attribute() {
        let bytes: Vec<&[u8]> = vec![b"a1", b"a2", b"b1", b"\xff\xfe", b"a3", b"c"];
        let mut e = Entry::new("uid=x");
        e.push_received("mail", bytes[..2].iter().copied());
        e.push_received("sn", bytes[2..3].iter().copied());
        // Not UTF-8: the whole attribute is binary.
        e.push_received("jpegPhoto", bytes[2..4].iter().copied());
        // The same attribute again, then a value added by hand after it.
        e.push_received("MAIL", bytes[4..5].iter().copied());
        e.push("sn", "b2");
        e.push_received("cn", bytes[5..].iter().copied());
        assert_eq!(e.all("mail"), ["a1", "a2", "a3"]);
        assert_eq!(e.all("SN"), ["b1", "b2"]);
        assert_eq!(e.all("cn"), ["c"]);
        assert!(e.all("jpegphoto").is_empty());
        assert_eq!(e.all_bin("jpegPhoto"), [&b"b1"[..], &b"\xff\xfe"[..]]);
        assert!(matches!(e.all("cn")[0], Cow::Borrowed(_)));
        e.remove("Mail");
        assert!(e.all("mail").is_empty());
        assert_eq!((e.all("sn").len(), e.first("cn")), (2, Some("c")));
        e.set("cn", "d");
        assert_eq!(e.all("cn"), ["d"]);
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

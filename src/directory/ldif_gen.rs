//! The synthetic directory generator behind `guichet gen-ldif`: a deterministic SupAnn (university)
//! or SDET (schools, "annuaire ENT") directory as RFC 2849 LDIF, for tests and benchmarks.
//!
//! Layout: the suffix entry, `ou=people`, `ou=groups`, `ou=structures`; structures; persons
//! `uid=…,ou=people,<base>`; groups `cn=<full Grouper name>,ou=groups,<base>` (`groupOfNames` +
//! `eduMember`), members as DNs, a few of them nested groups. Persons carry `isMemberOf` = the
//! names of the groups they are directly in. Exactly `groups` groups are written (0 = a natural
//! number for the size), none empty; with `max_group` > 0 one group (the first) has exactly
//! `min(max_group, persons)` members.
//!
//! Output is streamed: each person is computed from `(seed, index)` alone, and a group's member
//! list from arithmetic on indices, so memory is O(groups), whatever the number of persons. Same
//! options, same bytes (dates follow the current academic year: see [`common::academic_year`]).
//! Facts: `reference/formats.md` §1 (SDET), §4 (SupAnn), §9 (Grouper).

mod common;
mod sdet;
mod supann;
#[cfg(test)]
mod tests;

use std::io::{self, Write};

use crate::directory::mapping::PresetName;
use common::{Members, Plan};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LdifOptions {
    pub preset: PresetName,
    pub persons: usize,
    /// Exactly this many groups; 0 = a natural number for the size.
    pub groups: usize,
    /// Members of the biggest group (capped at `persons`); 0 = no such group.
    pub max_group: usize,
    pub seed: u64,
    /// The suffix; empty = [`default_base`].
    pub base: String,
}

impl LdifOptions {
    pub fn new(preset: PresetName, persons: usize) -> LdifOptions {
        LdifOptions {
            preset,
            persons,
            groups: 0,
            max_group: 0,
            seed: 1,
            base: default_base(preset).to_string(),
        }
    }
}

/// The default suffix of a preset.
pub fn default_base(preset: PresetName) -> &'static str {
    match preset {
        PresetName::Supann => "dc=univ-guichet,dc=fr",
        PresetName::Sdet => "dc=ent-guichet,dc=fr",
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LdifStats {
    pub persons: usize,
    pub structures: usize,
    pub groups: usize,
    /// `member` values of all groups (person DNs and nested group DNs).
    pub member_values: usize,
    /// Every entry, the suffix and the `ou` containers included.
    pub entries: usize,
    /// Name of the group with `max_group` members, when there is one.
    pub biggest_group: Option<String>,
}

/// Why the options cannot be used.
pub fn check_options(opts: &LdifOptions) -> Result<(), String> {
    if opts.persons == 0 && opts.groups > 0 {
        return Err("groups need at least one person".into());
    }
    if opts.persons > 10_000_000 || opts.groups > 10_000_000 {
        return Err("too many persons or groups".into());
    }
    let base = effective_base(opts);
    if Suffix::parse(&base).is_none() {
        return Err(format!("unusable base {base:?}"));
    }
    Ok(())
}

fn effective_base(opts: &LdifOptions) -> String {
    let b = opts.base.trim();
    if b.is_empty() {
        default_base(opts.preset).to_string()
    } else {
        b.to_string()
    }
}

/// Writes the whole directory to `out` (which should be buffered).
pub fn write_ldif(opts: &LdifOptions, out: &mut impl Write) -> io::Result<LdifStats> {
    check_options(opts).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let base = effective_base(opts);
    let suffix =
        Suffix::parse(&base).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "base"))?;
    let ctx = Ctx {
        domain: suffix.domain.clone(),
        base,
        seed: opts.seed,
        year: common::academic_year(),
    };
    let mut w = Ldif::new(out);
    match opts.preset {
        PresetName::Supann => {
            let mut p = supann::Supann::new(opts, ctx);
            generate(&mut p, &suffix, &mut w)
        }
        PresetName::Sdet => {
            let mut p = sdet::Sdet::new(opts, ctx);
            generate(&mut p, &suffix, &mut w)
        }
    }
}

/// What a preset's population shares with the driver.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub base: String,
    /// Mail domain: the `dc` parts of the base, or the preset's own.
    pub domain: Option<String>,
    pub seed: u64,
    pub year: i16,
}

/// A preset's persons, structures and groups.
pub(crate) trait Population {
    fn persons(&self) -> u32;
    fn plan(&self) -> &Plan;
    /// The preset's organisation name and default mail domain.
    fn organisation(&self) -> (&'static str, &'static str);
    fn biggest(&self) -> Option<u32>;
    fn person_dn(&self, i: u32, out: &mut String);
    fn teachers(&self, etab: u32, class: u32, f: &mut dyn FnMut(u32));
    fn write_structures<W: Write>(&self, w: &mut Ldif<W>) -> io::Result<usize>;
    fn write_person<W: Write>(&mut self, i: u32, w: &mut Ldif<W>) -> io::Result<()>;
}

fn generate<P: Population, W: Write>(
    p: &mut P,
    suffix: &Suffix,
    w: &mut Ldif<W>,
) -> io::Result<LdifStats> {
    let base = suffix.dn.clone();
    // The suffix entry.
    w.dn(&base)?;
    let (org, _) = p.organisation();
    match suffix.attr.as_str() {
        "dc" => {
            w.classes(&["top", "dcObject", "organization"])?;
            w.attr("dc", &suffix.value)?;
            w.attr("o", org)?;
        }
        "o" => {
            w.classes(&["top", "organization"])?;
            w.attr("o", &suffix.value)?;
        }
        _ => {
            w.classes(&["top", "organizationalUnit"])?;
            w.attr("ou", &suffix.value)?;
        }
    }
    w.end()?;
    for ou in ["people", "groups", "structures"] {
        w.dn(&format!("ou={ou},{base}"))?;
        w.classes(&["top", "organizationalUnit"])?;
        w.attr("ou", ou)?;
        w.end()?;
    }
    let structures = p.write_structures(w)?;
    let persons = p.persons();
    for i in 0..persons {
        p.write_person(i, w)?;
    }
    let mut member_values = 0usize;
    let mut dn = String::new();
    let plan = p.plan();
    for g in &plan.groups {
        w.dn(&group_dn(&g.name, &base))?;
        w.classes(&["top", "groupOfNames", "eduMember"])?;
        w.attr("cn", &g.name)?;
        if let Some(d) = &g.description {
            w.attr("description", d)?;
        }
        match &g.members {
            Members::Persons(ap) => {
                for i in ap.iter() {
                    dn.clear();
                    p.person_dn(i, &mut dn);
                    w.attr("member", &dn)?;
                    member_values += 1;
                }
            }
            Members::Teachers { etab, class } => {
                let mut result = Ok(());
                p.teachers(*etab, *class, &mut |t| {
                    if result.is_ok() {
                        dn.clear();
                        p.person_dn(t, &mut dn);
                        result = w.attr("member", &dn);
                        member_values += 1;
                    }
                });
                result?;
            }
            Members::Nested { groups, persons } => {
                for &c in groups {
                    w.attr("member", &group_dn(plan.name(c), &base))?;
                    member_values += 1;
                }
                for &i in persons {
                    dn.clear();
                    p.person_dn(i, &mut dn);
                    w.attr("member", &dn)?;
                    member_values += 1;
                }
            }
        }
        for &parent in &g.member_of {
            w.attr("isMemberOf", plan.name(parent))?;
        }
        w.end()?;
    }
    w.flush()?;
    Ok(LdifStats {
        persons: persons as usize,
        structures,
        groups: plan.groups.len(),
        member_values,
        entries: w.entries,
        biggest_group: p.biggest().map(|g| plan.name(g).to_string()),
    })
}

/// The DN of a group from its full name.
pub fn group_dn(name: &str, base: &str) -> String {
    format!("cn={},ou=groups,{base}", rdn_escape(name))
}

/// A parsed suffix: its first RDN and the mail domain its `dc` parts spell.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Suffix {
    dn: String,
    attr: String,
    value: String,
    domain: Option<String>,
}

impl Suffix {
    /// Accepts plain suffixes (`dc=x,dc=fr`, `o=x,c=fr`, `ou=x,…`); escapes are refused.
    fn parse(base: &str) -> Option<Suffix> {
        if base.contains(['\\', '"', '+', ';', '<', '>', '#']) {
            return None;
        }
        let mut rdns = Vec::new();
        for rdn in base.split(',') {
            let (a, v) = rdn.split_once('=')?;
            let (a, v) = (a.trim(), v.trim());
            if a.is_empty()
                || v.is_empty()
                || !a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            {
                return None;
            }
            rdns.push((a.to_ascii_lowercase(), v.to_string()));
        }
        let (attr, value) = rdns.first()?.clone();
        if !matches!(attr.as_str(), "dc" | "o" | "ou") {
            return None;
        }
        let domain = rdns
            .iter()
            .all(|(a, _)| a == "dc")
            .then(|| {
                rdns.iter()
                    .map(|(_, v)| v.as_str())
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .filter(|d| d.contains('.'));
        let dn = rdns
            .iter()
            .map(|(a, v)| format!("{a}={v}"))
            .collect::<Vec<_>>()
            .join(",");
        Some(Suffix {
            dn,
            attr,
            value,
            domain,
        })
    }
}

/// Escapes an RDN value (RFC 4514): `"+,;<>\`, a leading space or `#`, a trailing space, NUL.
pub fn rdn_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    let last = value.chars().count().saturating_sub(1);
    for (n, c) in value.chars().enumerate() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' ' if n == 0 || n == last => out.push_str("\\ "),
            '#' if n == 0 => out.push_str("\\#"),
            '\0' => out.push_str("\\00"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether `value` can be written as is after `attr: ` (RFC 2849 SAFE-STRING, and no trailing
/// space): ASCII without NUL, CR, LF, not starting with a space, `:` or `<`, not ending with a space.
pub fn is_safe_string(value: &str) -> bool {
    let b = value.as_bytes();
    if let Some(&first) = b.first()
        && matches!(first, b' ' | b':' | b'<')
    {
        return false;
    }
    if b.last() == Some(&b' ') {
        return false;
    }
    b.iter()
        .all(|&c| c < 128 && c != 0 && c != b'\n' && c != b'\r')
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// One LDIF line `attr: value` or `attr:: base64` (with its newline).
pub fn ldif_line(attr: &str, value: &str) -> String {
    if value.is_empty() {
        format!("{attr}:\n")
    } else if is_safe_string(value) {
        format!("{attr}: {value}\n")
    } else {
        format!("{attr}:: {}\n", base64_encode(value.as_bytes()))
    }
}

/// An LDIF writer: lines are not folded (RFC 2849 allows long lines) and there is no `version: 1`
/// line, which `slapadd` refuses.
pub(crate) struct Ldif<W: Write> {
    out: W,
    pub entries: usize,
}

impl<W: Write> Ldif<W> {
    pub fn new(out: W) -> Ldif<W> {
        Ldif { out, entries: 0 }
    }

    pub fn attr(&mut self, attr: &str, value: &str) -> io::Result<()> {
        if value.is_empty() {
            writeln!(self.out, "{attr}:")
        } else if is_safe_string(value) {
            writeln!(self.out, "{attr}: {value}")
        } else {
            writeln!(self.out, "{attr}:: {}", base64_encode(value.as_bytes()))
        }
    }

    pub fn dn(&mut self, dn: &str) -> io::Result<()> {
        self.attr("dn", dn)
    }

    pub fn classes(&mut self, classes: &[&str]) -> io::Result<()> {
        for c in classes {
            self.attr("objectClass", c)?;
        }
        Ok(())
    }

    pub fn end(&mut self) -> io::Result<()> {
        self.entries += 1;
        self.out.write_all(b"\n")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod encoder_tests {
    use super::*;

    #[test]
    fn safe_strings_stay_plain() {
        assert!(is_safe_string("jean.dupont@univ-guichet.fr"));
        assert!(is_safe_string(
            "esco:Etablissements:X_0291234X:2NDE:Eleves_2NDE1"
        ));
        assert!(is_safe_string("a: b < c"));
        assert!(is_safe_string(""));
        assert_eq!(ldif_line("uid", "hdupre"), "uid: hdupre\n");
        assert_eq!(ldif_line("member", ""), "member:\n");
    }

    #[test]
    fn unsafe_strings_are_base64() {
        for v in [
            " lead", ":colon", "<url", "trail ", "é", "Œuvray", "a\nb", "a\rb", "a\0b",
        ] {
            assert!(!is_safe_string(v), "{v:?}");
            assert!(ldif_line("cn", v).starts_with("cn:: "), "{v:?}");
        }
        assert_eq!(ldif_line("sn", "Dupré"), "sn:: RHVwcsOp\n");
        assert_eq!(ldif_line("cn", " x"), "cn:: IHg=\n");
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (raw, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(raw.as_bytes()), enc);
        }
        assert_eq!(base64_encode(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn rdn_values_are_escaped() {
        assert_eq!(rdn_escape("a:b (c)"), "a:b (c)");
        assert_eq!(rdn_escape("a,b+c"), "a\\,b\\+c");
        assert_eq!(rdn_escape(" x "), "\\ x\\ ");
        assert_eq!(rdn_escape("#x"), "\\#x");
        assert_eq!(rdn_escape("é\"\\"), "é\\\"\\\\");
        assert_eq!(
            group_dn("univ:tous:communauté (imbriqué)", "dc=x"),
            "cn=univ:tous:communauté (imbriqué),ou=groups,dc=x"
        );
    }

    #[test]
    fn suffixes_parse() {
        let s = Suffix::parse("dc=univ-guichet, dc=fr").expect("valid");
        assert_eq!(s.dn, "dc=univ-guichet,dc=fr");
        assert_eq!(s.domain.as_deref(), Some("univ-guichet.fr"));
        let s = Suffix::parse("o=Lycee,c=FR").expect("valid");
        assert_eq!((s.attr.as_str(), s.domain), ("o", None));
        for bad in ["", "dc=", "=x", "cn=x,dc=fr", "dc=a\\,b", "dc=x+uid=y"] {
            assert!(Suffix::parse(bad).is_none(), "{bad:?}");
        }
    }
}

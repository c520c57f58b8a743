//! Identifier forms: chip serial numbers (CSN) in their four printed forms, and the European Student
//! Card Number (ESCN).
//!
//! Rules from `reference/crous-escr.md` §1.2 (CSN forms) and §4.1 (ESCN algorithm).

use std::fmt;

/// A chip serial number (UID) as read with `FF CA 00 00 00`: 4, 7 or 10 bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Csn(Vec<u8>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("a CSN is 4, 7 or 10 bytes written in hexadecimal (8, 14 or 20 digits): {0:?}")]
    CsnLength(String),
    #[error("a CSN is written in hexadecimal digits: {0:?}")]
    CsnDigits(String),
    #[error("an ESCN prefix has at most 3 digits and a PIC exactly 9 digits")]
    EscnParams,
}

impl Csn {
    /// Parses the hex form; spaces, colons and dashes between bytes are accepted.
    pub fn parse_hex(s: &str) -> Result<Csn, IdError> {
        let digits: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | ':' | '-'))
            .collect();
        if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(IdError::CsnDigits(s.to_string()));
        }
        if !matches!(digits.len(), 8 | 14 | 20) {
            return Err(IdError::CsnLength(s.to_string()));
        }
        let bytes = (0..digits.len())
            .step_by(2)
            .map(|i| {
                u8::from_str_radix(&digits[i..i + 2], 16)
                    .map_err(|_| IdError::CsnDigits(s.to_string()))
            })
            .collect::<Result<Vec<u8>, _>>()?;
        Ok(Csn(bytes))
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Csn, IdError> {
        if !matches!(bytes.len(), 4 | 7 | 10) {
            return Err(IdError::CsnLength(hex(bytes)));
        }
        Ok(Csn(bytes.to_vec()))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// Upper-case hex, as read from the chip: `04A1B2C3D4E5F6`.
    pub fn hex(&self) -> String {
        hex(&self.0)
    }

    /// Byte order swapped: `F6E5D4C3B2A104`.
    pub fn reversed_hex(&self) -> String {
        let mut b = self.0.clone();
        b.reverse();
        hex(&b)
    }

    /// The hex form read as an unsigned big-endian integer: `1303689068602870`.
    pub fn decimal(&self) -> String {
        be_decimal(self.0.iter().copied())
    }

    /// The reversed hex form read the same way: `69495546249912580`.
    pub fn reversed_decimal(&self) -> String {
        be_decimal(self.0.iter().rev().copied())
    }

    /// The four forms, in the order hex, reversed hex, decimal, reversed decimal.
    pub fn forms(&self) -> [String; 4] {
        [
            self.hex(),
            self.reversed_hex(),
            self.decimal(),
            self.reversed_decimal(),
        ]
    }
}

impl fmt::Display for Csn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn be_decimal(bytes: impl Iterator<Item = u8>) -> String {
    // 10 bytes at most: fits in u128.
    let v = bytes.fold(0u128, |acc, b| (acc << 8) | u128::from(b));
    v.to_string()
}

/// Generates ESCNs: RFC 4122 version-1 UUIDs whose node is the 3-digit prefix and 9-digit PIC written in
/// decimal (crous-escr.md §4.1, including the historical millisecond offset). Time and randomness are
/// passed in, so the generator stays pure.
#[derive(Debug, Clone)]
pub struct EscnGenerator {
    node: String,
    last_ms: i64,
    hits: u64,
}

/// Gregorian-to-Unix offset in milliseconds, added to a value in 100 ns units as the reference generator
/// does (crous-escr.md §4.1: "not a true RFC 4122 timestamp, still monotonic").
const ESCN_OFFSET: i64 = 12_219_292_800_000;

impl EscnGenerator {
    pub fn new(prefix: u16, pic: u32) -> Result<EscnGenerator, IdError> {
        if prefix > 999 || pic > 999_999_999 {
            return Err(IdError::EscnParams);
        }
        Ok(EscnGenerator {
            node: format!("{prefix:03}{pic:09}"),
            last_ms: i64::MIN,
            hits: 0,
        })
    }

    /// The next ESCN for the wall-clock time `unix_ms`; `random` supplies the 14-bit clock sequence.
    /// Up to 10,000 ESCNs per millisecond; beyond that the time is advanced by one millisecond.
    pub fn next(&mut self, unix_ms: i64, random: u16) -> String {
        let ms = unix_ms.max(self.last_ms);
        if ms == self.last_ms {
            self.hits += 1;
            if self.hits >= 10_000 {
                self.last_ms += 1;
                self.hits = 0;
            }
        } else {
            self.last_ms = ms;
            self.hits = 0;
        }
        let time = (self.last_ms as u64)
            .wrapping_mul(10_000)
            .wrapping_add(ESCN_OFFSET as u64)
            .wrapping_add(self.hits);
        let time_low = time & 0xFFFF_FFFF;
        let time_mid = (time >> 32) & 0xFFFF;
        let time_hi = ((time >> 48) & 0x0FFF) | 0x1000;
        let clock_seq = (random & 0x3FFF) | 0x8000;
        format!(
            "{time_low:08x}-{time_mid:04x}-{time_hi:04x}-{clock_seq:04x}-{}",
            self.node
        )
    }
}

impl EscnGenerator {
    /// Continues after an ESCN generated earlier (the last one stored), so that ESCNs stay monotonic across
    /// restarts even when the clock went back in between. An ESCN of another shape is ignored.
    pub fn resume_after(&mut self, escn: &str) {
        if let Some(t) = escn_time(escn)
            && t >= ESCN_OFFSET as u64
        {
            let since = t - ESCN_OFFSET as u64;
            let ms = (since / 10_000) as i64;
            if ms > self.last_ms || (ms == self.last_ms && since % 10_000 > self.hits) {
                self.last_ms = ms;
                self.hits = since % 10_000;
            }
        }
    }
}

/// The 60-bit time field of an ESCN (§4.1), for ordering and resuming.
pub fn escn_time(escn: &str) -> Option<u64> {
    if !is_escn(escn) {
        return None;
    }
    let hex = |a: usize, b: usize| u64::from_str_radix(escn.get(a..b)?, 16).ok();
    let low = hex(0, 8)?;
    let mid = hex(9, 13)?;
    let hi = hex(14, 18)? & 0x0FFF;
    Some((hi << 48) | (mid << 32) | low)
}

/// The URL prefix of ESCN QR codes in production (reference crous-escr.md §4.2).
pub const ESC_QR_PREFIX: &str = "http://esc.gg/";

/// Whether `s` has the ESCN shape `xxxxxxxx-xxxx-1xxx-[89ab]xxx-dddddddddddd`.
pub fn is_escn(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 5 {
        return false;
    }
    let lens = [8, 4, 4, 4, 12];
    let hex_ok = parts.iter().zip(lens).all(|(p, n)| {
        p.len() == n
            && p.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    });
    hex_ok
        && parts[2].starts_with('1')
        && parts[3].starts_with(['8', '9', 'a', 'b'])
        && parts[4].chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csn_four_forms_match_the_reference_example() {
        let csn = Csn::parse_hex("04A1B2C3D4E5F6").unwrap();
        assert_eq!(csn.hex(), "04A1B2C3D4E5F6");
        assert_eq!(csn.reversed_hex(), "F6E5D4C3B2A104");
        assert_eq!(csn.decimal(), "1303689068602870");
        assert_eq!(csn.reversed_decimal(), "69495546249912580");
    }

    #[test]
    fn csn_parsing_accepts_separators_and_lower_case() {
        let csn = Csn::parse_hex("04:a1:b2:c3:d4:e5:f6").unwrap();
        assert_eq!(csn.hex(), "04A1B2C3D4E5F6");
        assert_eq!(Csn::parse_hex("DEADBEEF").unwrap().decimal(), "3735928559");
        assert_eq!(
            Csn::parse_hex("DEADBEEF").unwrap().reversed_decimal(),
            "4022250974"
        );
    }

    #[test]
    fn csn_parsing_rejects_bad_input() {
        assert!(matches!(
            Csn::parse_hex("04A1B2"),
            Err(IdError::CsnLength(_))
        ));
        assert!(matches!(
            Csn::parse_hex("04A1B2C3D4E5FG"),
            Err(IdError::CsnDigits(_))
        ));
        assert!(matches!(Csn::parse_hex("é"), Err(IdError::CsnDigits(_))));
        assert!(Csn::from_bytes(&[1, 2, 3]).is_err());
        let ten = Csn::from_bytes(&[0xFF; 10]).unwrap();
        assert_eq!(ten.decimal(), "1208925819614629174706175");
    }

    #[test]
    fn escn_has_version_variant_and_node() {
        let mut g = EscnGenerator::new(1, 999_859_608).unwrap();
        let e = g.next(1_700_000_000_000, 0x1234);
        assert!(is_escn(&e), "{e}");
        assert!(e.ends_with("-001999859608"), "{e}");
        let parts: Vec<&str> = e.split('-').collect();
        assert!(parts[2].starts_with('1'));
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn escn_unique_in_a_tight_loop() {
        let mut g = EscnGenerator::new(1, 999_465_982).unwrap();
        let mut seen = std::collections::HashSet::new();
        for i in 0..25_000u32 {
            // The same millisecond and the same random value every time: uniqueness comes from the counter.
            assert!(seen.insert(g.next(1_700_000_000_000, (i % 7) as u16)));
        }
    }

    #[test]
    fn escn_unique_and_increasing_over_100000_generations() {
        let mut g = EscnGenerator::new(1, 999_859_608).unwrap();
        let mut seen = std::collections::HashSet::new();
        let mut last = 0u64;
        for i in 0..100_000u64 {
            // Ten ESCNs per millisecond with a varying random part.
            let e = g.next(
                1_700_000_000_000 + (i / 10) as i64,
                (i * 7919 % 16384) as u16,
            );
            assert!(is_escn(&e), "{e}");
            let t = escn_time(&e).unwrap();
            assert!(t > last, "{e} not after the previous one");
            last = t;
            assert!(seen.insert(e));
        }
    }

    #[test]
    fn escn_stays_monotonic_when_the_clock_steps_back() {
        let mut g = EscnGenerator::new(1, 999_859_608).unwrap();
        let a = escn_time(&g.next(1_700_000_100_000, 1)).unwrap();
        // The clock goes back one minute: the next ESCNs still come after `a`.
        let b = escn_time(&g.next(1_700_000_040_000, 1)).unwrap();
        let c = escn_time(&g.next(1_700_000_040_001, 1)).unwrap();
        assert!(a < b && b < c, "{a} {b} {c}");
        // A new process resumes after the last stored ESCN, whatever its clock says.
        let stored = g.next(1_700_000_040_002, 2);
        let mut fresh = EscnGenerator::new(1, 999_859_608).unwrap();
        fresh.resume_after(&stored);
        let d = fresh.next(1_600_000_000_000, 3);
        assert!(escn_time(&d).unwrap() > escn_time(&stored).unwrap());
        fresh.resume_after("not an escn");
        assert!(escn_time(&fresh.next(0, 0)).unwrap() > escn_time(&d).unwrap());
    }

    #[test]
    fn escn_rejects_bad_parameters() {
        assert!(EscnGenerator::new(1000, 999_859_608).is_err());
        assert!(EscnGenerator::new(1, 1_000_000_000).is_err());
        assert!(
            EscnGenerator::new(1, 12_345)
                .unwrap()
                .next(0, 0)
                .ends_with("-001000012345")
        );
        assert!(!is_escn("not-an-escn"));
        assert!(is_escn("d88b02c1-894e-1038-a711-001999465982"));
    }
}

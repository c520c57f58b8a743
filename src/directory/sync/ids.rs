//! Compact in-memory sets for a sync of a large directory: the entries seen (by entryUUID) and the
//! persons by DN key. Held for the whole sync, so their size is the sync's memory floor.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

use crate::fast_hash::FastHash;

use crate::domain::card::PersonId;

/// Entry ids (see `search::entry_uuid`): entryUUIDs as 128-bit numbers, other ids (`dn:…`) as text.
#[derive(Debug, Default)]
pub struct IdSet {
    uuids: HashSet<u128, FastHash>,
    others: HashSet<String>,
}

impl IdSet {
    pub fn insert_uuid(&mut self, uuid: u128) {
        self.uuids.insert(uuid);
    }

    pub fn insert(&mut self, id: String) {
        match uuid_value(&id) {
            Some(u) => {
                self.uuids.insert(u);
            }
            None => {
                self.others.insert(id);
            }
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        match uuid_value(id) {
            Some(u) => self.uuids.contains(&u),
            None => self.others.contains(id),
        }
    }
}

impl Extend<String> for IdSet {
    fn extend<T: IntoIterator<Item = String>>(&mut self, iter: T) {
        for id in iter {
            self.insert(id);
        }
    }
}

/// The value of an RFC 4122 text UUID in lower case (`25539be8-6423-103e-add8-988999978433`), the
/// form the sync gives every entryUUID; `None` for anything else.
fn uuid_value(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    if b.len() != 36 {
        return None;
    }
    let mut v: u128 = 0;
    for (i, &c) in b.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if c != b'-' {
                return None;
            }
            continue;
        }
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => return None,
        };
        v = (v << 4) | u128::from(d);
    }
    Some(v)
}

/// Person ids by DN key, keyed by a 128-bit fingerprint of the key (two independent hashes with keys
/// drawn for this process): a tenth of the memory of the keys themselves, and a false match would
/// take some 2^64 DNs.
pub struct DnIndex {
    hashers: (std::hash::RandomState, std::hash::RandomState),
    ids: HashMap<u128, PersonId, FastHash>,
}

impl DnIndex {
    pub fn new() -> DnIndex {
        DnIndex {
            hashers: (Default::default(), Default::default()),
            ids: HashMap::default(),
        }
    }

    fn fingerprint(&self, key: &str) -> u128 {
        (u128::from(self.hashers.0.hash_one(key)) << 64) | u128::from(self.hashers.1.hash_one(key))
    }

    pub fn insert(&mut self, key: &str, id: PersonId) {
        let f = self.fingerprint(key);
        self.ids.insert(f, id);
    }

    pub fn get(&self, key: &str) -> Option<PersonId> {
        self.ids.get(&self.fingerprint(key)).copied()
    }
}

/// The persons' uniqueness rules (one row per entryUUID, per eppn), kept by a first load into an
/// empty mirror while their indexes are suspended (`store::suspend_unique_indexes_of`): a 64-bit
/// fingerprint of each value written. A fingerprint met twice means the value may repeat: the load
/// then puts the indexes back and lets SQLite decide, so a false match (some 2^32 values) only costs
/// that earlier rebuild.
#[derive(Default)]
pub struct UniqueKeys {
    uuids: HashSet<u64, FastHash>,
    eppns: HashSet<u64, FastHash>,
}

impl UniqueKeys {
    /// Takes a person's values; `false` when one of them may have been taken before (then the set
    /// is left to be dropped).
    pub fn admit(&mut self, entry_uuid: Option<&str>, eppn: Option<&str>) -> bool {
        let uuid = entry_uuid.map(|s| FastHash.hash_one(s));
        let eppn = eppn.map(|s| FastHash.hash_one(s));
        if uuid.is_some_and(|u| self.uuids.contains(&u))
            || eppn.is_some_and(|e| self.eppns.contains(&e))
        {
            return false;
        }
        self.uuids.extend(uuid);
        self.eppns.extend(eppn);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stored_as_numbers_and_other_ids_as_text() {
        let mut s = IdSet::default();
        s.insert("25539be8-6423-103e-add8-988999978433".into());
        s.insert("dn:uid=x,dc=example".into());
        assert!(s.contains("25539be8-6423-103e-add8-988999978433"));
        assert!(!s.contains("25539be8-6423-103e-add8-988999978434"));
        assert!(s.contains("dn:uid=x,dc=example"));
        assert!(!s.contains("dn:uid=y,dc=example"));
        assert_eq!(s.uuids.len(), 1);
        assert_eq!(s.others.len(), 1);
        for odd in [
            "",
            "25539be8x6423-103e-add8-988999978433",
            "25539BE8-6423-103E-ADD8-988999978433",
        ] {
            assert_eq!(uuid_value(odd), None, "{odd}");
        }
    }

    #[test]
    fn unique_keys_refuse_a_value_met_before() {
        let mut k = UniqueKeys::default();
        assert!(k.admit(Some("u1"), Some("a@x")));
        assert!(k.admit(Some("u2"), None));
        assert!(k.admit(None, Some("b@x")));
        // The same eppn under another entryUUID, the same entryUUID with another eppn.
        assert!(!k.admit(Some("u3"), Some("a@x")));
        assert!(!k.admit(Some("u2"), Some("c@x")));
        // Values are not shared between the two rules.
        assert!(k.admit(Some("b@x"), Some("u1")));
    }

    #[test]
    fn dn_index_finds_exact_keys_only() {
        let mut idx = DnIndex::new();
        idx.insert("uid=a,ou=people,dc=x", 1);
        idx.insert("uid=b,ou=people,dc=x", 2);
        assert_eq!(idx.get("uid=a,ou=people,dc=x"), Some(1));
        assert_eq!(idx.get("uid=b,ou=people,dc=x"), Some(2));
        assert_eq!(idx.get("uid=c,ou=people,dc=x"), None);
    }
}

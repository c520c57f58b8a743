//! Entries made ready for the writer on the reading thread: DN keys, sorted member keys and digests
//! are computed there, so the writer thread (the slower side of a sync) only writes.

use std::hash::{Hash, Hasher};

use sha2::{Digest, Sha256};

use super::ids::DnIndex;
use crate::directory::dn_key;
use crate::directory::mapping::{MappedGroup, MappedPerson};
use crate::domain::group::GroupRecord;
use crate::store::persons::Computed;
use crate::store::search::NewDoc;

/// A mapped person entry and what the writer needs to store it.
pub struct PersonItem {
    pub uuid: String,
    pub dn_key: String,
    /// Digest of the mapped entry; the writer adds the resolved structure (see [`PersonItem::hash`]).
    digest: [u8; 16],
    pub mapped: MappedPerson,
    /// The record's computed columns (folded names, sort key…).
    pub computed: Computed,
    /// The rest of its search document, should it be new.
    pub doc: NewDoc,
}

impl PersonItem {
    pub fn new(uuid: String, mut mapped: MappedPerson) -> PersonItem {
        mapped.record.entry_uuid = Some(uuid.clone());
        let dn_key = mapped.record.dn.as_deref().map(dn_key).unwrap_or_default();
        let digest = digest(&mapped);
        PersonItem {
            uuid,
            dn_key,
            digest,
            computed: Computed::of(&mapped.record),
            doc: NewDoc::of(&mapped.record),
            mapped,
        }
    }

    /// The stored digest (`persons.sync_hash`): the entry's and the id of the structure it resolved to,
    /// so that a person is rewritten when their structure appears or changes in the mirror.
    pub fn hash(&self, structure: Option<i64>) -> String {
        let mut out = hex(&self.digest);
        if let Some(id) = structure {
            out.push('-');
            out.push_str(&id.to_string());
        }
        out
    }
}

/// A mapped group entry with its members as sorted, unique DN keys.
pub struct GroupItem {
    pub uuid: String,
    pub dn_key: String,
    pub record: GroupRecord,
    /// Members' DN keys (in a first load, those that are not persons of this load).
    pub members: Vec<String>,
    /// First load: the members that are persons of this load, by the order they were sent in
    /// ([`GroupItem::resolve`]).
    pub member_ordinals: Vec<u32>,
    /// Digest of the record and members (`groups.sync_hash`).
    pub hash: String,
}

impl GroupItem {
    pub fn new(uuid: String, mapped: MappedGroup) -> GroupItem {
        let members = mapped.member_keys;
        let hash = hex(&digest(&(&mapped.record, &members)));
        GroupItem {
            uuid,
            dn_key: dn_key(&mapped.dn),
            record: mapped.record,
            members,
            member_ordinals: Vec::new(),
            hash,
        }
    }

    /// Moves the members found in `people` (DN key → order of the person in this load) to
    /// `member_ordinals`: four bytes each instead of their DN, so a first load can read the groups
    /// ahead of the writer.
    pub fn resolve(&mut self, people: &DnIndex) {
        self.members
            .retain(|k| match people.get(k).map(u32::try_from) {
                Some(Ok(n)) => {
                    self.member_ordinals.push(n);
                    false
                }
                _ => true,
            });
        self.members.shrink_to_fit();
    }
}

/// SHA-256 of a value's `Hash` feed, truncated to 128 bits: stable for a given build, which is all a
/// "did this entry change since the last sync" test needs (a new build at worst rewrites each entry once).
///
/// The feed is many small writes (each field, each length, each member DN and its end mark): they are
/// gathered and handed to SHA-256 by the kilobyte, which gives the same digest for less work.
fn digest(value: &impl Hash) -> [u8; 16] {
    const CHUNK: usize = 4096;
    struct Feed {
        sha: Sha256,
        buf: Vec<u8>,
    }
    impl Hasher for Feed {
        fn write(&mut self, bytes: &[u8]) {
            if self.buf.len() + bytes.len() > CHUNK {
                self.sha.update(&self.buf);
                self.buf.clear();
            }
            if bytes.len() >= CHUNK {
                self.sha.update(bytes);
            } else {
                self.buf.extend_from_slice(bytes);
            }
        }
        fn finish(&self) -> u64 {
            0
        }
    }
    let mut feed = Feed {
        sha: Sha256::new(),
        buf: Vec::with_capacity(CHUNK),
    };
    value.hash(&mut feed);
    feed.sha.update(&feed.buf);
    let full = feed.sha.finalize();
    let mut out = [0; 16];
    out.copy_from_slice(&full[..16]);
    out
}

/// Lower-case hexadecimal (by table: `write!` per byte was a visible share of the writer's time).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::group::GroupKind;

    #[test]
    fn the_gathered_feed_digests_like_sha256_of_every_write() {
        struct Direct(Sha256);
        impl Hasher for Direct {
            fn write(&mut self, bytes: &[u8]) {
                self.0.update(bytes);
            }
            fn finish(&self) -> u64 {
                0
            }
        }
        // Small writes, writes across a chunk's end, and one value longer than a chunk.
        let long = "x".repeat(10_000);
        let members: Vec<String> = (0..2_000).map(|i| format!("uid=u{i},ou=people")).collect();
        let value = (&long, &members, 42u64, "é");
        let mut direct = Direct(Sha256::new());
        value.hash(&mut direct);
        let full = direct.0.finalize();
        assert_eq!(digest(&value)[..], full[..16]);
        assert_ne!(digest(&value), digest(&(&long, &members, 43u64, "é")));
    }

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0xab, 0x0f, 0xf0, 0x9c]), "00ab0ff09c");
        assert_eq!(hex(&[]), "");
    }

    fn group(members: &[&str]) -> MappedGroup {
        MappedGroup {
            record: GroupRecord {
                name: "univ:etudiants".into(),
                display_name: "Étudiants".into(),
                kind: GroupKind::Group,
                source: "ldap".into(),
            },
            dn: "cn=univ:etudiants,ou=groups,dc=x".into(),
            member_keys: {
                let mut keys: Vec<String> = members.iter().map(|m| dn_key(m)).collect();
                keys.sort_unstable();
                keys.dedup();
                keys
            },
        }
    }

    #[test]
    fn member_order_and_case_do_not_change_a_group_digest() {
        let a = GroupItem::new("u".into(), group(&["uid=a,dc=x", "uid=b,dc=x"]));
        let b = GroupItem::new(
            "u".into(),
            group(&["UID=B,dc=x", "uid=a,dc=x", "uid=a,dc=x"]),
        );
        assert_eq!(a.hash, b.hash);
        assert_eq!(a.members.len(), 2);
        let c = GroupItem::new("u".into(), group(&["uid=a,dc=x"]));
        assert_ne!(a.hash, c.hash);
    }

    #[test]
    fn a_first_load_names_person_members_by_their_order_and_keeps_the_others() {
        let mut people = DnIndex::new();
        people.insert(&dn_key("uid=a,dc=x"), 0);
        people.insert(&dn_key("uid=b,dc=x"), 7);
        let mut g = GroupItem::new(
            "u".into(),
            group(&["uid=b,dc=x", "cn=nested,ou=groups,dc=x", "UID=A,dc=x"]),
        );
        let hash = g.hash.clone();
        g.resolve(&people);
        let mut ordinals = g.member_ordinals.clone();
        ordinals.sort_unstable();
        assert_eq!(ordinals, [0, 7]);
        assert_eq!(g.members, [dn_key("cn=nested,ou=groups,dc=x")]);
        assert_eq!(g.hash, hash, "the digest is of every member");
    }

    #[test]
    fn a_person_digest_follows_the_entry_and_its_structure() {
        let mut m = MappedPerson::default();
        m.record.surname = "Dupont".into();
        m.record.dn = Some("uid=d,ou=people,dc=x".into());
        let a = PersonItem::new("u".into(), m.clone());
        assert_eq!(a.dn_key, dn_key("uid=d,ou=people,dc=x"));
        assert_eq!(a.mapped.record.entry_uuid.as_deref(), Some("u"));
        assert_eq!(
            a.hash(None),
            PersonItem::new("u".into(), m.clone()).hash(None)
        );
        assert_ne!(a.hash(None), a.hash(Some(3)));
        m.record.given_name = "Zoé".into();
        assert_ne!(a.hash(None), PersonItem::new("u".into(), m).hash(None));
    }
}

//! The LDAP messages a sync exchanges (RFC 4511 §4) and the values of its controls: paged results
//! (RFC 2696) and content synchronisation (RFC 4533 §2). Facts: reference crates.md §3.2–3.3.
//!
//! Responses are decoded from the received bytes in place; a search entry becomes an [`Entry`] that
//! borrows its names and values from them.

use super::ber::{
    ENUMERATED, INTEGER, Malformed, OCTET_STRING, Reader, SEQUENCE, SET, Writer, application,
    context,
};

use crate::directory::Entry;

pub const SYNC_REQUEST_OID: &str = "1.3.6.1.4.1.4203.1.9.1.1";
pub const SYNC_STATE_OID: &[u8] = b"1.3.6.1.4.1.4203.1.9.1.2";
pub const SYNC_DONE_OID: &[u8] = b"1.3.6.1.4.1.4203.1.9.1.3";
pub const PAGED_OID: &str = "1.2.840.113556.1.4.319";
pub const STARTTLS_OID: &str = "1.3.6.1.4.1.1466.20037";

// Protocol operations (RFC 4511 §4.2–4.14).
const BIND_REQUEST: u8 = application(0, true);
pub const BIND_RESPONSE: u8 = application(1, true);
const UNBIND_REQUEST: u8 = application(2, false);
const SEARCH_REQUEST: u8 = application(3, true);
const SEARCH_ENTRY: u8 = application(4, true);
pub const SEARCH_DONE: u8 = application(5, true);
const SEARCH_REFERENCE: u8 = application(19, true);
const EXTENDED_REQUEST: u8 = application(23, true);
pub const EXTENDED_RESPONSE: u8 = application(24, true);
const INTERMEDIATE: u8 = application(25, true);
const CONTROLS: u8 = context(0, true);

/// A request control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    pub oid: &'static str,
    pub critical: bool,
    pub value: Vec<u8>,
}

/// Search scopes (RFC 4511 §4.5.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Base = 0,
    Subtree = 2,
}

fn message(id: i32, controls: &[Control], op: impl FnOnce(&mut Writer)) -> Vec<u8> {
    let mut w = Writer::new();
    w.constructed(SEQUENCE, |w| {
        w.integer(INTEGER, i64::from(id));
        op(w);
        if !controls.is_empty() {
            w.constructed(CONTROLS, |w| {
                for c in controls {
                    w.constructed(SEQUENCE, |w| {
                        w.octets(c.oid.as_bytes());
                        if c.critical {
                            w.boolean(true);
                        }
                        w.octets(&c.value);
                    });
                }
            });
        }
    });
    w.into_bytes()
}

/// A simple bind, LDAP version 3.
pub fn bind_request(id: i32, dn: &str, password: &str) -> Vec<u8> {
    message(id, &[], |w| {
        w.constructed(BIND_REQUEST, |w| {
            w.integer(INTEGER, 3);
            w.octets(dn.as_bytes());
            w.primitive(context(0, false), password.as_bytes());
        })
    })
}

/// The StartTLS extended request (RFC 4511 §4.14.1).
pub fn starttls_request(id: i32) -> Vec<u8> {
    message(id, &[], |w| {
        w.constructed(EXTENDED_REQUEST, |w| {
            w.primitive(context(0, false), STARTTLS_OID.as_bytes())
        })
    })
}

pub fn unbind_request(id: i32) -> Vec<u8> {
    message(id, &[], |w| w.primitive(UNBIND_REQUEST, &[]))
}

/// A search without size or time limit, aliases never dereferenced. `filter` is encoded already
/// ([`encode_filter`]).
pub fn search_request(
    id: i32,
    base: &str,
    scope: Scope,
    filter: &[u8],
    attrs: &[String],
    controls: &[Control],
) -> Vec<u8> {
    message(id, controls, |w| {
        w.constructed(SEARCH_REQUEST, |w| {
            w.octets(base.as_bytes());
            w.integer(ENUMERATED, scope as i64);
            w.integer(ENUMERATED, 0);
            w.integer(INTEGER, 0);
            w.integer(INTEGER, 0);
            w.boolean(false);
            w.raw(filter);
            w.constructed(SEQUENCE, |w| {
                for a in attrs {
                    w.octets(a.as_bytes());
                }
            });
        })
    })
}

/// The BER of an RFC 4515 filter string, `None` when it is not one.
pub fn encode_filter(filter: &str) -> Option<Vec<u8>> {
    use ldap3::asn1::ASNTag;
    let tag = ldap3::parse_filter(filter).ok()?;
    let mut buf = bytes::BytesMut::new();
    ldap3::asn1::write::encode_into(&mut buf, tag.into_structure()).ok()?;
    Some(buf.to_vec())
}

/// The value of a Sync Request control, refreshOnly (RFC 4533 §2.2).
pub fn sync_request(cookie: Option<&[u8]>) -> Control {
    let mut w = Writer::new();
    w.constructed(SEQUENCE, |w| {
        w.integer(ENUMERATED, 1);
        if let Some(c) = cookie {
            w.octets(c);
        }
    });
    Control {
        oid: SYNC_REQUEST_OID,
        critical: true,
        value: w.into_bytes(),
    }
}

/// The paged results control (RFC 2696 §2): `size` entries a page, after the page `cookie` ended.
pub fn paged_request(size: i32, cookie: &[u8]) -> Control {
    let mut w = Writer::new();
    w.constructed(SEQUENCE, |w| {
        w.integer(INTEGER, i64::from(size));
        w.octets(cookie);
    });
    Control {
        oid: PAGED_OID,
        critical: false,
        value: w.into_bytes(),
    }
}

/// A response control, borrowed from the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlRef<'a> {
    pub oid: &'a [u8],
    pub value: Option<&'a [u8]>,
}

/// An LDAPResult (RFC 4511 §4.1.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub rc: u32,
    pub text: String,
}

/// A received message's operation.
#[derive(Debug)]
pub enum Op<'a> {
    /// dn, and a reader over the PartialAttributeList.
    Entry(&'a [u8], Reader<'a>),
    Reference,
    /// The value of an IntermediateResponse (RFC 4511 §4.13).
    Intermediate(Option<&'a [u8]>),
    /// A result: its operation's tag and the outcome.
    Result(u8, Outcome),
}

#[derive(Debug)]
pub struct Message<'a> {
    pub id: i64,
    pub op: Op<'a>,
    pub controls: Vec<ControlRef<'a>>,
}

/// Decodes one LDAPMessage (the whole element, header included).
pub fn parse_message(bytes: &[u8]) -> Result<Message<'_>, Malformed> {
    let mut msg = Reader::new(bytes).nested(SEQUENCE)?;
    let id = msg.integer(INTEGER)?;
    let (tag, content) = msg.any()?;
    let mut body = Reader::new(content);
    let op = match tag {
        SEARCH_ENTRY => {
            let dn = body.expect(OCTET_STRING)?;
            Op::Entry(dn, body.nested(SEQUENCE)?)
        }
        SEARCH_REFERENCE => Op::Reference,
        INTERMEDIATE => {
            body.optional(context(0, false))?;
            Op::Intermediate(body.optional(context(1, false))?)
        }
        BIND_RESPONSE | SEARCH_DONE | EXTENDED_RESPONSE => {
            let rc = body.integer(ENUMERATED)?;
            let _matched = body.expect(OCTET_STRING)?;
            let text = body.expect(OCTET_STRING)?;
            Op::Result(
                tag,
                Outcome {
                    rc: u32::try_from(rc).map_err(|_| Malformed("result code"))?,
                    text: String::from_utf8_lossy(text).into_owned(),
                },
            )
        }
        _ => return Err(Malformed("unexpected protocol operation")),
    };
    let mut controls = Vec::new();
    if let Some(list) = msg.optional(CONTROLS)? {
        let mut list = Reader::new(list);
        while !list.is_empty() {
            let mut c = list.nested(SEQUENCE)?;
            let oid = c.expect(OCTET_STRING)?;
            c.boolean_or(false)?;
            let value = c.optional(OCTET_STRING)?;
            controls.push(ControlRef { oid, value });
        }
    }
    Ok(Message { id, op, controls })
}

/// The entry of a SearchResultEntry, borrowing the message's bytes (see [`Entry::push_received`]). A
/// DN that is not UTF-8 is copied with replacement characters.
pub fn entry<'a>(dn: &'a [u8], attributes: Reader<'a>) -> Result<Entry<'a>, Malformed> {
    let mut e = Entry::new(String::from_utf8_lossy(dn));
    // Sized once, and every element checked: growing the lists attribute by attribute reallocated them
    // three or four times.
    let (mut attrs, mut values) = (0, 0);
    let mut count = attributes;
    while !count.is_empty() {
        let mut pair = count.nested(SEQUENCE)?;
        pair.expect(OCTET_STRING)?;
        let mut vals = pair.nested(SET)?;
        attrs += 1;
        while !vals.is_empty() {
            vals.expect(OCTET_STRING)?;
            values += 1;
        }
    }
    e.reserve(attrs, values);
    let mut attributes = attributes;
    while !attributes.is_empty() {
        let mut pair = attributes.nested(SEQUENCE)?;
        let name = pair.expect(OCTET_STRING)?;
        let vals = pair.nested(SET)?;
        let Ok(name) = std::str::from_utf8(name) else {
            continue;
        };
        let mut next = vals;
        // Read once already: every value is there.
        let raw = std::iter::from_fn(move || next.expect(OCTET_STRING).ok());
        e.push_received(name, raw);
    }
    Ok(e)
}

/// The state of an entry in a content synchronisation (RFC 4533 §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryState {
    Present,
    Add,
    Modify,
    Delete,
}

/// A Sync State control's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState<'a> {
    pub state: EntryState,
    pub uuid: &'a [u8],
    pub cookie: Option<&'a [u8]>,
}

pub fn sync_state(value: &[u8]) -> Result<SyncState<'_>, Malformed> {
    let mut r = Reader::new(value).nested(SEQUENCE)?;
    let state = match r.integer(ENUMERATED)? {
        0 => EntryState::Present,
        1 => EntryState::Add,
        2 => EntryState::Modify,
        3 => EntryState::Delete,
        _ => return Err(Malformed("sync state")),
    };
    let uuid = r.expect(OCTET_STRING)?;
    let cookie = r.optional(OCTET_STRING)?;
    Ok(SyncState {
        state,
        uuid,
        cookie,
    })
}

/// A Sync Done control's value (RFC 4533 §2.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncDone {
    pub cookie: Option<Vec<u8>>,
    pub refresh_deletes: bool,
}

pub fn sync_done(value: &[u8]) -> Result<SyncDone, Malformed> {
    let mut r = Reader::new(value).nested(SEQUENCE)?;
    let cookie = r.optional(OCTET_STRING)?.map(<[u8]>::to_vec);
    Ok(SyncDone {
        cookie,
        refresh_deletes: r.boolean_or(false)?,
    })
}

/// A Sync Info message's value (RFC 4533 §2.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncInfo<'a> {
    NewCookie(&'a [u8]),
    /// The end of a refresh phase (delete or present), with its cookie.
    RefreshDone(Option<&'a [u8]>),
    /// entryUUIDs deleted (`refresh_deletes`) or present.
    IdSet {
        cookie: Option<&'a [u8]>,
        refresh_deletes: bool,
        uuids: Vec<&'a [u8]>,
    },
}

pub fn sync_info(value: &[u8]) -> Result<SyncInfo<'_>, Malformed> {
    let mut r = Reader::new(value);
    let (tag, content) = r.any()?;
    let mut body = Reader::new(content);
    Ok(match tag {
        t if t == context(0, false) => SyncInfo::NewCookie(content),
        t if t == context(1, true) || t == context(2, true) => {
            SyncInfo::RefreshDone(body.optional(OCTET_STRING)?)
        }
        t if t == context(3, true) => {
            let cookie = body.optional(OCTET_STRING)?;
            let refresh_deletes = body.boolean_or(false)?;
            let mut set = body.nested(SET)?;
            let mut uuids = Vec::new();
            while !set.is_empty() {
                uuids.push(set.expect(OCTET_STRING)?);
            }
            SyncInfo::IdSet {
                cookie,
                refresh_deletes,
                uuids,
            }
        }
        _ => return Err(Malformed("sync info")),
    })
}

/// The cookie of a paged results response control; empty on the last page.
pub fn paged_cookie(value: &[u8]) -> Result<&[u8], Malformed> {
    let mut r = Reader::new(value).nested(SEQUENCE)?;
    r.integer(INTEGER)?;
    r.expect(OCTET_STRING)
}

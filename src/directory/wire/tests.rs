//! The messages of a sync, built as a server sends them, decoded by `proto`.

use super::ber::{self, ENUMERATED, INTEGER, OCTET_STRING, Reader, SEQUENCE, SET, Writer};
use super::proto::{self, EntryState, Op, Scope, SyncInfo};

/// An LDAPMessage as a server writes it: id, operation, controls (oid, value).
fn server_message(id: i64, op: impl FnOnce(&mut Writer), controls: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = Writer::new();
    w.constructed(SEQUENCE, |w| {
        w.integer(INTEGER, id);
        op(w);
        if !controls.is_empty() {
            w.constructed(ber::context(0, true), |w| {
                for (oid, value) in controls {
                    w.constructed(SEQUENCE, |w| {
                        w.octets(oid.as_bytes());
                        w.octets(value);
                    });
                }
            });
        }
    });
    w.into_bytes()
}

fn entry_op(w: &mut Writer) {
    w.constructed(ber::application(4, true), |w| {
        w.octets("uid=zoé,ou=people,dc=x".as_bytes());
        w.constructed(SEQUENCE, |w| {
            for (name, values) in [
                ("givenName", vec!["Zoé".as_bytes(), b"Z"]),
                ("jpegPhoto", vec![&[0xff, 0xd8, 0xff][..]]),
                ("mixed", vec![b"text", &[0xc3, 0x28]]),
                ("empty", vec![]),
            ] {
                w.constructed(SEQUENCE, |w| {
                    w.octets(name.as_bytes());
                    w.constructed(SET, |w| {
                        for v in values {
                            w.octets(v);
                        }
                    });
                });
            }
        });
    });
}

fn sync_state_value(state: i64, uuid: &[u8], cookie: Option<&[u8]>) -> Vec<u8> {
    let mut w = Writer::new();
    w.constructed(SEQUENCE, |w| {
        w.integer(ENUMERATED, state);
        w.octets(uuid);
        if let Some(c) = cookie {
            w.octets(c);
        }
    });
    w.into_bytes()
}

#[test]
fn a_search_entry_with_its_sync_state_is_decoded_in_place() {
    let uuid = [7u8; 16];
    let state = sync_state_value(1, &uuid, Some(b"rid=001,csn=x"));
    let bytes = server_message(12, entry_op, &[("1.3.6.1.4.1.4203.1.9.1.2", &state)]);
    let m = proto::parse_message(&bytes).unwrap();
    assert_eq!(m.id, 12);
    let Op::Entry(dn, attributes) = m.op else {
        panic!("{:?}", m.op)
    };
    let e = proto::entry(dn, attributes).unwrap();
    assert_eq!(e.dn, "uid=zoé,ou=people,dc=x");
    assert_eq!(e.all("givenname"), ["Zoé", "Z"]);
    assert_eq!(e.first_bin("jpegPhoto"), Some(&[0xff, 0xd8, 0xff][..]));
    // One value that is not UTF-8 makes the whole attribute binary.
    assert!(e.all("mixed").is_empty());
    assert_eq!(e.all_bin("mixed"), [&b"text"[..], &[0xc3, 0x28][..]]);
    // Names and values borrow the message's bytes.
    assert!(
        e.all("givenname")
            .iter()
            .all(|v| matches!(v, std::borrow::Cow::Borrowed(_)))
    );
    assert!(e.all("empty").is_empty());
    let c = m.controls[0];
    assert_eq!(c.oid, proto::SYNC_STATE_OID);
    let st = proto::sync_state(c.value.unwrap()).unwrap();
    assert_eq!(st.state, EntryState::Add);
    assert_eq!(st.uuid, uuid);
    assert_eq!(st.cookie, Some(&b"rid=001,csn=x"[..]));
    let deleted = sync_state_value(3, &uuid, None);
    let bare = proto::sync_state(&deleted).unwrap();
    assert_eq!((bare.state, bare.cookie), (EntryState::Delete, None));
    assert!(proto::sync_state(&sync_state_value(9, &uuid, None)).is_err());
}

#[test]
fn results_carry_their_code_text_and_controls() {
    let mut done = Writer::new();
    done.constructed(SEQUENCE, |w| {
        w.octets(b"cookie-2");
        w.boolean(true);
    });
    let done = done.into_bytes();
    let bytes = server_message(
        3,
        |w| {
            w.constructed(ber::application(5, true), |w| {
                w.integer(ENUMERATED, 4096);
                w.octets(b"");
                w.octets(b"sync refresh required");
            })
        },
        &[("1.3.6.1.4.1.4203.1.9.1.3", &done)],
    );
    let m = proto::parse_message(&bytes).unwrap();
    let Op::Result(tag, outcome) = m.op else {
        panic!()
    };
    assert_eq!(tag, proto::SEARCH_DONE);
    assert_eq!(
        (outcome.rc, outcome.text.as_str()),
        (4096, "sync refresh required")
    );
    let d = proto::sync_done(m.controls[0].value.unwrap()).unwrap();
    assert_eq!(d.cookie.as_deref(), Some(&b"cookie-2"[..]));
    assert!(d.refresh_deletes);
    // refreshDeletes defaults to FALSE, the cookie is optional.
    let mut w = Writer::new();
    w.constructed(SEQUENCE, |_| {});
    let d = proto::sync_done(&w.out).unwrap();
    assert_eq!((d.cookie, d.refresh_deletes), (None, false));
}

#[test]
fn sync_info_messages_of_each_kind() {
    let intermediate = |value: Vec<u8>| {
        server_message(
            5,
            |w| {
                w.constructed(ber::application(25, true), |w| {
                    w.primitive(ber::context(0, false), b"1.3.6.1.4.1.4203.1.9.1.4");
                    w.primitive(ber::context(1, false), &value);
                })
            },
            &[],
        )
    };
    let mut w = Writer::new();
    w.primitive(ber::context(0, false), b"new");
    let bytes = intermediate(w.into_bytes());
    let Op::Intermediate(Some(v)) = proto::parse_message(&bytes).unwrap().op else {
        panic!()
    };
    assert_eq!(proto::sync_info(v), Ok(SyncInfo::NewCookie(b"new")));

    let mut w = Writer::new();
    w.constructed(ber::context(2, true), |w| w.octets(b"after-present"));
    assert_eq!(
        proto::sync_info(&w.out),
        Ok(SyncInfo::RefreshDone(Some(b"after-present")))
    );
    let mut w = Writer::new();
    w.constructed(ber::context(1, true), |_| {});
    assert_eq!(proto::sync_info(&w.out), Ok(SyncInfo::RefreshDone(None)));

    let mut w = Writer::new();
    w.constructed(ber::context(3, true), |w| {
        w.octets(b"c");
        w.boolean(true);
        w.constructed(SET, |w| {
            w.octets(&[1; 16]);
            w.octets(&[2; 16]);
        });
    });
    assert_eq!(
        proto::sync_info(&w.out),
        Ok(SyncInfo::IdSet {
            cookie: Some(b"c"),
            refresh_deletes: true,
            uuids: vec![&[1; 16], &[2; 16]],
        })
    );
    let mut w = Writer::new();
    w.constructed(ber::context(3, true), |w| {
        w.constructed(SET, |w| w.octets(&[3; 16]));
    });
    assert_eq!(
        proto::sync_info(&w.out),
        Ok(SyncInfo::IdSet {
            cookie: None,
            refresh_deletes: false,
            uuids: vec![&[3; 16]],
        })
    );
    assert!(proto::sync_info(&[0x84, 0]).is_err());
}

#[test]
fn a_search_request_reads_back_as_rfc_4511_says() {
    let filter = proto::encode_filter("(&(uid=a\\2a*)(!(sn=x)))").unwrap();
    let controls = [
        proto::sync_request(Some(b"ck")),
        proto::paged_request(500, b""),
    ];
    let attrs = ["uid".to_string(), "entryUUID".to_string()];
    let bytes = proto::search_request(
        9,
        "ou=people,dc=x",
        Scope::Subtree,
        &filter,
        &attrs,
        &controls,
    );
    assert_eq!(ber::element_size(&bytes), Ok(Some(bytes.len())));
    let mut msg = Reader::new(&bytes).nested(SEQUENCE).unwrap();
    assert_eq!(msg.integer(INTEGER), Ok(9));
    let mut req = msg.nested(ber::application(3, true)).unwrap();
    assert_eq!(req.expect(OCTET_STRING).unwrap(), b"ou=people,dc=x");
    assert_eq!(req.integer(ENUMERATED), Ok(2));
    assert_eq!(req.integer(ENUMERATED), Ok(0));
    assert_eq!(req.integer(INTEGER), Ok(0));
    assert_eq!(req.integer(INTEGER), Ok(0));
    assert_eq!(req.boolean_or(true), Ok(false));
    // The filter: an AND [0] of a substring match [4] and a NOT [2].
    let mut and = req.nested(0xa0).unwrap();
    let mut sub = and.nested(0xa4).unwrap();
    assert_eq!(sub.expect(OCTET_STRING).unwrap(), b"uid");
    assert_eq!(sub.nested(SEQUENCE).unwrap().expect(0x80).unwrap(), b"a*");
    assert!(and.nested(0xa2).is_ok());
    let mut attributes = req.nested(SEQUENCE).unwrap();
    assert_eq!(attributes.expect(OCTET_STRING).unwrap(), b"uid");
    assert_eq!(attributes.expect(OCTET_STRING).unwrap(), b"entryUUID");
    let mut list = msg.nested(ber::context(0, true)).unwrap();
    let mut sync = list.nested(SEQUENCE).unwrap();
    assert_eq!(
        sync.expect(OCTET_STRING).unwrap(),
        proto::SYNC_REQUEST_OID.as_bytes()
    );
    assert_eq!(sync.boolean_or(false), Ok(true));
    let mut value = Reader::new(sync.expect(OCTET_STRING).unwrap())
        .nested(SEQUENCE)
        .unwrap();
    assert_eq!(value.integer(ENUMERATED), Ok(1));
    assert_eq!(value.expect(OCTET_STRING).unwrap(), b"ck");
    let mut paged = list.nested(SEQUENCE).unwrap();
    assert_eq!(
        paged.expect(OCTET_STRING).unwrap(),
        proto::PAGED_OID.as_bytes()
    );
    let mut value = Reader::new(paged.expect(OCTET_STRING).unwrap())
        .nested(SEQUENCE)
        .unwrap();
    assert_eq!(value.integer(INTEGER), Ok(500));
    assert_eq!(value.expect(OCTET_STRING).unwrap(), b"");
    assert!(proto::encode_filter("(uid=a").is_none());
}

#[test]
fn the_paged_cookie_ends_the_pages_when_empty_or_absent() {
    let control = proto::paged_request(0, b"next");
    let found = super::paged_cookie(&[proto::ControlRef {
        oid: proto::PAGED_OID.as_bytes(),
        value: Some(&control.value),
    }])
    .unwrap();
    assert_eq!(found, b"next");
    assert!(super::paged_cookie(&[]).unwrap().is_empty());
}

#[test]
fn damaged_messages_are_errors_never_panics() {
    let uuid = [7u8; 16];
    let state = sync_state_value(2, &uuid, Some(b"c"));
    let bytes = server_message(4, entry_op, &[("1.3.6.1.4.1.4203.1.9.1.2", &state)]);
    let decode = |b: &[u8]| {
        if let Ok(m) = proto::parse_message(b) {
            if let Op::Entry(dn, attributes) = m.op {
                let _ = proto::entry(dn, attributes);
            }
            for c in &m.controls {
                if let Some(v) = c.value {
                    let _ = proto::sync_state(v);
                    let _ = proto::sync_info(v);
                    let _ = proto::sync_done(v);
                    let _ = proto::paged_cookie(v);
                }
            }
        }
    };
    for cut in 0..bytes.len() {
        decode(&bytes[..cut]);
    }
    for at in 0..bytes.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut b = bytes.clone();
            b[at] ^= flip;
            decode(&b);
        }
    }
}

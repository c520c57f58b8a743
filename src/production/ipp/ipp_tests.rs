use super::*;

/// RFC 8010 Appendix A.1, "Print-Job Request", octet by octet.
fn rfc8010_a1_bytes() -> Vec<u8> {
    let mut b = vec![0x01, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01];
    b.extend_from_slice(&[0x47, 0x00, 0x12]);
    b.extend_from_slice(b"attributes-charset");
    b.extend_from_slice(&[0x00, 0x05]);
    b.extend_from_slice(b"utf-8");
    b.extend_from_slice(&[0x48, 0x00, 0x1b]);
    b.extend_from_slice(b"attributes-natural-language");
    b.extend_from_slice(&[0x00, 0x05]);
    b.extend_from_slice(b"en-us");
    b.extend_from_slice(&[0x45, 0x00, 0x0b]);
    b.extend_from_slice(b"printer-uri");
    b.extend_from_slice(&[0x00, 0x2c]);
    b.extend_from_slice(b"ipp://printer.example.com/ipp/print/pinetree");
    b.extend_from_slice(&[0x42, 0x00, 0x08]);
    b.extend_from_slice(b"job-name");
    b.extend_from_slice(&[0x00, 0x06]);
    b.extend_from_slice(b"foobar");
    b.extend_from_slice(&[0x22, 0x00, 0x16]);
    b.extend_from_slice(b"ipp-attribute-fidelity");
    b.extend_from_slice(&[0x00, 0x01, 0x01]);
    b.push(0x02);
    b.extend_from_slice(&[0x21, 0x00, 0x06]);
    b.extend_from_slice(b"copies");
    b.extend_from_slice(&[0x00, 0x04, 0x00, 0x00, 0x00, 0x14]);
    b.extend_from_slice(&[0x44, 0x00, 0x05]);
    b.extend_from_slice(b"sides");
    b.extend_from_slice(&[0x00, 0x13]);
    b.extend_from_slice(b"two-sided-long-edge");
    b.push(0x03);
    b.extend_from_slice(b"%!PS...");
    b
}

fn a1_message() -> Message {
    let mut m = Message::new(op::PRINT_JOB, 1);
    m.groups[0].attributes[1].values = vec![Value::Str(tag::NATURAL_LANGUAGE, "en-us".into())];
    m.push(
        group::OPERATION,
        "printer-uri",
        vec![Value::Str(
            tag::URI,
            "ipp://printer.example.com/ipp/print/pinetree".into(),
        )],
    );
    m.push(
        group::OPERATION,
        "job-name",
        vec![Value::Str(tag::NAME, "foobar".into())],
    );
    m.push(
        group::OPERATION,
        "ipp-attribute-fidelity",
        vec![Value::Boolean(true)],
    );
    m.push(group::JOB, "copies", vec![Value::Integer(20)]);
    m.push(
        group::JOB,
        "sides",
        vec![Value::keyword("two-sided-long-edge")],
    );
    m.data = b"%!PS...".to_vec();
    m
}

#[test]
fn print_job_request_encodes_to_the_rfc_8010_example() {
    let m = a1_message();
    assert_eq!(m.version, (1, 1));
    assert_eq!(m.encode().unwrap(), rfc8010_a1_bytes());
    let header = m.encode_header().unwrap();
    assert_eq!(header.as_slice(), &rfc8010_a1_bytes()[..header.len()]);
    assert_eq!(Message::decode(&rfc8010_a1_bytes()).unwrap(), m);
}

#[test]
fn print_job_response_of_rfc_8010_a2_decodes() {
    // RFC 8010 Appendix A.2, "Print-Job Response (Successful)".
    let mut b = vec![0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01];
    for (t, name, value) in [
        (0x47u8, "attributes-charset", "utf-8"),
        (0x48, "attributes-natural-language", "en-us"),
        (0x41, "status-message", "successful-ok"),
    ] {
        b.push(t);
        b.extend_from_slice(&(name.len() as u16).to_be_bytes());
        b.extend_from_slice(name.as_bytes());
        b.extend_from_slice(&(value.len() as u16).to_be_bytes());
        b.extend_from_slice(value.as_bytes());
    }
    b.push(0x02);
    b.extend_from_slice(&[0x21, 0x00, 0x06]);
    b.extend_from_slice(b"job-id");
    b.extend_from_slice(&[0x00, 0x04, 0x00, 0x00, 0x00, 147]);
    b.extend_from_slice(&[0x45, 0x00, 0x07]);
    b.extend_from_slice(b"job-uri");
    b.extend_from_slice(&[0x00, 0x30]);
    b.extend_from_slice(b"ipp://printer.example.com/ipp/print/pinetree/147");
    b.extend_from_slice(&[0x23, 0x00, 0x09]);
    b.extend_from_slice(b"job-state");
    b.extend_from_slice(&[0x00, 0x04, 0x00, 0x00, 0x00, 0x03]);
    b.push(0x03);
    let m = Message::decode(&b).unwrap();
    assert_eq!(m.code, 0);
    assert_eq!(m.request_id, 1);
    assert_eq!(m.status_message().as_deref(), Some("successful-ok"));
    let job = m.group(group::JOB).unwrap();
    assert_eq!(job.int("job-id"), Some(147));
    assert_eq!(
        job.str("job-uri"),
        Some("ipp://printer.example.com/ipp/print/pinetree/147")
    );
    assert_eq!(job.get("job-state").unwrap().values, vec![Value::Enum(3)]);
    assert!(m.data.is_empty());
    // Re-encoding gives the same bytes.
    assert_eq!(m.encode().unwrap(), b);
}

fn rich_message() -> Message {
    let mut m = Message::request(op::GET_PRINTER_ATTRIBUTES, 7, "ipp://localhost/ipp/print");
    m.code = 0x0000;
    m.push(
        group::PRINTER,
        "document-format-supported",
        vec![
            Value::Str(tag::MIME_MEDIA_TYPE, "application/pdf".into()),
            Value::Str(tag::MIME_MEDIA_TYPE, "image/pwg-raster".into()),
        ],
    );
    m.push(
        group::PRINTER,
        "copies-supported",
        vec![Value::Range(1, 999)],
    );
    m.push(
        group::PRINTER,
        "printer-resolution-default",
        vec![Value::Resolution {
            x: 600,
            y: 600,
            units: 3,
        }],
    );
    m.push(
        group::PRINTER,
        "printer-info",
        vec![Value::WithLanguage {
            tag: tag::TEXT_WITH_LANGUAGE,
            language: "fr".into(),
            text: "Imprimante à cartes".into(),
        }],
    );
    m.push(
        group::PRINTER,
        "printer-geo-location",
        vec![Value::OutOfBand(tag::UNKNOWN)],
    );
    m.push(
        group::PRINTER,
        "printer-current-time",
        vec![Value::Other(
            tag::DATE_TIME,
            vec![7, 233, 9, 1, 10, 0, 0, 0, b'+', 2, 0],
        )],
    );
    let size = Value::Collection(vec![
        Attribute::new("x-dimension", Value::Integer(8560)),
        Attribute::new("y-dimension", Value::Integer(5398)),
    ]);
    m.push(
        group::PRINTER,
        "media-col-default",
        vec![Value::Collection(vec![
            Attribute::new("media-size", size),
            Attribute {
                name: "media-source".into(),
                values: vec![Value::keyword("main"), Value::keyword("manual")],
            },
        ])],
    );
    m.push(
        group::UNSUPPORTED,
        "sides",
        vec![Value::OutOfBand(tag::UNSUPPORTED)],
    );
    m
}

#[test]
fn every_value_kind_round_trips() {
    let m = rich_message();
    let bytes = m.encode().unwrap();
    assert_eq!(Message::decode(&bytes).unwrap(), m);
    let printer = m.group(group::PRINTER).unwrap();
    assert_eq!(
        printer.strs("document-format-supported"),
        vec!["application/pdf", "image/pwg-raster"]
    );
    assert_eq!(printer.str("printer-info"), Some("Imprimante à cartes"));
}

#[test]
fn collection_members_follow_rfc_8010_3_1_6() {
    let mut m = Message::new(op::PRINT_JOB, 1);
    m.groups.clear();
    m.push(
        group::JOB,
        "c",
        vec![Value::Collection(vec![Attribute::new(
            "m",
            Value::Integer(1),
        )])],
    );
    let b = m.encode_header().unwrap();
    let expected: Vec<u8> = [
        &[1, 1, 0, 2, 0, 0, 0, 1, 0x02][..],
        &[0x34, 0, 1, b'c', 0, 0],       // begCollection "c", empty value
        &[0x4A, 0, 0, 0, 1, b'm'],       // memberAttrName "m"
        &[0x21, 0, 0, 0, 4, 0, 0, 0, 1], // integer 1, no name
        &[0x37, 0, 0, 0, 0],             // endCollection
        &[0x03],
    ]
    .concat();
    assert_eq!(b, expected);
}

#[test]
fn oversized_values_are_refused_when_encoding() {
    let mut m = Message::new(op::PRINT_JOB, 1);
    m.push(
        group::OPERATION,
        "job-name",
        vec![Value::Str(tag::NAME, "x".repeat(70_000))],
    );
    assert_eq!(m.encode(), Err(IppError::TooLong { len: 70_000 }));
}

#[test]
fn malformed_messages_give_errors() {
    // Empty, header only, an attribute before any group, an additional value first, a bad integer.
    assert!(matches!(
        Message::decode(&[]),
        Err(IppError::Truncated { .. })
    ));
    assert!(matches!(
        Message::decode(&[1, 1, 0, 0, 0, 0, 0, 1]),
        Err(IppError::Truncated { at: 8 })
    ));
    assert!(matches!(
        Message::decode(&[
            1, 1, 0, 0, 0, 0, 0, 1, 0x21, 0, 1, b'a', 0, 4, 0, 0, 0, 1, 3
        ]),
        Err(IppError::BadTag { tag: 0x21, at: 8 })
    ));
    assert!(matches!(
        Message::decode(&[1, 1, 0, 0, 0, 0, 0, 1, 1, 0x21, 0, 0, 0, 4, 0, 0, 0, 1, 3]),
        Err(IppError::BadTag { .. })
    ));
    assert!(matches!(
        Message::decode(&[1, 1, 0, 0, 0, 0, 0, 1, 1, 0x21, 0, 1, b'a', 0, 2, 0, 1, 3]),
        Err(IppError::BadLength {
            tag: 0x21,
            len: 2,
            ..
        })
    ));
    // A stray endCollection, a collection never closed.
    assert!(Message::decode(&[1, 1, 0, 0, 0, 0, 0, 1, 1, 0x37, 0, 1, b'a', 0, 0, 3]).is_err());
    assert!(Message::decode(&[1, 1, 0, 0, 0, 0, 0, 1, 1, 0x34, 0, 1, b'a', 0, 0, 3]).is_err());
}

#[test]
fn deeply_nested_collections_are_refused() {
    let mut b = vec![1, 1, 0, 0, 0, 0, 0, 1, 1, 0x34, 0, 1, b'a', 0, 0];
    for _ in 0..10_000 {
        b.extend_from_slice(&[0x4A, 0, 0, 0, 1, b'm', 0x34, 0, 0, 0, 0]);
    }
    assert_eq!(Message::decode(&b), Err(IppError::TooDeep));
}

/// xorshift64*: reproducible pseudo-random bytes without a crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[test]
fn decoding_never_panics_on_truncated_mutated_or_random_input() {
    let valid = rich_message().encode().unwrap();
    // Every truncation: a valid prefix either decodes or errors.
    for n in 0..valid.len() {
        let _ = Message::decode(&valid[..n]);
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Mutations of a valid message (lengths, tags and values hit alike).
    for _ in 0..20_000 {
        let mut b = valid.clone();
        for _ in 0..(1 + rng.next() % 4) {
            let i = (rng.next() as usize) % b.len();
            b[i] = rng.next() as u8;
        }
        let _ = Message::decode(&b);
    }
    // Random bytes after a plausible header, with tags drawn from the real ones.
    for _ in 0..20_000 {
        let len = (rng.next() % 200) as usize;
        let mut b = vec![1, 1, 0, 0, 0, 0, 0, 1, 1];
        b.extend((0..len).map(|_| match rng.next() % 4 {
            0 => [0x34, 0x37, 0x4A, 0x03, 0x21, 0x35][(rng.next() % 6) as usize],
            1 => 0,
            _ => rng.next() as u8,
        }));
        let _ = Message::decode(&b);
    }
}

#[test]
fn status_keywords_cover_the_ranges() {
    assert_eq!(status_keyword(0x0000), "successful-ok");
    assert_eq!(
        status_keyword(0x040A),
        "client-error-document-format-not-supported"
    );
    assert_eq!(status_keyword(0x0506), "server-error-not-accepting-jobs");
    assert_eq!(status_keyword(0x04F0), "client-error");
    assert_eq!(status_keyword(0x0300), "unknown-status");
}

//! The IPP wire format (RFC 8010 §3): a message is a version, an operation id (request) or a status
//! code (response), a request id, attribute groups and the document data. [`Message::encode`] writes a
//! request, [`Message::decode`] reads any response without panicking, whatever the bytes.
//!
//! Only what printing needs is typed; every other value keeps its tag and raw bytes, so an unknown or
//! vendor attribute never stops a response from decoding.

pub mod client;
pub mod http;

use thiserror::Error;

/// Operation ids (RFC 8011 §5.4.15; CUPS-Get-Printers from the CUPS implementation of IPP).
pub mod op {
    pub const PRINT_JOB: u16 = 0x0002;
    pub const CANCEL_JOB: u16 = 0x0008;
    pub const GET_JOB_ATTRIBUTES: u16 = 0x0009;
    pub const GET_PRINTER_ATTRIBUTES: u16 = 0x000B;
    pub const CUPS_GET_PRINTERS: u16 = 0x4002;
}

/// Delimiter tags (RFC 8010 §3.5.1).
pub mod group {
    pub const OPERATION: u8 = 0x01;
    pub const JOB: u8 = 0x02;
    pub const END: u8 = 0x03;
    pub const PRINTER: u8 = 0x04;
    pub const UNSUPPORTED: u8 = 0x05;
}

/// Value tags (RFC 8010 §3.5.2).
pub mod tag {
    pub const UNSUPPORTED: u8 = 0x10;
    pub const UNKNOWN: u8 = 0x12;
    pub const NO_VALUE: u8 = 0x13;
    pub const INTEGER: u8 = 0x21;
    pub const BOOLEAN: u8 = 0x22;
    pub const ENUM: u8 = 0x23;
    pub const OCTET_STRING: u8 = 0x30;
    pub const DATE_TIME: u8 = 0x31;
    pub const RESOLUTION: u8 = 0x32;
    pub const RANGE: u8 = 0x33;
    pub const BEG_COLLECTION: u8 = 0x34;
    pub const TEXT_WITH_LANGUAGE: u8 = 0x35;
    pub const NAME_WITH_LANGUAGE: u8 = 0x36;
    pub const END_COLLECTION: u8 = 0x37;
    pub const TEXT: u8 = 0x41;
    pub const NAME: u8 = 0x42;
    pub const KEYWORD: u8 = 0x44;
    pub const URI: u8 = 0x45;
    pub const URI_SCHEME: u8 = 0x46;
    pub const CHARSET: u8 = 0x47;
    pub const NATURAL_LANGUAGE: u8 = 0x48;
    pub const MIME_MEDIA_TYPE: u8 = 0x49;
    pub const MEMBER_NAME: u8 = 0x4A;
    /// RFC 8010 §3.5.2: the real tag follows in four bytes.
    pub const EXTENSION: u8 = 0x7F;
}

/// Collections nest (media-col inside media-col-database); the bound keeps a hostile response from
/// exhausting the stack.
const MAX_COLLECTION_DEPTH: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IppError {
    #[error("IPP message truncated at byte {at}")]
    Truncated { at: usize },
    #[error("unexpected tag 0x{tag:02x} at byte {at}")]
    BadTag { tag: u8, at: usize },
    #[error("value of tag 0x{tag:02x} has a wrong length {len} at byte {at}")]
    BadLength { tag: u8, len: usize, at: usize },
    #[error("collections nested deeper than {MAX_COLLECTION_DEPTH} levels")]
    TooDeep,
    #[error("a value longer than 65535 bytes cannot be encoded ({len} bytes)")]
    TooLong { len: usize },
}

/// One attribute value. Strings are decoded leniently (invalid UTF-8 replaced) because printers
/// send vendor text; the tag is kept where several tags share the same shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Integer(i32),
    Boolean(bool),
    Enum(i32),
    /// Any string-valued tag without language: text, name, keyword, uri, uriScheme, charset,
    /// naturalLanguage, mimeMediaType, memberAttrName.
    Str(u8, String),
    /// textWithLanguage / nameWithLanguage (RFC 8010 §3.9).
    WithLanguage {
        tag: u8,
        language: String,
        text: String,
    },
    Range(i32, i32),
    Resolution {
        x: i32,
        y: i32,
        units: u8,
    },
    /// A collection: its members in order, each with one or more values.
    Collection(Vec<Attribute>),
    /// unsupported, unknown, no-value (RFC 8010 §3.5.2 out-of-band values).
    OutOfBand(u8),
    /// Any other tag (octetString, dateTime, vendor tags) as raw bytes.
    Other(u8, Vec<u8>),
}

impl Value {
    pub fn keyword(s: &str) -> Value {
        Value::Str(tag::KEYWORD, s.to_string())
    }

    /// The text of any string-valued value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(_, s) => Some(s),
            Value::WithLanguage { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The number of an integer or enum value.
    pub fn as_int(&self) -> Option<i32> {
        match self {
            Value::Integer(i) | Value::Enum(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    fn tag(&self) -> u8 {
        match self {
            Value::Integer(_) => tag::INTEGER,
            Value::Boolean(_) => tag::BOOLEAN,
            Value::Enum(_) => tag::ENUM,
            Value::Str(t, _) | Value::WithLanguage { tag: t, .. } | Value::Other(t, _) => *t,
            Value::Range(..) => tag::RANGE,
            Value::Resolution { .. } => tag::RESOLUTION,
            Value::Collection(_) => tag::BEG_COLLECTION,
            Value::OutOfBand(t) => *t,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub values: Vec<Value>,
}

impl Attribute {
    pub fn new(name: &str, value: Value) -> Attribute {
        Attribute {
            name: name.to_string(),
            values: vec![value],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub tag: u8,
    pub attributes: Vec<Attribute>,
}

impl Group {
    pub fn get(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The first value of an attribute as text.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.get(name)?.values.first()?.as_str()
    }

    pub fn int(&self, name: &str) -> Option<i32> {
        self.get(name)?.values.first()?.as_int()
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        self.get(name)?.values.first()?.as_bool()
    }

    /// Every text value of an attribute (a `1setOf keyword`, for instance).
    pub fn strs(&self, name: &str) -> Vec<String> {
        self.get(name)
            .map(|a| {
                a.values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// An IPP request or response. `code` is the operation id of a request, the status code of a
/// response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub version: (u8, u8),
    pub code: u16,
    pub request_id: i32,
    pub groups: Vec<Group>,
    pub data: Vec<u8>,
}

impl Message {
    /// A request with the two operation attributes every request starts with (RFC 8011 §4.1.4):
    /// attributes-charset and attributes-natural-language. IPP/1.1 is the version every printer and
    /// CUPS accept (RFC 8010 §9; IPP Everywhere printers accept 1.1 and 2.0).
    pub fn new(operation: u16, request_id: i32) -> Message {
        Message {
            version: (1, 1),
            code: operation,
            request_id,
            groups: vec![Group {
                tag: group::OPERATION,
                attributes: vec![
                    Attribute::new(
                        "attributes-charset",
                        Value::Str(tag::CHARSET, "utf-8".into()),
                    ),
                    Attribute::new(
                        "attributes-natural-language",
                        Value::Str(tag::NATURAL_LANGUAGE, "en".into()),
                    ),
                ],
            }],
            data: Vec::new(),
        }
    }

    /// [`Message::new`] followed by the target, `printer-uri`, which RFC 8011 §4.1.5 puts third.
    pub fn request(operation: u16, request_id: i32, printer_uri: &str) -> Message {
        let mut m = Message::new(operation, request_id);
        m.push(
            group::OPERATION,
            "printer-uri",
            vec![Value::Str(tag::URI, printer_uri.into())],
        );
        m
    }

    /// Adds an attribute to the last group with `group_tag`, opening the group if needed.
    pub fn push(&mut self, group_tag: u8, name: &str, values: Vec<Value>) {
        let attribute = Attribute {
            name: name.to_string(),
            values,
        };
        match self.groups.iter_mut().rev().find(|g| g.tag == group_tag) {
            Some(g) => g.attributes.push(attribute),
            None => self.groups.push(Group {
                tag: group_tag,
                attributes: vec![attribute],
            }),
        }
    }

    /// The first group with `group_tag`.
    pub fn group(&self, group_tag: u8) -> Option<&Group> {
        self.groups.iter().find(|g| g.tag == group_tag)
    }

    /// The `status-message` of a response, trimmed, if the printer sent a non-empty one.
    pub fn status_message(&self) -> Option<String> {
        let m = self.group(group::OPERATION)?.str("status-message")?.trim();
        (!m.is_empty()).then(|| m.to_string())
    }

    /// The message up to and including the end-of-attributes tag; the document data is sent after
    /// it without being copied.
    pub fn encode_header(&self) -> Result<Vec<u8>, IppError> {
        let mut out = vec![self.version.0, self.version.1];
        out.extend_from_slice(&self.code.to_be_bytes());
        out.extend_from_slice(&self.request_id.to_be_bytes());
        for g in &self.groups {
            out.push(g.tag);
            for a in &g.attributes {
                encode_attribute(&mut out, a)?;
            }
        }
        out.push(group::END);
        Ok(out)
    }

    pub fn encode(&self) -> Result<Vec<u8>, IppError> {
        let mut out = self.encode_header()?;
        out.extend_from_slice(&self.data);
        Ok(out)
    }

    /// Reads a message; any input gives a message or an error, never a panic.
    pub fn decode(bytes: &[u8]) -> Result<Message, IppError> {
        let mut r = Reader { bytes, pos: 0 };
        let version = (r.u8()?, r.u8()?);
        let code = r.u16()?;
        let request_id = r.i32()?;
        let mut groups: Vec<Group> = Vec::new();
        let mut current: Option<Group> = None;
        loop {
            let at = r.pos;
            let t = r.u8()?;
            match t {
                group::END => break,
                0x00..=0x0F => {
                    if t == 0 {
                        return Err(IppError::BadTag { tag: t, at });
                    }
                    groups.extend(current.take());
                    current = Some(Group {
                        tag: t,
                        attributes: Vec::new(),
                    });
                }
                _ => {
                    let g = current.as_mut().ok_or(IppError::BadTag { tag: t, at })?;
                    let name = r.string16()?;
                    let value = r.value(t, 0)?;
                    if name.is_empty() {
                        // An additional value of the previous attribute (RFC 8010 §3.1.5).
                        match g.attributes.last_mut() {
                            Some(a) => a.values.push(value),
                            None => return Err(IppError::BadTag { tag: t, at }),
                        }
                    } else {
                        g.attributes.push(Attribute {
                            name,
                            values: vec![value],
                        });
                    }
                }
            }
        }
        groups.extend(current);
        Ok(Message {
            version,
            code,
            request_id,
            groups,
            data: r.rest().to_vec(),
        })
    }
}

fn put16(out: &mut Vec<u8>, len: usize) -> Result<(), IppError> {
    let n = u16::try_from(len).map_err(|_| IppError::TooLong { len })?;
    out.extend_from_slice(&n.to_be_bytes());
    Ok(())
}

fn put_field(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), IppError> {
    put16(out, bytes.len())?;
    out.extend_from_slice(bytes);
    Ok(())
}

fn encode_attribute(out: &mut Vec<u8>, a: &Attribute) -> Result<(), IppError> {
    for (i, v) in a.values.iter().enumerate() {
        out.push(v.tag());
        put_field(out, if i == 0 { a.name.as_bytes() } else { b"" })?;
        encode_value(out, v)?;
    }
    Ok(())
}

/// The value-length and value of one value (RFC 8010 §3.9); collections write their members and the
/// endCollection after their own empty value (§3.1.6).
fn encode_value(out: &mut Vec<u8>, v: &Value) -> Result<(), IppError> {
    match v {
        Value::Integer(i) | Value::Enum(i) => put_field(out, &i.to_be_bytes()),
        Value::Boolean(b) => put_field(out, &[u8::from(*b)]),
        Value::Str(_, s) => put_field(out, s.as_bytes()),
        Value::WithLanguage { language, text, .. } => {
            let mut inner = Vec::new();
            put_field(&mut inner, language.as_bytes())?;
            put_field(&mut inner, text.as_bytes())?;
            put_field(out, &inner)
        }
        Value::Range(lo, hi) => {
            let mut b = lo.to_be_bytes().to_vec();
            b.extend_from_slice(&hi.to_be_bytes());
            put_field(out, &b)
        }
        Value::Resolution { x, y, units } => {
            let mut b = x.to_be_bytes().to_vec();
            b.extend_from_slice(&y.to_be_bytes());
            b.push(*units);
            put_field(out, &b)
        }
        Value::OutOfBand(_) => put_field(out, b""),
        Value::Other(_, b) => put_field(out, b),
        Value::Collection(members) => {
            put_field(out, b"")?;
            for m in members {
                out.push(tag::MEMBER_NAME);
                put_field(out, b"")?;
                put_field(out, m.name.as_bytes())?;
                for v in &m.values {
                    out.push(v.tag());
                    put_field(out, b"")?;
                    encode_value(out, v)?;
                }
            }
            out.push(tag::END_COLLECTION);
            put_field(out, b"")?;
            put_field(out, b"")
        }
    }
}

/// A cursor over untrusted bytes: every read checks the bounds and reports where it stopped.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], IppError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or(IppError::Truncated { at: self.pos })?;
        let s = self
            .bytes
            .get(self.pos..end)
            .ok_or(IppError::Truncated { at: self.pos })?;
        self.pos = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], IppError> {
        let at = self.pos;
        self.take(N)?
            .try_into()
            .map_err(|_| IppError::Truncated { at })
    }

    fn u8(&mut self) -> Result<u8, IppError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, IppError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    fn i32(&mut self) -> Result<i32, IppError> {
        Ok(i32::from_be_bytes(self.array()?))
    }

    fn field(&mut self) -> Result<&'a [u8], IppError> {
        let n = usize::from(self.u16()?);
        self.take(n)
    }

    fn string16(&mut self) -> Result<String, IppError> {
        Ok(String::from_utf8_lossy(self.field()?).into_owned())
    }

    fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// The value-length and value of a value with tag `t` (the name was read already).
    fn value(&mut self, t: u8, depth: usize) -> Result<Value, IppError> {
        let at = self.pos;
        if t == tag::BEG_COLLECTION {
            self.field()?;
            return self.collection(depth + 1);
        }
        let b = self.field()?;
        let bad = || IppError::BadLength {
            tag: t,
            len: b.len(),
            at,
        };
        let int = |b: &[u8]| -> Result<i32, IppError> {
            Ok(i32::from_be_bytes(b.try_into().map_err(|_| bad())?))
        };
        Ok(match t {
            tag::UNSUPPORTED..=0x1F => Value::OutOfBand(t),
            tag::INTEGER => Value::Integer(int(b)?),
            tag::ENUM => Value::Enum(int(b)?),
            tag::BOOLEAN => match b {
                [x] => Value::Boolean(*x != 0),
                _ => return Err(bad()),
            },
            tag::RANGE => match (b.get(0..4), b.get(4..8), b.len()) {
                (Some(lo), Some(hi), 8) => Value::Range(int(lo)?, int(hi)?),
                _ => return Err(bad()),
            },
            tag::RESOLUTION => match (b.get(0..4), b.get(4..8), b.get(8), b.len()) {
                (Some(x), Some(y), Some(u), 9) => Value::Resolution {
                    x: int(x)?,
                    y: int(y)?,
                    units: *u,
                },
                _ => return Err(bad()),
            },
            tag::TEXT_WITH_LANGUAGE | tag::NAME_WITH_LANGUAGE => {
                let mut inner = Reader { bytes: b, pos: 0 };
                let language = inner.string16()?;
                let text = inner.string16()?;
                Value::WithLanguage {
                    tag: t,
                    language,
                    text,
                }
            }
            0x40..=0x4F => Value::Str(t, String::from_utf8_lossy(b).into_owned()),
            tag::END_COLLECTION => return Err(IppError::BadTag { tag: t, at }),
            _ => Value::Other(t, b.to_vec()),
        })
    }

    /// The members of a collection up to its endCollection (RFC 8010 §3.1.6).
    fn collection(&mut self, depth: usize) -> Result<Value, IppError> {
        if depth > MAX_COLLECTION_DEPTH {
            return Err(IppError::TooDeep);
        }
        let mut members: Vec<Attribute> = Vec::new();
        loop {
            let at = self.pos;
            let t = self.u8()?;
            self.field()?; // the name: always empty inside a collection
            match t {
                tag::END_COLLECTION => {
                    self.field()?;
                    return Ok(Value::Collection(members));
                }
                tag::MEMBER_NAME => {
                    let name = self.string16()?;
                    members.push(Attribute {
                        name,
                        values: Vec::new(),
                    });
                }
                0x00..=0x0F => return Err(IppError::BadTag { tag: t, at }),
                _ => {
                    let v = self.value(t, depth)?;
                    members
                        .last_mut()
                        .ok_or(IppError::BadTag { tag: t, at })?
                        .values
                        .push(v);
                }
            }
        }
    }
}

/// The keyword of a status code (RFC 8011 §B.1), for messages when the printer sent none.
pub fn status_keyword(code: u16) -> &'static str {
    let known = match code {
        0x0000 => "successful-ok",
        0x0001 => "successful-ok-ignored-or-substituted-attributes",
        0x0002 => "successful-ok-conflicting-attributes",
        0x0400 => "client-error-bad-request",
        0x0401 => "client-error-forbidden",
        0x0402 => "client-error-not-authenticated",
        0x0403 => "client-error-not-authorized",
        0x0404 => "client-error-not-possible",
        0x0405 => "client-error-timeout",
        0x0406 => "client-error-not-found",
        0x0407 => "client-error-gone",
        0x0408 => "client-error-request-entity-too-large",
        0x0409 => "client-error-request-value-too-long",
        0x040A => "client-error-document-format-not-supported",
        0x040B => "client-error-attributes-or-values-not-supported",
        0x040C => "client-error-uri-scheme-not-supported",
        0x040D => "client-error-charset-not-supported",
        0x040E => "client-error-conflicting-attributes",
        0x040F => "client-error-compression-not-supported",
        0x0410 => "client-error-compression-error",
        0x0411 => "client-error-document-format-error",
        0x0412 => "client-error-document-access-error",
        0x0500 => "server-error-internal-error",
        0x0501 => "server-error-operation-not-supported",
        0x0502 => "server-error-service-unavailable",
        0x0503 => "server-error-version-not-supported",
        0x0504 => "server-error-device-error",
        0x0505 => "server-error-temporary-error",
        0x0506 => "server-error-not-accepting-jobs",
        0x0507 => "server-error-busy",
        0x0508 => "server-error-job-canceled",
        0x0509 => "server-error-multiple-document-jobs-not-supported",
        _ => "",
    };
    match (known, code >> 8) {
        ("", 0x00) => "successful",
        ("", 0x04) => "client-error",
        ("", 0x05) => "server-error",
        ("", _) => "unknown-status",
        (k, _) => k,
    }
}

#[cfg(test)]
#[path = "ipp_tests.rs"]
mod tests;

//! The subset of BER (X.690) that LDAP uses (RFC 4511 §5.1: definite lengths only): a reader that
//! hands out slices of the received bytes without copying, and a writer for requests.

/// A value that does not follow the encoding; the message it came from is rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub &'static str);

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "malformed BER: {}", self.0)
    }
}

// Universal tags.
pub const BOOLEAN: u8 = 0x01;
pub const INTEGER: u8 = 0x02;
pub const OCTET_STRING: u8 = 0x04;
pub const ENUMERATED: u8 = 0x0a;
pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;

/// The tag byte of a context-specific element `[n]`, primitive or constructed.
pub const fn context(n: u8, constructed: bool) -> u8 {
    0x80 | if constructed { 0x20 } else { 0 } | n
}

/// The tag byte of an application element `[APPLICATION n]`.
pub const fn application(n: u8, constructed: bool) -> u8 {
    0x40 | if constructed { 0x20 } else { 0 } | n
}

/// The total size of the element at the start of `data` (header and content), once its header is
/// there: `Ok(None)` while more bytes are needed to know it.
pub fn element_size(data: &[u8]) -> Result<Option<usize>, Malformed> {
    match header(data) {
        Ok((_, header, len)) => Ok(Some(header + len)),
        Err(Short::More) => Ok(None),
        Err(Short::Bad(m)) => Err(m),
    }
}

enum Short {
    More,
    Bad(Malformed),
}

/// (tag, header length, content length) of the element at the start of `data`.
fn header(data: &[u8]) -> Result<(u8, usize, usize), Short> {
    let (&tag, rest) = data.split_first().ok_or(Short::More)?;
    if tag & 0x1f == 0x1f {
        // High tag numbers are not used by LDAP.
        return Err(Short::Bad(Malformed("multi-byte tag")));
    }
    let (&first, rest) = rest.split_first().ok_or(Short::More)?;
    if first < 0x80 {
        return Ok((tag, 2, usize::from(first)));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 {
        return Err(Short::Bad(Malformed("indefinite length")));
    }
    if n > 4 {
        return Err(Short::Bad(Malformed("length over 4 GB")));
    }
    let bytes = rest.get(..n).ok_or(Short::More)?;
    let len = bytes
        .iter()
        .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
    Ok((tag, 2 + n, len))
}

/// Reads the elements of a constructed value one after the other.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The tag of the next element, if any.
    pub fn peek(&self) -> Option<u8> {
        self.data.first().copied()
    }

    /// The next element: (tag, content).
    pub fn any(&mut self) -> Result<(u8, &'a [u8]), Malformed> {
        let (tag, head, len) = header(self.data).map_err(|e| match e {
            Short::More => Malformed("truncated element"),
            Short::Bad(m) => m,
        })?;
        let end = head
            .checked_add(len)
            .filter(|&e| e <= self.data.len())
            .ok_or(Malformed("element longer than its container"))?;
        let content = &self.data[head..end];
        self.data = &self.data[end..];
        Ok((tag, content))
    }

    /// The content of the next element, which must carry `tag`.
    pub fn expect(&mut self, tag: u8) -> Result<&'a [u8], Malformed> {
        match self.any()? {
            (t, content) if t == tag => Ok(content),
            _ => Err(Malformed("unexpected tag")),
        }
    }

    /// The content of the next element if it carries `tag`.
    pub fn optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>, Malformed> {
        if self.peek() == Some(tag) {
            self.expect(tag).map(Some)
        } else {
            Ok(None)
        }
    }

    /// A nested reader over the next element, which must carry `tag`.
    pub fn nested(&mut self, tag: u8) -> Result<Reader<'a>, Malformed> {
        self.expect(tag).map(Reader::new)
    }

    /// An INTEGER or ENUMERATED (`tag`) that fits in 64 bits.
    pub fn integer(&mut self, tag: u8) -> Result<i64, Malformed> {
        int_value(self.expect(tag)?)
    }

    /// A BOOLEAN, or `default` when the next element is not one.
    pub fn boolean_or(&mut self, default: bool) -> Result<bool, Malformed> {
        match self.optional(BOOLEAN)? {
            Some([b]) => Ok(*b != 0),
            Some(_) => Err(Malformed("boolean of more than one byte")),
            None => Ok(default),
        }
    }
}

/// The value of an INTEGER's content octets (two's complement, big-endian).
pub fn int_value(content: &[u8]) -> Result<i64, Malformed> {
    if content.is_empty() || content.len() > 8 {
        return Err(Malformed("integer length"));
    }
    let negative = content[0] & 0x80 != 0;
    let start: i64 = if negative { -1 } else { 0 };
    Ok(content
        .iter()
        .fold(start, |acc, &b| (acc << 8) | i64::from(b)))
}

/// Builds BER into a byte vector. Constructed elements are written by a closure; their length is
/// filled in afterwards.
#[derive(Debug, Default)]
pub struct Writer {
    pub out: Vec<u8>,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    pub fn primitive(&mut self, tag: u8, content: &[u8]) {
        self.out.push(tag);
        push_length(&mut self.out, content.len());
        self.out.extend_from_slice(content);
    }

    pub fn octets(&mut self, content: &[u8]) {
        self.primitive(OCTET_STRING, content);
    }

    pub fn integer(&mut self, tag: u8, v: i64) {
        let bytes = v.to_be_bytes();
        // The shortest two's complement form.
        let mut skip = 0;
        while skip < 7 {
            let (b, next) = (bytes[skip], bytes[skip + 1]);
            if (b == 0 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0) {
                skip += 1;
            } else {
                break;
            }
        }
        self.primitive(tag, &bytes[skip..]);
    }

    pub fn boolean(&mut self, v: bool) {
        self.primitive(BOOLEAN, &[if v { 0xff } else { 0 }]);
    }

    /// A constructed element whose content `body` writes.
    pub fn constructed(&mut self, tag: u8, body: impl FnOnce(&mut Writer)) {
        let mut inner = Writer::new();
        body(&mut inner);
        self.primitive(tag, &inner.out);
    }

    /// Bytes already encoded (e.g. a filter).
    pub fn raw(&mut self, encoded: &[u8]) {
        self.out.extend_from_slice(encoded);
    }
}

fn push_length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let bytes = (len as u64).to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    out.push(0x80 | (8 - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip_in_their_shortest_form() {
        for (v, enc) in [
            (0i64, vec![0x02, 1, 0]),
            (127, vec![0x02, 1, 0x7f]),
            (128, vec![0x02, 2, 0, 0x80]),
            (256, vec![0x02, 2, 1, 0]),
            (-1, vec![0x02, 1, 0xff]),
            (-129, vec![0x02, 2, 0xff, 0x7f]),
            (4096, vec![0x02, 2, 0x10, 0]),
        ] {
            let mut w = Writer::new();
            w.integer(INTEGER, v);
            assert_eq!(w.out, enc, "{v}");
            assert_eq!(Reader::new(&enc).integer(INTEGER), Ok(v));
        }
    }

    #[test]
    fn long_lengths_are_written_and_read() {
        for len in [0usize, 127, 128, 255, 256, 70_000] {
            let content = vec![7u8; len];
            let mut w = Writer::new();
            w.octets(&content);
            assert_eq!(element_size(&w.out), Ok(Some(w.out.len())));
            let mut r = Reader::new(&w.out);
            assert_eq!(r.expect(OCTET_STRING).unwrap().len(), len);
            assert!(r.is_empty());
        }
    }

    #[test]
    fn nested_elements_are_read_as_slices() {
        let mut w = Writer::new();
        w.constructed(SEQUENCE, |w| {
            w.octets(b"cn");
            w.constructed(SET, |w| {
                w.octets(b"a");
                w.octets(b"b");
            });
            w.boolean(true);
        });
        let mut r = Reader::new(&w.out);
        let mut seq = r.nested(SEQUENCE).unwrap();
        assert_eq!(seq.expect(OCTET_STRING).unwrap(), b"cn");
        let mut set = seq.nested(SET).unwrap();
        assert_eq!(set.expect(OCTET_STRING).unwrap(), b"a");
        assert_eq!(set.expect(OCTET_STRING).unwrap(), b"b");
        assert!(set.is_empty());
        assert_eq!(seq.boolean_or(false), Ok(true));
        assert_eq!(seq.boolean_or(false), Ok(false));
    }

    #[test]
    fn truncated_or_odd_input_is_an_error_never_a_panic() {
        assert_eq!(element_size(&[]), Ok(None));
        assert_eq!(element_size(&[0x30]), Ok(None));
        assert_eq!(element_size(&[0x30, 0x82, 0x01]), Ok(None));
        assert!(element_size(&[0x30, 0x80]).is_err());
        assert!(element_size(&[0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9]).is_err());
        assert!(element_size(&[0x1f, 0x01, 0x00]).is_err());
        assert!(Reader::new(&[0x04, 0x05, 1, 2]).any().is_err());
        assert!(Reader::new(&[0x02, 0x00]).integer(INTEGER).is_err());
        assert!(Reader::new(&[0x04, 0x01, 1]).integer(INTEGER).is_err());
        // Every prefix and every byte flip of a real message: errors at most.
        let mut w = Writer::new();
        w.constructed(SEQUENCE, |w| {
            w.integer(INTEGER, 300);
            w.octets(&[0xaa; 200]);
        });
        for cut in 0..w.out.len() {
            let _ = element_size(&w.out[..cut]);
            let mut r = Reader::new(&w.out[..cut]);
            while r.any().is_ok() {}
        }
        for at in 0..w.out.len() {
            let mut bytes = w.out.clone();
            bytes[at] ^= 0xff;
            let mut r = Reader::new(&bytes);
            if let Ok(mut seq) = r.nested(SEQUENCE) {
                let _ = seq.integer(INTEGER);
                while seq.any().is_ok() {}
            }
        }
    }
}

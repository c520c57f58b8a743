//! Reading and writing the school files' text: the one place where encodings are detected (formats.md §10
//! "Encodings": UTF-8 with or without BOM, windows-1252, ISO-8859-15), lines are split (any CR/LF
//! combination, formats.md §7.1), CSV separators are detected (§7.1: the most frequent of `;` `,` `:` TAB)
//! and CSV fields are split. Every function here is total: any byte sequence gives a value or a
//! [`FileError`], never a panic.

use super::FileError;

/// A character set of the school files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Charset {
    Utf8,
    /// RECIA's e-sidoc XML, SACoche's fallback for non-UTF-8 input, spreadsheets saved on Windows.
    Windows1252,
    /// SIECLE, STS-Web and AAF files.
    Iso8859_15,
}

impl Charset {
    /// The name written in an XML declaration.
    pub fn label(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Windows1252 => "windows-1252",
            Charset::Iso8859_15 => "ISO-8859-15",
        }
    }

    /// Parses a charset name as found in XML declarations and on the command line.
    pub fn parse(name: &str) -> Option<Charset> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Charset::Utf8),
            "windows-1252" | "cp1252" | "win-1252" | "iso-8859-1" | "latin1" | "latin-1" => {
                Some(Charset::Windows1252)
            }
            "iso-8859-15" | "latin9" | "latin-9" => Some(Charset::Iso8859_15),
            _ => None,
        }
    }

    fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            Charset::Utf8 => encoding_rs::UTF_8,
            Charset::Windows1252 => encoding_rs::WINDOWS_1252,
            Charset::Iso8859_15 => encoding_rs::ISO_8859_15,
        }
    }
}

/// A decoded file and the charset it was read with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub charset: Charset,
}

/// Decodes a text file. A UTF-8 BOM is removed; `declared` (an XML declaration's encoding) wins;
/// otherwise valid UTF-8 is UTF-8 and anything else windows-1252 (SACoche's rule, formats.md §7.1).
/// A file with NUL bytes or mostly control characters is refused as binary; a file declared UTF-8 that
/// is not gives the first bad line.
pub fn decode(bytes: &[u8], declared: Option<Charset>) -> Result<Decoded, FileError> {
    let (bytes, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FileError::Empty);
    }
    if looks_binary(bytes) {
        return Err(FileError::Binary);
    }
    let utf8 = std::str::from_utf8(bytes);
    let charset = match (declared, &utf8) {
        (Some(c), _) => c,
        (None, _) if bom => Charset::Utf8,
        (None, Ok(_)) => Charset::Utf8,
        (None, Err(_)) => Charset::Windows1252,
    };
    let text = match (charset, utf8) {
        (Charset::Utf8, Ok(s)) => s.to_string(),
        (Charset::Utf8, Err(e)) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            return Err(FileError::Encoding {
                line,
                charset: Charset::Utf8.label(),
            });
        }
        (c, _) => c
            .encoding()
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    };
    Ok(Decoded { text, charset })
}

/// Decodes an XML file by its declaration (`<?xml … encoding="…"?>`), UTF-8 when it declares none.
pub fn decode_xml(bytes: &[u8]) -> Result<Decoded, FileError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let declared = xml_declared_charset(body);
    if body.starts_with(b"<?xml")
        && declared.is_none()
        && let Some(name) = xml_declared_name(body)
    {
        return Err(FileError::UnknownCharset { name });
    }
    decode(bytes, Some(declared.unwrap_or(Charset::Utf8)))
}

fn xml_declared_name(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(200)];
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = String::from_utf8_lossy(&head[..end]);
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = rest[1..].split(quote).next()?;
    Some(value.to_string())
}

fn xml_declared_charset(bytes: &[u8]) -> Option<Charset> {
    xml_declared_name(bytes).and_then(|n| Charset::parse(&n))
}

/// NUL bytes, or more than one in twenty bytes being a control character other than TAB, CR, LF and FF.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.contains(&0) {
        return true;
    }
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n' | 0x0C))
        .count();
    controls * 20 > bytes.len()
}

/// Encodes `text` in `charset`. Characters the charset lacks become XML numeric character references
/// (`&#…;`), which keeps an XML file valid; they are returned so the caller can warn (formats.md §5.2: how
/// BCDI treats them is unconfirmed).
pub fn encode(text: &str, charset: Charset) -> (Vec<u8>, Vec<char>) {
    if charset == Charset::Utf8 {
        return (text.as_bytes().to_vec(), Vec::new());
    }
    let (bytes, _, unmappable) = charset.encoding().encode(text);
    let missing = if unmappable {
        let mut seen: Vec<char> = text
            .chars()
            .filter(|c| {
                let mut buf = [0u8; 4];
                charset.encoding().encode(c.encode_utf8(&mut buf)).2
            })
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen
    } else {
        Vec::new()
    };
    (bytes.into_owned(), missing)
}

/// The lines of a text, numbered from 1, split on any CR/LF combination (`\r\n`, `\n`, `\r`).
pub fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' | b'\n' => {
                out.push((out.len() + 1, &text[start..i]));
                if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        out.push((out.len() + 1, &text[start..]));
    }
    out
}

/// The separator of a CSV file from its first line: the most frequent of `;` `,` `:` TAB outside
/// quotes (SACoche's rule, formats.md §7.1); `;` when none occurs (the French spreadsheet default).
pub fn detect_separator(first_line: &str) -> char {
    let mut best = (';', 0usize);
    for sep in [';', ',', '\t', ':'] {
        let n = split_fields(first_line, sep).len() - 1;
        if n > best.1 {
            best = (sep, n);
        }
    }
    best.0
}

/// Splits one CSV line on `sep`, honouring double-quoted values (`""` inside quotes is a quote), and
/// trims spaces around each value.
pub fn split_fields(line: &str, sep: char) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => in_quotes = !in_quotes,
            c if c == sep && !in_quotes => fields.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    fields.push(current);
    fields.into_iter().map(|f| f.trim().to_string()).collect()
}

/// Quotes a CSV value when it holds the separator, a quote or a line break.
pub fn csv_value(value: &str, sep: char) -> String {
    if value.contains(sep) || value.contains('"') || value.contains('\n') || value.contains('\r') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// Escapes text for an XML element's content or attribute.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0; a directory value carrying one is dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Line (1-based) of a byte offset in `text`, for error messages.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("\u{feff}Nom;Prénom".as_bytes(), None).unwrap();
        assert_eq!(d.text, "Nom;Prénom");
        assert_eq!(d.charset, Charset::Utf8);
        assert_eq!(decode("Élève".as_bytes(), None).unwrap().text, "Élève");
    }

    #[test]
    fn non_utf8_is_windows_1252_and_declared_wins() {
        // "Élève" in windows-1252; "€" is 0x80 there and 0xA4 in ISO-8859-15.
        let d = decode(b"\xC9l\xE8ve \x80", None).unwrap();
        assert_eq!(d.text, "Élève €");
        assert_eq!(d.charset, Charset::Windows1252);
        let d = decode(b"\xC9l\xE8ve \xA4", Some(Charset::Iso8859_15)).unwrap();
        assert_eq!(d.text, "Élève €");
    }

    #[test]
    fn declared_utf8_that_is_not_names_the_line() {
        let e = decode(b"<a>\n<b>\xE9</b>", Some(Charset::Utf8)).unwrap_err();
        assert_eq!(
            e,
            FileError::Encoding {
                line: 2,
                charset: "UTF-8"
            }
        );
    }

    #[test]
    fn xml_declaration_is_read() {
        let x = b"<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?><a>\xA4</a>";
        let d = decode_xml(x).unwrap();
        assert_eq!(d.charset, Charset::Iso8859_15);
        assert!(d.text.ends_with("<a>€</a>"));
        assert_eq!(
            decode_xml(b"<?xml version='1.0' encoding='KOI8-R'?><a/>").unwrap_err(),
            FileError::UnknownCharset {
                name: "KOI8-R".into()
            }
        );
        assert_eq!(decode_xml(b"<a>\xC3\xA9</a>").unwrap().text, "<a>é</a>");
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None),
            Err(FileError::Binary)
        );
        assert_eq!(decode(b"  \r\n", None), Err(FileError::Empty));
    }

    #[test]
    fn encoding_reports_what_windows_1252_lacks() {
        let (bytes, missing) = encode("Łukasz Élève", Charset::Windows1252);
        assert_eq!(missing, vec!['Ł']);
        assert!(bytes.starts_with(b"&#321;ukasz \xC9l\xE8ve"));
        assert_eq!(encode("é", Charset::Utf8).0, "é".as_bytes());
    }

    #[test]
    fn lines_split_on_every_line_end() {
        let l = lines("a\r\nb\rc\n\nd");
        assert_eq!(l, vec![(1, "a"), (2, "b"), (3, "c"), (4, ""), (5, "d")]);
    }

    #[test]
    fn separator_and_fields() {
        assert_eq!(detect_separator("Guid;Nom;Prénom"), ';');
        assert_eq!(detect_separator("id,nom,prenom"), ',');
        assert_eq!(detect_separator("id\tnom\tprenom"), '\t');
        assert_eq!(detect_separator("\"a;b\",c,d"), ',');
        assert_eq!(
            split_fields("\"DUPONT, Jean\"; 2 ;\"a\"\"b\"", ';'),
            vec!["DUPONT, Jean", "2", "a\"b"]
        );
        assert_eq!(csv_value("a;b", ';'), "\"a;b\"");
        assert_eq!(xml_escape("<a&'\u{1}>"), "&lt;a&amp;&apos;&gt;");
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut rng = crate::library::TestRng(0x2545_f491_4f6c_dd1d);
        for len in 0..400 {
            let bytes = rng.bytes(len);
            let _ = decode(&bytes, None);
            let _ = decode_xml(&bytes);
            let text = String::from_utf8_lossy(&bytes);
            let _ = lines(&text);
            let _ = detect_separator(&text);
            let _ = line_of(&text, len * 2);
        }
    }
}

//! Name folding and display names: the one place where names are normalised for search and matching.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds a name or free text for search and matching: lower case, no diacritics, ligatures split
/// (œ → oe, æ → ae, ß → ss), hyphens, apostrophes and every other punctuation to spaces, runs of spaces
/// collapsed, trimmed. ARCHITECTURE §7: "one function used everywhere".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let mapped = match c {
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'ß' => "ss",
            'ø' | 'Ø' => "o",
            'đ' | 'Đ' => "d",
            'ł' | 'Ł' => "l",
            'ı' => "i",
            c if c.is_alphanumeric() => "",
            _ => {
                pending_space = true;
                continue;
            }
        };
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        if mapped.is_empty() {
            out.extend(c.to_lowercase());
        } else {
            out.push_str(mapped);
        }
    }
    out
}

/// Folds an identifier to one compact search token: the folded form with every space removed, so
/// `jean.dupont@univ.fr` becomes `jeandupontunivfr` and `04 A1 B2` becomes `04a1b2`.
pub fn compact(s: &str) -> String {
    fold(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The counter's display form of a person's name: surname in capitals (diacritics kept, as French
/// typography wants), then the given name as written: `DE LA FONTAINE Jean-Pierre`.
pub fn display_name(surname: &str, given_name: &str) -> String {
    let s = surname.trim().to_uppercase();
    let g = given_name.trim();
    match (s.is_empty(), g.is_empty()) {
        (true, _) => g.to_string(),
        (_, true) => s,
        _ => format!("{s} {g}"),
    }
}

/// The sort key of the directory list: folded surname, then folded given name.
pub fn sort_key(surname: &str, given_name: &str) -> String {
    format!("{} {}", fold(surname), fold(given_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(fold("Hélène"), "helene");
        assert_eq!(fold("LEFÈVRE"), "lefevre");
        assert_eq!(fold("Zoë  Saldaña"), "zoe saldana");
        assert_eq!(fold("François"), "francois");
    }

    #[test]
    fn splits_ligatures() {
        assert_eq!(fold("Œuvray"), "oeuvray");
        assert_eq!(fold("Lœwy"), "loewy");
        assert_eq!(fold("Lætitia"), "laetitia");
        assert_eq!(fold("Strauß"), "strauss");
    }

    #[test]
    fn punctuation_becomes_single_spaces() {
        assert_eq!(fold("Jean-Pierre"), "jean pierre");
        assert_eq!(fold("d'Artagnan"), "d artagnan");
        assert_eq!(fold("N’Diaye"), "n diaye");
        assert_eq!(fold("  de   La--Fontaine  "), "de la fontaine");
        assert_eq!(
            fold("jean.dupont@univ-ville.fr"),
            "jean dupont univ ville fr"
        );
        assert_eq!(fold(""), "");
        assert_eq!(fold("--"), "");
    }

    #[test]
    fn compact_removes_spaces() {
        assert_eq!(compact("04 A1 B2"), "04a1b2");
        assert_eq!(compact("Jean.Dupont@univ.fr"), "jeandupontunivfr");
    }

    #[test]
    fn display_name_puts_surname_first_in_capitals() {
        assert_eq!(
            display_name("de La Fontaine", "Jean-Pierre"),
            "DE LA FONTAINE Jean-Pierre"
        );
        assert_eq!(display_name("Lefèvre", "Jérôme"), "LEFÈVRE Jérôme");
        assert_eq!(display_name("", "Prince"), "Prince");
    }

    #[test]
    fn fold_never_panics_on_odd_input() {
        for s in ["\u{0}", "\u{301}", "🙂🙂", "ǅ", "İstanbul", "\u{FFFF}"] {
            let _ = fold(s);
        }
        assert_eq!(fold("İstanbul"), "istanbul");
    }
}

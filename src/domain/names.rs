//! Name folding and display names: the one place where names are normalised for search and matching.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Folds a name or free text for search and matching: lower case, no diacritics, ligatures split
/// (œ → oe, æ → ae, ß → ss), hyphens, apostrophes and every other punctuation to spaces, runs of spaces
/// collapsed, trimmed. ARCHITECTURE §7: "one function used everywhere".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(&mut out, s, " ");
    out
}

/// Appends the folded form of `s` (see [`fold`]) to `out`, with `sep` between its words: `" "` gives
/// [`fold`]'s form, `""` [`compact`]'s. Builds search documents without a string per value.
pub fn fold_into(out: &mut String, s: &str, sep: &str) {
    let start = out.len();
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            // The common case, without the mark and decomposition tables: ASCII decomposes to itself
            // and has no combining marks.
            if pending_space && out.len() > start {
                out.push_str(sep);
            }
            pending_space = false;
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii() {
            pending_space = true;
        } else {
            // Each character's canonical decomposition on its own: NFD's reordering only moves
            // combining marks, which are dropped anyway.
            decompose_canonical(c, |d| fold_char(d, out, &mut pending_space, start, sep));
        }
    }
}

/// One character of a canonical decomposition, folded onto `out`.
fn fold_char(c: char, out: &mut String, pending_space: &mut bool, start: usize, sep: &str) {
    if is_combining_mark(c) {
        return;
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
            *pending_space = true;
            return;
        }
    };
    if *pending_space && out.len() > start {
        out.push_str(sep);
    }
    *pending_space = false;
    if !mapped.is_empty() {
        out.push_str(mapped);
    } else if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        out.extend(c.to_lowercase());
    }
}

/// Folds an identifier to one compact search token: the folded form with every space removed, so
/// `jean.dupont@univ.fr` becomes `jeandupontunivfr` and `04 A1 B2` becomes `04a1b2`.
pub fn compact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(&mut out, s, "");
    out
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
    let mut out = String::with_capacity(surname.len() + given_name.len() + 1);
    fold_into(&mut out, surname, " ");
    out.push(' ');
    fold_into(&mut out, given_name, " ");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_fast_path_folds_like_the_general_rule() {
        for c in (0u8..128).map(char::from) {
            for text in [format!("a{c}b"), format!("{c}"), format!("É{c}{c}ß")] {
                let mut general = String::new();
                let mut pending = false;
                for d in text.chars() {
                    decompose_canonical(d, |d| fold_char(d, &mut general, &mut pending, 0, " "));
                }
                assert_eq!(fold(&text), general, "{text:?}");
            }
        }
    }

    #[test]
    fn folding_onto_a_string_keeps_what_it_holds() {
        let mut out = "x ".to_string();
        fold_into(&mut out, " Jean-Pierre  Lœwy ", "");
        assert_eq!(out, "x jeanpierreloewy");
        fold_into(&mut out, "É. Ô", " ");
        assert_eq!(out, "x jeanpierreloewye o");
        for s in ["04 A1 B2", "jean.dupont@univ.fr", " - ", "Ærø"] {
            assert_eq!(compact(s), fold(s).replace(' ', ""), "{s:?}");
        }
        assert_eq!(sort_key("", "Zoé"), " zoe");
    }

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
    /// The folding as first written: the whole string's NFD, then character by character.
    fn fold_by_nfd(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let mut out = String::new();
        let mut pending_space = false;
        for c in s.nfd() {
            fold_char(c, &mut out, &mut pending_space, 0, " ");
        }
        out
    }

    #[test]
    fn folding_character_by_character_is_the_whole_string_nfd() {
        let pool: Vec<char> = "aZ09 -'.,_@$é\u{301}\u{327}\u{308}ÉèÊëçÇœŒæßøłıİǅĳﬁ한글ΆΏάώ\u{345}ḗṩ\u{1E9E}Åå\u{212B}\u{2126}µ№½²\t\u{a0}🙂"
            .chars()
            .collect();
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..20_000 {
            let len = (state >> 60) as usize + 1;
            let mut s = String::new();
            for _ in 0..len {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(pool[(state >> 33) as usize % pool.len()]);
            }
            assert_eq!(fold(&s), fold_by_nfd(&s), "{s:?}");
            assert_eq!(compact(&s), fold_by_nfd(&s).replace(' ', ""), "{s:?}");
        }
    }
}

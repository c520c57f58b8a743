//! Same-person pairs BCDI would split into one deleted and one new borrower (formats.md §6.1 R16): a
//! comma ("DUPONT, Jean"), accents, punctuation, swapped names, one-letter typos. Hash indexes only, so
//! 275,000 leaving against 275,000 arriving stays linear: folded keys for the first four reasons, and the
//! one-deletion neighbourhood of each folded name for typos (a pair at Damerau distance 1 always shares
//! one of its deletion variants).

use std::collections::{HashMap, HashSet};

use super::bcdi::{Borrower, EsidocBorrower};
use super::reconcile::{Reason, bcdi_key};
use crate::domain::names::{compact, fold};

/// Shortest folded name (spaces removed) for which a one-letter difference is suggested: below it,
/// "LI Wei" and "LI Wen" are likely two people.
const TYPO_MIN_LEN: usize = 8;

fn sorted_tokens(name: &str) -> String {
    let folded = fold(name);
    let mut t: Vec<&str> = folded.split(' ').filter(|s| !s.is_empty()).collect();
    t.sort_unstable();
    t.join(" ")
}

fn punctuation(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_alphanumeric() && !c.is_whitespace())
        .collect()
}

/// The one-character deletions of `s`, and `s` itself.
fn deletions(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::with_capacity(chars.len() + 1);
    out.push(s.to_string());
    for i in 0..chars.len() {
        if i > 0 && chars[i] == chars[i - 1] {
            continue;
        }
        out.push(chars[..i].iter().chain(&chars[i + 1..]).collect());
    }
    out
}

/// Damerau–Levenshtein distance of at most one (substitution, insertion, deletion, adjacent swap).
fn within_one(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    match long.len() - short.len() {
        0 => {
            let diff: Vec<usize> = (0..short.len()).filter(|&i| short[i] != long[i]).collect();
            match diff.as_slice() {
                [] | [_] => true,
                [i, j] => *j == i + 1 && short[*i] == long[*j] && short[*j] == long[*i],
                _ => false,
            }
        }
        1 => {
            let first = (0..short.len())
                .find(|&i| short[i] != long[i])
                .unwrap_or(short.len());
            short[first..] == long[first + 1..]
        }
        _ => false,
    }
}

fn classes_agree(b: &Borrower, e: &EsidocBorrower) -> bool {
    match (&b.class, &e.class) {
        (Some(x), Some(y)) => fold(x) == fold(y),
        _ => true,
    }
}

/// Suggested pairs (borrower, ENT person, reason) among `leaving` borrowers and `arriving` persons; each
/// record in at most one pair, the strongest reason first.
pub fn pairs(
    borrowers: &[Borrower],
    ent: &[EsidocBorrower],
    leaving: &[usize],
    arriving: &[usize],
) -> Vec<(usize, usize, Reason)> {
    let mut by_compact: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_tokens: HashMap<String, Vec<usize>> = HashMap::new();
    for &e in arriving {
        by_compact.entry(compact(&ent[e].name)).or_default().push(e);
        by_tokens
            .entry(sorted_tokens(&ent[e].name))
            .or_default()
            .push(e);
    }
    let mut used_b: HashSet<usize> = HashSet::new();
    let mut used_e: HashSet<usize> = HashSet::new();
    let mut out = Vec::new();

    // Same letters: a comma, accents or punctuation.
    for &b in leaving {
        let name = &borrowers[b].name;
        let Some(candidates) = by_compact.get(&compact(name)) else {
            continue;
        };
        if let Some(&e) = candidates.iter().find(|e| !used_e.contains(e)) {
            let other = &ent[e].name;
            let reason =
                if name.contains(',') && bcdi_key(&name.replace(',', " ")) == bcdi_key(other) {
                    Reason::Comma
                } else if punctuation(name) == punctuation(other) {
                    Reason::Accents
                } else {
                    Reason::Punctuation
                };
            used_b.insert(b);
            used_e.insert(e);
            out.push((b, e, reason));
        }
    }
    // Swapped first and last names.
    for &b in leaving {
        if used_b.contains(&b) {
            continue;
        }
        let Some(candidates) = by_tokens.get(&sorted_tokens(&borrowers[b].name)) else {
            continue;
        };
        if let Some(&e) = candidates.iter().find(|e| !used_e.contains(e)) {
            used_b.insert(b);
            used_e.insert(e);
            out.push((b, e, Reason::Swapped));
        }
    }
    // One letter.
    let mut neighbourhood: HashMap<String, Vec<usize>> = HashMap::new();
    for &e in arriving.iter().filter(|e| !used_e.contains(e)) {
        let c = compact(&ent[e].name);
        if c.chars().count() >= TYPO_MIN_LEN {
            for d in deletions(&c) {
                neighbourhood.entry(d).or_default().push(e);
            }
        }
    }
    for &b in leaving {
        if used_b.contains(&b) {
            continue;
        }
        let c = compact(&borrowers[b].name);
        if c.chars().count() < TYPO_MIN_LEN {
            continue;
        }
        let mut candidates: Vec<usize> = deletions(&c)
            .iter()
            .filter_map(|d| neighbourhood.get(d))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let found = candidates.into_iter().find(|&e| {
            !used_e.contains(&e)
                && classes_agree(&borrowers[b], &ent[e])
                && within_one(&c, &compact(&ent[e].name))
        });
        if let Some(e) = found {
            used_b.insert(b);
            used_e.insert(e);
            out.push((b, e, Reason::Typo));
        }
    }
    out.sort_by_key(|(b, _, _)| *b);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_one() {
        assert!(within_one("dupontjean", "dupondjean"));
        assert!(within_one("dupontjean", "duponjean"));
        assert!(within_one("dupontjean", "duopntjean"));
        assert!(within_one("martinpaul", "martinpaul"));
        assert!(!within_one("dupontjean", "dupontjeanne"));
        assert!(!within_one("martinpaul", "martinpauline"));
        assert!(!within_one("abcd", "badc"));
    }

    #[test]
    fn deletions_include_the_word() {
        assert_eq!(deletions("abb"), vec!["abb", "bb", "ab"]);
    }
}

//! Resolve what a user typed to one contact: an id (`#12`), an exact name or email, a prefix
//! of the name or of any word in it, then a fuzzy match. One clear match is used; several are
//! an error that lists them; none is an error that suggests the closest names.

use std::borrow::Cow;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rusqlite::Connection;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::error::{Candidate, Error, Result};
use crate::store::contacts;

/// How many candidates an ambiguity error lists.
const SHOWN: usize = 8;

pub fn resolve(conn: &Connection, query: &str) -> Result<Candidate> {
    let q = query.trim();
    if q.is_empty() {
        return Err(Error::invalid_with_hint(
            "no contact given",
            "name them, e.g. tend show alice (a name, an email, or an id like #12)",
        ));
    }
    if let Some(what) = other_kind_of_id(q) {
        return Err(Error::invalid_with_hint(
            format!("'{q}' is {what} id, and this needs a contact"),
            "name the contact: a name, an email, or a contact id like #12",
        ));
    }
    if let Some(id) = parse_id(q) {
        return contacts::by_id(conn, id)?.ok_or_else(|| Error::NoSuchContact {
            query: q.to_string(),
            suggestions: Vec::new(),
        });
    }
    let exact = contacts::exact(conn, q)?;
    if !exact.is_empty() {
        return one(q, exact);
    }
    let prefix = contacts::prefix(conn, q)?;
    if !prefix.is_empty() {
        return one(q, prefix);
    }
    let other = contacts::by_other_value(conn, q)?;
    if !other.is_empty() {
        return one(q, other);
    }
    let hits = fuzzy_names(conn, q)?;
    if !hits.is_empty() {
        return one(q, with_details(conn, hits, SHOWN)?);
    }
    Err(Error::NoSuchContact {
        query: q.to_string(),
        suggestions: suggest(q, &contacts::names_where(conn, None, |_| true)?),
    })
}

/// The listed details (email, status, archived) of the first `max` fuzzy hits.
pub fn with_details(conn: &Connection, hits: Vec<Candidate>, max: usize) -> Result<Vec<Candidate>> {
    let mut out = Vec::with_capacity(hits.len().min(max));
    for h in hits.into_iter().take(max) {
        out.extend(contacts::by_id(conn, h.id)?);
    }
    Ok(out)
}

/// "a note" for `n#12`: ids of other records typed where a contact was wanted.
fn other_kind_of_id(q: &str) -> Option<&'static str> {
    let (prefix, digits) = q.split_once('#')?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(match prefix.to_ascii_lowercase().as_str() {
        "n" => "a note",
        "f" => "a follow-up",
        "d" => "a deal",
        "i" => "an income",
        "e" => "an expense",
        "t" => "a time entry",
        _ => return None,
    })
}

/// `#12`, or a bare number short enough not to be a phone number.
fn parse_id(q: &str) -> Option<i64> {
    let digits = q.strip_prefix('#').unwrap_or(q);
    if digits.is_empty() || digits.len() > 9 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !q.starts_with('#') && digits.len() > 6 {
        return None;
    }
    digits.parse().ok()
}

/// A single candidate wins; among several, a single unarchived one wins over archived ones.
fn one(q: &str, mut candidates: Vec<Candidate>) -> Result<Candidate> {
    if candidates.len() == 1 {
        return Ok(candidates.remove(0));
    }
    let active: Vec<&Candidate> = candidates.iter().filter(|c| !is_archived(c)).collect();
    if active.len() == 1 {
        return Ok(active[0].clone());
    }
    candidates.truncate(SHOWN);
    Err(Error::Ambiguous {
        query: q.to_string(),
        candidates,
    })
}

fn is_archived(c: &Candidate) -> bool {
    c.detail.as_deref().is_some_and(|d| d.ends_with("archived"))
}

/// Candidates the fuzzy matcher accepts, best first. Only those close to the best score are
/// kept, so one strong match is not made ambiguous by a long tail of weak ones.
pub fn fuzzy(q: &str, all: &[Candidate]) -> Vec<Candidate> {
    let matcher = SkimMatcherV2::default().ignore_case();
    let q = fold(q);
    let pattern: Vec<char> = q.chars().flat_map(char::to_lowercase).collect();
    let mut scored: Vec<(i64, &Candidate)> = all
        .iter()
        .filter(|c| is_subsequence(&pattern, &c.name))
        .filter_map(|c| matcher.fuzzy_match(&fold(&c.name), &q).map(|s| (s, c)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    let Some(&(best, _)) = scored.first() else {
        return Vec::new();
    };
    scored
        .into_iter()
        .take_while(|(s, _)| *s * 10 >= best * 7)
        .map(|(_, c)| c.clone())
        .collect()
}

/// The contacts whose names fuzzily match `q`, best first (as `fuzzy`), reading the names
/// once and keeping only those that hold the query's letters in order.
pub fn fuzzy_names(conn: &Connection, q: &str) -> Result<Vec<Candidate>> {
    let pattern = pattern(q);
    let plausible = contacts::names_where(conn, rarest(&pattern), |name| {
        is_subsequence(&pattern, name)
    })?;
    Ok(fuzzy(q, &plausible))
}

/// The letter or digit of `pattern` that the fewest names hold, as far as letter frequencies
/// in names tell: the one for `names_where` to look for.
fn rarest(pattern: &[char]) -> Option<u8> {
    const COMMONEST_FIRST: &[u8] = b"eainrolstdhcmukbgywpfvjzxq";
    pattern
        .iter()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|&c| c as u8)
        .max_by_key(|b| {
            COMMONEST_FIRST
                .iter()
                .position(|x| x == b)
                .unwrap_or(usize::MAX)
        })
}

/// The query's letters as the subsequence check wants them: accents folded, lower case.
fn pattern(q: &str) -> Vec<char> {
    fold(q).chars().flat_map(char::to_lowercase).collect()
}

/// Indices of the `names` that fuzzily match `q`, best first (all of them for an empty `q`).
/// For filtering a list as the user types.
pub fn filter(q: &str, names: &[&str]) -> Vec<usize> {
    if q.trim().is_empty() {
        return (0..names.len()).collect();
    }
    let keys: Vec<String> = names.iter().map(|n| key(n)).collect();
    filter_keys(q, &keys)
}

/// A name as `filter_keys` compares it: accents folded, lower case. A long list keeps these,
/// so that a keystroke folds nothing.
pub fn key(name: &str) -> String {
    fold(name).to_lowercase()
}

/// Names made `key`s, one after another in one buffer. Every keystroke of a filter reads
/// them all: 100,000 separate allocations cost a cache miss each, most of a 20 ms key at ten
/// times the design scale; read in a row, they do not.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Keys {
    text: String,
    ends: Vec<usize>,
}

impl Keys {
    /// Keep `name` as `filter_keys` compares it.
    pub fn push(&mut self, name: &str) {
        self.push_key(&key(name));
    }

    /// Keep a name already made a `key`.
    pub fn push_key(&mut self, key: &str) {
        self.text.push_str(key);
        self.ends.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p]);
        &self.text[start..self.ends[i]]
    }

    /// Every key, in order, for `filter_keys`.
    pub fn all(&self) -> Vec<&str> {
        let mut start = 0;
        self.ends
            .iter()
            .map(|&end| {
                let k = &self.text[start..end];
                start = end;
                k
            })
            .collect()
    }
}

impl<'a> FromIterator<&'a str> for Keys {
    fn from_iter<I: IntoIterator<Item = &'a str>>(names: I) -> Keys {
        let mut keys = Keys::default();
        for n in names {
            keys.push(n);
        }
        keys
    }
}

/// `filter` over names already made `key`s.
pub fn filter_keys<S: AsRef<str>>(q: &str, keys: &[S]) -> Vec<usize> {
    if q.trim().is_empty() {
        return (0..keys.len()).collect();
    }
    let q = fold(q);
    let pattern: Vec<char> = q.chars().flat_map(char::to_lowercase).collect();
    if pattern.len() <= SHORT {
        // One or two letters are in most names: scoring each of 100,000 costs more than a
        // keystroke may. Names with a word starting so come first, then those holding them
        // together, then the rest, each in list order (three lists, no sort).
        let start: String = pattern.iter().collect();
        let finder = memchr::memmem::Finder::new(start.as_bytes());
        // A query of letters and digits only: a word starts with it where the byte before is
        // not one (with other characters, `split` would cut the query itself apart).
        let plain = start.bytes().all(|b| b.is_ascii_alphanumeric());
        let mut ranked: [Vec<usize>; 3] = Default::default();
        for (i, n) in keys.iter().enumerate() {
            let name = n.as_ref();
            let rank = if plain && name.is_ascii() {
                short_rank_ascii(&finder, &pattern, name)
            } else {
                short_rank(&start, &pattern, name)
            };
            if let Some(rank) = rank {
                ranked[rank].push(i);
            }
        }
        return ranked.concat();
    }
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut scored: Vec<(i64, usize)> = keys
        .iter()
        .enumerate()
        .filter(|(_, n)| is_subsequence(&pattern, n.as_ref()))
        .filter_map(|(i, n)| matcher.fuzzy_match(n.as_ref(), &q).map(|s| (s, i)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, i)| i).collect()
}

/// Where a short query puts a name: 0 when a word of it starts with the query, 1 when it
/// holds the query's letters together, 2 when only in order, `None` when not at all.
fn short_rank(start: &str, pattern: &[char], name: &str) -> Option<usize> {
    if !is_subsequence(pattern, name) {
        None
    } else if name
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with(start))
    {
        Some(0)
    } else if name.contains(start) {
        Some(1)
    } else {
        Some(2)
    }
}

/// `short_rank` for a name in ASCII, as most keys are once folded: the places the query
/// stands in the name are found with `memmem`, and only a name without one is checked for
/// the letters in order. A keystroke over 100,000 names in one pass, without decoding.
fn short_rank_ascii(
    finder: &memchr::memmem::Finder,
    pattern: &[char],
    name: &str,
) -> Option<usize> {
    let bytes = name.as_bytes();
    let mut found = false;
    for at in finder.find_iter(bytes) {
        if at == 0 || !bytes[at - 1].is_ascii_alphanumeric() {
            return Some(0);
        }
        found = true;
    }
    if found {
        Some(1)
    } else {
        is_subsequence(pattern, name).then_some(2)
    }
}

/// Queries this short are ranked without the fuzzy scorer (see `filter`).
const SHORT: usize = 2;

/// Every character of `pattern` appears in `name` in order, ignoring case: what the fuzzy
/// matcher needs before it can score at all, checked a hundred times faster, so only the
/// plausible few of 10,000 names reach the scorer.
fn is_subsequence(pattern: &[char], name: &str) -> bool {
    if !name.is_ascii() {
        return is_subsequence_folded(pattern, name);
    }
    // Most names: each wanted letter found with `memchr` in what is left of the name, in
    // either case, with no folding to do.
    let mut rest = name.as_bytes();
    for &w in pattern {
        let Ok(w) = u8::try_from(w) else {
            return false;
        };
        match memchr::memchr2(w, w.to_ascii_uppercase(), rest) {
            Some(i) => rest = &rest[i + 1..],
            None => return false,
        }
    }
    true
}

/// `is_subsequence` for a name with letters that are not ASCII.
fn is_subsequence_folded(pattern: &[char], name: &str) -> bool {
    // Letter by letter, folding only the letters that are not ASCII: decomposing the whole
    // name (as `fold` does) costs a microsecond a name, and a book has thousands of them.
    let mut want = pattern.iter().peekable();
    for ch in name.chars() {
        if ch.is_ascii() {
            let c = ch.to_ascii_lowercase();
            match want.peek() {
                Some(&&w) if w == c => {
                    want.next();
                }
                Some(_) => {}
                None => break,
            }
            continue;
        }
        decompose_canonical(ch, |base| {
            if is_combining_mark(base) {
                return;
            }
            for c in base.to_lowercase() {
                if want.peek().is_some_and(|&&w| w == c) {
                    want.next();
                }
            }
        });
        if want.peek().is_none() {
            break;
        }
    }
    want.peek().is_none()
}

/// Text without its accents, so "zoe" finds Zoë and "muller" Müller, as the CLI's index of
/// names does: canonical decomposition (`unicode-normalization`), combining marks dropped.
/// Plain ASCII, most names, is passed through without copying.
pub fn fold(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.nfd().filter(|c| !is_combining_mark(*c)).collect())
}

/// Up to three names that look like what was typed (a typo, a swapped letter).
fn suggest(q: &str, all: &[Candidate]) -> Vec<String> {
    let q = q.to_lowercase();
    let mut scored: Vec<(f64, &str)> = all
        .iter()
        .map(|c| {
            let name = c.name.to_lowercase();
            let whole = strsim::jaro_winkler(&q, &name);
            let word = name
                .split_whitespace()
                .map(|w| strsim::jaro_winkler(&q, w))
                .fold(0.0, f64::max);
            (whole.max(word), c.name.as_str())
        })
        .filter(|(s, _)| *s >= 0.82)
        .collect();
    // Equal scores by name, so the three shown do not depend on the order names are read in.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| n.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_in_one_buffer_are_the_names_keyed() {
        let names = ["Zoë Ångström", "", "Bob Jones", "ß"];
        let keys: super::Keys = names.iter().copied().collect();
        assert_eq!(keys.len(), 4);
        let each: Vec<String> = names.iter().map(|n| super::key(n)).collect();
        assert_eq!(keys.all(), each);
        assert_eq!(keys.get(0), "zoe angstrom");
        assert_eq!(keys.get(1), "");
        assert_eq!(keys.get(3), super::key("ß"));
    }

    proptest::proptest! {
        #[test]
        fn a_short_query_ranks_ascii_names_as_the_general_rule_does(
            name in "[a-c0-9 ._'-]{0,12}",
            q in "[a-c0-9]{1,2}",
        ) {
            let pattern: Vec<char> = q.chars().collect();
            let finder = memchr::memmem::Finder::new(q.as_bytes());
            proptest::prop_assert_eq!(
                super::short_rank_ascii(&finder, &pattern, &name),
                super::short_rank(&q, &pattern, &name)
            );
        }

        /// Through `filter_keys`, whatever the query holds: the names ranked by the general
        /// rule, in list order within a rank.
        #[test]
        fn a_short_filter_orders_names_by_the_general_rule(
            names in proptest::collection::vec("[a-c0-9 ._'-]{0,8}", 0..6),
            q in "[a-c0-9-]{1,2}",
        ) {
            let pattern: Vec<char> = q.chars().collect();
            let mut want: Vec<(usize, usize)> = names
                .iter()
                .enumerate()
                .filter_map(|(i, n)| super::short_rank(&q, &pattern, n).map(|r| (r, i)))
                .collect();
            want.sort();
            let want: Vec<usize> = want.into_iter().map(|(_, i)| i).collect();
            proptest::prop_assert_eq!(super::filter_keys(&q, &names), want);
        }
    }

    use super::*;

    #[test]
    fn ids_of_other_records_are_told_apart() {
        assert_eq!(other_kind_of_id("n#1"), Some("a note"));
        assert_eq!(other_kind_of_id("D#12"), Some("a deal"));
        assert_eq!(other_kind_of_id("#12"), None);
        assert_eq!(other_kind_of_id("n#"), None);
        assert_eq!(other_kind_of_id("bob#1"), None);
    }

    #[test]
    fn one_or_two_letters_put_word_starts_first_then_the_rest_in_list_order() {
        let names = ["Bella Lane", "Al Jones", "Hal Smith", "Zed Alder", "Bob"];
        // "al" starts Al and Alder, is inside Hal, and Bella Lane only holds its letters apart.
        assert_eq!(filter("al", &names), [1, 3, 2, 0]);
        assert_eq!(filter("b", &names), [0, 4]);
    }

    #[test]
    fn filtering_ignores_accents_both_ways() {
        let names = ["Zoë Müller", "Zoe Mull", "Åsa Öberg", "Bob"];
        assert_eq!(filter("zoe mul", &names), [0, 1]);
        assert_eq!(filter("oberg", &names), [2]);
        assert_eq!(filter("zoë", &names).len(), 2);
        assert_eq!(fold("Crème brûlée"), "Creme brulee");
    }

    fn cands(names: &[&str]) -> Vec<Candidate> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| Candidate {
                id: i as i64 + 1,
                name: n.to_string(),
                detail: None,
            })
            .collect()
    }

    #[test]
    fn ids_are_hash_numbers_or_short_numbers() {
        assert_eq!(parse_id("#12"), Some(12));
        assert_eq!(parse_id("12"), Some(12));
        assert_eq!(parse_id("07700900123"), None, "a phone number is not an id");
        assert_eq!(parse_id("#"), None);
        assert_eq!(parse_id("alice"), None);
    }

    #[test]
    fn fuzzy_keeps_only_the_strong_matches() {
        let all = cands(&["Alice Smith", "Bob Jones", "Carol Allsop"]);
        let hits = fuzzy("alsmth", &all);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].name, "Alice Smith");
        assert!(fuzzy("zzz", &all).is_empty());
    }

    #[test]
    fn the_prefilter_agrees_with_the_matcher() {
        let all = cands(&["Alice Smith", "Ålesund Ltd", "Bob Jones", "ALAN SMITHERS"]);
        let matcher = SkimMatcherV2::default().ignore_case();
        for q in ["alsm", "smith", "bj", "ålе", "s", "xyz", "ALI"] {
            let pattern: Vec<char> = q.chars().flat_map(char::to_lowercase).collect();
            for c in &all {
                if matcher.fuzzy_match(&c.name, q).is_some() {
                    assert!(is_subsequence(&pattern, &c.name), "{q} in {}", c.name);
                }
            }
        }
    }

    proptest::proptest! {
        /// Folding letter by letter finds what folding the whole name and then looking finds.
        #[test]
        fn the_subsequence_check_folds_as_fold_does(
            name in "[a-zA-ZéÉèüÜöñçÅåøØßłŁ ']{0,16}",
            q in "[a-zeunocłs]{0,5}",
        ) {
            let pattern: Vec<char> = q.chars().collect();
            let folded: Vec<char> = fold(&name).chars().flat_map(char::to_lowercase).collect();
            let mut at = folded.iter();
            let naive = pattern.iter().all(|p| at.any(|c| c == p));
            proptest::prop_assert_eq!(is_subsequence(&pattern, &name), naive, "{} in {}", q, name);
        }
    }

    #[test]
    fn typos_get_suggestions() {
        let all = cands(&["Alice Smith", "Bob Jones"]);
        assert_eq!(suggest("alcie", &all), vec!["Alice Smith".to_string()]);
        assert!(suggest("xavier", &all).is_empty());
    }

    #[test]
    fn one_unarchived_wins_over_archived_namesakes() {
        let mut c = cands(&["Sam Lee", "Sam Lee"]);
        c[0].detail = Some("lead, archived".into());
        c[1].detail = Some("client".into());
        assert_eq!(one("sam lee", c).unwrap().id, 2);
    }
}

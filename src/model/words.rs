//! Words as the notes' full-text index reads them (SQLite's `unicode61` tokenizer with
//! `remove_diacritics 2`): runs of letters and digits, in any case, with accents folded away.
//! Search reads the newest notes itself by these rules before it asks the index for older
//! ones, so the two must agree; `tests/search.rs` checks them against the index itself.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// `text` in lower case without accents ("Zoë" → "zoe").
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded words of `text`, in order.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether every one of `prefixes` (folded words) starts some word of `text`: what the index
/// answers for `"quote"* "spring"*`.
pub fn has_every_prefix(text: &str, prefixes: &[String]) -> bool {
    let words = words(text);
    prefixes
        .iter()
        .all(|p| words.iter().any(|w| w.starts_with(p.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_case_and_accents_and_split_at_punctuation() {
        assert_eq!(
            words("Zoë's QUOTE, re-sent"),
            ["zoe", "s", "quote", "re", "sent"]
        );
        assert_eq!(words("  --  "), Vec::<String>::new());
    }

    #[test]
    fn every_prefix_must_start_a_word() {
        let p = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert!(has_every_prefix(
            "Sent the quote for spring",
            &p(&["quo", "spr"])
        ));
        assert!(has_every_prefix(
            "Crème brûlée order",
            &p(&["creme", "brul"])
        ));
        assert!(!has_every_prefix("Sent the quote", &p(&["quo", "spr"])));
        assert!(!has_every_prefix("misquoted", &p(&["quote"])));
    }
}

//! Text that is safe to print: control characters and terminal escape sequences are shown in
//! caret notation (`^[`) rather than sent to the terminal raw.

/// "1 note", "3 notes": a count and its noun, which takes an s unless there is one.
pub fn count(n: impl Into<i64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// One line for a listing: newlines and tabs become spaces, other controls are made visible.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => push_visible(&mut out, c),
        }
    }
    out.trim().to_string()
}

/// A block of text (a note body): newlines are kept, other controls are made visible.
pub fn block(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            '\r' => {}
            c => push_visible(&mut out, c),
        }
    }
    out
}

fn push_visible(out: &mut String, c: char) {
    let code = c as u32;
    if code < 0x20 {
        out.push('^');
        out.push(char::from_u32(code + 0x40).unwrap_or('?'));
    } else if code == 0x7f {
        out.push_str("^?");
    } else if (0x80..0xa0).contains(&code) {
        out.push_str(&format!("<U+{code:04X}>"));
    } else {
        out.push(c);
    }
}

/// Cut a line to at most `max` characters, ending in '…' when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// The columns a terminal gives `s`: wide characters (CJK, emoji) take two, combining accents
/// none, and an emoji sequence joined by ZWJ counts as the one picture it is drawn as.
pub fn width(s: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    s.graphemes(true)
        .map(unicode_width::UnicodeWidthStr::width)
        .sum()
}

/// At most `width` terminal columns, ending in '…' when cut; never padded.
pub fn clip(s: &str, columns: usize) -> String {
    if width(s) <= columns {
        return s.to_string();
    }
    fit(s, columns).trim_end().to_string()
}

/// Exactly `columns` terminal columns: cut (ending in '…') or padded with spaces, a whole
/// grapheme at a time, so accents and emoji sequences are never split.
pub fn fit(s: &str, columns: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let total = width(s);
    if total <= columns {
        return format!("{s}{}", " ".repeat(columns - total));
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = unicode_width::UnicodeWidthStr::width(g);
        if used + w + 1 > columns {
            break;
        }
        out.push_str(g);
        used += w;
    }
    if columns > 0 {
        out.push('…');
        used += 1;
    }
    out.push_str(&" ".repeat(columns.saturating_sub(used)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_never_passed_through() {
        let hostile = "Eve\x1b[2J\x1b]0;pwned\x07";
        let shown = one_line(hostile);
        assert!(!shown.contains('\x1b') && !shown.contains('\x07'));
        assert_eq!(shown, "Eve^[[2J^[]0;pwned^G");
        assert_eq!(one_line("a\u{9b}b"), "a<U+009B>b");
    }

    #[test]
    fn one_line_folds_whitespace_and_block_keeps_lines() {
        assert_eq!(one_line("called\n\nwants\ta quote"), "called wants a quote");
        assert_eq!(block("a\r\nb\x1b"), "a\nb^[");
    }

    #[test]
    fn fit_counts_terminal_columns() {
        assert_eq!(fit("山田", 6), "山田  ");
        assert_eq!(fit("山田太郎", 6), "山田… ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("ab", 0), "");
    }

    #[test]
    fn graphemes_are_measured_and_cut_whole() {
        assert_eq!(width("👩‍👩‍👧"), 2, "a ZWJ family is one picture");
        assert_eq!(width("e\u{301}"), 1, "a combining accent takes no column");
        assert_eq!(fit("👩‍👩‍👧 abc", 4), "👩‍👩‍👧 …");
        assert_eq!(fit("ze\u{301}bra", 3), "ze\u{301}…");
    }

    #[test]
    fn clip_cuts_by_columns_and_never_pads() {
        assert_eq!(clip("山田太郎", 5), "山田…");
        assert_eq!(clip("short", 10), "short");
    }

    #[test]
    fn truncate_counts_characters_not_bytes() {
        assert_eq!(truncate("héllo wörld", 6), "héllo…");
        assert_eq!(truncate("short", 10), "short");
    }
}

//! Other tools' formats: vCard, CSV and iCalendar. Pure text in and out: importers turn a file
//! into [`Card`]s (or say why an entry could not be read), exporters turn contacts and
//! follow-ups into text. Matching cards against the database is the command layer's job.

pub mod csv;
pub mod ics;
pub mod vcard;

use std::collections::BTreeMap;

use crate::model::contact::{Contact, ContactKind, Status, tags_in};

/// One contact as another tool describes it: everything tend can keep of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Card {
    /// The other tool's stable id (vCard UID, a tend uid column): re-imports match on it.
    pub uid: Option<String>,
    pub name: String,
    pub kind: Option<ContactKind>,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub status: Option<Status>,
    pub source: Option<String>,
    /// Name of the contact who referred this one, resolved against the database on import.
    pub referred_by: Option<String>,
    pub archived: Option<bool>,
    pub tags: Vec<String>,
    /// Profile fields: birthday, note, title, further emails and phones ("email (work)").
    pub fields: BTreeMap<String, String>,
    /// What a vCard carries that has no place above, kept so an export gives it back: its
    /// structured name (N) and addresses (ADR), and properties tend does not read. Each a
    /// vCard 4.0 content line as calcard writes it.
    pub extras: Vec<String>,
}

/// An entry of an imported file: where it was, and the card or why it could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// "card 3", "row 12", "clients.vcf card 2": what a person can find in the file.
    pub position: String,
    pub card: Result<Card, String>,
}

impl Card {
    /// A contact as an export writes it.
    pub fn from_contact(c: &Contact) -> Card {
        Card {
            uid: Some(c.uid.clone()),
            name: c.name.clone(),
            kind: Some(c.kind),
            company: c.company.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            address: c.address.clone(),
            status: Some(c.status),
            source: c.source.clone(),
            referred_by: c.referred_by.clone(),
            archived: Some(c.archived),
            tags: c.tags.clone(),
            fields: c.fields.clone(),
            extras: Vec::new(),
        }
    }

    /// Add a tag as another tool wrote it (normalised; repeats ignored).
    pub fn add_tag(&mut self, tag: &str) {
        for t in tags_in(tag) {
            if !self.tags.contains(&t) {
                self.tags.push(t);
            }
        }
    }

    /// Set a profile field unless the value is empty; the key is lower-cased. Line breaks are
    /// kept (a note's paragraphs), as `\n` whatever the file used.
    pub fn set_field(&mut self, key: &str, value: &str) {
        let value = lines_kept(value);
        if !value.is_empty() {
            self.fields.insert(key.trim().to_lowercase(), value);
        }
    }

    /// A field a card may carry more than once (TITLE, NICKNAME, URL, BDAY): the first is
    /// `key`, later different ones "key 2", "key 3".
    pub fn add_field(&mut self, key: &str, value: &str) {
        let key = key.trim().to_lowercase();
        let value = lines_kept(value);
        if value.is_empty() {
            return;
        }
        match self.fields.get(&key) {
            None => {
                self.fields.insert(key, value);
            }
            Some(v) if *v == value => {}
            Some(_) => self.add_labelled(&key, &value, None),
        }
    }

    /// A note: several NOTE properties (or note columns) become one, a paragraph each.
    pub fn add_note(&mut self, value: &str) {
        let value = lines_kept(value);
        if value.is_empty() {
            return;
        }
        let already = |n: &str| {
            n == value
                || n.starts_with(&format!("{value}\n"))
                || n.ends_with(&format!("\n{value}"))
                || n.contains(&format!("\n{value}\n"))
        };
        match self.fields.get_mut("note") {
            Some(n) if !already(n) => {
                n.push('\n');
                n.push_str(&value);
            }
            Some(_) => {}
            None => {
                self.fields.insert("note".into(), value);
            }
        }
    }

    /// Another email: the first one becomes the contact's email, later ones profile fields
    /// named by their label ("email (work)") or number ("email 2").
    pub fn add_email(&mut self, value: &str, label: Option<&str>) {
        let value = value.trim().trim_start_matches("mailto:").trim();
        self.add_channel("email", value, label);
    }

    /// Another phone number, like [`Card::add_email`].
    pub fn add_phone(&mut self, value: &str, label: Option<&str>) {
        let value = value.trim().trim_start_matches("tel:").trim();
        self.add_channel("phone", value, label);
    }

    /// Another address, like [`Card::add_email`].
    pub fn add_address(&mut self, value: &str, label: Option<&str>) {
        let value = one_line_trim(value);
        self.add_channel("address", &value, label);
    }

    /// A value kept as a profile field named by its label: "relation (spouse)", "website
    /// (blog)"; without a label, `base`, then "base 2", "base 3".
    pub fn add_labelled(&mut self, base: &str, value: &str, label: Option<&str>) {
        let value = value.trim();
        if value.is_empty() || self.fields.values().any(|v| v == value) {
            return;
        }
        let key = match label.map(str::trim).filter(|l| !l.is_empty()) {
            Some(l) => format!("{base} ({})", l.to_lowercase()),
            None => base.to_string(),
        };
        let mut unique = key.clone();
        let mut n = 1;
        while self.fields.contains_key(&unique) {
            n += 1;
            unique = format!("{key} {n}");
        }
        self.fields.insert(unique, value.to_string());
    }

    fn add_channel(&mut self, base: &str, value: &str, label: Option<&str>) {
        self.add_channel_as(base, value, label, true)
    }

    /// Add an email, phone or address; with `promote` false it becomes a profile field even
    /// when the contact has no main one (what tend's own exports mean by a non-preferred one).
    pub fn add_channel_as(&mut self, base: &str, value: &str, label: Option<&str>, promote: bool) {
        if value.is_empty() {
            return;
        }
        let primary = match base {
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            _ => &mut self.address,
        };
        if primary.as_deref() == Some(value) || self.fields.values().any(|v| v == value) {
            return;
        }
        if primary.is_none() && promote {
            *primary = Some(value.to_string());
            return;
        }
        let key = match label.map(str::trim).filter(|l| !l.is_empty()) {
            Some(l) => format!("{base} ({})", l.to_lowercase()),
            None => format!("{base} 2"),
        };
        let mut unique = key.clone();
        let mut n = 2;
        while self.fields.contains_key(&unique) {
            n += 1;
            unique = match label {
                Some(_) => format!("{key} {n}"),
                None => format!("{base} {n}"),
            };
        }
        self.fields.insert(unique, value.to_string());
    }

    /// The names of what differs from `c`, leaving out what the card does not say: an import
    /// adds and refreshes, it never clears what the person typed into tend.
    pub fn differences(&self, c: &Contact) -> Vec<String> {
        let mut d = Vec::new();
        let differs = |mine: &Option<String>, theirs: &Option<String>| {
            mine.as_ref().is_some_and(|m| Some(m) != theirs.as_ref())
        };
        if self.name.trim() != c.name && !same_name_reversed(&self.name, &c.name) {
            d.push("name".to_string());
        }
        if self.kind.is_some_and(|k| k != c.kind) {
            d.push("kind".to_string());
        }
        for (label, mine, theirs) in [
            ("company", &self.company, &c.company),
            ("email", &self.email, &c.email),
            ("phone", &self.phone, &c.phone),
            ("address", &self.address, &c.address),
            ("source", &self.source, &c.source),
        ] {
            if differs(mine, theirs) {
                d.push(label.to_string());
            }
        }
        if self.status.is_some_and(|s| s != c.status) {
            d.push("status".to_string());
        }
        if self.archived.is_some_and(|a| a != c.archived) {
            d.push("archived".to_string());
        }
        if self.tags.iter().any(|t| !c.tags.contains(t)) {
            d.push("tags".to_string());
        }
        for (k, v) in &self.fields {
            let theirs = c.fields.get(k);
            // "1 May" typed in tend comes back from a vCard as --05-01: the same birthday.
            let same_day = k == "birthday"
                && theirs.is_some_and(|t| {
                    vcard::birthday_as_date(t).is_some()
                        && vcard::birthday_as_date(t) == vcard::birthday_as_date(v)
                });
            if theirs != Some(v) && !same_day {
                d.push(k.clone());
            }
        }
        d
    }
}

/// "Smith, Alice" for Alice Smith: the same person written last name first, as a sheet's
/// sorting column has it; not a new name to refresh the contact with.
pub fn same_name_reversed(card: &str, tend: &str) -> bool {
    card.split_once(',').is_some_and(|(last, first)| {
        let swapped = format!("{} {}", first.trim(), last.trim());
        !first.contains(',') && swapped.eq_ignore_ascii_case(tend.trim())
    })
}

/// Text of a file in whatever encoding its exporter used: UTF-8 (a byte-order mark is
/// dropped); UTF-16 with a byte-order mark (Outlook, Thunderbird on Windows); else the charset
/// the file names itself (`CHARSET=SHIFT_JIS` on a phone's vCard 2.1 lines); else the one
/// Mozilla's detector (`chardetng`, Firefox's) finds likeliest: Windows-1252 for a Western
/// Outlook file, Windows-1251 for Cyrillic, Shift_JIS for an old Japanese phone. `encoding_rs`
/// does the decoding.
pub fn decode(bytes: &[u8]) -> String {
    decode_as(bytes, None)
}

/// Like [`decode`], with the encoding given (`--encoding`) when the file is not UTF-8.
pub fn decode_as(bytes: &[u8], forced: Option<&'static encoding_rs::Encoding>) -> String {
    use encoding_rs::{UTF_16BE, UTF_16LE};
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return UTF_16LE.decode_without_bom_handling(rest).0.into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return UTF_16BE.decode_without_bom_handling(rest).0.into_owned();
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let encoding = forced
        .or_else(|| declared_charset(bytes))
        .unwrap_or_else(|| {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            detector.guess(None, true)
        });
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The first charset other than UTF-8 a vCard's lines name (`;CHARSET=Shift_JIS:`).
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    const KEY: &[u8] = b"charset=";
    let mut at = 0;
    while let Some(pos) = bytes[at..]
        .windows(KEY.len())
        .position(|w| w.eq_ignore_ascii_case(KEY))
    {
        let start = at + pos + KEY.len();
        let label: Vec<u8> = bytes[start..]
            .iter()
            .take_while(|b| !matches!(b, b';' | b':' | b',' | b'\r' | b'\n'))
            .copied()
            .collect();
        let label: Vec<u8> = label.into_iter().filter(|b| *b != b'"').collect();
        if let Some(e) = encoding_rs::Encoding::for_label(&label)
            && e != encoding_rs::UTF_8
        {
            return Some(e);
        }
        at = start;
    }
    None
}

/// Repair text that was UTF-8 but got read as Windows-1252 ("JÃ¼rgen" → "Jürgen"), which is
/// what a vCard 2.1 quoted-printable value without a CHARSET turns into. Real Windows-1252
/// text is left alone: its bytes are not valid UTF-8.
pub fn repair_mojibake(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(s);
    if unmappable {
        return s.to_string();
    }
    match String::from_utf8(bytes.into_owned()) {
        Ok(fixed) => fixed,
        Err(_) => s.to_string(),
    }
}

/// Text with its line breaks as `\n` (CRLF and a lone CR too), surrounding space trimmed.
fn lines_kept(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

/// Lines joined with ", ", surrounding space trimmed: addresses and labels kept on one line.
fn one_line_trim(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_email_is_the_contact_s_and_the_rest_are_labelled_fields() {
        let mut c = Card::default();
        c.add_email("a@x.test", Some("home"));
        c.add_email("b@x.test", Some("work"));
        c.add_email("c@x.test", None);
        c.add_email("d@x.test", None);
        c.add_email("e@x.test", Some("work"));
        c.add_email("b@x.test", Some("other"));
        assert_eq!(c.email.as_deref(), Some("a@x.test"));
        assert_eq!(c.fields["email (work)"], "b@x.test");
        assert_eq!(c.fields["email 2"], "c@x.test");
        assert_eq!(c.fields["email 3"], "d@x.test");
        assert_eq!(c.fields["email (work) 3"], "e@x.test");
        assert_eq!(c.fields.len(), 4, "a repeated address is kept once");
    }

    #[test]
    fn differences_name_what_changed_and_ignore_what_the_card_leaves_out() {
        let contact = Contact {
            id: 1,
            uid: "u".into(),
            kind: ContactKind::Person,
            name: "Ann".into(),
            company_id: None,
            company: None,
            email: Some("ann@x.test".into()),
            phone: Some("1".into()),
            address: None,
            status: Status::Client,
            source: None,
            referred_by_id: None,
            referred_by: None,
            tags: vec!["vip".into()],
            fields: BTreeMap::from([("likes".into(), "tea".into())]),
            last_note_at: None,
            archived: false,
            created_at: String::new(),
            updated_at: String::new(),
            cadence: None,
        };
        let mut card = Card {
            name: "Ann".into(),
            email: Some("ann@x.test".into()),
            ..Card::default()
        };
        assert!(card.differences(&contact).is_empty());
        card.phone = Some("2".into());
        card.add_tag("VIP");
        card.add_tag("Bakery");
        card.set_field("likes", "coffee");
        assert_eq!(card.differences(&contact), ["phone", "tags", "likes"]);
    }

    #[test]
    fn latin1_files_and_misread_utf8_both_come_out_right() {
        assert_eq!(decode(b"M\xfcller"), "Müller");
        assert_eq!(decode("\u{feff}Müller".as_bytes()), "Müller");
        assert_eq!(repair_mojibake("JÃ¼rgen"), "Jürgen");
        assert_eq!(repair_mojibake("Ã„pfel"), "Äpfel");
        assert_eq!(decode(b"caf\x80 \x93ok\x94"), "caf€ “ok”");
        assert_eq!(repair_mojibake("Müller"), "Müller");
        assert_eq!(repair_mojibake("Zoë ☕"), "Zoë ☕");
    }
}

//! vCard 2.1, 3.0 and 4.0 in, 4.0 or 3.0 out.
//!
//! Parsing and writing use `calcard` (Stalwart's, maintained, used by their CardDAV server):
//! it reads all three versions as real exporters write them (folded lines, quoted-printable,
//! charsets, Apple's `itemN.` groups, inline photos) and folds and escapes what we write. We
//! compared it with `vcard4` (4.0 only, strict: refuses 2.1/3.0 cards from phones) and `ical`
//! (parses properties but leaves quoted-printable, parameter types and writing to us); calcard
//! was the one that needed no hand-written parsing. What stays here is the mapping between
//! vCard properties and tend's contact.

use std::collections::HashMap;

use calcard::common::PartialDateTime;
use calcard::vcard::{
    VCard, VCardEntry, VCardKind, VCardParameter, VCardParameterName, VCardParameterValue,
    VCardProperty, VCardType, VCardValue, VCardVersion,
};
use calcard::{Entry, Parser};

use super::{Card, Parsed, repair_mojibake};
use crate::model::contact::ContactKind;
#[cfg(test)]
use crate::model::contact::Status;

/// A kept line that says which name the kept N belongs to (never written out).
const N_FOR: &str = "X-TEND-N-FOR";

/// tend's PRODID starts so; it tells a file tend wrote from another program's.
const PRODID_PREFIX: &str = "-//tend//";

/// Which vCard version an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// RFC 6350, the current standard.
    V4,
    /// RFC 2426, which every CardDAV server and phone accepts.
    V3,
}

/// Fields written as their own vCard property, and the property.
const FIELD_PROPERTIES: [(&str, VCardProperty); 5] = [
    ("note", VCardProperty::Note),
    ("title", VCardProperty::Title),
    ("role", VCardProperty::Role),
    ("nickname", VCardProperty::Nickname),
    ("website", VCardProperty::Url),
];

/// Every card in `text`, in order, each read into a [`Card`] or with the reason it could not
/// be. A damaged card never stops the ones after it.
pub fn parse(text: &str) -> Vec<Parsed> {
    let text = ungrouped_begin_end(text);
    let text = text.as_ref();
    let bdays = raw_birthdays(text);
    let mut parser = Parser::new(text);
    let mut out = Vec::new();
    loop {
        let position = format!("card {}", out.len() + 1);
        let card = match parser.entry() {
            Entry::VCard(v) => to_card(&v).map(|mut card| {
                mend_birthdays(&mut card, bdays.get(out.len()));
                card
            }),
            Entry::ICalendar(_) => Err("is an iCalendar entry, not a contact".to_string()),
            Entry::UnterminatedComponent(_) => {
                Err("is cut off: the file ends before END:VCARD".to_string())
            }
            Entry::UnexpectedComponentEnd { .. } => {
                Err("has an END line that does not match its BEGIN".to_string())
            }
            Entry::Eof => break,
            // A stray line between cards, or a component limit: nothing to import there.
            _ => continue,
        };
        out.push(Parsed { position, card });
    }
    // calcard hands back a card the file ends inside of as if it were whole; its last value
    // may be cut off (a phone number half written), so it is reported, not imported.
    if ends(text) < out.len()
        && let Some(last) = out.last_mut()
        && last.card.is_ok()
    {
        last.card = Err(
            "is cut off: the file ends before its END:VCARD, so its last values may be incomplete"
                .to_string(),
        );
    }
    out
}

/// `home.BEGIN:VCARD` … `home.END:VCARD`: some exporters group the card's own lines, which
/// calcard does not take for a card at all; the group is dropped from those two lines.
fn ungrouped_begin_end(text: &str) -> std::borrow::Cow<'_, str> {
    let grouped = |l: &str| {
        let l = l.trim_end_matches('\r');
        l.split_once('.').is_some_and(|(g, rest)| {
            !g.is_empty()
                && g.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && (rest.eq_ignore_ascii_case("BEGIN:VCARD")
                    || rest.eq_ignore_ascii_case("END:VCARD"))
        })
    };
    if !text.lines().any(grouped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\r', '\n']);
        if grouped(bare) {
            out.push_str(bare.split_once('.').map_or(bare, |(_, r)| r));
            out.push_str(&line[bare.len()..]);
        } else {
            out.push_str(line);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Each card's BDAY values as written, in card order. calcard misreads some date forms that
/// phones write (`1980-01-02` before VERSION or without one, `--02-10` in a 4.0 card) as a
/// date with no day; the text as written is read again here when that happens. BDAY lines
/// are short and never folded in the wild; this looks at nothing else.
fn raw_birthdays(text: &str) -> Vec<Vec<String>> {
    let mut cards = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in text.lines() {
        let l = line.trim();
        let name = l.split([':', ';']).next().unwrap_or("");
        let name = name.rsplit_once('.').map_or(name, |(_, n)| n);
        if l.eq_ignore_ascii_case("BEGIN:VCARD") {
            current = Some(Vec::new());
        } else if l.eq_ignore_ascii_case("END:VCARD") {
            cards.extend(current.take());
        } else if name.eq_ignore_ascii_case("BDAY")
            && let (Some(c), Some((_, value))) = (current.as_mut(), l.split_once(':'))
        {
            c.push(value.trim().to_string());
        }
    }
    cards.extend(current);
    cards
}

/// A birthday calcard could not read whole, read again from the text the card had.
fn mend_birthdays(card: &mut Card, raw: Option<&Vec<String>>) {
    let Some(raw) = raw else { return };
    if !card.fields.contains_key("birthday (as written)") {
        return;
    }
    let dates: Vec<String> = raw
        .iter()
        .filter_map(|r| parse_date_text(r).and_then(|d| date_text(&d)))
        .collect();
    if dates.is_empty() {
        return;
    }
    card.fields.retain(|k, _| {
        k != "birthday"
            && k != "birthday (as written)"
            && !k
                .strip_prefix("birthday ")
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
    });
    for d in dates {
        card.add_field("birthday", &d);
    }
    // What no form of date could read stays as written.
    for r in raw {
        if parse_date_text(r).and_then(|d| date_text(&d)).is_none() {
            card.add_field("birthday (as written)", r);
        }
    }
}

/// How many cards the text closes: END:VCARD lines (any case, with or without a group).
fn ends(text: &str) -> usize {
    text.lines()
        .filter(|l| {
            let l = l.trim();
            let l = l.rsplit_once('.').map_or(l, |(_, rest)| rest);
            l.eq_ignore_ascii_case("END:VCARD")
        })
        .count()
}

fn to_card(v: &VCard) -> Result<Card, String> {
    let legacy = v
        .version()
        .is_some_and(|ver| matches!(ver, VCardVersion::V2_0 | VCardVersion::V2_1));
    let fix = |s: &str| {
        if legacy {
            repair_mojibake(s)
        } else {
            s.to_string()
        }
    };
    // Apple writes a channel's label on a separate line of the same group:
    // item1.EMAIL:… then item1.X-ABLabel:_$!<Other>!$_ (or a label of the person's own).
    let labels: HashMap<&str, String> = v
        .entries
        .iter()
        .filter(
            |e| matches!(&e.name, VCardProperty::Other(n) if n.eq_ignore_ascii_case("X-ABLabel")),
        )
        .filter_map(|e| Some((e.group.as_deref()?, apple_label(&text_of(e)))))
        .collect();

    let mut card = Card::default();
    let mut own_n: Option<&VCardEntry> = None;
    let mut full_name = None;
    let mut structured = None;
    let mut channels: Vec<(bool, &VCardEntry)> = Vec::new();
    for e in &v.entries {
        match &e.name {
            VCardProperty::Fn => full_name = Some(fix(&text_of(e))),
            VCardProperty::N => {
                let parts: Vec<String> = components(e).iter().map(|s| fix(s)).collect();
                let joined = name_from_parts(&parts);
                if parts.iter().any(|p| !p.trim().is_empty()) {
                    own_n = Some(e);
                }
                structured = Some(joined);
            }
            VCardProperty::Kind => {
                if e.values
                    .iter()
                    .any(|v| matches!(v, VCardValue::Kind(VCardKind::Org)))
                {
                    card.kind = Some(ContactKind::Company);
                }
                if e.values
                    .iter()
                    .any(|v| matches!(v, VCardValue::Kind(VCardKind::Group)))
                {
                    return Err(
                        "is a group (a list of other cards), not a contact; its members come in as their own cards"
                            .to_string(),
                    );
                }
            }
            VCardProperty::Org => {
                let parts: Vec<String> = texts(e).into_iter().map(|s| fix(s.trim())).collect();
                let mut parts = parts.into_iter().filter(|s| !s.is_empty());
                if card.company.is_none() {
                    card.company = parts.next();
                    // ORG:Apple Bakery;Kitchen: the rest are its units.
                    let units: Vec<String> = parts.collect();
                    if !units.is_empty() {
                        card.add_field("department", &units.join(", "));
                    }
                } else {
                    // A second ORG: another organisation they belong to.
                    let org: Vec<String> = parts.collect();
                    card.add_labelled("organization", &org.join(", "), None);
                }
            }
            VCardProperty::Email | VCardProperty::Tel => {
                channels.push((is_preferred(e), e));
            }
            VCardProperty::Adr => {
                channels.push((is_preferred(e), e));
                // Kept when it has parts (city, postcode…); a one-line address is all in
                // the contact's own.
                let parts = texts(e);
                if parts
                    .iter()
                    .enumerate()
                    .any(|(i, p)| i != 2 && !p.trim().is_empty())
                {
                    keep(&mut card, e, legacy);
                }
            }
            VCardProperty::Categories => {
                for t in texts(e) {
                    card.add_tag(&fix(&t));
                }
            }
            VCardProperty::Bday => match birthday(e) {
                Some(b) => card.add_field("birthday", &b),
                // "circa 1800", or a date that cannot be one (month 31): kept as written.
                None => card.add_field("birthday (as written)", &fix(&raw_text(e))),
            },
            VCardProperty::Note => card.add_note(&fix(&texts(e).join(", "))),
            VCardProperty::Uid => {
                let uid = text_of(e);
                if !uid.trim().is_empty() {
                    card.uid = Some(uid.trim().to_string());
                }
            }
            VCardProperty::Other(name) => {
                if !other_property(&mut card, name, &fix(&text_of(e))) {
                    keep(&mut card, e, legacy);
                }
            }
            prop => {
                if let Some((key, _)) = FIELD_PROPERTIES.iter().find(|(_, p)| p == prop) {
                    let value = fix(&texts(e).join(", "));
                    card.add_field(key, &value);
                } else if !matches!(
                    prop,
                    VCardProperty::Version
                        | VCardProperty::Prodid
                        | VCardProperty::Rev
                        | VCardProperty::Begin
                        | VCardProperty::End
                ) {
                    // PHOTO, IMPP, RELATED, ANNIVERSARY, GENDER…: tend has no use for them,
                    // the next program may.
                    keep(&mut card, e, legacy);
                }
            }
        }
    }
    // The preferred email/phone/address becomes the contact's own, the rest profile fields.
    channels.sort_by_key(|(pref, _)| !pref);
    // tend marks the contact's own email, phone and address PREF; in its own files the others
    // are profile fields even when there is no main one.
    let ours = v
        .entries
        .iter()
        .any(|e| e.name == VCardProperty::Prodid && text_of(e).starts_with(PRODID_PREFIX));
    for (pref, e) in channels {
        let label = e
            .group
            .as_deref()
            .and_then(|g| labels.get(g).cloned())
            .or_else(|| type_label(e));
        let (base, value) = match e.name {
            VCardProperty::Email => ("email", fix(&text_of(e))),
            VCardProperty::Tel => ("phone", fix(&text_of(e))),
            _ => ("address", joined_address(&texts(e), &fix)),
        };
        let value = value
            .trim_start_matches("mailto:")
            .trim_start_matches("tel:");
        // A value a merge kept, written by tend: back under its own name.
        if let Some(key) = tend_key(e) {
            card.fields.insert(key, value.trim().to_string());
            continue;
        }
        // A fax or pager number is not the one to call: it stays a labelled field.
        let not_a_phone = base == "phone"
            && label
                .as_deref()
                .is_some_and(|l| l.split_whitespace().any(|w| w == "fax" || w == "pager"));
        let was_main = match base {
            "email" => card.email.is_some(),
            "phone" => card.phone.is_some(),
            _ => true,
        };
        card.add_channel_as(
            base,
            value.trim(),
            label.as_deref(),
            (pref || !ours) && !not_a_phone,
        );
        // The main email or phone is the contact's own, without a label: the line is kept so
        // an export says again what it was (a mobile stays TYPE=CELL, not a voice line).
        let main = match base {
            "email" => card.email.as_deref(),
            _ => card.phone.as_deref(),
        };
        if !was_main && label.is_some() && main == Some(value.trim()) {
            keep(&mut card, e, legacy);
        }
    }
    let person_named = structured.as_ref().is_some_and(|n| !n.is_empty());
    let n_for = full_name.clone().filter(|n: &String| !n.trim().is_empty());
    let name = full_name
        .filter(|n| !n.trim().is_empty())
        .or(structured.filter(|n: &String| !n.is_empty()));
    match name {
        Some(n) => card.name = n.trim().to_string(),
        None => match (&card.company, &card.email, &card.phone) {
            (Some(org), _, _) => {
                card.name = org.clone();
                card.kind = Some(ContactKind::Company);
            }
            // A phone keeps contacts that are only an address or a number; so does tend,
            // named by it until a name is given.
            (None, Some(email), _) => card.name = email.clone(),
            (None, None, Some(phone)) => card.name = phone.clone(),
            (None, None, None) => {
                return Err("has no name, email or phone: nothing to know the contact by".into());
            }
        },
    }
    // A card whose name is its organisation's and that names no person (no N parts) is the
    // business itself, as Android and Outlook write one; with an N it is a person named like
    // their business (a sole trader's "Acme Bakery" of "Acme Bakery").
    if card.kind.is_none() && !person_named && card.company.as_deref() == Some(&card.name) {
        card.kind = Some(ContactKind::Company);
    }
    if card.kind == Some(ContactKind::Company) && card.company.as_deref() == Some(&card.name) {
        card.company = None;
    }
    // The card's N, and the name it went with: an export gives it back while the contact
    // keeps that name (a renamed contact gets an N made from its new name).
    // Kept only when it says more than tend would make of the name itself.
    let says_more = |n: &VCardEntry| {
        n.values
            .iter()
            .any(|v| matches!(v, VCardValue::Component(p) if p.len() > 1))
            || padded(&components(n), 5) != name_parts(&card.name)
    };
    if let Some(n) = own_n.filter(|n| says_more(n)) {
        keep(&mut card, n, legacy);
        let name = n_for.unwrap_or_else(|| card.name.clone());
        keep(
            &mut card,
            &VCardEntry::new(VCardProperty::Other(N_FOR.into()))
                .with_value(VCardValue::Text(name.trim().to_string())),
            false,
        );
    }
    Ok(card)
}

/// An ADR's parts (PO box; extended; street; city; region; postcode; country) on one line.
fn joined_address(parts: &[String], fix: &dyn Fn(&str) -> String) -> String {
    parts
        .iter()
        .map(|s| fix(s.trim()))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One property as a vCard 4.0 content line (folded as calcard folds), for `Card::extras`.
/// A 2.1 card's text was repaired (`repair_mojibake`) like everything else read from it.
fn keep(card: &mut Card, e: &VCardEntry, legacy: bool) {
    let mut entry = e.clone();
    // Which address is the main one is the contact's to say (an export marks it again).
    if entry.name == VCardProperty::Adr {
        entry.params.retain(|p| !is_pref_param(p));
    }
    if legacy {
        for v in &mut entry.values {
            match v {
                VCardValue::Text(t) => *t = repair_mojibake(t),
                VCardValue::Component(parts) => {
                    for p in parts.iter_mut() {
                        *p = repair_mojibake(p);
                    }
                }
                _ => {}
            }
        }
        // 2.1's bare encodings were for the file; the kept line is plain UTF-8.
        entry.params.retain(|p| {
            !matches!(&p.name, VCardParameterName::Other(n)
                if ["quoted-printable", "base64", "8bit", "utf-8"]
                    .iter()
                    .any(|x| n.eq_ignore_ascii_case(x)))
        });
    }
    let mut text = String::new();
    let _ = VCard {
        entries: vec![entry],
    }
    .write_to(&mut text, VCardVersion::V4_0);
    let line: String = text
        .split_inclusive("\r\n")
        .filter(|l| {
            let l = l.trim_end();
            !l.eq_ignore_ascii_case("BEGIN:VCARD")
                && !l.eq_ignore_ascii_case("END:VCARD")
                && !l.eq_ignore_ascii_case("VERSION:4.0")
        })
        .collect();
    let line = line.trim_end().to_string();
    if !line.is_empty() {
        card.extras.push(line);
    }
}

/// The kept lines read back into properties.
fn kept(extras: &[String]) -> Vec<VCardEntry> {
    if extras.is_empty() {
        return Vec::new();
    }
    let text = format!(
        "BEGIN:VCARD\r\nVERSION:4.0\r\n{}\r\nEND:VCARD\r\n",
        extras.join("\r\n")
    );
    match Parser::new(&text).entry() {
        Entry::VCard(v) => v
            .entries
            .into_iter()
            .filter(|e| e.name != VCardProperty::Version)
            .collect(),
        _ => Vec::new(),
    }
}

/// tend's own properties, and the company marker Apple uses in 3.0; false for any other.
fn other_property(card: &mut Card, name: &str, value: &str) -> bool {
    let value = value.trim();
    match name.to_ascii_uppercase().as_str() {
        "X-TEND-STATUS" => card.status = value.parse().ok(),
        "X-TEND-SOURCE" if !value.is_empty() => card.source = Some(value.to_string()),
        "X-TEND-REFERRED-BY" if !value.is_empty() => card.referred_by = Some(value.to_string()),
        "X-TEND-ARCHIVED" => card.archived = Some(value.eq_ignore_ascii_case("true")),
        "X-TEND-FIELD" => {
            if let Some((k, v)) = value.split_once('=') {
                card.set_field(k, v);
            }
        }
        "X-ABSHOWAS" if value.eq_ignore_ascii_case("COMPANY") => {
            card.kind = Some(ContactKind::Company)
        }
        // Apple's channel labels are read with their channel.
        "X-ABLABEL" => {}
        n if n.starts_with("X-TEND-") => {}
        _ => return false,
    }
    true
}

/// "Given Additional Family" from N's parts (family; given; additional; prefix; suffix).
fn name_from_parts(parts: &[String]) -> String {
    let at = |i: usize| parts.get(i).map(|s| s.trim()).unwrap_or("");
    [at(3), at(1), at(2), at(0), at(4)]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// vCard 2.1 may say QUOTED-PRINTABLE as a bare parameter among others (`TEL;WORK;utf-8;
/// QUOTED-PRINTABLE:…`, as Windows Contacts writes it), which calcard leaves encoded: such a
/// value is decoded here, by mail-parser's decoder (the one calcard uses), as UTF-8.
fn bare_quoted_printable(e: &VCardEntry, text: &str) -> String {
    let bare = e.params.iter().any(|p| {
        matches!((&p.name, &p.value), (VCardParameterName::Other(n), VCardParameterValue::Null)
            if n.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
    });
    if !bare || !text.contains('=') {
        return text.to_string();
    }
    mail_parser::decoders::quoted_printable::quoted_printable_decode(text.as_bytes())
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_else(|| text.to_string())
}

/// A structured value's parts in their places (N: family; given; additional; prefix; suffix),
/// a part with several values ("Quinn,Q.") as one, space between.
fn components(e: &VCardEntry) -> Vec<String> {
    e.values
        .iter()
        .map(|v| match v {
            VCardValue::Text(t) => bare_quoted_printable(e, t),
            VCardValue::Component(parts) => parts
                .iter()
                .map(|p| bare_quoted_printable(e, p))
                .filter(|p| !p.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            _ => String::new(),
        })
        .collect()
}

/// Each value of an entry as text (N, ADR and ORG have several; CATEGORIES a list).
fn texts(e: &VCardEntry) -> Vec<String> {
    e.values
        .iter()
        .flat_map(|v| match v {
            VCardValue::Text(t) => vec![bare_quoted_printable(e, t)],
            VCardValue::Component(parts) => {
                parts.iter().map(|p| bare_quoted_printable(e, p)).collect()
            }
            VCardValue::Integer(i) => vec![i.to_string()],
            VCardValue::Float(f) => vec![f.to_string()],
            VCardValue::PartialDateTime(d) => vec![date_text(d).unwrap_or_default()],
            _ => vec![],
        })
        .collect()
}

fn text_of(e: &VCardEntry) -> String {
    texts(e).join(" ").trim().to_string()
}

/// TYPE=pref (3.0), PREF=1 (4.0), or a bare PREF (2.1).
fn is_preferred(e: &VCardEntry) -> bool {
    e.params.iter().any(is_pref_param)
}

fn is_pref_param(p: &VCardParameter) -> bool {
    match (&p.name, &p.value) {
        (VCardParameterName::Pref, _) => true,
        (VCardParameterName::Type, VCardParameterValue::Text(t)) => t.eq_ignore_ascii_case("pref"),
        (VCardParameterName::Other(n), _) => n.eq_ignore_ascii_case("pref"),
        _ => false,
    }
}

/// `parts` trimmed, with empty ones to make `n`.
fn padded(parts: &[String], n: usize) -> Vec<String> {
    let mut out: Vec<String> = parts.iter().map(|p| p.trim().to_string()).collect();
    out.resize(n.max(out.len()), String::new());
    out
}

/// Words that start (Dr, Ms) or end (Jr., PhD) a name rather than being part of it.
const NAME_PREFIXES: [&str; 9] = ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "rev"];
const NAME_SUFFIXES: [&str; 9] = ["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "dds"];

/// N's five parts (family; given; additional; prefix; suffix) made from a typed name, for a
/// contact with no N of its own: "Dr. Jane Q. Public Jr." → Public; Jane; Q.; Dr.; Jr.
fn name_parts(name: &str) -> Vec<String> {
    let bare = |w: &str| {
        w.trim_matches(|c: char| c == '.' || c == ',')
            .to_lowercase()
    };
    let mut words: Vec<&str> = name.split_whitespace().collect();
    let mut prefix = Vec::new();
    while words.len() > 1 && NAME_PREFIXES.contains(&bare(words[0]).as_str()) {
        prefix.push(words.remove(0));
    }
    let mut suffix = Vec::new();
    while words.len() > 1 && NAME_SUFFIXES.contains(&bare(words[words.len() - 1]).as_str()) {
        suffix.insert(0, words.pop().unwrap_or_default().trim_start_matches(','));
    }
    if let Some(last) = words.last_mut() {
        *last = last.trim_end_matches(',');
    }
    let (given, family, additional) = match words.as_slice() {
        [] => (String::new(), String::new(), String::new()),
        [one] => (one.to_string(), String::new(), String::new()),
        [first, middle @ .., last] => (first.to_string(), last.to_string(), middle.join(" ")),
    };
    vec![
        family,
        given,
        additional,
        prefix.join(" "),
        suffix.join(" "),
    ]
}

/// The label a person would give a channel, from its TYPE parameters: work, home, mobile,
/// fax, "work fax"… Technical types (internet, voice, pref) say nothing and are left out.
fn type_label(e: &VCardEntry) -> Option<String> {
    let words: Vec<String> = e
        .params
        .iter()
        .filter_map(|p| {
            let label = match (&p.name, &p.value) {
                (VCardParameterName::Type, VCardParameterValue::Type(t)) => match t {
                    VCardType::Cell => "mobile".to_string(),
                    VCardType::Voice | VCardType::Text => return None,
                    other => calcard::common::IanaString::as_str(other).to_lowercase(),
                },
                (VCardParameterName::Type, VCardParameterValue::Text(t)) => t.to_lowercase(),
                // vCard 2.1 writes types bare: TEL;CELL;WORK:…
                (VCardParameterName::Other(n), VCardParameterValue::Null) => n.to_lowercase(),
                _ => return None,
            };
            let label = if label == "cell" {
                "mobile".to_string()
            } else {
                label
            };
            (!matches!(
                label.as_str(),
                "internet"
                    | "pref"
                    | "voice"
                    | "x400"
                    | "text"
                    | "charset"
                    | "encoding"
                    | "quoted-printable"
                    | "base64"
                    | "8bit"
                    | "utf-8"
            ))
            .then_some(label)
        })
        .collect();
    let mut seen: Vec<String> = Vec::new();
    for w in words {
        if !seen.contains(&w) {
            seen.push(w);
        }
    }
    (!seen.is_empty()).then(|| seen.join(" "))
}

/// Apple's built-in labels look like `_$!<Mobile>!$_`; a person's own label is plain text.
fn apple_label(raw: &str) -> String {
    let l = raw.trim();
    let l = l
        .strip_prefix("_$!<")
        .and_then(|l| l.strip_suffix(">!$_"))
        .unwrap_or(l);
    l.to_lowercase()
}

/// The year Apple writes for a birthday without one, with `X-APPLE-OMIT-YEAR=1604`.
const APPLE_NO_YEAR: u16 = 1604;

fn birthday(e: &VCardEntry) -> Option<String> {
    let omit_year = e.params.iter().any(|p| {
        matches!(&p.name, VCardParameterName::Other(n) if n.eq_ignore_ascii_case("X-APPLE-OMIT-YEAR"))
    });
    match e.values.first()? {
        VCardValue::PartialDateTime(d) if omit_year => date_text(&PartialDateTime {
            year: None,
            ..d.clone()
        }),
        VCardValue::PartialDateTime(d) => date_text(d),
        VCardValue::Text(t) => parse_date_text(t).and_then(|d| date_text(&d)),
        _ => None,
    }
}

/// 1980-04-01, or --04-01 for a birthday without a year; None for a date that is not one.
fn date_text(d: &PartialDateTime) -> Option<String> {
    let real = |y: i32, m: u8, day: u8| {
        chrono::NaiveDate::from_ymd_opt(y, u32::from(m), u32::from(day)).is_some()
    };
    match (d.year, d.month, d.day) {
        (Some(y), Some(m), Some(day)) if real(i32::from(y), m, day) => {
            Some(format!("{y:04}-{m:02}-{day:02}"))
        }
        // 2000 is a leap year: --02-29 is a birthday.
        (None, Some(m), Some(day)) if real(2000, m, day) => Some(format!("--{m:02}-{day:02}")),
        _ => None,
    }
}

/// A value as the file wrote it, whatever calcard made of it.
fn raw_text(e: &VCardEntry) -> String {
    let t = text_of(e);
    if !t.is_empty() {
        return t;
    }
    e.values
        .iter()
        .find_map(|v| match v {
            VCardValue::PartialDateTime(d) => Some(format!(
                "{}{}{}",
                d.year.map_or("--".to_string(), |y| format!("{y:04}")),
                d.month.map_or(String::new(), |m| format!("{m:02}")),
                d.day.map_or(String::new(), |d| format!("{d:02}"))
            )),
            _ => None,
        })
        .unwrap_or_default()
}

/// A birthday as the vCard date it is ("1980-05-01", "--05-01"), however it was written.
pub(crate) fn birthday_as_date(s: &str) -> Option<String> {
    parse_date_text(s)
        .or_else(|| written_date(s))
        .and_then(|d| date_text(&d))
}

/// A birthday as people type it: "1 May", "May 1", "1 May 1980", "May 1, 1980".
fn written_date(s: &str) -> Option<PartialDateTime> {
    let s = s.trim().replace(',', " ");
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    for f in ["%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y"] {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(&s, f) {
            return parse_date_text(&d.format("%Y-%m-%d").to_string());
        }
    }
    // No year: try it in a leap year, so 29 Feb is a birthday too.
    for f in ["%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y"] {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(&format!("{s} 2000"), f) {
            return parse_date_text(&d.format("--%m-%d").to_string());
        }
    }
    None
}

/// 1980-04-01, 19800401, --04-01, --0401 (and a time after a T, left out).
fn parse_date_text(s: &str) -> Option<PartialDateTime> {
    let s = s.trim();
    let s = s.split('T').next().unwrap_or(s);
    if let Some(md) = s.strip_prefix("--") {
        let md = if md.len() == 4 && !md.contains('-') {
            format!("{}-{}", &md[..2], &md[2..])
        } else {
            md.to_string()
        };
        let d = chrono::NaiveDate::parse_from_str(&format!("2000-{md}"), "%Y-%m-%d").ok()?;
        return Some(PartialDateTime {
            month: Some(chrono::Datelike::month(&d) as u8),
            day: Some(chrono::Datelike::day(&d) as u8),
            ..PartialDateTime::default()
        });
    }
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%Y%m%d"))
        .ok()?;
    Some(PartialDateTime {
        year: Some(chrono::Datelike::year(&d) as u16),
        month: Some(chrono::Datelike::month(&d) as u8),
        day: Some(chrono::Datelike::day(&d) as u8),
        ..PartialDateTime::default()
    })
}

/// One card as vCard text, CRLF line endings, folded at 75 octets.
pub fn write(card: &Card, version: Version, out: &mut String) {
    let v4 = version == Version::V4;
    let mut e: Vec<VCardEntry> = Vec::new();
    let text = |prop: VCardProperty, value: &str| {
        VCardEntry::new(prop).with_value(VCardValue::Text(value.to_string()))
    };
    let company = card.kind == Some(ContactKind::Company);
    e.push(text(
        VCardProperty::Prodid,
        &format!("{PRODID_PREFIX}tend CRM//EN"),
    ));
    if v4 && company {
        e.push(VCardEntry::new(VCardProperty::Kind).with_value(VCardKind::Org));
    }
    if let Some(uid) = &card.uid {
        e.push(text(VCardProperty::Uid, uid));
    }
    e.push(text(VCardProperty::Fn, &card.name));
    let stored = kept(&card.extras);
    // The card's own N when it still names this contact, else one made from the name.
    let same_name = |a: &str, b: &str| {
        a.split_whitespace().collect::<Vec<_>>() == b.split_whitespace().collect::<Vec<_>>()
    };
    let n = if company {
        VCardEntry::new(VCardProperty::N).with_values(
            vec![String::new(); 5]
                .into_iter()
                .map(VCardValue::Text)
                .collect(),
        )
    } else {
        let n_for = stored
            .iter()
            .find(|x| matches!(&x.name, VCardProperty::Other(n) if n == N_FOR))
            .map(text_of);
        let still = match &n_for {
            Some(name) => same_name(name, &card.name),
            None => false,
        };
        match stored.iter().find(|x| {
            x.name == VCardProperty::N
                && (still || same_name(&name_from_parts(&components(x)), &card.name))
        }) {
            Some(n) => n.clone(),
            None => VCardEntry::new(VCardProperty::N).with_values(
                name_parts(&card.name)
                    .into_iter()
                    .map(VCardValue::Text)
                    .collect(),
            ),
        }
    };
    e.push(n);
    match (company, &card.company) {
        (true, _) => {
            e.push(text(VCardProperty::Org, &card.name));
            if !v4 {
                e.push(text(VCardProperty::Other("X-ABShowAs".into()), "COMPANY"));
            }
        }
        (false, Some(c)) => e.push(match card.fields.get("department") {
            Some(d) => VCardEntry::new(VCardProperty::Org).with_values(vec![
                VCardValue::Text(c.clone()),
                VCardValue::Text(d.clone()),
            ]),
            None => text(VCardProperty::Org, c),
        }),
        (false, None) => {}
    }
    let pref = |entry: VCardEntry| {
        if v4 {
            entry.with_param(VCardParameter::pref(1u32))
        } else {
            entry.with_param(VCardParameter::typ(VCardParameterValue::Text(
                "pref".into(),
            )))
        }
    };
    // The main ones also say what they are: address books such as abook show a phone only
    // with a TYPE.
    // The label the main one had when it came in (TYPE=CELL, TYPE=work), while it is the same.
    let label_of = |prop: VCardProperty, value: &str| {
        stored
            .iter()
            .find(|x| {
                x.name == prop
                    && text_of(x)
                        .trim_start_matches("tel:")
                        .trim_start_matches("mailto:")
                        .trim()
                        == value
            })
            .and_then(type_label)
    };
    if let Some(email) = &card.email {
        let label = label_of(VCardProperty::Email, email);
        let mut email = text(VCardProperty::Email, email);
        if !v4 {
            email = email.with_param(VCardParameter::typ(VCardParameterValue::Text(
                "internet".into(),
            )));
        }
        e.push(pref(match label {
            Some(l) => with_types(email, &l),
            None => email,
        }));
    }
    if let Some(phone) = &card.phone {
        let entry = text(VCardProperty::Tel, phone);
        e.push(pref(match label_of(VCardProperty::Tel, phone) {
            Some(l) => with_types(entry, &l),
            None => entry.with_param(VCardParameter::typ(VCardParameterValue::Type(
                VCardType::Voice,
            ))),
        }));
    }
    // An address as the card had it, in its parts, when it still reads the same.
    let address_entry = |value: &str| {
        stored
            .iter()
            .find(|x| {
                x.name == VCardProperty::Adr
                    && joined_address(&texts(x), &|s| s.to_string()) == value
            })
            .map(|x| {
                let mut x = x.clone();
                x.params.retain(|p| !is_pref_param(p));
                x
            })
            .unwrap_or_else(|| address_entry(value))
    };
    if let Some(address) = &card.address {
        e.push(pref(address_entry(address)));
    }
    let mut extra = Vec::new();
    for (key, value) in &card.fields {
        if let Some((base, label)) = channel_key(key) {
            let mut entry = match base {
                "email" => text(VCardProperty::Email, value),
                "phone" => text(VCardProperty::Tel, value),
                _ => address_entry(value),
            };
            if is_merged_channel(key) {
                // What a merge kept ("other phone") is a number like any other to a phone;
                // the parameter (ignored by others, as RFC 6350 asks) brings it back to tend
                // under its own name.
                entry.add_param(VCardParameter::new(
                    VCardParameterName::Other(TEND_KEY.into()),
                    VCardParameterValue::Text(key.clone()),
                ));
            }
            e.push(match label {
                Some(l) => with_types(entry, l),
                None => entry,
            });
        } else if let Some((_, prop)) = FIELD_PROPERTIES.iter().find(|(k, _)| {
            // "title", and a second one kept as "title 2".
            key == k
                || key.strip_prefix(k).is_some_and(|n| {
                    n.starts_with(' ') && n.trim().chars().all(|c| c.is_ascii_digit())
                })
        }) {
            e.push(text(prop.clone(), value));
        } else if key == "department" && card.company.is_some() && !company {
            // Written in the ORG.
        } else if let Some(mut date) = (key == "birthday")
            .then(|| parse_date_text(value).or_else(|| written_date(value)))
            .flatten()
        {
            let mut bday = VCardEntry::new(VCardProperty::Bday);
            if !v4 && date.year.is_none() {
                // 3.0 has no year-less dates; Apple's convention is a marker year.
                date.year = Some(APPLE_NO_YEAR);
                bday.add_param(VCardParameter::new(
                    VCardParameterName::Other("X-APPLE-OMIT-YEAR".into()),
                    VCardParameterValue::Text(APPLE_NO_YEAR.to_string()),
                ));
            }
            e.push(bday.with_value(VCardValue::PartialDateTime(date)));
        } else {
            extra.push(text(
                VCardProperty::Other("X-TEND-FIELD".into()),
                &format!("{key}={value}"),
            ));
        }
    }
    // What tend does not read, given back as it came.
    e.extend(
        stored
            .iter()
            .filter(|x| {
                !matches!(
                    x.name,
                    VCardProperty::N
                        | VCardProperty::Adr
                        | VCardProperty::Email
                        | VCardProperty::Tel
                )
            })
            .filter(|x| !matches!(&x.name, VCardProperty::Other(n) if n == N_FOR))
            .cloned(),
    );
    if !card.tags.is_empty() {
        e.push(
            VCardEntry::new(VCardProperty::Categories)
                .with_values(card.tags.iter().cloned().map(VCardValue::Text).collect()),
        );
    }
    if let Some(s) = card.status {
        e.push(text(
            VCardProperty::Other("X-TEND-STATUS".into()),
            s.as_str(),
        ));
    }
    if let Some(s) = &card.source {
        e.push(text(VCardProperty::Other("X-TEND-SOURCE".into()), s));
    }
    if let Some(r) = &card.referred_by {
        e.push(text(VCardProperty::Other("X-TEND-REFERRED-BY".into()), r));
    }
    if card.archived == Some(true) {
        e.push(text(VCardProperty::Other("X-TEND-ARCHIVED".into()), "true"));
    }
    e.extend(extra);
    let vcard = VCard { entries: e };
    let version = if v4 {
        VCardVersion::V4_0
    } else {
        VCardVersion::V3_0
    };
    // Writing into a String cannot fail.
    let _ = vcard.write_to(out, version);
}

/// The whole set of cards as one .vcf file.
pub fn write_all<'a>(cards: impl IntoIterator<Item = &'a Card>, version: Version) -> String {
    let mut out = String::new();
    for c in cards {
        write(c, version, &mut out);
    }
    out
}

/// The parameter that names the field a merge kept ("other phone 2") on its TEL or EMAIL line.
const TEND_KEY: &str = "X-TEND-KEY";

/// "other email", "other phone 2", "other address": what a merge keeps of the contact merged in.
pub fn is_merged_channel(key: &str) -> bool {
    key.strip_prefix("other ").is_some_and(|k| {
        ["email", "phone", "address"].iter().any(|base| {
            k.strip_prefix(base)
                .map(str::trim)
                .is_some_and(|rest| rest.is_empty() || rest.chars().all(|c| c.is_ascii_digit()))
        })
    })
}

/// The field a TEL, EMAIL or ADR line names with [`TEND_KEY`], when it is one a merge keeps.
fn tend_key(e: &VCardEntry) -> Option<String> {
    e.params.iter().find_map(|p| match (&p.name, &p.value) {
        (VCardParameterName::Other(n), VCardParameterValue::Text(k))
            if n.eq_ignore_ascii_case(TEND_KEY) && is_merged_channel(k) =>
        {
            Some(k.clone())
        }
        _ => None,
    })
}

/// "email (work)" → ("email", Some("work")); "phone 2" → ("phone", None); "other phone 2"
/// (what a merge keeps of the contact merged in) → ("phone", None).
fn channel_key(key: &str) -> Option<(&'static str, Option<&str>)> {
    for base in ["email", "phone", "address"] {
        if is_merged_channel(key) && key["other ".len()..].starts_with(base) {
            return Some((base, None));
        }
        let Some(rest) = key.strip_prefix(base).map(str::trim) else {
            continue;
        };
        if let Some((label, _)) = rest.strip_prefix('(').and_then(|r| r.split_once(')')) {
            return Some((base, Some(label)));
        }
        if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()) {
            return Some((base, None));
        }
    }
    None
}

/// A channel's label as TYPE parameters: "work fax" → TYPE=work,fax; a label of the person's
/// own ("shop floor") as one text type.
fn with_types(entry: VCardEntry, label: &str) -> VCardEntry {
    let known = ["work", "home", "mobile", "fax", "pager"];
    let words: Vec<&str> = label.split_whitespace().collect();
    if words.len() > 1 && words.iter().all(|w| known.contains(w)) {
        words.into_iter().fold(entry, |e, w| {
            e.with_param(VCardParameter::typ(type_param(w)))
        })
    } else {
        entry.with_param(VCardParameter::typ(type_param(label)))
    }
}

fn type_param(label: &str) -> VCardParameterValue {
    match label {
        "work" => VCardParameterValue::Type(VCardType::Work),
        "home" => VCardParameterValue::Type(VCardType::Home),
        "mobile" => VCardParameterValue::Type(VCardType::Cell),
        "fax" => VCardParameterValue::Type(VCardType::Fax),
        "pager" => VCardParameterValue::Type(VCardType::Pager),
        other => VCardParameterValue::Text(other.to_string()),
    }
}

/// tend keeps an address as one line; a vCard ADR has seven parts. The line goes in the street
/// part, which every reader shows, and comes back unchanged.
fn address_entry(address: &str) -> VCardEntry {
    let mut parts = vec![String::new(); 7];
    parts[2] = address.to_string();
    VCardEntry::new(VCardProperty::Adr)
        .with_values(parts.into_iter().map(VCardValue::Text).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Card {
        let mut all = parse(text);
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0).card.unwrap()
    }

    #[test]
    fn a_phone_s_vcard_2_1_with_quoted_printable_and_bare_types() {
        let c = one(concat!(
            "BEGIN:VCARD\r\nVERSION:2.1\r\n",
            "N;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n",
            "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\n",
            "TEL;CELL;PREF:+49 151 000\r\nTEL;WORK;VOICE:+49 30 111\r\n",
            "EMAIL;INTERNET:j@example.de\r\n",
            "NOTE;ENCODING=QUOTED-PRINTABLE:likes =C3=A4pfel=0D=0Aand pears=\r\n but not plums\r\n",
            "PHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n /9j/4AAQSkZJRgABAQ\r\n AAAQABAAD\r\n\r\n",
            "END:VCARD\r\n"
        ));
        assert_eq!(c.name, "Jürgen Müller");
        assert_eq!(c.phone.as_deref(), Some("+49 151 000"));
        assert_eq!(c.fields["phone (work)"], "+49 30 111");
        assert_eq!(c.email.as_deref(), Some("j@example.de"));
        assert_eq!(
            c.fields["note"], "likes äpfel\nand pears but not plums",
            "lines kept"
        );
    }

    #[test]
    fn apple_s_vcard_3_0_with_item_groups_categories_and_birthday() {
        let c = one(concat!(
            "BEGIN:VCARD\nVERSION:3.0\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\n",
            "N:Apple;Ann;;;\nFN:Ann Apple\nORG:Apple Bakery;Kitchen\nTITLE:Head baker\n",
            "item1.EMAIL;type=INTERNET:ann@home.test\nitem1.X-ABLabel:_$!<Other>!$_\n",
            "EMAIL;type=INTERNET;type=WORK;type=pref:ann@bakery.test\n",
            "item2.TEL:+44 7700 900\nitem2.X-ABLabel:Shop floor\n",
            "item3.ADR;type=HOME:;;1 Mill Lane;Bath;;BA1 1AA;UK\n",
            "CATEGORIES:VIP,Wholesale\nBDAY:1980-04-01\nUID:ABC-123\n",
            "NOTE:folded long\n  line\\, with a comma\n",
            "END:VCARD\n"
        ));
        assert_eq!(c.name, "Ann Apple");
        assert_eq!(c.uid.as_deref(), Some("ABC-123"));
        assert_eq!(c.company.as_deref(), Some("Apple Bakery"));
        assert_eq!(c.email.as_deref(), Some("ann@bakery.test"), "the pref one");
        assert_eq!(c.fields["email (other)"], "ann@home.test");
        assert_eq!(c.phone.as_deref(), Some("+44 7700 900"));
        assert_eq!(c.address.as_deref(), Some("1 Mill Lane, Bath, BA1 1AA, UK"));
        assert_eq!(c.tags, ["vip", "wholesale"]);
        assert_eq!(c.fields["birthday"], "1980-04-01");
        assert_eq!(c.fields["title"], "Head baker");
        assert_eq!(c.fields["note"], "folded long line, with a comma");
    }

    #[test]
    fn a_vcard_4_0_company_and_a_card_without_a_name() {
        let all = parse(concat!(
            "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Acme Ltd\r\nORG:Acme Ltd\r\n",
            "TEL;VALUE=uri;TYPE=work:tel:+1-555-0100\r\nBDAY:--0704\r\nEND:VCARD\r\n",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL:nobody@x.test\r\nEND:VCARD\r\n",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:only this\r\nEND:VCARD\r\n",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cut Off\r\nTEL:+44 7700 900",
        ));
        assert_eq!(all.len(), 4);
        let acme = all[0].card.as_ref().unwrap();
        assert_eq!(acme.kind, Some(ContactKind::Company));
        assert_eq!(acme.company, None);
        assert_eq!(acme.phone.as_deref(), Some("+1-555-0100"));
        assert_eq!(acme.fields["birthday"], "--07-04");
        // A phone's email-only contact comes in, named by its email.
        assert_eq!(all[1].card.as_ref().unwrap().name, "nobody@x.test");
        assert!(
            all[2]
                .card
                .as_ref()
                .unwrap_err()
                .contains("nothing to know the contact by")
        );
        // A file cut off inside its last card: that card is reported, not half imported.
        assert_eq!(all[3].position, "card 4");
        assert!(all[3].card.as_ref().unwrap_err().contains("is cut off"));
    }

    #[test]
    fn what_tend_writes_it_reads_back_the_same_in_both_versions() {
        let mut card = Card {
            uid: Some("0190-abc".into()),
            name: "Zoë O'Brien".into(),
            kind: Some(ContactKind::Person),
            company: Some("Crumbs; & Co".into()),
            email: Some("zoe@crumbs.test".into()),
            phone: Some("+44 1".into()),
            address: Some("2 High St, Frome, BA11".into()),
            status: Some(Status::Client),
            source: Some("market stall".into()),
            referred_by: Some("Ann Apple".into()),
            archived: Some(false),
            ..Card::default()
        };
        card.add_tag("wedding cakes");
        card.set_field("likes", "lemon; drizzle = yes");
        card.set_field("birthday", "--02-29");
        card.set_field("note", "a very long note that goes on and on well past the seventy-five octets at which lines fold");
        card.add_email("z@home.test", Some("home"));
        card.add_phone("+44 2", Some("mobile"));
        card.add_phone("+44 3", None);
        for version in [Version::V4, Version::V3] {
            let text = write_all([&card], version);
            assert!(text.lines().all(|l| l.len() <= 75), "{text}");
            let mut back = one(&text);
            back.archived = Some(false);
            back.kind.get_or_insert(ContactKind::Person);
            assert_eq!(back, card, "{version:?}\n{text}");
        }
    }
}

#[cfg(test)]
mod quirks {
    use super::*;

    fn one(text: &str) -> Card {
        let mut all = parse(text);
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0).card.unwrap()
    }

    #[test]
    fn birthdays_in_every_form_phones_write_them() {
        for (text, want) in [
            (
                "BEGIN:VCARD\r\nBDAY:1980-01-02\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n",
                "1980-01-02",
            ),
            (
                "BEGIN:VCARD\r\nFN:A\r\nBDAY:1980-01-02\r\nEND:VCARD\r\n",
                "1980-01-02",
            ),
            (
                "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nBDAY;value=date:--02-10\r\nEND:VCARD\r\n",
                "--02-10",
            ),
            (
                "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nBDAY;value=date:--0210\r\nEND:VCARD\r\n",
                "--02-10",
            ),
            (
                "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nBDAY:19800102\r\nEND:VCARD\r\n",
                "1980-01-02",
            ),
        ] {
            let c = one(text);
            assert_eq!(
                c.fields.get("birthday").map(String::as_str),
                Some(want),
                "{text}"
            );
            assert!(
                !c.fields.contains_key("birthday (as written)"),
                "{:?}",
                c.fields
            );
        }
    }

    #[test]
    fn a_card_whose_own_lines_are_grouped_is_still_a_card() {
        let c = one(
            "home.begin:vcard\r\nhome.version:3.0\r\nhome.fn:Grouped\r\nhome.tel:01\r\nhome.end:vcard\r\n",
        );
        assert_eq!(c.name, "Grouped");
        assert_eq!(c.phone.as_deref(), Some("01"));
    }

    #[test]
    fn a_person_named_like_their_business_and_the_business_itself() {
        let person = one(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Bakery;Acme;;;\r\nFN:Acme Bakery\r\nORG:Acme Bakery\r\nEND:VCARD\r\n",
        );
        assert_eq!(person.kind, None, "a person");
        assert_eq!(person.company.as_deref(), Some("Acme Bakery"));
        let business =
            one("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Acme Bakery\r\nORG:Acme Bakery\r\nEND:VCARD\r\n");
        assert_eq!(business.kind, Some(ContactKind::Company));
        assert_eq!(business.company, None);
    }
}

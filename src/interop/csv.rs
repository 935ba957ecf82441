//! CSV in and out. Reading recognises the columns of a Google Contacts export, an Outlook
//! export, a plain name,email,phone sheet and tend's own export; `--map "Header=target"`
//! overrides any guess. The `csv` crate does the quoting; what is here is the column mapping.

use std::collections::BTreeSet;

use super::{Card, Parsed};
use crate::model::contact::ContactKind;

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Name,
    /// Dr, Mr, Ms: the start of a name made from its parts.
    Prefix,
    First,
    Middle,
    Last,
    /// Jr., Sr., PhD: the end of a name made from its parts.
    Suffix,
    Email,
    Phone,
    Company,
    /// A whole address, or one part of one (street, city...), with its group ("home").
    Address(AddressPart),
    /// The label of the neighbouring value column ("E-mail 1 - Label").
    Label,
    Tags,
    Note,
    Birthday,
    Status,
    Source,
    Uid,
    Kind,
    ReferredBy,
    Archived,
    Field(String),
    /// A value kept as a profile field named by its label column ("relation (spouse)"),
    /// or by this base and a number.
    Labelled(String),
    /// Thunderbird's birthday in three columns.
    BirthPart(DatePart),
    Ignore,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    Year,
    Month,
    Day,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AddressPart {
    Whole,
    Street,
    Extended,
    PoBox,
    City,
    Region,
    Postcode,
    Country,
}

/// Which program's export the headers look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Google Contacts, old ("Given Name", "E-mail 1 - Type") and new ("First Name",
    /// "E-mail 1 - Label") layouts.
    Google,
    Outlook,
    Thunderbird,
    /// LinkedIn's Connections.csv.
    LinkedIn,
    /// Any other sheet, tend's own export included.
    Plain,
}
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub target: Target,
    /// A label the header itself gives ("Mobile Phone" → mobile).
    label: Option<String>,
    /// The column holding this one's label, for Google's "- Label"/"- Type" pairs.
    label_column: Option<usize>,
    /// Address parts with the same group make one address.
    group: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub dialect: Dialect,
    pub columns: Vec<Column>,
}

/// The targets `--map` accepts, for its error message.
pub const TARGETS: &str = "name, first, middle, last, email, phone, company, address, tags, note, \
birthday, status, source, uid, kind, referred_by, archived, field:KEY, ignore";

/// `--map "Header=target"` as typed.
pub fn parse_map(arg: &str) -> Result<(String, Target), String> {
    let (header, target) = arg
        .rsplit_once('=')
        .filter(|(h, _)| !h.trim().is_empty())
        .ok_or_else(|| format!("'{arg}' is not a mapping: write it as \"Column header=target\""))?;
    let t = target.trim().to_lowercase();
    let target = match t.as_str() {
        "name" => Target::Name,
        "first" => Target::First,
        "middle" => Target::Middle,
        "last" => Target::Last,
        "email" => Target::Email,
        "phone" => Target::Phone,
        "company" => Target::Company,
        "address" => Target::Address(AddressPart::Whole),
        "tags" => Target::Tags,
        "note" => Target::Note,
        "birthday" => Target::Birthday,
        "status" => Target::Status,
        "source" => Target::Source,
        "uid" => Target::Uid,
        "kind" => Target::Kind,
        "referred_by" | "referred by" => Target::ReferredBy,
        "archived" => Target::Archived,
        "ignore" | "skip" => Target::Ignore,
        other => match other.strip_prefix("field:") {
            Some(k) if !k.trim().is_empty() => Target::Field(k.trim().to_string()),
            _ => {
                return Err(format!(
                    "'{target}' is not something a column can hold: use one of {TARGETS}"
                ));
            }
        },
    };
    Ok((header.trim().to_string(), target))
}

fn normal(header: &str) -> String {
    header
        .trim()
        .to_lowercase()
        .replace("e-mail", "email")
        .replace('_', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// German exports' headers (Thunderbird, Windows Live Mail, Outlook in German) in the English
/// the rest of the mapping knows: "Privat: PLZ" → "home zipcode", "Telefon (geschäftlich)" →
/// "business phone". `geburtstag` is the day of the month beside `geburtsjahr`, else the date.
fn translate(n: &str, all: &[String]) -> String {
    let (group, rest) = if let Some(r) = n.strip_prefix("privat: ") {
        ("home ", r)
    } else if let Some(r) = n.strip_prefix("dienstlich: ") {
        ("work ", r)
    } else if let Some(r) = n.strip_suffix(" (privat)") {
        ("home ", r)
    } else if let Some(r) = n.strip_suffix(" (geschäftlich)") {
        ("business ", r)
    } else {
        ("", n)
    };
    let word = match rest {
        "vorname" => "first name",
        "nachname" => "last name",
        "2. vorname" | "weitere vornamen" => "middle name",
        "anzeigename" => "display name",
        "spitzname" => "nickname",
        "primäre email-adresse" => "primary email",
        "sekundäre email-adresse" => "secondary email",
        "email-adresse" => "email address",
        "messenger-name" => "screen name",
        "tel. dienstlich" => "work phone",
        "tel. privat" => "home phone",
        "telefon" => "phone",
        "fax-nummer" => "fax number",
        "fax" => "fax",
        "pager-nummer" => "pager number",
        "mobil-tel.-nr." | "mobiltelefon" => "mobile phone",
        "adresse" => "address",
        "adresse 2" => "address 2",
        "straße" => "street",
        "ort" => "city",
        "bundesland" => "state",
        "plz" => "zipcode",
        "postleitzahl" => "postal code",
        "land" | "land/region" => "country",
        "arbeitstitel" | "position" => "job title",
        "abteilung" => "department",
        "organisation" | "firma" => "company",
        "büro" => "office",
        "webseite" if group == "home " => "personal web page",
        "webseite" if group == "business " => "business web page",
        "webseite 1" => "web page 1",
        "webseite 2" => "web page 2",
        "geburtsjahr" => "birth year",
        "geburtsmonat" => "birth month",
        "geburtstag" if all.iter().any(|h| h == "geburtsjahr") => "birth day",
        "geburtstag" => "birthday",
        "notizen" => "notes",
        "anrede" => "title",
        "titel" => "name prefix",
        "suffix" => "suffix",
        other => {
            if let Some(n) = other.strip_prefix("benutzerdef. ") {
                return format!("custom {n}");
            }
            return n.to_string();
        }
    };
    // "home phone" and "home fax" read as the English exporters name them.
    match (group, word) {
        ("home ", "fax") => "home fax".into(),
        ("business ", "fax") => "business fax".into(),
        ("home ", "phone") => "home phone".into(),
        ("business ", "phone") => "business phone".into(),
        _ => format!("{group}{word}"),
    }
}

/// Work out what every column holds.
pub fn layout(headers: &[String], overrides: &[(String, Target)]) -> Result<Layout, String> {
    let raw: Vec<String> = headers.iter().map(|h| normal(h)).collect();
    let norm: Vec<String> = raw.iter().map(|n| translate(n, &raw)).collect();
    for (h, _) in overrides {
        if !raw.contains(&normal(h)) {
            return Err(format!(
                "--map names a column '{h}' that the file does not have; its columns are: {}",
                headers.join(", ")
            ));
        }
    }
    let dialect = dialect(&norm);
    let mut columns: Vec<Column> = headers
        .iter()
        .zip(norm.iter().zip(&raw))
        .map(|(header, (n, r))| {
            let (target, label, group) = match overrides.iter().find(|(h, _)| normal(h) == *r) {
                Some((_, t)) => (t.clone(), None, n.clone()),
                None => guess(n, dialect, header),
            };
            Column {
                header: header.clone(),
                target,
                label,
                label_column: None,
                group,
            }
        })
        .collect();
    // Pair Google's "X 1 - Value" (and an address's parts) with "X 1 - Label" / "X 1 - Type".
    for i in 0..columns.len() {
        if let Some((kind, number, _)) = numbered(&norm[i]) {
            columns[i].label_column = norm.iter().position(|n| {
                numbered(n).is_some_and(|(k, m, part)| {
                    k == kind && m == number && (part == "label" || part == "type")
                })
            });
        }
    }
    Ok(Layout { dialect, columns })
}

/// Known exporters by columns only they write.
fn dialect(norm: &[String]) -> Dialect {
    let has = |h: &str| norm.iter().any(|n| n == h);
    if norm
        .iter()
        .any(|n| numbered(n).is_some_and(|(_, _, part)| part == "value"))
    {
        Dialect::Google
    } else if has("primary email") && has("display name") {
        Dialect::Thunderbird
    } else if has("connected on") {
        Dialect::LinkedIn
    } else if has("email address") && (has("business phone") || has("mobile phone"))
        || has("email display name")
    {
        Dialect::Outlook
    } else {
        Dialect::Plain
    }
}

/// Google's numbered columns: "email 1 - value" → ("email", "1", "value"), "address 2 -
/// postal code" → ("address", "2", "postal code").
fn numbered(n: &str) -> Option<(&str, &str, &str)> {
    let (head, part) = n.split_once(" - ")?;
    let (kind, number) = head.rsplit_once(' ')?;
    (!number.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
        .then_some((kind, number, part))
}

/// The parts of an address as the exporters name them, whole names only.
fn address_part(word: &str) -> Option<AddressPart> {
    Some(match word {
        "formatted" | "address" => AddressPart::Whole,
        "street" | "street 1" | "address 1" | "address line 1" => AddressPart::Street,
        "street 2" | "street 3" | "address 2" | "address line 2" | "extended address" => {
            AddressPart::Extended
        }
        "po box" | "pobox" => AddressPart::PoBox,
        "city" | "town" => AddressPart::City,
        "state" | "region" | "county" | "province" => AddressPart::Region,
        "postal code" | "postcode" | "zip" | "zipcode" | "zip code" | "post code" => {
            AddressPart::Postcode
        }
        "country" | "country/region" => AddressPart::Country,
        _ => return None,
    })
}

/// A column's meaning from its whole (normalised) header: never from a word inside it, so
/// "Phonetic First Name" is not a phone and "Home Address 2" not a second address.
fn guess(n: &str, dialect: Dialect, header: &str) -> (Target, Option<String>, String) {
    let plain = |t: Target| (t, None, String::new());
    if let Some((kind, number, part)) = numbered(n) {
        return google_column(kind, number, part);
    }
    if let Some(t) = named_column(n, dialect) {
        return plain(t);
    }
    if let Some(key) = n.strip_prefix("field:") {
        return plain(Target::Field(key.trim().to_string()));
    }
    if let Some((target, label)) = channel_column(n) {
        return (target, label, String::new());
    }
    // "Home Street", "Business Postal Code", "Work ZipCode", "Home Address 2", "City".
    for (group, rest) in [("", n)].into_iter().chain(
        [
            "home ",
            "business ",
            "work ",
            "other ",
            "mailing ",
            "billing ",
        ]
        .iter()
        .filter_map(|g| n.strip_prefix(g).map(|r| (g.trim(), r))),
    ) {
        let part = match (dialect, rest) {
            // Thunderbird's "Home Address" is the first street line, not a whole address.
            (Dialect::Thunderbird, "address") => Some(AddressPart::Street),
            _ => address_part(rest),
        };
        if let Some(part) = part {
            let label = (!group.is_empty()).then(|| channel_word(group).to_string());
            return (Target::Address(part), label, group.to_string());
        }
    }
    match n {
        "birth year" => return plain(Target::BirthPart(DatePart::Year)),
        "birth month" => return plain(Target::BirthPart(DatePart::Month)),
        "birth day" => return plain(Target::BirthPart(DatePart::Day)),
        _ => {}
    }
    if ignored(n, dialect) {
        return plain(Target::Ignore);
    }
    // Anything else is a value the person kept: a profile field named after its header.
    plain(Target::Field(header.trim().to_string()))
}

/// Google's numbered columns by kind and part.
fn google_column(kind: &str, number: &str, part: &str) -> (Target, Option<String>, String) {
    let plain = |t: Target| (t, None, String::new());
    if part == "label" || part == "type" {
        return plain(Target::Label);
    }
    match (kind, part) {
        ("email", "value") => plain(Target::Email),
        ("phone", "value") => plain(Target::Phone),
        ("address", part) => match address_part(part) {
            Some(p) => (Target::Address(p), None, format!("address {number}")),
            None => plain(Target::Ignore),
        },
        ("organization", "name") if number == "1" => plain(Target::Company),
        ("organization", "name") => plain(Target::Labelled("organization".into())),
        ("organization", "title") => plain(Target::Field("title".into())),
        ("organization", "department") => plain(Target::Field("department".into())),
        ("organization", "job description") => plain(Target::Field("job description".into())),
        ("organization", "location") => plain(Target::Field("office".into())),
        ("organization", _) => plain(Target::Ignore), // yomi name, symbol
        ("website", "value") => plain(Target::Labelled("website".into())),
        ("relation", "value") => plain(Target::Labelled("relation".into())),
        ("event", "value") => plain(Target::Labelled("date".into())),
        ("im", "value") => plain(Target::Labelled("im".into())),
        ("custom field", "value") => plain(Target::Labelled("custom".into())),
        ("external id", "value") => plain(Target::Labelled("external id".into())),
        (other, "value") => plain(Target::Labelled(other.to_string())),
        _ => plain(Target::Ignore),
    }
}

/// Headers with one meaning whoever wrote them.
fn named_column(n: &str, dialect: Dialect) -> Option<Target> {
    let field = |k: &str| Some(Target::Field(k.to_string()));
    match n {
        "name" | "full name" | "display name" | "contact name" | "fn" => Some(Target::Name),
        "first name" | "given name" | "first" | "forename" => Some(Target::First),
        "middle name" | "additional name" => Some(Target::Middle),
        "last name" | "family name" | "surname" | "last" => Some(Target::Last),
        "name prefix" | "prefix" => Some(Target::Prefix),
        "name suffix" | "suffix" => Some(Target::Suffix),
        // Outlook's Title is Mr, Ms, Dr; elsewhere it is a job title.
        "title" if dialect == Dialect::Outlook => Some(Target::Prefix),
        "title" | "job title" | "organization title" | "position" | "occupation" => field("title"),
        "phonetic first name" | "given name yomi" => field("phonetic first name"),
        "phonetic middle name" | "additional name yomi" => field("phonetic middle name"),
        "phonetic last name" | "family name yomi" => field("phonetic last name"),
        "yomi name" => field("phonetic name"),
        "nickname" | "short name" => field("nickname"),
        "company" | "company name" | "organization" | "organisation" | "organization name"
        | "business" => Some(Target::Company),
        "department" | "organization department" => field("department"),
        "notes" | "note" => Some(Target::Note),
        "birthday" | "bday" | "date of birth" | "dob" | "birth date" => Some(Target::Birthday),
        "status" => Some(Target::Status),
        "source" | "lead source" => Some(Target::Source),
        "uid" => Some(Target::Uid),
        "kind" => Some(Target::Kind),
        "referred by" | "referrer" => Some(Target::ReferredBy),
        "archived" => Some(Target::Archived),
        "tags" | "tag" | "labels" | "group membership" | "categories" => Some(Target::Tags),
        "website" | "web page" | "web page 1" | "personal web page" | "homepage" => {
            field("website")
        }
        "web page 2" | "business web page" => field("website (work)"),
        "url" if dialect == Dialect::LinkedIn => field("linkedin"),
        "url" => field("website"),
        _ => None,
    }
}

/// Email and phone columns by their whole names, with the label they give.
fn channel_column(n: &str) -> Option<(Target, Option<String>)> {
    let email = |l: Option<&str>| Some((Target::Email, l.map(str::to_string)));
    let phone = |l: Option<&str>| Some((Target::Phone, l.map(str::to_string)));
    match n {
        "email" | "mail" | "email address" | "primary email" | "email 1" | "email 1 address" => {
            email(None)
        }
        "secondary email" | "email 2" | "email 2 address" | "email 3" | "email 3 address" => {
            email(None)
        }
        "work email" | "business email" => email(Some("work")),
        "home email" | "personal email" => email(Some("home")),
        "other email" => email(Some("other")),
        "phone" | "telephone" | "tel" | "phone number" | "primary phone" | "main phone" => {
            phone(None)
        }
        "mobile" | "mobile phone" | "mobile number" | "cell" | "cell phone" | "cellphone" => {
            phone(Some("mobile"))
        }
        "fax" | "fax number" | "business fax" => phone(Some("fax")),
        "home fax" => phone(Some("home fax")),
        "other fax" => phone(Some("other fax")),
        "pager" | "pager number" => phone(Some("pager")),
        "work phone" | "business phone" | "business phone 2" | "office phone" => {
            phone(Some("work"))
        }
        "home phone" | "home phone 2" => phone(Some("home")),
        "other phone" => phone(Some("other")),
        "car phone" => phone(Some("car")),
        "company main phone" => phone(Some("company")),
        "assistant's phone" | "assistant phone" => phone(Some("assistant")),
        "callback" | "isdn" | "radio phone" | "telex" | "tty/tdd phone" => phone(Some(n)),
        _ => None,
    }
}

/// Exporters' bookkeeping columns, the same in every row, that say nothing of the person.
fn ignored(n: &str, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Outlook => matches!(
            n,
            "email type"
                | "email display name"
                | "email 2 type"
                | "email 2 display name"
                | "email 3 type"
                | "email 3 display name"
                | "priority"
                | "sensitivity"
                | "private"
                | "gender"
                | "initials"
                | "mileage"
                | "billing information"
                | "directory server"
        ),
        Dialect::Google => matches!(n, "photo" | "file as" | "initials" | "gender"),
        _ => false,
    }
}

/// "business" → work: the label a person would use.
fn channel_word(group: &str) -> &str {
    match group {
        "business" => "work",
        other => other,
    }
}

/// What each column will be read as, for a dry run: "Full Name → name".
pub fn describe(layout: &Layout) -> Vec<String> {
    layout
        .columns
        .iter()
        .map(|c| {
            let what = match &c.target {
                Target::Name => "name",
                Target::Prefix => "start of the name (Dr, Ms)",
                Target::Suffix => "end of the name (Jr.)",
                Target::First => "first name",
                Target::Middle => "middle name",
                Target::Last => "last name",
                Target::Email => "email",
                Target::Phone => "phone",
                Target::Company => "company",
                Target::Address(_) => "address",
                Target::Label => "label of the column beside it",
                Target::Tags => "tags",
                Target::Note => "note",
                Target::Birthday => "birthday",
                Target::Status => "status",
                Target::Source => "source",
                Target::Uid => "uid (matches on re-import)",
                Target::Kind => "kind",
                Target::ReferredBy => "referred by",
                Target::Archived => "archived",
                Target::Field(k) => return format!("{} → profile field '{k}'", c.header),
                Target::Labelled(k) => {
                    return format!("{} → profile field '{k}' (by its label)", c.header);
                }
                Target::BirthPart(_) => "part of the birthday",
                Target::Ignore => "ignored",
            };
            format!("{} → {what}", c.header)
        })
        .collect()
}

/// Every row of `text` read into a card (or why not), with the layout used.
pub fn parse(text: &str, overrides: &[(String, Target)]) -> Result<(Layout, Vec<Parsed>), String> {
    // LinkedIn's export starts with a few lines of notes before its header row.
    let (skipped, text) = skip_preamble(text);
    let delimiter = sniff_delimiter(text);
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err("the first row should name the columns (name, email, phone...)".into());
    }
    let layout = layout(&headers, overrides)?;
    if !layout.columns.iter().any(|c| {
        matches!(
            c.target,
            Target::Name | Target::First | Target::Last | Target::Company
        )
    }) {
        return Err(format!(
            "no column holds a name (columns: {}); say which with --map \"Column=name\"",
            headers.join(", ")
        ));
    }
    let mut rows = Vec::new();
    // The file line a record starts on, counted from its byte offset: the csv crate's own line
    // count is one short in files with CRLF line ends (it starts a record at the LF).
    let (mut counted_to, mut line) = (0usize, 1 + skipped);
    let mut line_at = |byte: usize| {
        // After a CR, the record's position is the LF that ends the line before it.
        let byte = byte + usize::from(text.as_bytes().get(byte) == Some(&b'\n'));
        let byte = byte.min(text.len()).max(counted_to);
        line += text.as_bytes()[counted_to..byte]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        counted_to = byte;
        line
    };
    for record in reader.records() {
        let (position, card) = match record {
            Ok(r) => {
                let line = line_at(r.position().map_or(0, |p| p.byte() as usize));
                if r.iter().all(|v| v.trim().is_empty()) {
                    continue;
                }
                (format!("row {line}"), row_card(&layout, &r))
            }
            Err(e) => {
                let line = line_at(e.position().map_or(0, |p| p.byte() as usize));
                (format!("row {line}"), Err(format!("cannot be read: {e}")))
            }
        };
        rows.push(Parsed { position, card });
    }
    // tend's own sheet keeps a birthday as the person typed it (a `field:birthday` column).
    if layout.columns.iter().any(|c| c.target == Target::Birthday) {
        birthdays_as_dates(&mut rows);
    }
    Ok((layout, rows))
}

/// Birthdays as the exporter's locale wrote them, as dates: 31.1.1972 (German), 1/20/1981 (US
/// Outlook), 20/01/1981 (UK). Whether a/b/yyyy is month/day is read off the whole file (any
/// first part over 12 means day/month); a file that never tells, or a birthday that is no
/// date, keeps the text as written in "birthday (as written)".
fn birthdays_as_dates(rows: &mut [Parsed]) {
    let slashed = |b: &str| -> Option<(u32, u32, i32)> {
        let mut p = b.split('/');
        let (a, b, y) = (p.next()?, p.next()?, p.next()?);
        if p.next().is_some() || y.len() != 4 {
            return None;
        }
        Some((a.parse().ok()?, b.parse().ok()?, y.parse().ok()?))
    };
    let birthdays = || {
        rows.iter()
            .filter_map(|r| r.card.as_ref().ok()?.fields.get("birthday").cloned())
    };
    let day_first = birthdays()
        .filter_map(|b| slashed(&b))
        .any(|(a, _, _)| a > 12);
    let month_first = birthdays()
        .filter_map(|b| slashed(&b))
        .any(|(_, b, _)| b > 12);
    let order = match (day_first, month_first) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    for row in rows.iter_mut() {
        let Ok(card) = row.card.as_mut() else {
            continue;
        };
        let Some(b) = card.fields.get("birthday").cloned() else {
            continue;
        };
        let date = |y: i32, m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(y, m, d);
        let iso = if let Ok(d) = chrono::NaiveDate::parse_from_str(&b, "%Y-%m-%d") {
            Some(d.format("%Y-%m-%d").to_string())
        } else if b.starts_with("--") && date(2000, 1, 1).is_some() {
            chrono::NaiveDate::parse_from_str(&format!("2000-{}", &b[2..]), "%Y-%m-%d")
                .ok()
                .map(|_| b.clone())
        } else if let Ok(d) = chrono::NaiveDate::parse_from_str(&b, "%d.%m.%Y") {
            Some(d.format("%Y-%m-%d").to_string())
        } else if let Some((a, m, y)) = slashed(&b) {
            match order {
                Some(true) => date(y, m, a),
                Some(false) => date(y, a, m),
                // One alone says it: 20/1 can only be day/month.
                None if a > 12 => date(y, m, a),
                None if m > 12 => date(y, a, m),
                None => None,
            }
            .map(|d| d.format("%Y-%m-%d").to_string())
        } else {
            None
        };
        match iso {
            Some(d) => {
                card.fields.insert("birthday".into(), d);
            }
            None => {
                card.fields.remove("birthday");
                card.fields.insert("birthday (as written)".into(), b);
            }
        }
    }
}

/// LinkedIn writes "Notes:", a quoted paragraph and a blank line before the header row; the
/// lines skipped (so row numbers still count the file's lines) and the rest.
fn skip_preamble(text: &str) -> (u64, &str) {
    if !text.starts_with("Notes:") {
        return (0, text);
    }
    let mut at = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let l = line.trim_end();
        if l.starts_with("First Name,") || l.contains(",Connected On") {
            return (n as u64, &text[at..]);
        }
        at += line.len();
    }
    (0, text)
}

/// Comma unless the header row has more semicolons or tabs (European Excel writes `;`).
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .filter(|d| first.bytes().any(|b| b == *d))
        .unwrap_or(b',')
}

/// Google joins several values of one cell with " ::: ".
fn values(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(" ::: ").map(str::trim).filter(|v| !v.is_empty())
}

/// The columns of one address: group, label, and the parts found in the row.
type AddressGroup = (String, Option<String>, Vec<(AddressPart, String)>);

fn row_card(layout: &Layout, r: &::csv::StringRecord) -> Result<Card, String> {
    let mut card = Card::default();
    let mut name = None;
    let (mut first, mut middle, mut last) = (None, None, None);
    let (mut prefix, mut suffix) = (None, None);
    let mut addresses: Vec<AddressGroup> = Vec::new();
    let mut birth: [Option<u32>; 3] = [None; 3];
    let cell = |i: usize| r.get(i).map(|v| undefuse(v.trim())).unwrap_or("");
    for (i, col) in layout.columns.iter().enumerate() {
        let v = cell(i);
        if v.is_empty() {
            continue;
        }
        let label = col
            .label_column
            .map(|l| google_label(cell(l)))
            .filter(|l| !l.is_empty())
            .or_else(|| col.label.clone());
        let label = label.as_deref();
        match &col.target {
            Target::Name => name = Some(v.to_string()),
            Target::First => first = Some(v),
            Target::Prefix => prefix = Some(v),
            Target::Suffix => suffix = Some(v),
            Target::Middle => middle = Some(v),
            Target::Last => last = Some(v),
            Target::Email => values(v).for_each(|e| card.add_email(e, label)),
            Target::Phone => values(v).for_each(|p| card.add_phone(p, label)),
            Target::Company => card.company = Some(v.to_string()),
            Target::Address(part) => {
                let at = match addresses.iter().position(|(g, _, _)| *g == col.group) {
                    Some(at) => at,
                    None => {
                        addresses.push((col.group.clone(), label.map(str::to_string), Vec::new()));
                        addresses.len() - 1
                    }
                };
                if addresses[at].1.is_none() {
                    addresses[at].1 = label.map(str::to_string);
                }
                addresses[at].2.push((*part, v.to_string()));
            }
            Target::Tags => {
                for t in values(v).flat_map(|t| t.split([',', ';'])) {
                    let t = t.trim().trim_start_matches("* ");
                    if !matches!(t.to_lowercase().as_str(), "mycontacts" | "starred") {
                        card.add_tag(t);
                    }
                }
            }
            Target::Note => card.add_note(v),
            Target::Birthday => card.set_field("birthday", v),
            Target::Status => {
                card.status = Some(
                    v.parse()
                        .map_err(|e: String| format!("column {}: {e}", col.header))?,
                )
            }
            Target::Source => card.source = Some(v.to_string()),
            Target::Uid => card.uid = Some(v.to_string()),
            Target::Kind => {
                card.kind = Some(
                    v.parse()
                        .map_err(|e: String| format!("column {}: {e}", col.header))?,
                )
            }
            Target::ReferredBy => card.referred_by = Some(v.to_string()),
            Target::Archived => {
                card.archived = Some(matches!(v.to_lowercase().as_str(), "true" | "yes" | "1"))
            }
            Target::Field(k) => card.set_field(k, v),
            Target::Labelled(base) => values(v).for_each(|v| card.add_labelled(base, v, label)),
            Target::BirthPart(part) => {
                let n = v.parse().ok().filter(|n| *n > 0);
                match part {
                    DatePart::Year => birth[0] = n,
                    DatePart::Month => birth[1] = n,
                    DatePart::Day => birth[2] = n,
                }
                if n.is_none() {
                    card.set_field(&format!("{} (as written)", col.header.to_lowercase()), v);
                }
            }
            Target::Label | Target::Ignore => {}
        }
    }
    match birth {
        [Some(y), Some(m), Some(d)] => card.set_field("birthday", &format!("{y:04}-{m:02}-{d:02}")),
        [None, Some(m), Some(d)] => card.set_field("birthday", &format!("--{m:02}-{d:02}")),
        [None, None, None] => {}
        [y, m, d] => {
            // Part of a date: kept as written rather than lost.
            let part = |p: Option<u32>| p.map_or("?".to_string(), |p| p.to_string());
            card.set_field(
                "birthday (incomplete)",
                &format!("{}-{}-{}", part(y), part(m), part(d)),
            );
        }
    }
    for (_, label, mut parts) in addresses {
        // A formatted address wins over its parts; otherwise the parts in postal order.
        let whole = parts
            .iter()
            .find(|(p, _)| *p == AddressPart::Whole)
            .map(|(_, v)| v.clone());
        let text = whole.unwrap_or_else(|| {
            parts.sort_by_key(|(p, _)| *p);
            parts
                .iter()
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        });
        card.add_address(&text, label.as_deref());
    }
    let composed = [first, middle, last]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    // Dr and Jr. belong to a name made of parts; a display name says them if it wants to.
    let composed = if composed.is_empty() {
        composed
    } else {
        [prefix, Some(composed.as_str()), suffix]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    };
    // "O'Brien, Seán" beside its Given and Family columns: the parts say it the way it is
    // said (an address book's "Last, First" display name is a sorting order, not a name).
    let name = name.filter(|n| !n.contains(',') || composed.is_empty());
    card.name = match name.or((!composed.is_empty()).then_some(composed)) {
        Some(n) => n,
        None => match card.company.take() {
            Some(org) => {
                card.kind = Some(ContactKind::Company);
                org
            }
            None => return Err("has no name".into()),
        },
    };
    Ok(card)
}

/// Google's labels: "* Home" → home, "Mobile" → mobile.
fn google_label(raw: &str) -> String {
    raw.trim().trim_start_matches("* ").trim().to_lowercase()
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, so a contact
/// named `=HYPERLINK(…)` in an imported card would run when the export is opened (CSV
/// injection). Such cells get a leading `'`, which spreadsheets show as text; phone numbers
/// and amounts (`+44 7700 900`, `-12.50`) are left alone.
fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = match cell.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !cell
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().,/".contains(c)),
        _ => false,
    };
    if risky {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A cell as `defuse` wrote it, back to its value.
fn undefuse(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '@', '+', '-', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// The base columns of tend's own CSV, in order; profile fields follow, one column each.
const BASE: [&str; 12] = [
    "uid",
    "name",
    "kind",
    "company",
    "email",
    "phone",
    "address",
    "status",
    "source",
    "referred_by",
    "tags",
    "archived",
];

/// Cards as one CSV document: the base columns, then a column per profile field key.
pub fn write(cards: &[Card]) -> String {
    let keys: BTreeSet<&String> = cards.iter().flat_map(|c| c.fields.keys()).collect();
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header: Vec<String> = BASE
        .iter()
        .map(|s| s.to_string())
        .chain(keys.iter().map(|k| field_header(k)))
        .collect();
    // Writing to a Vec cannot fail.
    let _ = w.write_record(&header);
    for c in cards {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let mut row = vec![
            opt(&c.uid),
            c.name.clone(),
            c.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
            opt(&c.company),
            opt(&c.email),
            opt(&c.phone),
            opt(&c.address),
            c.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
            opt(&c.source),
            opt(&c.referred_by),
            c.tags.join(", "),
            c.archived.map(|a| a.to_string()).unwrap_or_default(),
        ];
        row.extend(
            keys.iter()
                .map(|k| c.fields.get(*k).cloned().unwrap_or_default()),
        );
        let _ = w.write_record(row.iter().map(|cell| defuse(cell).into_owned()));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A field's column header: its key, unless reading it back would take it for something else
/// ("note", "email (work)"), which gets a `field:` prefix so it comes back as the same field.
fn field_header(key: &str) -> String {
    let reads_back_as_field = matches!(
        guess(&normal(key), Dialect::Plain, key).0,
        Target::Field(ref k) if k == key
    );
    if reads_back_as_field {
        key.to_string()
    } else {
        format!("field:{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::contact::Status;

    fn cards(text: &str) -> Vec<Card> {
        let (_, rows) = parse(text, &[]).unwrap();
        rows.into_iter().map(|p| p.card.unwrap()).collect()
    }

    #[test]
    fn a_plain_sheet_with_extra_columns_keeps_them_as_profile_fields() {
        let c = cards("Name,Email,Phone,Likes\nAnn Apple,ann@x.test,0123,\"lemon, drizzle\"\n");
        assert_eq!(c[0].name, "Ann Apple");
        assert_eq!(c[0].email.as_deref(), Some("ann@x.test"));
        assert_eq!(c[0].phone.as_deref(), Some("0123"));
        assert_eq!(c[0].fields["likes"], "lemon, drizzle");
    }

    #[test]
    fn google_contacts_export() {
        let text = concat!(
            "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Birthday,Notes,Labels,",
            "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,",
            "Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - City,Website 1 - Label,Website 1 - Value,Yomi Name\n",
            "Ann,B.,Apple,Annie,Apple Bakery,Owner,1980-04-01,\"met at the fair\nlikes rye\",* myContacts ::: Wholesale ::: VIP,",
            "* Work,ann@bakery.test,Home,ann@home.test ::: ann@old.test,",
            "Mobile,+44 7700 900 ::: +44 1225 000,Home,\"1 Mill Lane\nBath\",Bath,,www.apple.test,ignored\n",
        );
        let (layout, rows) = parse(text, &[]).unwrap();
        assert_eq!(layout.dialect, Dialect::Google);
        let c = rows[0].card.as_ref().unwrap();
        assert_eq!(rows[0].position, "row 2");
        assert_eq!(c.name, "Ann B. Apple");
        assert_eq!(c.company.as_deref(), Some("Apple Bakery"));
        assert_eq!(c.email.as_deref(), Some("ann@bakery.test"));
        assert_eq!(c.fields["email (home)"], "ann@home.test");
        assert_eq!(c.fields["email (home) 3"], "ann@old.test");
        assert_eq!(c.phone.as_deref(), Some("+44 7700 900"));
        assert_eq!(c.fields["phone (mobile)"], "+44 1225 000");
        assert_eq!(c.address.as_deref(), Some("1 Mill Lane, Bath"));
        assert_eq!(c.tags, ["wholesale", "vip"]);
        assert_eq!(c.fields["birthday"], "1980-04-01");
        assert_eq!(c.fields["note"], "met at the fair\nlikes rye");
        assert_eq!(c.fields["title"], "Owner");
        assert_eq!(c.fields["nickname"], "Annie");
        assert_eq!(c.fields["website"], "www.apple.test");
        assert_eq!(
            c.fields["phonetic name"], "ignored",
            "a reading of the name is kept"
        );
    }

    #[test]
    fn google_s_phonetic_names_are_not_phones_and_numbered_columns_keep_their_labels() {
        let text = concat!(
            "First Name,Phonetic First Name,Last Name,Phonetic Last Name,Name Suffix,",
            "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,",
            "Relation 1 - Label,Relation 1 - Value,Event 1 - Label,Event 1 - Value,",
            "Address 1 - Label,Address 1 - Street,Address 1 - City,Address 1 - Postal Code,Address 1 - Country\r\n",
            "太郎,たろう,山田,やまだ,Jr.,Mobile,090-1234-5678,Work Fax,03-1111-2222,",
            "Spouse,花子,Anniversary,2001-06-01,Home,1-2-3 Ginza,Tokyo,104-0061,Japan\r\n",
        );
        let (layout, rows) = parse(text, &[]).unwrap();
        assert_eq!(layout.dialect, Dialect::Google);
        assert_eq!(rows[0].position, "row 2");
        let c = rows[0].card.as_ref().unwrap();
        assert_eq!(c.name, "太郎 山田 Jr.");
        assert_eq!(c.phone.as_deref(), Some("090-1234-5678"));
        assert_eq!(c.fields["phone (work fax)"], "03-1111-2222");
        assert_eq!(c.fields["phonetic first name"], "たろう");
        assert_eq!(c.fields["phonetic last name"], "やまだ");
        assert_eq!(c.fields["relation (spouse)"], "花子");
        assert_eq!(c.fields["date (anniversary)"], "2001-06-01");
        assert_eq!(
            c.address.as_deref(),
            Some("1-2-3 Ginza, Tokyo, 104-0061, Japan")
        );
    }

    #[test]
    fn thunderbird_export_keeps_city_state_country_and_the_birthday() {
        let text = concat!(
            "First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,Screen Name,",
            "Work Phone,Home Phone,Fax Number,Pager Number,Mobile Number,",
            "Home Address,Home Address 2,Home City,Home State,Home ZipCode,Home Country,",
            "Work Address,Work Address 2,Work City,Work State,Work ZipCode,Work Country,",
            "Job Title,Department,Organization,Web Page 1,Web Page 2,Birth Year,Birth Month,Birth Day,",
            "Custom 1,Custom 2,Custom 3,Custom 4,Notes,\n",
            "Ann,Apple,Ann Apple,,ann@x.test,ann@home.test,,0113 1,0113 2,0113 3,,07700 1,",
            "1 Mill Lane,Flat 2,Bath,Somerset,BA1 1AA,UK,2 Oven Rd,,Leeds,,LS1 1AA,UK,",
            "Baker,Bread,Apple Bakery,www.a.test,,1980,4,1,,,,,\"line one\nline two\",\n",
        );
        let (layout, rows) = parse(text, &[]).unwrap();
        assert_eq!(layout.dialect, Dialect::Thunderbird);
        let c = rows[0].card.as_ref().unwrap();
        assert_eq!(c.name, "Ann Apple");
        assert_eq!(c.email.as_deref(), Some("ann@x.test"));
        assert_eq!(c.fields["email 2"], "ann@home.test");
        assert_eq!(c.phone.as_deref(), Some("0113 1"));
        assert_eq!(c.fields["phone (home)"], "0113 2");
        assert_eq!(c.fields["phone (fax)"], "0113 3");
        assert_eq!(c.fields["phone (mobile)"], "07700 1");
        assert_eq!(
            c.address.as_deref(),
            Some("1 Mill Lane, Flat 2, Bath, Somerset, BA1 1AA, UK")
        );
        assert_eq!(c.fields["address (work)"], "2 Oven Rd, Leeds, LS1 1AA, UK");
        assert_eq!(c.fields["birthday"], "1980-04-01");
        assert_eq!(c.fields["department"], "Bread");
        assert_eq!(c.company.as_deref(), Some("Apple Bakery"));
        assert!(
            !c.fields.keys().any(|k| k.starts_with("birth ")),
            "{:?}",
            c.fields
        );
    }

    #[test]
    fn a_linkedin_connections_export_with_its_notes_preamble() {
        let text = concat!(
            "Notes:\n",
            "\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\n",
            "\n",
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
            "Bob,Baker,https://www.linkedin.com/in/bob,bob@x.test,Baker & Sons,Director,12 Mar 2024\n",
        );
        let (layout, rows) = parse(text, &[]).unwrap();
        assert_eq!(layout.dialect, Dialect::LinkedIn);
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].position, "row 5");
        let c = rows[0].card.as_ref().unwrap();
        assert_eq!(c.name, "Bob Baker");
        assert_eq!(c.email.as_deref(), Some("bob@x.test"));
        assert_eq!(c.company.as_deref(), Some("Baker & Sons"));
        assert_eq!(c.fields["title"], "Director");
        assert_eq!(c.fields["linkedin"], "https://www.linkedin.com/in/bob");
        assert_eq!(c.fields["connected on"], "12 Mar 2024");
    }

    #[test]
    fn outlook_export_with_split_addresses() {
        let text = concat!(
            "Title,First Name,Last Name,Company,Job Title,Business Street,Business City,Business Postal Code,",
            "Business Country/Region,Home Street,Business Phone,Mobile Phone,E-mail Address,E-mail 2 Address,Categories,Spouse\n",
            "Dr,Bob,Baker,Baker & Sons,Director,2 Oven Rd,Leeds,LS1 1AA,UK,9 Home Row,0113 000,07700 111,bob@bakers.test,bob@home.test,Trade;Priority,Jo\n",
        );
        let (layout, rows) = parse(text, &[]).unwrap();
        assert_eq!(layout.dialect, Dialect::Outlook);
        let c = rows[0].card.as_ref().unwrap();
        assert_eq!(
            c.name, "Dr Bob Baker",
            "Outlook's Title is the start of the name"
        );
        assert_eq!(c.address.as_deref(), Some("2 Oven Rd, Leeds, LS1 1AA, UK"));
        assert_eq!(c.fields["address (home)"], "9 Home Row");
        assert_eq!(c.phone.as_deref(), Some("0113 000"));
        assert_eq!(c.fields["phone (mobile)"], "07700 111");
        assert_eq!(c.email.as_deref(), Some("bob@bakers.test"));
        assert_eq!(c.fields["email 2"], "bob@home.test");
        assert_eq!(c.tags, ["trade", "priority"]);
        assert_eq!(c.fields["title"], "Director");
        assert_eq!(
            c.fields["spouse"], "Jo",
            "a column tend has no place for is kept"
        );
    }

    #[test]
    fn map_overrides_a_guess_and_bad_rows_say_why() {
        let map = [
            parse_map("Who=name").unwrap(),
            parse_map("Stage=status").unwrap(),
        ];
        let (_, rows) = parse(
            "Who,Stage,Mail\nAnn,client,a@x.test\n,lead,b@x.test\nCy,vip,\n",
            &map,
        )
        .unwrap();
        let c = rows[0].card.as_ref().unwrap();
        assert_eq!(c.name, "Ann");
        assert_eq!(c.status, Some(Status::Client));
        assert_eq!(c.email.as_deref(), Some("a@x.test"));
        assert_eq!(rows[1].card.as_ref().unwrap_err(), "has no name");
        assert!(
            rows[2]
                .card
                .as_ref()
                .unwrap_err()
                .contains("unknown status 'vip'")
        );
        assert!(parse_map("Who=nmae").unwrap_err().contains("field:KEY"));
        assert!(
            parse("Who\nAnn\n", &[parse_map("Nope=name").unwrap()])
                .unwrap_err()
                .contains("Who")
        );
        assert!(parse("Colour\nred\n", &[]).unwrap_err().contains("--map"));
    }

    #[test]
    fn semicolon_sheets_from_european_excel() {
        let c = cards("Name;E-mail;Telefon\nJörg;j@x.test;030 1\n");
        assert_eq!(c[0].email.as_deref(), Some("j@x.test"));
        assert_eq!(
            c[0].phone.as_deref(),
            Some("030 1"),
            "German headers are read too"
        );
    }

    #[test]
    fn tend_s_own_csv_reads_back_the_same() {
        let mut card = Card {
            uid: Some("u1".into()),
            name: "Ann".into(),
            kind: Some(ContactKind::Person),
            company: Some("Crumbs".into()),
            email: Some("a@x.test".into()),
            status: Some(Status::Client),
            referred_by: Some("Bob".into()),
            archived: Some(false),
            ..Card::default()
        };
        card.add_tag("vip");
        card.add_tag("wedding-cakes");
        for (k, v) in [
            ("likes", "tea, \"strong\""),
            ("status", "clash"),
            ("email (work)", "w@x.test"),
            ("phone 2", "02"),
            ("address (home)", "1 Lane, Town"),
            ("birthday", "--04-01"),
            ("note", "n"),
            ("referred by", "paper"),
        ] {
            card.fields.insert(k.into(), v.into());
        }
        card.fields
            .insert("motto".into(), "=HYPERLINK(\"http://x\",\"click\")".into());
        card.fields.insert("balance".into(), "-12.50".into());
        card.phone = Some("+44 7700 900".into());
        let text = write(std::slice::from_ref(&card));
        assert!(text.contains("field:status"), "{text}");
        assert!(
            text.contains("\"'=HYPERLINK("),
            "a formula is written as text: {text}"
        );
        assert!(
            text.contains(",+44 7700 900,"),
            "a phone number is left alone: {text}"
        );
        assert!(text.contains(",-12.50,"), "{text}");
        assert_eq!(cards(&text), [card]);
    }
}

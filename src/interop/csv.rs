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
    First,
    Middle,
    Last,
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
    Ignore,
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
    Google,
    Outlook,
    /// Any other sheet, tend's own export included: columns we do not know become profile
    /// fields named after their header.
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

/// Work out what every column holds.
pub fn layout(headers: &[String], overrides: &[(String, Target)]) -> Result<Layout, String> {
    let norm: Vec<String> = headers.iter().map(|h| normal(h)).collect();
    for (h, _) in overrides {
        if !norm.contains(&normal(h)) {
            return Err(format!(
                "--map names a column '{h}' that the file does not have; its columns are: {}",
                headers.join(", ")
            ));
        }
    }
    let has = |h: &str| norm.iter().any(|n| n == h);
    let dialect = if norm.iter().any(|n| n.ends_with(" 1 - value")) {
        Dialect::Google
    } else if has("email address") && (has("business phone") || has("mobile phone")) {
        Dialect::Outlook
    } else {
        Dialect::Plain
    };
    let mut columns: Vec<Column> = headers
        .iter()
        .zip(&norm)
        .map(|(header, n)| {
            let (target, label, group) = match overrides.iter().find(|(h, _)| normal(h) == *n) {
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
    // Pair "X - Value" with "X - Label" / "X - Type".
    for i in 0..columns.len() {
        if let Some(prefix) = norm[i].strip_suffix(" - value") {
            columns[i].label_column = norm.iter().position(|n| {
                n.strip_prefix(prefix)
                    .is_some_and(|rest| rest == " - label" || rest == " - type")
            });
        }
    }
    Ok(Layout { dialect, columns })
}

fn guess(n: &str, dialect: Dialect, header: &str) -> (Target, Option<String>, String) {
    let simple = match n {
        "name" | "full name" | "display name" | "contact name" | "fn" => Some(Target::Name),
        "first name" | "given name" | "first" | "forename" => Some(Target::First),
        "middle name" | "additional name" => Some(Target::Middle),
        "last name" | "family name" | "surname" | "last" => Some(Target::Last),
        "company"
        | "company name"
        | "organization"
        | "organisation"
        | "organization name"
        | "organization 1 - name"
        | "business" => Some(Target::Company),
        "notes" | "note" => Some(Target::Note),
        "birthday" | "bday" | "date of birth" | "dob" => Some(Target::Birthday),
        "status" => Some(Target::Status),
        "source" | "lead source" => Some(Target::Source),
        "uid" => Some(Target::Uid),
        "kind" => Some(Target::Kind),
        "referred by" | "referrer" => Some(Target::ReferredBy),
        "archived" => Some(Target::Archived),
        "tags" | "tag" | "labels" | "group membership" | "categories" => Some(Target::Tags),
        "job title" | "organization title" | "organization 1 - title" => {
            Some(Target::Field("title".into()))
        }
        "title" if dialect == Dialect::Outlook => Some(Target::Ignore), // Mr, Ms, Dr
        "title" => Some(Target::Field("title".into())),
        "website" | "web page" | "url" | "website 1 - value" => {
            Some(Target::Field("website".into()))
        }
        "nickname" => Some(Target::Field("nickname".into())),
        _ => None,
    };
    if let Some(t) = simple {
        return (t, None, String::new());
    }
    if n.ends_with(" - label") || n.ends_with(" - type") {
        return (Target::Label, None, String::new());
    }
    if let Some(key) = n.strip_prefix("field:") {
        return (Target::Field(key.trim().to_string()), None, String::new());
    }
    let label = channel_label(n);
    if (n.contains("email") || n == "mail") && !n.contains("display name") && !n.contains("type") {
        return (Target::Email, label, String::new());
    }
    if ["phone", "mobile", "telephone", "fax", "pager"]
        .iter()
        .any(|w| n.contains(w))
        || n == "tel"
    {
        return (Target::Phone, label, String::new());
    }
    let parts = [
        ("formatted", AddressPart::Whole),
        ("street", AddressPart::Street),
        ("extended address", AddressPart::Extended),
        ("po box", AddressPart::PoBox),
        ("city", AddressPart::City),
        ("country", AddressPart::Country),
        ("state", AddressPart::Region),
        ("region", AddressPart::Region),
        ("postal code", AddressPart::Postcode),
        ("postcode", AddressPart::Postcode),
        ("zip", AddressPart::Postcode),
        ("address", AddressPart::Whole),
    ];
    if let Some((word, part)) = parts.iter().find(|(w, _)| n.contains(w)) {
        let group = n
            .replace(word, "")
            .replace("/region", "")
            .trim_matches(|c: char| c == '-' || c.is_whitespace())
            .to_string();
        return (Target::Address(*part), label, group);
    }
    match dialect {
        Dialect::Plain => (
            Target::Field(header.trim().to_string()),
            None,
            String::new(),
        ),
        _ => (Target::Ignore, None, String::new()),
    }
}

/// "Mobile Phone" → mobile, "Business Fax" → fax, "Home Street" → home.
fn channel_label(n: &str) -> Option<String> {
    let label = if n.contains("mobile") || n.contains("cell") {
        "mobile"
    } else if n.contains("fax") {
        "fax"
    } else if n.contains("pager") {
        "pager"
    } else if n.contains("business") || n.contains("work") || n.contains("company") {
        "work"
    } else if n.contains("home") {
        "home"
    } else if n.contains("other") {
        "other"
    } else if let Some(l) = n.strip_prefix('(').and_then(|r| r.split_once(')')) {
        return Some(l.0.to_string());
    } else if let Some(l) = n.split_once('(').and_then(|(_, r)| r.split_once(')')) {
        return Some(l.0.to_string());
    } else {
        return None;
    };
    Some(label.to_string())
}

/// What each column will be read as, for a dry run: "Full Name → name".
pub fn describe(layout: &Layout) -> Vec<String> {
    layout
        .columns
        .iter()
        .map(|c| {
            let what = match &c.target {
                Target::Name => "name",
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
                Target::Ignore => "ignored",
            };
            format!("{} → {what}", c.header)
        })
        .collect()
}

/// Every row of `text` read into a card (or why not), with the layout used.
pub fn parse(text: &str, overrides: &[(String, Target)]) -> Result<(Layout, Vec<Parsed>), String> {
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
    for record in reader.records() {
        let (position, card) = match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line());
                if r.iter().all(|v| v.trim().is_empty()) {
                    continue;
                }
                (format!("row {line}"), row_card(&layout, &r))
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                (format!("row {line}"), Err(format!("cannot be read: {e}")))
            }
        };
        rows.push(Parsed { position, card });
    }
    Ok((layout, rows))
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
    let mut addresses: Vec<AddressGroup> = Vec::new();
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
            Target::Note => card.set_field("note", v),
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
            Target::Label | Target::Ignore => {}
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
        assert_eq!(c.fields["note"], "met at the fair, likes rye");
        assert_eq!(c.fields["title"], "Owner");
        assert_eq!(c.fields["nickname"], "Annie");
        assert_eq!(c.fields["website"], "www.apple.test");
        assert!(
            !c.fields.contains_key("yomi name"),
            "Google's other columns are ignored"
        );
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
        assert_eq!(c.name, "Bob Baker");
        assert_eq!(c.address.as_deref(), Some("2 Oven Rd, Leeds, LS1 1AA, UK"));
        assert_eq!(c.fields["address (home)"], "9 Home Row");
        assert_eq!(c.phone.as_deref(), Some("0113 000"));
        assert_eq!(c.fields["phone (mobile)"], "07700 111");
        assert_eq!(c.email.as_deref(), Some("bob@bakers.test"));
        assert_eq!(c.fields["email 2"], "bob@home.test");
        assert_eq!(c.tags, ["trade", "priority"]);
        assert_eq!(c.fields["title"], "Director");
        assert!(!c.fields.contains_key("spouse"));
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
        assert_eq!(c[0].fields["telefon"], "030 1");
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

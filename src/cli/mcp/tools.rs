//! What an assistant may ask of `tend mcp`, and the `tend` command each request is. A tool's
//! arguments become the words a person would type (`log_note` is `tend note WHO TEXT --next
//! ...`), so every value goes through the CLI's own parsers, with its messages and hints.
//!
//! Words are built so that nothing an assistant sends can become a flag: options are written
//! `--name=value`, and the positional words follow `--`.

use rmcp::schemars::{self, JsonSchema};
use serde::Deserialize;

use crate::error::{Error, Result};

/// The words after `tend`, built option by option.
#[derive(Debug, Default)]
pub struct Words {
    command: Vec<String>,
    options: Vec<String>,
    positional: Vec<String>,
}

impl Words {
    fn new(command: &[&str]) -> Words {
        Words {
            command: command.iter().map(|s| s.to_string()).collect(),
            ..Words::default()
        }
    }

    fn flag(mut self, name: &str, on: bool) -> Words {
        if on {
            self.options.push(format!("--{name}"));
        }
        self
    }

    fn opt(mut self, name: &str, value: Option<&str>) -> Words {
        if let Some(v) = value {
            self.options.push(format!("--{name}={v}"));
        }
        self
    }

    fn arg(mut self, value: &str) -> Words {
        self.positional.push(value.to_string());
        self
    }

    /// `tend today`: the agenda as a person reads it, the first few of each part.
    pub fn agenda() -> Words {
        Words::new(&["today"])
    }

    /// `tend undo --if-made-by=mcp`: the newest change, if an assistant made it.
    pub fn undo() -> Words {
        Words::new(&["undo"]).opt("if-made-by", Some("mcp"))
    }

    /// `tend COMMAND --options -- POSITIONAL...`, ready for clap.
    pub fn into_argv(self) -> Vec<String> {
        let mut argv = vec!["tend".to_string()];
        argv.extend(self.command);
        argv.extend(self.options);
        if !self.positional.is_empty() {
            argv.push("--".into());
            argv.extend(self.positional);
        }
        argv
    }
}

/// Text an assistant must give. "-" would make `tend note` read stdin, which here is the
/// protocol itself.
fn text<'a>(value: &'a str, what: &str) -> Result<&'a str> {
    match value.trim() {
        "" => Err(Error::invalid(format!(
            "{what} is empty; nothing was saved"
        ))),
        "-" => Err(Error::invalid(format!(
            "{what} is \"-\"; write the text itself"
        ))),
        _ => Ok(value),
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindContacts {
    /// Words to look for in names (typos are forgiven), emails, phone numbers, companies and
    /// details. Leave it out to list by tag or status.
    pub query: Option<String>,
    /// Only contacts with this tag (without a query)
    pub tag: Option<String>,
    /// Only contacts with this status: lead, prospect, client, former or lost (without a query)
    pub status: Option<String>,
    /// At most this many (default 20)
    pub limit: Option<u32>,
}

impl FindContacts {
    /// How many to give back.
    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(20) as usize
    }

    pub fn words(&self) -> Result<Words> {
        match (&self.query, self.tag.is_some() || self.status.is_some()) {
            (Some(_), true) => Err(Error::invalid_with_hint(
                "give a query, or a tag and status to list by, not both",
                "find by query first, then brief_contact the one you mean",
            )),
            (Some(q), false) => Ok(Words::new(&["search"])
                .flag("json", true)
                .opt("limit", Some(&self.limit().to_string()))
                .arg(text(q, "the query")?)),
            (None, _) => Ok(Words::new(&["list"])
                .flag("json", true)
                .opt("tag", self.tag.as_deref())
                .opt("status", self.status.as_deref())),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Who {
    /// The contact: a name, part of one, an email, or an id like #12 (find_contacts gives ids)
    pub who: String,
}

impl Who {
    pub fn brief(&self) -> Result<Words> {
        Ok(Words::new(&["show"])
            .flag("json", true)
            .arg(text(&self.who, "who")?))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchNotes {
    /// Words to look for in the text of notes
    pub query: String,
    /// At most this many notes (default 20)
    pub limit: Option<u32>,
}

impl SearchNotes {
    pub fn words(&self) -> Result<Words> {
        Ok(Words::new(&["search"])
            .flag("json", true)
            .opt("limit", Some(&self.limit.unwrap_or(20).to_string()))
            .arg(text(&self.query, "the query")?))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// profit (per client, hours counted), pipeline (open deals by stage), funnel (leads to
    /// clients), revenue (against goals), sources (where clients came from) or referrals
    pub kind: String,
    /// For profit, sources and referrals: month, quarter, year (this calendar year, the
    /// default), 12m (the last twelve months) or all
    pub period: Option<String>,
}

/// The reports an assistant may ask for (`tend report KIND`).
const REPORTS: &[&str] = &[
    "profit",
    "pipeline",
    "funnel",
    "revenue",
    "sources",
    "referrals",
];

impl Report {
    pub fn words(&self) -> Result<Words> {
        let kind = self.kind.trim();
        if !REPORTS.contains(&kind) {
            return Err(Error::invalid(format!(
                "there is no report '{kind}': ask for one of {}",
                REPORTS.join(", ")
            )));
        }
        if self.period.is_some() && !["profit", "sources", "referrals"].contains(&kind) {
            return Err(Error::invalid(format!(
                "the {kind} report has no period: leave it out (profit, sources and referrals take one)"
            )));
        }
        Ok(Words::new(&["report", kind]).opt("period", self.period.as_deref()))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListDeals {
    /// Only deals in this stage: new, qualified, proposal, negotiation, won or lost
    pub stage: Option<String>,
}

impl ListDeals {
    pub fn words(&self) -> Words {
        Words::new(&["deal", "list"])
            .flag("json", true)
            .opt("stage", self.stage.as_deref())
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddContact {
    /// Full name (or the company's name, with kind "company")
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The company they work for (made if new)
    pub company: Option<String>,
    /// lead (default), prospect, client, former or lost
    pub status: Option<String>,
    /// person (default) or company
    pub kind: Option<String>,
    /// Where they came from: website, market stall, instagram...
    pub source: Option<String>,
    /// The contact who referred them
    pub referred_by: Option<String>,
    /// Tags
    #[serde(default)]
    pub tags: Vec<String>,
}

impl AddContact {
    pub fn words(&self) -> Result<Words> {
        let mut w = Words::new(&["add"])
            .opt("email", self.email.as_deref())
            .opt("phone", self.phone.as_deref())
            .opt("company", self.company.as_deref())
            .opt("status", self.status.as_deref())
            .opt("kind", self.kind.as_deref())
            .opt("source", self.source.as_deref())
            .opt("referred-by", self.referred_by.as_deref());
        for t in &self.tags {
            w = w.opt("tag", Some(t));
        }
        Ok(w.arg(text(&self.name, "the name")?))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogNote {
    /// Who it was with: a name, part of one, an email, or an id like #12
    pub who: String,
    /// What happened, in the user's words
    pub text: String,
    /// note (default), call, email or meeting
    pub kind: Option<String>,
    /// When it happened, if not now: yesterday, mon, 3d ago, 2026-11-20 14:00
    pub at: Option<String>,
    /// The next step in the same breath, as "WHEN: WHAT": "fri: send quote"
    pub next: Option<String>,
    /// Make the next step repeat: 2w, monthly, quarterly
    pub every: Option<String>,
}

impl LogNote {
    pub fn words(&self) -> Result<Words> {
        Ok(Words::new(&["note"])
            .opt("kind", self.kind.as_deref())
            .opt("at", self.at.as_deref())
            .opt("next", self.next.as_deref())
            .opt("every", self.every.as_deref())
            .arg(text(&self.who, "who")?)
            .arg(text(&self.text, "the note")?))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetNextStep {
    /// Who it is for: a name, part of one, an email, or an id like #12
    pub who: String,
    /// When: today, tomorrow, fri, next tue, in 3d, +2w, 1 dec, 2026-12-01, fri 14:00
    pub when: String,
    /// What to do: "send the quote"
    pub what: String,
    /// Make it repeat: 2w, 10d, monthly, quarterly, yearly
    pub every: Option<String>,
}

impl SetNextStep {
    /// `tend next WHO WHEN... WHAT`. The shell takes the longest run of leading words that
    /// reads as a date, so "tomorrow morning" would save "morning …" due tomorrow: here `when`
    /// must read as a date whole, or nothing is saved.
    pub fn words(&self, today: chrono::NaiveDate) -> Result<Words> {
        let when = text(&self.when, "when")?;
        crate::when::parse(when, today, crate::when::Direction::Future).map_err(|why| {
            Error::invalid_with_hint(
                format!(
                    "cannot read when '{}': {why}; nothing was saved",
                    when.trim()
                ),
                format!("dates: {}", crate::when::EXAMPLES),
            )
        })?;
        // `when` goes as one word, already read whole above: split into words, the shell
        // would take the longest run of them that reads as a date, and a `when` it reads
        // differently (more words than it tries) would lose its end to the text.
        Ok(Words::new(&["next"])
            .opt("every", self.every.as_deref())
            .arg(text(&self.who, "who")?)
            .arg(when.trim())
            .arg(text(&self.what, "what to do")?))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// The follow-up's id (f#14, as the briefing and agenda give them), or a contact with one
    /// open follow-up
    pub follow_up: String,
}

impl FollowUp {
    pub fn done(&self) -> Result<Words> {
        Ok(Words::new(&["done"]).arg(follow_up(&self.follow_up)?))
    }
}

/// A follow-up as the tools take it: f#14, or a contact. The shell's `tend done` also reads
/// `#14` and `14` as follow-up ids, but to an assistant `#14` is a contact (find_contacts
/// gives ids so): refused, rather than completing someone else's follow-up.
fn follow_up(value: &str) -> Result<&str> {
    let v = text(value, "the follow-up")?.trim();
    let digits = v.trim_start_matches('#');
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid_with_hint(
            format!("'{v}' is not a follow-up: a follow-up's id starts with f (f#{digits})"),
            "give the follow-up's id as the agenda and brief_contact show it (f#14), or the contact's name when they have one open follow-up",
        ));
    }
    Ok(v)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Snooze {
    /// The follow-up's id (f#14), or a contact with one open follow-up
    pub follow_up: String,
    /// Until when: tomorrow, mon, next week, in 3d
    pub until: String,
}

impl Snooze {
    pub fn words(&self) -> Result<Words> {
        let mut w = Words::new(&["snooze"]).arg(follow_up(&self.follow_up)?);
        for word in text(&self.until, "until")?.split_whitespace() {
            w = w.arg(word);
        }
        Ok(w)
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tick {
    /// Whose checklist
    pub who: String,
    /// The step: its number, or words from it (default: the next open step)
    pub step: Option<String>,
    /// Which checklist, when they have several going (the recipe's name)
    pub checklist: Option<String>,
    /// Log this as a note (instead of the step's own note, if it has one)
    pub note: Option<String>,
    /// Tick it even though an earlier step is still open (the shell's --force)
    #[serde(default)]
    pub out_of_order: bool,
}

impl Tick {
    pub fn words(&self) -> Result<Words> {
        let mut w = Words::new(&["tick"])
            .flag("force", self.out_of_order)
            .opt("checklist", self.checklist.as_deref())
            .opt("note", self.note.as_deref())
            .arg(text(&self.who, "who")?);
        if let Some(s) = &self.step {
            w = w.arg(text(s, "the step")?);
        }
        Ok(w)
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddDeal {
    /// Who it is with
    pub who: String,
    /// What it is: "kitchen refit"
    pub title: String,
    /// What it is worth: 4,500 or 1250.50
    pub value: Option<String>,
    /// new (default), qualified, proposal, negotiation, won or lost
    pub stage: Option<String>,
    /// When it should close: eom, fri, 15 jan
    pub close: Option<String>,
}

impl AddDeal {
    pub fn words(&self) -> Result<Words> {
        let mut w = Words::new(&["deal", "add"])
            .opt("stage", self.stage.as_deref())
            .opt("close", self.close.as_deref())
            .arg(text(&self.who, "who")?)
            .arg(text(&self.title, "the title")?);
        if let Some(v) = &self.value {
            w = w.arg(v);
        }
        Ok(w)
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveDeal {
    /// The deal's id: d#12 (list_deals and the briefing give them)
    pub deal: String,
    /// new, qualified, proposal, negotiation, won or lost
    pub stage: String,
    /// Why it was lost (needed for lost)
    pub reason: Option<String>,
}

impl MoveDeal {
    pub fn words(&self) -> Result<Words> {
        let deal = text(&self.deal, "the deal")?;
        let stage = self.stage.trim().to_lowercase();
        if stage != "lost" && self.reason.is_some() {
            return Err(Error::invalid(format!(
                "a reason is kept only for a lost deal, not for {stage}: leave it out, or log a note"
            )));
        }
        Ok(match stage.as_str() {
            "won" => Words::new(&["deal", "won"]).arg(deal),
            "lost" => Words::new(&["deal", "lost"])
                .opt(
                    "reason",
                    Some(text(self.reason.as_deref().unwrap_or(""), "the reason")?),
                )
                .arg(deal),
            stage => Words::new(&["deal", "move"]).arg(deal).arg(stage),
        })
    }
}

/// An expense or time: `tend expense|time WHO AMOUNT`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Who it is for
    pub who: String,
    /// How much: 1250, 1,250.50; for time: 45m, 1h30, 2.5h
    pub amount: String,
    /// When (default today): yesterday, mon, 2026-11-20
    pub on: Option<String>,
    /// What it was for
    pub memo: Option<String>,
    /// The deal it belongs to: d#12
    pub deal: Option<String>,
}

impl Record {
    pub fn words(&self, command: &str) -> Result<Words> {
        Ok(Words::new(&[command])
            .opt("on", self.on.as_deref())
            .opt("memo", self.memo.as_deref())
            .opt("deal", self.deal.as_deref())
            .arg(text(&self.who, "who")?)
            .arg(text(&self.amount, "the amount")?))
    }
}

/// Income: `tend income WHO AMOUNT`, paid or not yet.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Income {
    /// Who it is for
    pub who: String,
    /// How much: 1250, 1,250.50
    pub amount: String,
    /// When (default today): yesterday, mon, 2026-11-20
    pub on: Option<String>,
    /// What it was for
    pub memo: Option<String>,
    /// The deal it belongs to: d#12
    pub deal: Option<String>,
    /// It has been paid (today, or paid_on); otherwise it is owed
    #[serde(default)]
    pub paid: bool,
    /// The day it was paid
    pub paid_on: Option<String>,
}

impl Income {
    pub fn words(&self) -> Result<Words> {
        Ok(Words::new(&["income"])
            .opt("on", self.on.as_deref())
            .opt("memo", self.memo.as_deref())
            .opt("deal", self.deal.as_deref())
            .flag("paid", self.paid)
            .opt("paid-on", self.paid_on.as_deref())
            .arg(text(&self.who, "who")?)
            .arg(text(&self.amount, "the amount")?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn day() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn flag_like_values_reach_the_command_as_values() {
        let n = LogNote {
            who: "-h".into(),
            text: "--undo".into(),
            kind: Some("call".into()),
            at: None,
            next: Some("--fri: x".into()),
            every: None,
        };
        let cli = Cli::try_parse_from(n.words().unwrap().into_argv()).unwrap();
        let Some(Command::Note(a)) = cli.command else {
            panic!("not a note: {:?}", cli.command)
        };
        assert_eq!(a.who.as_deref(), Some("-h"));
        assert_eq!(a.text, ["--undo"]);
        assert_eq!(a.next.as_deref(), Some("--fri: x"));
    }

    #[test]
    fn a_next_step_whose_when_does_not_read_whole_is_refused() {
        let s = SetNextStep {
            who: "alice".into(),
            when: "tomorrow morning".into(),
            what: "call the supplier".into(),
            every: None,
        };
        let e = s.words(day()).unwrap_err().to_string();
        assert!(e.contains("tomorrow morning"), "{e}");
    }

    #[test]
    fn a_contact_id_is_not_taken_for_a_follow_up() {
        for v in ["#3", "3", " #12 "] {
            let f = FollowUp {
                follow_up: v.into(),
            };
            let e = f.done().unwrap_err().to_string();
            assert!(e.contains("starts with f"), "{v}: {e}");
        }
        for v in ["f#3", "alice"] {
            let f = FollowUp {
                follow_up: v.into(),
            };
            assert!(f.done().is_ok(), "{v}");
        }
    }

    #[test]
    fn what_an_assistant_sends_cannot_become_a_flag() {
        let n = LogNote {
            who: "--db=/etc/passwd".into(),
            text: "--help".into(),
            kind: Some("call --json".into()),
            at: None,
            next: Some("-fri: x".into()),
            every: None,
        };
        assert_eq!(
            n.words().unwrap().into_argv(),
            [
                "tend",
                "note",
                "--kind=call --json",
                "--next=-fri: x",
                "--",
                "--db=/etc/passwd",
                "--help"
            ]
        );
    }

    #[test]
    fn a_dash_or_empty_text_is_refused_before_anything_runs() {
        let mut n = LogNote {
            who: "alice".into(),
            text: " - ".into(),
            kind: None,
            at: None,
            next: None,
            every: None,
        };
        assert!(n.words().unwrap_err().to_string().contains("\"-\""));
        n.text = "  ".into();
        assert!(n.words().unwrap_err().to_string().contains("empty"));
    }

    #[test]
    fn a_next_step_is_the_words_a_person_types() {
        let s = SetNextStep {
            who: "alice".into(),
            when: "next tue".into(),
            what: "call back".into(),
            every: Some("2w".into()),
        };
        assert_eq!(
            s.words(day()).unwrap().into_argv(),
            [
                "tend",
                "next",
                "--every=2w",
                "--",
                "alice",
                "next tue",
                "call back"
            ]
        );
    }

    #[test]
    fn a_stage_is_read_in_any_case_and_a_reason_only_for_lost() {
        let m = MoveDeal {
            deal: "d#3".into(),
            stage: " Won ".into(),
            reason: None,
        };
        assert_eq!(
            m.words().unwrap().into_argv(),
            ["tend", "deal", "won", "--", "d#3"]
        );
        let m = MoveDeal {
            reason: Some("they said yes".into()),
            ..m
        };
        assert!(m.words().is_err());
    }

    #[test]
    fn a_deal_lost_needs_its_reason() {
        let m = MoveDeal {
            deal: "d#3".into(),
            stage: "lost".into(),
            reason: None,
        };
        assert!(m.words().is_err());
        let m = MoveDeal {
            reason: Some("went elsewhere".into()),
            ..m
        };
        assert_eq!(
            m.words().unwrap().into_argv(),
            [
                "tend",
                "deal",
                "lost",
                "--reason=went elsewhere",
                "--",
                "d#3"
            ]
        );
    }
}

//! `tend digest`: the day's agenda with context, as text, Markdown, HTML or JSON, for cron to
//! mail or post (`tend digest --format html | mail -a 'Content-Type: text/html' -s Today me`).

use clap::{Args, ValueEnum};

use super::{Ctx, json};
use crate::commands::digest::{self, Context, Digest};
use crate::config::Settings;
use crate::error::Result;
use crate::model::text::one_line;
use crate::when;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Markdown,
    Html,
    Json,
}

#[derive(Debug, Args)]
pub struct DigestArgs {
    /// How to write it
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// One thing to act on: what it is, then the lines that help ("07700 900123", "last note …").
struct Entry {
    who: String,
    what: String,
    details: Vec<String>,
}

struct Section {
    title: &'static str,
    entries: Vec<Entry>,
}

fn details(c: &Context, today: chrono::NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let reach: Vec<String> = [&c.phone, &c.email]
        .into_iter()
        .flatten()
        .map(|v| one_line(v))
        .collect();
    if !reach.is_empty() {
        out.push(reach.join(" · "));
    }
    if let Some(step) = &c.checklist {
        out.push(format!("checklist next: {}", one_line(step)));
    }
    if let Some((day, line)) = &c.last_note {
        out.push(format!(
            "last note {}: {}",
            when::describe(*day, today),
            one_line(line)
        ));
    }
    out
}

fn sections(d: &Digest, settings: &Settings) -> Vec<Section> {
    let today = d.today;
    let step = |s: &digest::Step, late: bool| {
        let f = &s.follow_up;
        let mut what = one_line(&f.text);
        if let Some(t) = f.due_time {
            what.push_str(&format!(" at {}", t.format("%H:%M")));
        }
        if late {
            what.push_str(&format!(" ({})", when::relative_phrase(f.due_date, today)));
        }
        what.push_str(&format!(" [f#{}]", f.id));
        Entry {
            who: one_line(&f.contact),
            what,
            details: details(&s.context, today),
        }
    };
    vec![
        Section {
            title: "Overdue",
            entries: d.overdue.iter().map(|s| step(s, true)).collect(),
        },
        Section {
            title: "Due today",
            entries: d.due_today.iter().map(|s| step(s, false)).collect(),
        },
        Section {
            title: "Due to get in touch",
            entries: d
                .due_touch
                .iter()
                .map(|t| Entry {
                    who: one_line(&t.due.name),
                    what: format!(
                        "{} quiet ({})",
                        crate::model::cadence::quiet_for(t.due.quiet_days),
                        t.due.cadence
                    ),
                    details: details(&t.context, today),
                })
                .collect(),
        },
        Section {
            title: "Chase payment",
            entries: d
                .chase_payment
                .iter()
                .map(|c| {
                    let u = &c.unpaid;
                    Entry {
                        who: one_line(&u.contact),
                        what: format!(
                            "{} invoiced {}, {} days ago [i#{}]",
                            settings.currency.format(u.amount_minor),
                            u.on_date.format("%a %-d %b %Y"),
                            (today - u.on_date).num_days(),
                            u.id
                        ),
                        details: u
                            .memo
                            .iter()
                            .map(|m| one_line(m))
                            .chain(details(&c.context, today))
                            .collect(),
                    }
                })
                .collect(),
        },
        Section {
            title: "Deals past their expected close",
            entries: d
                .late_deals
                .iter()
                .map(|late| (&late.deal, &late.context))
                .map(|(deal, context)| Entry {
                    who: one_line(&deal.contact),
                    what: format!(
                        "{} {}, expected {} [d#{}]",
                        one_line(&deal.title),
                        settings.currency.format(deal.value_minor),
                        deal.expected_close
                            .map(|e| e.format("%a %-d %b %Y").to_string())
                            .unwrap_or_default(),
                        deal.id
                    ),
                    details: std::iter::once(format!("stage {}", deal.stage.as_str()))
                        .chain(details(context, today))
                        .collect(),
                })
                .collect(),
        },
    ]
}

const NOTHING: &str = "Nothing due today, nobody to get in touch with, nothing to chase.";

fn heading(d: &Digest) -> String {
    format!("tend digest for {}", d.today.format("%A %-d %B %Y"))
}

fn text(d: &Digest, secs: &[Section]) -> String {
    let mut out = format!("{}\n", heading(d));
    for s in secs.iter().filter(|s| !s.entries.is_empty()) {
        out.push_str(&format!("\n{} ({})\n", s.title, s.entries.len()));
        for e in &s.entries {
            out.push_str(&format!("  {}: {}\n", e.who, e.what));
            for line in &e.details {
                out.push_str(&format!("    {line}\n"));
            }
        }
    }
    if d.is_empty() {
        out.push_str(&format!("\n{NOTHING}\n"));
    }
    out
}

/// Text a Markdown reader shows as it is.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_[]<>#|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn markdown(d: &Digest, secs: &[Section]) -> String {
    let mut out = format!("# {}\n", md(&heading(d)));
    for s in secs.iter().filter(|s| !s.entries.is_empty()) {
        out.push_str(&format!("\n## {} ({})\n\n", s.title, s.entries.len()));
        for e in &s.entries {
            out.push_str(&format!("- **{}**: {}\n", md(&e.who), md(&e.what)));
            for line in &e.details {
                out.push_str(&format!("  - {}\n", md(line)));
            }
        }
    }
    if d.is_empty() {
        out.push_str(&format!("\n{NOTHING}\n"));
    }
    out
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole page (well-formed, so mail clients and XML tools alike read it).
fn html(d: &Digest, secs: &[Section]) -> String {
    let title = esc(&heading(d));
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    for s in secs.iter().filter(|s| !s.entries.is_empty()) {
        out.push_str(&format!(
            "<h2>{} ({})</h2>\n<ul>\n",
            esc(s.title),
            s.entries.len()
        ));
        for e in &s.entries {
            out.push_str(&format!(
                "<li><strong>{}</strong>: {}",
                esc(&e.who),
                esc(&e.what)
            ));
            if !e.details.is_empty() {
                out.push_str("<br />");
                let lines: Vec<String> = e.details.iter().map(|l| esc(l)).collect();
                out.push_str(&format!("<small>{}</small>", lines.join("<br />")));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    if d.is_empty() {
        out.push_str(&format!("<p>{}</p>\n", esc(NOTHING)));
    }
    out.push_str("</body>\n</html>\n");
    out
}

pub fn run(a: DigestArgs, ctx: &mut Ctx) -> Result<String> {
    let settings = Settings::load()?;
    let d = digest::digest(ctx.store.conn(), &ctx.clock, &settings)?;
    if a.format == Format::Json {
        return json(&d);
    }
    let secs = sections(&d, &settings);
    Ok(match a.format {
        Format::Text => text(&d, &secs),
        Format::Markdown => markdown(&d, &secs),
        Format::Html => html(&d, &secs),
        Format::Json => unreachable!("answered above"),
    })
}

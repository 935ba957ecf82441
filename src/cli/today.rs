//! `tend today` (and `tend` with no command): the agenda.

use clap::Args;

use super::output::{follow_up_line, last_contact};
use super::{Ctx, json};
use crate::commands::agenda::{self, DAYS_AHEAD};
use crate::error::Result;
use crate::model::followup::FollowUp;
use crate::model::text::one_line;

/// How many "no next step" contacts the text agenda lists before summing up the rest.
const NEGLECTED_SHOWN: usize = 15;
/// How many of each of overdue, due today and coming up the text agenda lists.
const SECTION_SHOWN: usize = 25;

#[derive(Debug, Default, Args)]
pub struct TodayArgs {
    /// List every follow-up and every contact with no next step, not only the first few
    #[arg(long)]
    pub all: bool,
    /// Print the agenda as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: TodayArgs, ctx: &mut Ctx) -> Result<String> {
    let today = ctx.clock.today();
    let limit = (!a.all && !a.json).then_some(NEGLECTED_SHOWN);
    let sections = (!a.all && !a.json).then_some(SECTION_SHOWN);
    let settings = crate::config::Settings::load()?;
    let ag = agenda::agenda(ctx.store.conn(), &ctx.clock, limit, sections, &settings)?;
    if a.json {
        return json(&ag);
    }
    let s = ctx.style;
    let mut out = format!(
        "{}\n",
        s.heading(&format!("Today, {}", today.format("%A %-d %B %Y")))
    );
    if ag.is_empty() {
        if crate::store::contacts::count(ctx.store.conn())? == 0 {
            out.push_str(
                "\nNothing here yet. Add your first contact:\n  tend add \"Alice Smith\" --email alice@example.com\n\
                 then log what happened and what comes next:\n  tend note alice \"called, wants a quote\" --next \"fri: send quote\"\n\
                 Contacts in your phone or a spreadsheet? Bring them in:\n  tend import vcard contacts.vcf   or   tend import csv contacts.csv --dry-run\n",
            );
        } else {
            out.push_str(&s.good("\nAll clear: nothing due, and everyone has a next step.\n"));
        }
        return Ok(out);
    }
    let hygiene = crate::commands::doctor::summary_line(
        ctx.store.conn(),
        &ctx.clock,
        settings.stale_lead_days,
    )?;
    section(&mut out, "Overdue", &ag.overdue, ag.overdue_total, ctx);
    section(
        &mut out,
        "Due today",
        &ag.due_today,
        ag.due_today_total,
        ctx,
    );
    section(
        &mut out,
        &format!("Coming up (next {DAYS_AHEAD} days)"),
        &ag.upcoming,
        ag.upcoming_total,
        ctx,
    );
    if !ag.due_touch.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            s.heading(&format!("Due to get in touch ({})", ag.due_touch.len()))
        ));
        for d in &ag.due_touch {
            out.push_str(&format!("  {}\n", touch_line(d, s)));
        }
    }
    if !ag.chase_payment.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            s.heading(&format!(
                "Chase payment ({})",
                agenda::shown_total(ag.chase_payment_total)
            ))
        ));
        for u in &ag.chase_payment {
            out.push_str(&format!("  {}\n", chase_line(u, &settings, today, s)));
        }
        if ag.chase_payment_total > ag.chase_payment.len() {
            let hidden = agenda::shown_more(ag.chase_payment_total, ag.chase_payment.len());
            out.push_str(&s.dim(&format!("  … and {hidden} more: tend today --all\n")));
        }
        out.push_str(&s.dim("  When it comes in: tend paid i#N\n"));
    }
    if ag.no_next_step_total > 0 {
        out.push_str(&format!(
            "\n{}\n",
            s.heading(&format!(
                "No next step ({})",
                agenda::shown_total(ag.no_next_step_total)
            ))
        ));
        for n in &ag.no_next_step {
            let last = last_contact(n.last_note_at.as_deref(), today, ctx.clock.offset());
            out.push_str(&format!(
                "  {} {}  {}\n",
                s.dim(&format!("#{:<5}", n.id)),
                one_line(&n.name),
                s.dim(&format!("({}, last contact {last})", n.status))
            ));
        }
        if ag.no_next_step_total > ag.no_next_step.len() {
            let hidden = agenda::shown_more(ag.no_next_step_total, ag.no_next_step.len());
            out.push_str(&s.dim(&format!(
                "  … and {hidden} more: tend today --all, or tend list --no-next-step\n"
            )));
        }
        out.push_str(&s.dim("  Give each one: tend next WHO WHEN WHAT\n"));
    }
    if let Some(h) = hygiene {
        out.push_str(&format!("\n{} {h}\n", s.heading("Hygiene:")));
    }
    Ok(out)
}

fn section(out: &mut String, title: &str, items: &[FollowUp], total: usize, ctx: &Ctx) {
    if items.is_empty() {
        return;
    }
    let today = ctx.clock.today();
    out.push_str(&format!(
        "\n{}\n",
        ctx.style
            .heading(&format!("{title} ({})", agenda::shown_total(total)))
    ));
    for f in items {
        out.push_str(&format!(
            "  {}\n",
            follow_up_line(f, today, ctx.style, true)
        ));
    }
    if total > items.len() {
        out.push_str(&ctx.style.dim(&format!(
            "  … and {} more: tend today --all\n",
            agenda::shown_more(total, items.len())
        )));
    }
}

/// "#12    Ann Apple  (client, every 6 weeks; last contact 7 weeks ago)".
pub fn touch_line(d: &crate::model::cadence::DueTouch, s: super::output::Style) -> String {
    let quiet = crate::model::cadence::quiet_for(d.quiet_days);
    let last = if d.contacted {
        format!("last contact {quiet} ago")
    } else {
        format!("added {quiet} ago, never contacted")
    };
    format!(
        "{} {}  {}",
        s.dim(&format!("#{:<5}", d.id)),
        one_line(&d.name),
        s.dim(&format!("({}, {}; {last})", d.status, d.cadence))
    )
}

/// "i#12   Alice Smith  £1,234.50 invoiced Mon 5 Oct (49 days)".
pub fn chase_line(
    u: &crate::store::entries::Unpaid,
    settings: &crate::config::Settings,
    today: chrono::NaiveDate,
    s: super::output::Style,
) -> String {
    let days = (today - u.on_date).num_days();
    let memo = u
        .memo
        .as_deref()
        .map(|m| format!(" · {}", one_line(m)))
        .unwrap_or_default();
    format!(
        "{} {}  {} {}{memo}",
        s.dim(&format!("i#{:<5}", u.id)),
        one_line(&u.contact),
        settings.currency.format(u.amount_minor),
        s.dim(&format!(
            "invoiced {} ({days} days)",
            u.on_date.format("%a %-d %b")
        ))
    )
}

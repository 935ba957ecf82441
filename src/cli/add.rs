//! `tend add`

use clap::Args;

use super::{Ctx, json};
use crate::commands::contacts::{self, AddContact};
use crate::error::Result;
use crate::model::contact::parse_field;
use crate::model::text::one_line;
use crate::model::{ContactKind, Status};

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Full name (or company name with --kind company)
    pub name: String,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    /// The company they work for (made if new)
    #[arg(long)]
    pub company: Option<String>,
    /// lead, prospect, client, former or lost
    #[arg(long, default_value = "lead")]
    pub status: Status,
    /// person or company
    #[arg(long)]
    pub kind: Option<ContactKind>,
    /// Where they came from: website, market stall, instagram...
    #[arg(long)]
    pub source: Option<String>,
    /// The contact who referred them
    #[arg(long, value_name = "WHO")]
    pub referred_by: Option<String>,
    /// A tag (repeat for several)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// A profile field as key=value, e.g. likes="lemon cake" (repeat for several)
    #[arg(long = "field", value_name = "KEY=VALUE", value_parser = parse_field)]
    pub fields: Vec<(String, String)>,
    /// Print the new contact as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: AddArgs, ctx: &mut Ctx) -> Result<String> {
    let referred_by = match &a.referred_by {
        Some(who) => Some(ctx.contact(who)?),
        None => None,
    };
    let added = contacts::add(
        &mut ctx.store,
        &ctx.clock,
        AddContact {
            name: a.name,
            kind: a.kind,
            email: a.email,
            phone: a.phone,
            address: a.address,
            company: a.company,
            status: Some(a.status),
            source: a.source,
            referred_by,
            tags: a.tags,
            fields: a.fields,
        },
    )?;
    ctx.remember(&format!("{} added", added.contact.name), &added.undo())?;
    for w in &added.warnings {
        ctx.warn("note:", &one_line(w));
    }
    if a.json {
        return json(&added.contact);
    }
    let c = &added.contact;
    Ok(format!(
        "Added #{} {} ({}).\nGive them a next step: tend next \"{}\" fri say hello\n",
        c.id,
        one_line(&c.name),
        c.status,
        one_line(&c.name)
    ))
}

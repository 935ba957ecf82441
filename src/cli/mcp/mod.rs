//! `tend mcp`: tend served to an AI assistant over the Model Context Protocol (stdio, on the
//! official SDK, `rmcp`). Each tool is a `tend` command run in this process on one open store
//! (see `tools`), so an assistant gets what a person at the shell gets: the same parsers,
//! messages and hints, one transaction per change, and every change in `tend undo`'s list.
//!
//! Reading tools only, unless `--write` or `[mcp] write = true`. Standard output carries the
//! protocol and nothing else; warnings go to stderr, which MCP clients keep as the server's log.

mod tools;

use std::path::Path;
use std::sync::{Arc, Mutex};

use clap::{Args, Parser};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListResourceTemplatesResult, ListResourcesResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ResourceTemplate, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt, tool, tool_handler, tool_router};

use self::tools::Words;
use super::{Cli, Ctx, Style};
use crate::error::{Error, Result};

#[derive(Debug, Args)]
pub struct McpArgs {
    /// Offer the tools that change things too (notes, next steps, deals, money), as
    /// `[mcp] write = true` in config.toml does
    #[arg(long, conflicts_with = "read_only")]
    pub write: bool,
    /// Offer only the tools that read, whatever config.toml says
    #[arg(long)]
    pub read_only: bool,
}

/// The guide for assistants, also given to the client as the server's instructions.
pub const GUIDE: &str = include_str!("../../../assets/AGENTS.md");

/// The tools that change the book: left out of the list, and refused, when reading only.
const WRITES: &[&str] = &[
    "add_contact",
    "log_note",
    "set_next_step",
    "complete_follow_up",
    "snooze_follow_up",
    "tick_step",
    "add_deal",
    "move_deal",
    "record_income",
    "record_expense",
    "record_time",
    "undo",
];

const AGENDA_URI: &str = "tend://agenda";
const CONTACT_URI: &str = "tend://contact/";

pub fn serve(a: McpArgs, mut ctx: Ctx, path: &Path) -> Result<()> {
    let settings = crate::config::Settings::load()?;
    let write = !a.read_only && (a.write || settings.mcp_write);
    ctx.style = Style::plain();
    ctx.made_by = "mcp";
    ctx.warnings = Some(Default::default());
    eprintln!(
        "tend mcp: serving {} ({}) over stdio",
        path.display(),
        if write {
            "reading and writing"
        } else {
            "reading only; --write to let the assistant change things"
        }
    );
    let server = Server::new(ctx, write, path);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let running = server
            .serve(rmcp::transport::io::stdio_pipes())
            .await
            .map_err(|e| Error::invalid(format!("the MCP client did not start a session: {e}")))?;
        running
            .waiting()
            .await
            .map_err(|e| Error::invalid(format!("the MCP session ended badly: {e}")))?;
        Ok(())
    })
}

#[derive(Clone)]
pub struct Server {
    ctx: Arc<Mutex<Ctx>>,
    write: bool,
    path: Arc<Path>,
    tool_router: ToolRouter<Server>,
}

/// A tool's answer: what the command printed, or its error as the shell would show it.
type Answer = CallToolResult;

/// What a command printed, and what it would have said on stderr at the shell (a date years
/// away, a contact who may be there already): kept apart, so printed JSON stays JSON.
struct Said {
    out: String,
    notes: Vec<String>,
    /// The change it made can be taken back with the undo tool (its undo record was kept).
    undoable: bool,
}

impl Server {
    fn new(ctx: Ctx, write: bool, path: &Path) -> Server {
        let mut tool_router = Self::tool_router();
        if !write {
            for name in WRITES {
                tool_router.remove_route(name);
            }
        }
        Server {
            ctx: Arc::new(Mutex::new(ctx)),
            write,
            path: path.into(),
            tool_router,
        }
    }

    /// The book, with the clock moved on to now: a client keeps the server for days, and
    /// "tomorrow" is the day after the request, not after the server started.
    fn ctx(&self) -> std::sync::MutexGuard<'_, Ctx> {
        // A command that panicked left the store as SQLite left it (a transaction rolls back):
        // go on with it.
        let mut ctx = self.ctx.lock().unwrap_or_else(|p| p.into_inner());
        ctx.clock.tick();
        ctx
    }

    fn today(&self) -> chrono::NaiveDate {
        self.ctx().clock.today()
    }

    /// Run `tend WORDS...` here, on the open store.
    fn command(&self, words: Result<Words>) -> Result<Said> {
        let argv = words?.into_argv();
        let cli = Cli::try_parse_from(&argv).map_err(clap_error)?;
        let command = cli.command.ok_or_else(|| Error::invalid("no command"))?;
        let mut ctx = self.ctx();
        super::files::start_daily_backup(&self.path, &ctx.clock);
        let before = ctx.store.conn().total_changes();
        ctx.unrecorded = false;
        let result = super::dispatch(command, &mut ctx);
        let warnings = ctx.warnings.as_ref().map(|w| w.take()).unwrap_or_default();
        if ctx.store.conn().total_changes() != before {
            super::vdir::start_auto_sync(&self.path);
        }
        Ok(Said {
            out: result?,
            notes: warnings,
            undoable: !ctx.unrecorded,
        })
    }

    fn read(&self, words: Result<Words>) -> Answer {
        answer(self.command(words))
    }

    /// A change: its answer says how to take it back.
    fn change(&self, words: Result<Words>) -> Answer {
        answer(self.command(words).map(|mut said| {
            // Without its record, the undo tool would take back an older change instead.
            if said.undoable {
                said.out.push_str(
                    "To take this back: the undo tool, or `tend undo` in a terminal (tend undo --list shows the recent changes).\n",
                );
            } else {
                said.out.push_str(
                    "This change cannot be taken back with the undo tool: do not call undo for it; tell the user.\n",
                );
            }
            said
        }))
    }

    /// The first `limit` of a command's JSON list (`tend list --json` has no limit of its
    /// own), and, in a second text, how many more there are: the first stays JSON.
    fn first(&self, words: Result<Words>, limit: usize) -> Answer {
        answer(self.command(words).and_then(|said| {
            let mut all: Vec<serde_json::Value> =
                serde_json::from_str(&said.out).map_err(|e| Error::invalid(e.to_string()))?;
            let more = all.len().saturating_sub(limit);
            all.truncate(limit);
            let mut out =
                serde_json::to_string_pretty(&all).map_err(|e| Error::invalid(e.to_string()))?;
            out.push('\n');
            let mut notes = said.notes;
            if more > 0 {
                notes.insert(
                    0,
                    format!(
                        "… and {more} more: a higher limit, or a query, tag or status to narrow them"
                    ),
                );
            }
            Ok(Said {
                out,
                notes,
                undoable: said.undoable,
            })
        }))
    }

    /// Part of `tend search --json`: its "contacts" or its "notes".
    fn search_part(&self, words: Result<Words>, part: &str) -> Answer {
        answer(self.command(words).and_then(|said| {
            let v: serde_json::Value =
                serde_json::from_str(&said.out).map_err(|e| Error::invalid(e.to_string()))?;
            let mut out = serde_json::to_string_pretty(&v[part])
                .map_err(|e| Error::invalid(e.to_string()))?;
            out.push('\n');
            Ok(Said {
                out,
                notes: said.notes,
                undoable: said.undoable,
            })
        }))
    }
}

/// clap's own message, first paragraph, without "error: " and the usage that follows: the
/// assistant did not type the words, so their usage would mislead.
fn clap_error(e: clap::Error) -> Error {
    let text = e.render().to_string();
    let first = text.split("\n\n").next().unwrap_or(&text).trim();
    Error::invalid(first.strip_prefix("error: ").unwrap_or(first).to_string())
}

/// The command's output first (JSON stays JSON), then what it noted, in a text of its own.
fn answer(r: Result<Said>) -> Answer {
    match r {
        Ok(Said { out, notes, .. }) => {
            let mut blocks = vec![ContentBlock::text(out)];
            if !notes.is_empty() {
                blocks.push(ContentBlock::text(notes.join("\n")));
            }
            CallToolResult::success(blocks)
        }
        Err(e) => CallToolResult::error(vec![ContentBlock::text(error_text(&e))]),
    }
}

/// What an assistant is told when a command fails: the message and hint a person would see.
/// The database's and the file system's own errors stay in the log (stderr): they say nothing
/// an assistant can act on, and may name files.
fn error_text(e: &Error) -> String {
    match e {
        Error::Sqlite(_) | Error::Io(_) => {
            eprintln!("tend mcp: {e}");
            "tend could not finish this because of an internal error; nothing more was changed. \
             Ask the user to run `tend doctor` in a terminal."
                .into()
        }
        _ => match e.hint() {
            Some(h) => format!("{e}\nhint: {h}"),
            None => e.to_string(),
        },
    }
}

#[tool_router]
impl Server {
    #[tool(
        description = "Find contacts by name (typos are forgiven), email, phone, company or details; or list them by tag or status. Returns each one's id (#12) and name; brief_contact tells the rest. Search before adding anyone.",
        annotations(read_only_hint = true)
    )]
    fn find_contacts(&self, Parameters(a): Parameters<tools::FindContacts>) -> Answer {
        if a.query.is_some() {
            self.search_part(a.words(), "contacts")
        } else {
            self.first(a.words(), a.limit())
        }
    }

    #[tool(
        description = "Everything to know about one contact before a call or an email: details, profile fields (what they like), recent notes, open follow-ups, checklists, deals and money. The same as `tend show --json`.",
        annotations(read_only_hint = true)
    )]
    fn brief_contact(&self, Parameters(a): Parameters<tools::Who>) -> Answer {
        self.read(a.brief())
    }

    #[tool(
        description = "Today's agenda: follow-ups overdue, due today and coming up, invoices to chase, and who has no next step (the first of each part, with how many there are; find_contacts by status or tag lists more).",
        annotations(read_only_hint = true)
    )]
    fn agenda(&self) -> Answer {
        self.read(Ok(Words::agenda()))
    }

    #[tool(
        description = "Search the full text of notes (calls, emails, meetings). Returns the notes with their contact and date.",
        annotations(read_only_hint = true)
    )]
    fn search_notes(&self, Parameters(a): Parameters<tools::SearchNotes>) -> Answer {
        self.search_part(a.words(), "notes")
    }

    #[tool(
        description = "A report: profit (per client, with hours counted), pipeline, funnel, revenue (against goals), sources or referrals.",
        annotations(read_only_hint = true)
    )]
    fn report(&self, Parameters(a): Parameters<tools::Report>) -> Answer {
        self.read(a.words())
    }

    #[tool(
        description = "List deals (open ones first) with their ids (d#12), stage, value and expected close.",
        annotations(read_only_hint = true)
    )]
    fn list_deals(&self, Parameters(a): Parameters<tools::ListDeals>) -> Answer {
        self.read(Ok(a.words()))
    }

    #[tool(
        description = "Add a contact (a lead unless a status is given). Use find_contacts first: they may be there already.",
        annotations(read_only_hint = false, destructive_hint = false)
    )]
    fn add_contact(&self, Parameters(a): Parameters<tools::AddContact>) -> Answer {
        self.change(a.words())
    }

    #[tool(
        description = "Log a note, call, email or meeting with a contact, optionally with the next step (\"fri: send quote\"). Log after every interaction, and leave a next step.",
        annotations(read_only_hint = false, destructive_hint = false)
    )]
    fn log_note(&self, Parameters(a): Parameters<tools::LogNote>) -> Answer {
        self.change(a.words())
    }

    #[tool(
        description = "Set a contact's next step: when and what.",
        annotations(read_only_hint = false, destructive_hint = false)
    )]
    fn set_next_step(&self, Parameters(a): Parameters<tools::SetNextStep>) -> Answer {
        self.change(a.words(self.today()))
    }

    #[tool(
        description = "Mark a follow-up done (a repeating one schedules its next time). Name it by its id (f#14, from the agenda or brief_contact), or by the contact when they have one open follow-up.",
        annotations(read_only_hint = false, destructive_hint = false)
    )]
    fn complete_follow_up(&self, Parameters(a): Parameters<tools::FollowUp>) -> Answer {
        self.change(a.done())
    }

    #[tool(
        description = "Move a follow-up to a later day. Name it by its id (f#14), or by the contact when they have one open follow-up.",
        annotations(read_only_hint = false, destructive_hint = false)
    )]
    fn snooze_follow_up(&self, Parameters(a): Parameters<tools::Snooze>) -> Answer {
        self.change(a.words())
    }

    #[tool(
        description = "Tick a step of a contact's checklist (the next open one unless a step is given).",
        annotations(read_only_hint = false, destructive_hint = false)
    )]
    fn tick_step(&self, Parameters(a): Parameters<tools::Tick>) -> Answer {
        self.change(a.words())
    }

    #[tool(
        description = "Add a deal for a contact: what it is, what it is worth, its stage and expected close.",
        annotations(read_only_hint = false, destructive_hint = false)
    )]
    fn add_deal(&self, Parameters(a): Parameters<tools::AddDeal>) -> Answer {
        self.change(a.words())
    }

    #[tool(
        description = "Move a deal to a stage; won makes a lead or prospect a client; lost needs a reason.",
        annotations(read_only_hint = false, destructive_hint = false)
    )]
    fn move_deal(&self, Parameters(a): Parameters<tools::MoveDeal>) -> Answer {
        self.change(a.words())
    }

    #[tool(
        description = "Record income (invoiced; paid=true when it has been paid) for a contact.",
        annotations(read_only_hint = false, destructive_hint = false)
    )]
    fn record_income(&self, Parameters(a): Parameters<tools::Income>) -> Answer {
        self.change(a.words())
    }

    #[tool(
        description = "Record an expense for a contact.",
        annotations(read_only_hint = false, destructive_hint = false)
    )]
    fn record_expense(&self, Parameters(a): Parameters<tools::Record>) -> Answer {
        self.change(a.words("expense"))
    }

    #[tool(
        description = "Record time spent for a contact: amount like 45m, 1h30, 2.5h.",
        annotations(read_only_hint = false, destructive_hint = false)
    )]
    fn record_time(&self, Parameters(a): Parameters<tools::Record>) -> Answer {
        self.change(a.words("time"))
    }

    #[tool(
        description = "Undo your own newest change: the newest change in the book, if it was made through these tools. When the user has changed something since, nothing is undone and you are told so: ask them.",
        annotations(read_only_hint = false, destructive_hint = true)
    )]
    fn undo(&self) -> Answer {
        self.read(Ok(Words::undo()))
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .build(),
        )
        .with_server_info(Implementation::new("tend", env!("CARGO_PKG_VERSION")))
        .with_instructions(GUIDE)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> std::result::Result<CallToolResponse, ErrorData> {
        if !self.write && WRITES.contains(&&*request.name) {
            return Ok(CallToolResult::error(vec![ContentBlock::text(format!(
                "{} changes the book, and tend mcp is reading only; nothing was changed.\nhint: the user can allow changes with `tend mcp --write` or `[mcp] write = true` in tend's config.toml",
                request.name
            ))])
            .into());
        }
        let tcc = ToolCallContext::new(self, request, context);
        self.tool_router.call(tcc).await
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<ListResourcesResult, ErrorData> {
        Ok(ListResourcesResult::with_all_items(vec![
            Resource::new(AGENDA_URI, "agenda")
                .with_description("Today's agenda: overdue, due today, coming up, no next step")
                .with_mime_type("text/plain"),
        ]))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<ListResourceTemplatesResult, ErrorData> {
        Ok(ListResourceTemplatesResult::with_all_items(vec![
            ResourceTemplate::new(format!("{CONTACT_URI}{{id}}"), "contact")
                .with_description(
                    "One contact's briefing (as brief_contact), by id: tend://contact/12",
                )
                .with_mime_type("application/json"),
        ]))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<ReadResourceResponse, ErrorData> {
        let uri = request.uri;
        let (words, mime) = if uri == AGENDA_URI {
            (Ok(Words::agenda()), "text/plain")
        } else if let Some(id) = uri.strip_prefix(CONTACT_URI)
            && !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_digit())
        {
            let who = tools::Who {
                who: format!("#{id}"),
            };
            (who.brief(), "application/json")
        } else {
            return Err(ErrorData::resource_not_found(
                format!("no such resource: {uri} (tend://agenda, tend://contact/ID)"),
                None,
            ));
        };
        match self.command(words) {
            // (A read notes nothing worth a second text.)
            Ok(said) => Ok(ReadResourceResult::new(vec![
                ResourceContents::text(said.out, uri).with_mime_type(mime),
            ])
            .into()),
            Err(Error::NoSuchContact { .. }) => Err(ErrorData::resource_not_found(
                format!("no contact {uri}"),
                None,
            )),
            Err(e) => Err(ErrorData::internal_error(error_text(&e), None)),
        }
    }
}

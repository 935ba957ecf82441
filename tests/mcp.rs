//! `tend mcp` as an assistant's client meets it: the real binary as a child process, spoken to
//! in JSON-RPC over its stdin and stdout, with the database checked afterwards.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use common::{Env, NOW};
use serde_json::{Value, json};

/// A session with `tend mcp ARGS`, initialized.
struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
}

impl Session {
    /// On the tests' fixed clock.
    fn start(env: &Env, args: &[&str]) -> Session {
        Session::start_on(env, args, Some(NOW))
    }

    /// `now`: a fixed clock, or the machine's own (`None`).
    fn start_on(env: &Env, args: &[&str], now: Option<&str>) -> Session {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin!("tend"));
        match now {
            Some(now) => command.env("TEND_NOW", now),
            None => command.env_remove("TEND_NOW"),
        };
        let mut child = command
            .arg("mcp")
            .args(args)
            .env("TEND_DB", &env.db)
            .env("NO_COLOR", "1")
            .env("HOME", env.dir.path())
            .env("TEND_CONFIG_DIR", env.config_dir())
            .env("TEND_DAILY_BACKUP", "off")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tend mcp starts");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut s = Session {
            child,
            stdin,
            stdout,
            next_id: 0,
        };
        let init = s.request(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "tests", "version": "1"}
            }),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "tend", "{init}");
        s.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        s
    }

    fn send(&mut self, message: Value) {
        let stdin = self.stdin.as_mut().expect("open stdin");
        writeln!(stdin, "{message}").expect("write a request");
        stdin.flush().expect("flush");
    }

    /// One request and its response (every line on stdout must be a JSON-RPC message).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let mut line = String::new();
            let n = self.stdout.read_line(&mut line).expect("read a response");
            assert!(n > 0, "tend mcp closed stdout while {method} was asked");
            let message: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("not JSON-RPC on stdout ({e}): {line}"));
            assert_eq!(message["jsonrpc"], "2.0", "{message}");
            if message["id"] == json!(id) {
                return message;
            }
        }
    }

    /// Call a tool: whether it is an error, and its first text (the command's output).
    fn call(&mut self, name: &str, arguments: Value) -> (bool, String) {
        let (error, texts) = self.call_all(name, arguments);
        (error, texts[0].clone())
    }

    /// Call a tool: whether it is an error, and each of its texts.
    fn call_all(&mut self, name: &str, arguments: Value) -> (bool, Vec<String>) {
        let r = self.request("tools/call", json!({"name": name, "arguments": arguments}));
        let result = &r["result"];
        assert!(result.is_object(), "tools/call {name} answered {r}");
        let texts: Vec<String> = result["content"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} answered no content: {r}"))
            .iter()
            .map(|c| {
                c["text"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{name} answered a block without text: {r}"))
                    .to_string()
            })
            .collect();
        assert!(!texts.is_empty(), "{name} answered nothing: {r}");
        (result["isError"] == json!(true), texts)
    }

    /// Call a tool that must work; its text.
    fn ok(&mut self, name: &str, arguments: Value) -> String {
        let (error, text) = self.call(name, arguments.clone());
        assert!(!error, "{name} {arguments} failed: {text}");
        text
    }

    /// Call a tool that must fail; its message.
    fn fails(&mut self, name: &str, arguments: Value) -> String {
        let (error, text) = self.call(name, arguments.clone());
        assert!(
            error,
            "{name} {arguments} should have failed but said: {text}"
        );
        text
    }

    fn tool_names(&mut self) -> Vec<String> {
        let r = self.request("tools/list", json!({}));
        r["result"]["tools"]
            .as_array()
            .expect("tools")
            .iter()
            .map(|t| t["name"].as_str().expect("a name").to_string())
            .collect()
    }

    /// Close stdin, as a client does at the end: the server must stop, and cleanly.
    fn close(mut self) {
        drop(self.stdin.take());
        let status = self.child.wait().expect("tend mcp exits");
        assert!(status.success(), "tend mcp exited with {status}");
    }
}

/// Every row of every table, to show that a refused call wrote nothing at all.
fn book(env: &Env) -> Vec<String> {
    let conn = env.conn();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut rows = Vec::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            rows.push(format!("{t}: {}", cells.join("|")));
        }
    }
    rows
}

const READING: &[&str] = &[
    "agenda",
    "brief_contact",
    "find_contacts",
    "list_deals",
    "report",
    "search_notes",
];

#[test]
fn by_default_an_assistant_can_read_but_not_change_anything() {
    let env = Env::with_people();
    let before = book(&env);
    let mut s = Session::start(&env, &[]);
    assert_eq!(s.tool_names(), READING);
    for (tool, args) in [
        ("log_note", json!({"who": "alice", "text": "called"})),
        ("record_income", json!({"who": "alice", "amount": "100"})),
        ("undo", json!({})),
    ] {
        let msg = s.fails(tool, args);
        assert!(msg.contains("reading only"), "{msg}");
        assert!(msg.contains("--write"), "{msg}");
    }
    s.close();
    assert_eq!(book(&env), before, "a refused change wrote something");

    // --read-only wins over the config's write = true.
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(
        env.config_dir().join("config.toml"),
        "[mcp]\nwrite = true\n",
    )
    .unwrap();
    let mut s = Session::start(&env, &["--read-only"]);
    assert_eq!(s.tool_names(), READING);
    s.close();
    let mut s = Session::start(&env, &[]);
    assert!(s.tool_names().contains(&"log_note".to_string()));
    s.close();
}

#[test]
fn the_reading_tools_answer_as_the_shell_does_and_bad_arguments_are_tool_errors() {
    let env = Env::with_people();
    env.ok(&[
        "note",
        "alice",
        "wants a spring menu",
        "--next",
        "fri: send menu",
    ]);
    env.ok(&[
        "deal",
        "add",
        "alice",
        "wedding cake",
        "450",
        "--stage",
        "proposal",
    ]);
    env.ok(&["income", "alice", "120"]);
    env.ok(&["recipe", "apply", "alice", "onboarding"]);
    let mut s = Session::start(&env, &[]);

    let r = s.request("initialize", json!({}));
    assert!(
        r["error"].is_object(),
        "a second initialize is refused: {r}"
    );

    // A typo is forgiven, as in `tend search`.
    let found: Value =
        serde_json::from_str(&s.ok("find_contacts", json!({"query": "alce smth"}))).expect("JSON");
    assert_eq!(found[0]["name"], "Alice Smith", "{found}");
    let listed: Value =
        serde_json::from_str(&s.ok("find_contacts", json!({"tag": "vip"}))).expect("JSON");
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["name"], "Alice Smith");
    // A list is cut at the limit, and says how many more there are.
    let r = s.request(
        "tools/call",
        json!({"name": "find_contacts", "arguments": {"limit": 2}}),
    );
    let content = &r["result"]["content"];
    let first: Value = serde_json::from_str(content[0]["text"].as_str().unwrap()).expect("JSON");
    assert_eq!(first.as_array().map(Vec::len), Some(2), "{r}");
    assert!(
        content[1]["text"].as_str().unwrap().contains("and 2 more"),
        "{r}"
    );
    let msg = s.fails("find_contacts", json!({"query": "alice", "tag": "vip"}));
    assert!(msg.contains("not both"), "{msg}");
    let msg = s.fails("find_contacts", json!({"status": "sleepy"}));
    assert!(msg.contains("sleepy"), "{msg}");

    // The briefing is `tend show --json`.
    let brief: Value =
        serde_json::from_str(&s.ok("brief_contact", json!({"who": "alice"}))).expect("JSON");
    assert_eq!(brief, env.json(&["show", "alice", "--json"]));
    assert_eq!(brief["contact"]["fields"]["likes"], "lemon cake");
    // Everything the text profile shows, and the checklists: one call before a call.
    assert_eq!(brief["deals"][0]["title"], "wedding cake", "{brief}");
    assert_eq!(brief["money"]["invoiced_minor"], 12_000, "{brief}");
    assert_eq!(
        brief["recent_entries"][0]["amount_minor"], 12_000,
        "{brief}"
    );
    assert_eq!(brief["checklists"][0]["recipe"], "onboarding", "{brief}");
    assert!(
        brief["open_follow_ups"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["text"] == "send menu")),
        "{brief}"
    );
    let msg = s.fails("brief_contact", json!({"who": "zebedee"}));
    assert!(msg.contains("no contact matches 'zebedee'"), "{msg}");
    assert!(msg.contains("hint:"), "the shell's hint comes too: {msg}");
    let msg = s.fails("brief_contact", json!({"name": "alice"}));
    assert!(msg.contains("who"), "{msg}");

    let agenda = s.ok("agenda", json!({}));
    assert!(agenda.contains("send menu"), "{agenda}");

    let notes: Value =
        serde_json::from_str(&s.ok("search_notes", json!({"query": "spring menu"}))).expect("JSON");
    assert_eq!(notes[0]["body"], "wants a spring menu", "{notes}");
    assert!(
        s.fails("search_notes", json!({"query": " "}))
            .contains("empty")
    );

    let deals: Value = serde_json::from_str(&s.ok("list_deals", json!({}))).expect("JSON");
    assert_eq!(deals[0]["title"], "wedding cake");
    assert!(
        s.fails("list_deals", json!({"stage": "maybe"}))
            .contains("maybe")
    );

    let pipeline = s.ok("report", json!({"kind": "pipeline"}));
    assert!(pipeline.contains("£450"), "{pipeline}");
    let (error, profit) = s.call_all("report", json!({"kind": "profit", "period": "year"}));
    assert!(
        !error && profit[0].contains("Profit by client"),
        "{profit:?}"
    );
    // What the shell says on stderr reaches the assistant too.
    assert!(
        profit.get(1).is_some_and(|n| n.contains("costed at")),
        "{profit:?}"
    );
    assert!(
        s.fails("report", json!({"kind": "gossip"}))
            .contains("profit, pipeline")
    );
    assert!(
        s.fails("report", json!({"kind": "pipeline", "period": "year"}))
            .contains("no period")
    );
    let msg = s.fails("report", json!({"kind": "profit", "period": "fortnight"}));
    assert!(msg.contains("fortnight"), "{msg}");

    // Resources: the agenda, and each contact's briefing.
    let r = s.request("resources/list", json!({}));
    assert_eq!(r["result"]["resources"][0]["uri"], "tend://agenda", "{r}");
    let r = s.request("resources/templates/list", json!({}));
    assert_eq!(
        r["result"]["resourceTemplates"][0]["uriTemplate"], "tend://contact/{id}",
        "{r}"
    );
    let r = s.request("resources/read", json!({"uri": "tend://agenda"}));
    assert!(
        r["result"]["contents"][0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("send menu")),
        "{r}"
    );
    let id = brief["contact"]["id"].as_i64().expect("an id");
    let r = s.request(
        "resources/read",
        json!({"uri": format!("tend://contact/{id}")}),
    );
    let text = r["result"]["contents"][0]["text"].as_str().expect("text");
    assert_eq!(serde_json::from_str::<Value>(text).unwrap(), brief);
    for uri in [
        "tend://contact/999",
        "tend://contact/alice",
        "file:///etc/passwd",
    ] {
        let r = s.request("resources/read", json!({"uri": uri}));
        assert_eq!(r["error"]["code"], -32002, "{uri}: {r}");
    }

    // A tool that is not there is the protocol's error, not a crash.
    let r = s.request("tools/call", json!({"name": "drop_table", "arguments": {}}));
    assert!(r["error"].is_object(), "{r}");
    s.close();
}

#[test]
fn each_change_lands_as_the_shell_would_make_it_says_how_to_undo_and_bad_input_writes_nothing() {
    let env = Env::with_people();
    env.ok(&["recipe", "apply", "alice", "onboarding"]);
    let mut s = Session::start(&env, &["--write"]);
    assert_eq!(s.tool_names().len(), 18);
    let conn = env.conn();
    let one = |sql: &str| -> String {
        use rusqlite::types::Value as V;
        match conn.query_row(sql, [], |r| r.get::<_, V>(0)).unwrap() {
            V::Text(t) => t,
            V::Integer(i) => i.to_string(),
            V::Null => String::new(),
            other => format!("{other:?}"),
        }
    };

    // Each bad argument: the shell's own message, and not one row written.
    let before = book(&env);
    for (tool, args, says) in [
        ("add_contact", json!({"name": " "}), "empty"),
        (
            "add_contact",
            json!({"name": "Dora", "status": "vip"}),
            "vip",
        ),
        ("log_note", json!({"who": "alice", "text": "-"}), "\"-\""),
        (
            "log_note",
            json!({"who": "alice", "text": "x", "next": "blurday: y"}),
            "blurday",
        ),
        (
            "log_note",
            json!({"who": "alice", "text": "x", "at": "tomorrow"}),
            "future",
        ),
        (
            "log_note",
            json!({"who": "nobody", "text": "x"}),
            "no contact matches",
        ),
        ("log_note", json!({"who": "alice"}), "text"),
        (
            "log_note",
            json!({"who": "alice", "text": "x", "colour": "red"}),
            "colour",
        ),
        (
            "set_next_step",
            json!({"who": "bob", "when": "someday", "what": "call"}),
            "someday",
        ),
        ("complete_follow_up", json!({"follow_up": "f#999"}), "f#999"),
        // #1 is Alice to an assistant, never follow-up f#1.
        (
            "complete_follow_up",
            json!({"follow_up": "#1"}),
            "starts with f",
        ),
        (
            "set_next_step",
            json!({"who": "bob", "when": "tomorrow morning", "what": "call the supplier"}),
            "tomorrow morning",
        ),
        (
            "snooze_follow_up",
            json!({"follow_up": "alice", "until": "never"}),
            "never",
        ),
        ("tick_step", json!({"who": "bob"}), "checklist"),
        (
            "add_deal",
            json!({"who": "alice", "title": "cake", "value": "lots"}),
            "lots",
        ),
        (
            "move_deal",
            json!({"deal": "d#1", "stage": "lost"}),
            "reason",
        ),
        ("move_deal", json!({"deal": "d#77", "stage": "won"}), "d#77"),
        (
            "move_deal",
            json!({"deal": "d#1", "stage": "Won", "reason": "they said yes"}),
            "only for a lost deal",
        ),
        (
            "record_expense",
            json!({"who": "alice", "amount": "9", "paid": true}),
            "paid",
        ),
        (
            "record_income",
            json!({"who": "alice", "amount": "12,50x"}),
            "12,50x",
        ),
        (
            "record_expense",
            json!({"who": "alice", "amount": "9", "on": "next week"}),
            "next week",
        ),
        (
            "record_time",
            json!({"who": "alice", "amount": "an age"}),
            "an age",
        ),
    ] {
        let msg = s.fails(tool, args.clone());
        assert!(msg.contains(says), "{tool} {args}: {msg}");
        assert!(!msg.contains("Usage:"), "{tool}: {msg}");
    }
    assert_eq!(book(&env), before, "a refused call wrote something");

    // Nothing an assistant sends is read as one of tend's own flags.
    let said = s.ok(
        "log_note",
        json!({"who": "bob", "text": "--db=/tmp/elsewhere --help"}),
    );
    assert!(said.contains("To take this back"), "{said}");
    assert_eq!(
        one("SELECT body FROM notes ORDER BY id DESC LIMIT 1"),
        "--db=/tmp/elsewhere --help"
    );

    let said = s.ok("add_contact", json!({"name": "Dora Diaz", "email": "dora@example.com", "tags": ["market", "cakes"], "source": "market stall"}));
    assert!(said.contains("Dora Diaz"), "{said}");
    assert_eq!(
        one(
            "SELECT group_concat(tag, ',') FROM (SELECT tag FROM contact_tags JOIN contacts ON id = contact_id WHERE name = 'Dora Diaz' ORDER BY tag)"
        ),
        "cakes,market"
    );

    let said = s.ok("log_note", json!({"who": "dora", "text": "met at the market", "kind": "meeting", "next": "fri: send price list"}));
    assert!(said.contains("send price list"), "{said}");
    assert_eq!(
        one("SELECT kind FROM notes ORDER BY id DESC LIMIT 1"),
        "meeting"
    );
    assert_eq!(
        one("SELECT due_date || ' ' || text FROM follow_ups WHERE text = 'send price list'"),
        "2026-11-27 send price list"
    );

    s.ok(
        "set_next_step",
        json!({"who": "bob", "when": "next tue", "what": "call back", "every": "2w"}),
    );
    assert_eq!(
        one("SELECT due_date || ' ' || recurrence FROM follow_ups WHERE text = 'call back'"),
        "2026-12-01 2w"
    );
    // A date of more than four words is read whole, time and all, not cut at the fourth.
    s.ok(
        "set_next_step",
        json!({"who": "carol", "when": "1 dec 2026 at 14:00", "what": "call the supplier"}),
    );
    assert_eq!(
        one(
            "SELECT due_date || ' ' || due_time || ' ' || text FROM follow_ups WHERE text LIKE '%supplier'"
        ),
        "2026-12-01 14:00 call the supplier"
    );
    s.ok(
        "snooze_follow_up",
        json!({"follow_up": "bob", "until": "in 3w"}),
    );
    assert_eq!(
        one("SELECT due_date FROM follow_ups WHERE text = 'call back'"),
        "2026-12-14"
    );
    s.ok("complete_follow_up", json!({"follow_up": "dora"}));
    assert_eq!(
        one("SELECT done_at IS NOT NULL FROM follow_ups WHERE text = 'send price list'"),
        "1"
    );

    let said = s.ok("tick_step", json!({"who": "alice"}));
    assert!(said.contains("Ticked 1."), "{said}");

    s.ok("add_deal", json!({"who": "dora", "title": "market stall cakes", "value": "1,200", "stage": "proposal", "close": "eom"}));
    assert_eq!(
        one(
            "SELECT value_minor || ' ' || stage || ' ' || expected_close FROM deals WHERE title = 'market stall cakes'"
        ),
        "120000 proposal 2026-11-30"
    );
    let deal = format!(
        "d#{}",
        one("SELECT id FROM deals WHERE title = 'market stall cakes'")
    );
    s.ok("move_deal", json!({"deal": deal, "stage": "negotiation"}));
    let said = s.ok("move_deal", json!({"deal": deal, "stage": "won"}));
    assert!(said.contains("is now a client"), "{said}");
    assert_eq!(
        one("SELECT status FROM contacts WHERE name = 'Dora Diaz'"),
        "client"
    );

    s.ok(
        "record_income",
        json!({"who": "dora", "amount": "1,200", "deal": deal, "paid": true, "memo": "deposit"}),
    );
    s.ok(
        "record_expense",
        json!({"who": "dora", "amount": "35.50", "on": "yesterday"}),
    );
    s.ok("record_time", json!({"who": "dora", "amount": "1h30"}));
    assert_eq!(
        one(
            "SELECT group_concat(kind || ' ' || amount_minor || ' ' || on_date, ', ') FROM (SELECT * FROM money_entries ORDER BY id)"
        ),
        "income 120000 2026-11-23, expense 3550 2026-11-22"
    );
    assert_eq!(one("SELECT minutes FROM time_entries"), "90");

    // Every change is in tend undo's list, made by the assistant, and undo takes back the newest.
    assert_eq!(
        one("SELECT count(*) FROM undo_log WHERE made_by = 'mcp'"),
        "14",
        "one undo record for each of the 14 changes"
    );
    let said = s.ok("undo", json!({}));
    assert!(said.starts_with("Undid change"), "{said}");
    assert_eq!(one("SELECT count(*) FROM time_entries"), "0");
    s.close();

    // And the shell sees the assistant's changes.
    let shown = env.ok(&["undo", "--list"]);
    assert!(shown.contains("mcp"), "{shown}");
}

#[test]
fn an_assistant_hears_the_warnings_undoes_only_its_own_changes_and_its_clock_runs() {
    let env = Env::with_people();
    // The machine's clock: a client keeps the server running for days.
    let mut s = Session::start_on(&env, &["--write"], None);
    let conn = env.conn();
    let one = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };

    // What the shell says on stderr is in the answer, in a text after the command's own
    // output: the assistant has no terminal, and printed JSON stays JSON.
    let (error, said) = s.call_all(
        "add_contact",
        json!({"name": "Alice Smyth", "email": "alice@example.com"}),
    );
    assert!(!error && said.len() == 2, "{said:?}");
    assert!(said[0].starts_with("Added #"), "{said:?}");
    assert!(
        said[1].starts_with("note:") && said[1].contains("Alice Smith"),
        "{said:?}"
    );
    let (_, said) = s.call_all(
        "log_note",
        json!({"who": "bob", "text": "renewal", "next": "1 jan 2031: renew"}),
    );
    assert!(said[1].contains("more than two years ahead"), "{said:?}");

    // Each call reads the clock anew.
    s.ok("log_note", json!({"who": "carol", "text": "first"}));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    s.ok("log_note", json!({"who": "carol", "text": "second"}));
    let first = one("SELECT created_at FROM notes WHERE body = 'first'");
    let second = one("SELECT created_at FROM notes WHERE body = 'second'");
    assert!(second > first, "{first} then {second}");

    // The user's own change is newer: the assistant's undo refuses and changes nothing.
    env.ok(&["note", "bob", "called back myself"]);
    let before = book(&env);
    let msg = s.fails("undo", json!({}));
    assert!(msg.contains("not made by mcp but by cli"), "{msg}");
    assert_eq!(book(&env), before, "a refused undo changed something");
    // Once the user has taken back theirs, the assistant's newest is its own again.
    env.ok(&["undo"]);
    let said = s.ok("undo", json!({}));
    assert!(said.contains("note for Carol"), "{said}");
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM notes WHERE body = 'second'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
    s.close();
}

//! `tend mcp` at DESIGN.md's scale, as an assistant's client meets it: the release binary as a
//! child process, JSON-RPC over its stdin and stdout. Measured: one request's round trip in a
//! running session (tools/list, a briefing, a fuzzy find, the agenda), and a whole session
//! from spawn to the first tools/list answer (what a client pays when it starts the server).
//!
//! Run: `cargo bench --bench mcp`; `TEND_BENCH_DB=/path/to/book.db` measures that book. The
//! figures go in BENCHMARKS.md.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

const TEND: &str = env!("CARGO_BIN_EXE_tend");

struct Session {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    id: u64,
}

impl Session {
    fn start(db: &Path) -> Session {
        let mut child = Command::new(TEND)
            .arg("mcp")
            .env("TEND_DB", db)
            .env("TEND_NOW", "2026-11-23T10:00:00")
            .env("TEND_CONFIG_DIR", db.with_extension("config"))
            .env("TEND_DAILY_BACKUP", "off")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tend mcp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut s = Session {
            child,
            stdin,
            stdout,
            id: 0,
        };
        s.request(
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "bench", "version": "1"}}),
        );
        writeln!(
            s.stdin,
            "{}",
            json!({"jsonrpc": "2.0", "method": "notifications/initialized"})
        )
        .unwrap();
        s
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.id += 1;
        let msg = json!({"jsonrpc": "2.0", "id": self.id, "method": method, "params": params});
        writeln!(self.stdin, "{msg}").unwrap();
        self.stdin.flush().unwrap();
        let mut line = String::new();
        loop {
            line.clear();
            assert!(self.stdout.read_line(&mut line).unwrap() > 0, "server gone");
            let v: Value = serde_json::from_str(&line).unwrap();
            if v["id"] == json!(self.id) {
                assert!(v["error"].is_null(), "{method}: {v}");
                assert!(v["result"]["isError"] != json!(true), "{method}: {v}");
                return v;
            }
        }
    }

    fn call(&mut self, name: &str, arguments: Value) -> Value {
        self.request("tools/call", json!({"name": name, "arguments": arguments}))
    }

    fn stop(self) {
        drop(self.stdin);
        let mut child = self.child;
        child.wait().unwrap();
    }
}

fn mcp(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let given = std::env::var_os("TEND_BENCH_DB").map(PathBuf::from);
    let db = given.clone().unwrap_or_else(|| common::seeded(dir.path()));
    let name: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT name FROM contacts WHERE id = 4321", [], |r| {
            r.get(0)
        })
        .unwrap();

    let mut g = c.benchmark_group(if given.is_some() {
        "mcp on TEND_BENCH_DB"
    } else {
        "mcp at design scale"
    });
    g.sample_size(40);
    let mut s = Session::start(&db);
    g.bench_function("tools/list (a running session)", |b| {
        b.iter(|| s.request("tools/list", json!({})))
    });
    g.bench_function("brief_contact by name (a running session)", |b| {
        b.iter(|| s.call("brief_contact", json!({"who": name})))
    });
    g.bench_function("find_contacts, a typo (a running session)", |b| {
        let typo: String = name.chars().filter(|c| !"aeiou".contains(*c)).collect();
        b.iter(|| s.call("find_contacts", json!({"query": typo})))
    });
    g.bench_function("agenda (a running session)", |b| {
        b.iter(|| s.call("agenda", json!({})))
    });
    s.stop();
    g.sample_size(20);
    g.bench_function("spawn, initialize, tools/list, brief_contact, exit", |b| {
        b.iter(|| {
            let mut s = Session::start(&db);
            s.request("tools/list", json!({}));
            s.call("brief_contact", json!({"who": name}));
            s.stop();
        })
    });
    g.finish();
}

criterion_group!(benches, mcp);
criterion_main!(benches);

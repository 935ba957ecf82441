"""An assistant's side of `tend mcp`, through the Python `mcp` package's stdio client (another
ecosystem's implementation of the protocol than the server's): list the tools, brief a
contact, log a note with a next step, and read the contact's briefing back as a resource.
Exits non-zero, saying why, when anything is not as tend promises.

python client.py TEND DB CONFIG_DIR
"""

import asyncio
import contextlib
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

READING = ["agenda", "brief_contact", "find_contacts", "list_deals", "report", "search_notes"]


def check(ok, why):
    if not ok:
        sys.exit(f"check-mcp-client: {why}")


def text_of(result):
    """The first text: the command's own output. Notes (a possible duplicate, "… and 3 more")
    follow in texts of their own, so a JSON answer stays JSON."""
    texts = [c.text for c in result.content if getattr(c, "type", "") == "text"]
    return texts[0] if texts else ""


@contextlib.asynccontextmanager
async def session(tend, env, args):
    params = StdioServerParameters(command=tend, args=["mcp", *args], env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as s:
            init = await s.initialize()
            check(init.server_info.name == "tend", f"server calls itself {init.server_info.name}")
            check("Search before you create" in (init.instructions or ""),
                  "the guide for assistants is not in the instructions")
            yield s


async def main(tend, db, config):
    # The stdio client passes on only a few variables (HOME, PATH...): the book is named here.
    env = {
        "TEND_DB": db,
        "TEND_CONFIG_DIR": config,
        "TEND_NOW": "2026-11-23T10:00:00",
        "TEND_DAILY_BACKUP": "off",
        "HOME": os.environ["HOME"],
        "PATH": os.environ["PATH"],
    }

    # Reading only, by default: the writing tools are not offered, and are refused.
    async with session(tend, env, []) as s:
        names = sorted(t.name for t in (await s.list_tools()).tools)
        check(names == READING, f"reading-only tools are {names}")
        r = await s.call_tool("log_note", {"who": "alice", "text": "should not land"})
        check(r.is_error and "reading only" in text_of(r), f"a write was not refused: {text_of(r)}")

    async with session(tend, env, ["--write"]) as s:
        tools = {t.name: t for t in (await s.list_tools()).tools}
        check(len(tools) == 18, f"{len(tools)} tools with --write")
        schema = tools["log_note"].input_schema
        check(set(schema["required"]) == {"who", "text"}, f"log_note requires {schema['required']}")

        found = json.loads(text_of(await s.call_tool("find_contacts", {"query": "alce smth"})))
        check(found and found[0]["name"] == "Alice Smith", f"find_contacts found {found}")
        who = f"#{found[0]['id']}"

        brief = json.loads(text_of(await s.call_tool("brief_contact", {"who": who})))
        check(brief["contact"]["fields"].get("likes") == "lemon cake", f"briefing: {brief}")
        for part in ["recent_notes", "open_follow_ups", "checklists", "deals", "money"]:
            check(part in brief, f"the briefing has no {part}: {sorted(brief)}")

        r = await s.call_tool("log_note", {"who": who, "text": "tasting went well",
                                           "kind": "meeting", "next": "fri: send the invoice"})
        check(not r.is_error and "To take this back" in text_of(r), f"log_note said {text_of(r)}")

        r = await s.call_tool("log_note", {"who": who, "text": "x", "at": "tomorrow"})
        check(r.is_error and "future" in text_of(r), f"a bad --at was not refused: {text_of(r)}")

        res = await s.read_resource(f"tend://contact/{found[0]['id']}")
        after = json.loads(res.contents[0].text)
        check(after["recent_notes"][0]["body"] == "tasting went well", f"the note is not first: {after['recent_notes'][:1]}")
        check(any(f["text"] == "send the invoice" for f in after["open_follow_ups"]),
              f"the next step is missing: {after['open_follow_ups']}")
    print("check-mcp-client: the Python mcp client listed, briefed and logged as expected")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))

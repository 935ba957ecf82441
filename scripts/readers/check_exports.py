"""Read tend's exports with other programs' parsers: vobject (the vCard library behind
Radicale and many address-book tools) and icalendar (the iCalendar library most Python
calendar tools use). Run by scripts/check-readers with the export folder as the argument."""

import csv
import json
import pathlib
import sys

import icalendar
import vobject

folder = pathlib.Path(sys.argv[1])
zoe_json = json.loads((folder / "zoe.json").read_text(encoding="utf-8"))
today = json.loads((folder / "today.json").read_text(encoding="utf-8"))
expected = {
    "names": ["Crumbs & Co", "Zoë O'Brien", "Ann Apple", "Dr. Jane Q. Public Jr."],
    "zoe": {
        "name": "Zoë O'Brien",
        "uid": zoe_json["contact"]["uid"],
        "company": "Crumbs & Co",
        "emails": ["zoe@crumbs.test", "zoe@home.test"],
        "tags": ["vip", "wedding-cakes"],
        "note": 'likes lemon; hates "fondant", really',
    },
    "followups": [f["uid"] + "@tend" for f in today.get("upcoming", [])],
}


def check(condition, message):
    if not condition:
        sys.exit(f"FAILED: {message}")


check(len(expected["followups"]) == 2, f"two follow-ups to export: {expected}")


for name in ["contacts-4.vcf", "contacts-3.vcf"]:
    text = (folder / name).read_text(encoding="utf-8")
    cards = list(vobject.readComponents(text))
    check(len(cards) == len(expected["names"]), f"{name}: {len(cards)} cards")
    names = sorted(c.fn.value for c in cards)
    check(names == sorted(expected["names"]), f"{name}: names {names}")
    by_name = {c.fn.value: c for c in cards}
    zoe = by_name[expected["zoe"]["name"]]
    emails = sorted(e.value for e in zoe.contents.get("email", []))
    check(emails == sorted(expected["zoe"]["emails"]), f"{name}: emails {emails}")
    check(zoe.org.value[0] == expected["zoe"]["company"], f"{name}: org {zoe.org.value}")
    check(zoe.uid.value == expected["zoe"]["uid"], f"{name}: uid {zoe.uid.value}")
    cats = sorted(zoe.categories.value)
    check(cats == sorted(expected["zoe"]["tags"]), f"{name}: categories {cats}")
    check(zoe.note.value == expected["zoe"]["note"], f"{name}: note {zoe.note.value!r}")
    # Serialising again must work too: the structure is sound, not just readable.
    zoe.serialize()

for name, kind in [("todos.ics", "VTODO"), ("events.ics", "VEVENT")]:
    cal = icalendar.Calendar.from_ical((folder / name).read_bytes())
    items = [c for c in cal.walk() if c.name == kind]
    check(len(items) == len(expected["followups"]), f"{name}: {len(items)} {kind}s")
    uids = sorted(str(c["UID"]) for c in items)
    check(uids == sorted(expected["followups"]), f"{name}: uids {uids}")
    for c in items:
        when = c.get("DUE") if kind == "VTODO" else c.get("DTSTART")
        check(when is not None and when.dt is not None, f"{name}: {c['UID']} has no date")
        check(":" in str(c["SUMMARY"]), f"{name}: summary {c['SUMMARY']}")

rows = list(csv.DictReader((folder / "contacts.csv").open(encoding="utf-8", newline="")))
check(sorted(r["name"] for r in rows) == sorted(expected["names"]), "csv names")
print("ok: vobject and icalendar read every export")

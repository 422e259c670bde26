#!/usr/bin/env python3
"""Check gold.jsonl against the documents in docs/.

For every fact: the document exists and decodes (UTF-8, else GB18030); 0 <= start < end <= len;
text == doc[start:end]; the type's fields are present and well formed; codes exist in
zones.csv / areas.csv / domains.csv.  Prints counts per type and exits non-zero on any error.

Usage: python3 check_gold.py [gold.jsonl] [docs_dir]
"""
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent
gold_path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "gold.jsonl"
docs_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs"

zones = {r["code"] for r in csv.DictReader(open(ROOT / "zones.csv", encoding="utf-8"))}
areas = defaultdict(set)
for r in csv.DictReader(open(ROOT / "areas.csv", encoding="utf-8")):
    areas[r["zone"]].add(r["name_zh"])
domains = {r["code"] for r in csv.DictReader(open(ROOT / "domains.csv", encoding="utf-8"))}

FIELDS = {
    "zone": ["zone", "area"],
    "quantity": ["value", "value_max", "unit", "approx", "redacted"],
    "effect": ["measure", "before", "after", "unit", "change_pct", "change_abs", "direction"],
    "date": ["date", "redacted"],
    "case": ["title", "zone", "domain"],
    "table_row": ["table", "cells"],
}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

cache = {}
encodings = {}


def load(doc):
    if doc not in cache:
        b = (docs_dir / doc).read_bytes()
        try:
            cache[doc] = b.decode("utf-8")
            encodings[doc] = "utf-8"
        except UnicodeDecodeError:
            cache[doc] = b.decode("gb18030")
            encodings[doc] = "gb18030"
    return cache[doc]


errors = []
counts = Counter()
per_doc = defaultdict(Counter)
seen = set()
for n, line in enumerate(open(gold_path, encoding="utf-8"), 1):
    line = line.strip()
    if not line:
        continue
    try:
        f = json.loads(line)
    except json.JSONDecodeError as e:
        errors.append(f"line {n}: bad JSON: {e}")
        continue

    def err(msg):
        errors.append(f"line {n} ({f.get('doc')} {f.get('type')} {f.get('start')}-{f.get('end')}): {msg}")

    t = f.get("type")
    if t not in FIELDS:
        err("unknown type")
        continue
    for k in ["doc", "start", "end", "text"] + FIELDS[t]:
        if k not in f:
            err(f"missing field {k}")
    try:
        text = load(f["doc"])
    except FileNotFoundError:
        err("document not found")
        continue
    s, e = f["start"], f["end"]
    if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
        err("bad offsets")
        continue
    if text[s:e] != f["text"]:
        err(f"text mismatch: gold {f['text']!r} vs doc {text[s:e]!r}")
    key = (f["doc"], t, s, e)
    if key in seen:
        err("duplicate fact")
    seen.add(key)
    counts[t] += 1
    per_doc[f["doc"]][t] += 1

    if t == "zone":
        if f["zone"] not in zones:
            err(f"unknown zone {f['zone']}")
        if f["area"] is not None and f["area"] not in areas[f["zone"]]:
            err(f"area {f['area']} not a reference area of {f['zone']}")
    elif t == "quantity":
        if f["redacted"]:
            if f["value"] is not None:
                err("redacted quantity with a value")
        elif not isinstance(f["value"], (int, float)):
            err("quantity without a numeric value")
        if f["value_max"] is not None and f["value"] is not None and f["value_max"] <= f["value"]:
            err("value_max <= value")
    elif t == "effect":
        if f["direction"] not in ("decrease", "increase"):
            err("bad direction")
        b, a, p = f["before"], f["after"], f["change_pct"]
        if b is not None and a is not None and b != 0:
            calc = (a - b) / b * 100
            if p is None or abs(calc - p) > 0.5:
                err(f"change_pct {p} inconsistent with before/after ({calc:.2f})")
        if p is not None and (p < 0) != (f["direction"] == "decrease"):
            err("sign of change_pct disagrees with direction")
        if b is not None and a is not None and (a < b) != (f["direction"] == "decrease"):
            err("before/after disagree with direction")
    elif t == "date":
        if f["redacted"] and f["date"] is not None and not DATE_RE.match(f["date"]):
            err("bad date")
        if not f["redacted"] and (f["date"] is None or not DATE_RE.match(f["date"])):
            err(f"bad date {f['date']}")
    elif t == "case":
        if f["zone"] is not None and f["zone"] not in zones:
            err("unknown case zone")
        if f["domain"] is not None and f["domain"] not in domains:
            err("unknown domain")
        if f["title"] != f["text"].strip():
            err("case title differs from its span")
    elif t == "table_row":
        if "\t".join(f["cells"]) != "\t".join(c.strip() for c in f["text"].split("\t")):
            err("cells do not match the row text")
        if "seq" in f:
            for k in ("item", "responsible_unit", "scope"):
                if k not in f:
                    err(f"replication row without {k}")

for d in sorted(per_doc):
    print(f"{d:40s} {encodings[d]:8s} {len(cache[d]):5d} chars  " +
          ", ".join(f"{k} {v}" for k, v in sorted(per_doc[d].items())))
print("TOTAL", dict(sorted(counts.items())), "facts:", sum(counts.values()))
if errors:
    print(f"{len(errors)} ERROR(S):")
    for x in errors:
        print("  " + x)
    sys.exit(1)
print("OK: every text == doc[start:end]; fields well formed")

#!/usr/bin/env python3
"""Check gold.jsonl against docs/: text == doc[start:end], offsets, fields, reference codes."""
import csv, json, pathlib, sys

ROOT = pathlib.Path(__file__).resolve().parent
DATA = ROOT.parent.parent.parent / "zimao" / "data"  # the reference data (data only)

zones = {r["code"] for r in csv.DictReader(open(DATA / "zones.csv", encoding="utf-8"))}
areas = {(r["zone"], r["name_zh"]) for r in csv.DictReader(open(DATA / "areas.csv", encoding="utf-8"))}
domains = {r["code"] for r in csv.DictReader(open(DATA / "domains.csv", encoding="utf-8"))}

REQ = {
    "quantity": ["value", "value_max", "unit", "approx", "redacted"],
    "effect": ["measure", "before", "after", "unit", "change_pct", "change_abs", "direction"],
    "date": ["date", "redacted"],
    "zone": ["zone", "area"],
    "case": ["title", "zone", "domain"],
    "table_row": ["table", "cells"],
}
HEDGES = {None, "余", "多", "近", "约", "超过", "逾", "以上", "左右", "上下", "至少", "不少于", "最多", "上", "几",
          "来", "把", "好几", "数"}
UNIT_SOURCES = {"cell", "column", "unit_column", "row", "caption"}


def main():
    docs, errors, n = {}, [], 0
    seen = set()
    for ln, line in enumerate(open(ROOT / "gold.jsonl", encoding="utf-8"), 1):
        n += 1
        f = json.loads(line)
        err = lambda m: errors.append(f"line {ln} ({f.get('type')} {f.get('text')!r}): {m}")
        name = f["doc"]
        if name not in docs:
            p = ROOT / "docs" / name
            if not p.exists():
                err("no such document"); continue
            docs[name] = p.read_text(encoding="utf-8")
        text = docs[name]
        s, e = f["start"], f["end"]
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            err("bad offsets"); continue
        if f.get("text") != text[s:e]:
            err(f"text mismatch: doc has {text[s:e]!r}")
        if text[s:e] != text[s:e].strip():
            err("span starts or ends with whitespace")
        t = f["type"]
        if t not in REQ:
            err("unknown type"); continue
        for k in REQ[t]:
            if k not in f:
                err(f"missing field {k}")
        key = (name, s, e, t)
        if key in seen:
            err("duplicate fact")
        seen.add(key)
        if t == "quantity":
            if f["redacted"] != (f["value"] is None):
                err("redacted must agree with a null value")
            if f["approx"] not in HEDGES:
                err(f"approx {f['approx']!r} not a contract hedge")
            if f["value_max"] is not None and f["value"] is not None and f["value_max"] <= f["value"]:
                err("value_max must exceed value")
            if "unit_source" in f and f["unit_source"] not in UNIT_SOURCES:
                err("bad unit_source")
            if not f["unit"]:
                err("empty unit")
        elif t == "effect":
            if all(f.get(k) is None for k in ("before", "after", "change_pct", "change_abs")):
                err("effect without any number")
            if f["direction"] not in ("decrease", "increase"):
                err("bad direction")
            if f["change_pct"] is not None and (f["change_pct"] < 0) != (f["direction"] == "decrease"):
                err("sign of change_pct disagrees with direction")
        elif t == "date":
            if f["redacted"] != (f["date"] is None):
                err("redacted must agree with a null date")
        elif t == "zone":
            if f["zone"] not in zones:
                err("unknown zone code")
            if f["area"] is not None and (f["zone"], f["area"]) not in areas:
                err("unknown (zone, area)")
        elif t == "case":
            if f["zone"] is not None and f["zone"] not in zones:
                err("unknown zone code")
            if f["domain"] is not None and f["domain"] not in domains:
                err("unknown domain")
        elif t == "table_row":
            if not f["cells"]:
                err("no cells")
    for m in errors:
        print(m)
    print(f"{n} facts, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

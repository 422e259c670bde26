#!/usr/bin/env python3
"""Check /work/blind-a/gold.jsonl against the documents in docs/.

For every gold line: the document exists and decodes (UTF-8, else GB18030), 0 <= start < end <= len,
text == doc[start:end], the type's fields are present and well-formed, codes exist in the
reference CSVs, and no exact duplicate (doc, type, start, end) exists. Prints counts per type/doc.
Exit status 1 on any error.
"""
import collections, csv, json, os, re, sys

ROOT = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(ROOT, "docs")


def load_text(name):
    raw = open(os.path.join(DOCS, name), "rb").read()
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("gb18030"), "gb18030"


def main(path=os.path.join(ROOT, "gold.jsonl")):
    zones = {r["code"] for r in csv.DictReader(open(os.path.join(ROOT, "zones.csv"), encoding="utf-8"))}
    areas = collections.defaultdict(set)
    for r in csv.DictReader(open(os.path.join(ROOT, "areas.csv"), encoding="utf-8")):
        areas[r["zone"]].add(r["name_zh"])
    domains = {r["code"] for r in csv.DictReader(open(os.path.join(ROOT, "domains.csv"), encoding="utf-8"))}

    fields = {
        "zone": ["zone", "area"],
        "quantity": ["value", "value_max", "unit", "approx", "redacted"],
        "effect": ["measure", "before", "after", "unit", "change_pct", "change_abs", "direction"],
        "date": ["date", "redacted"],
        "case": ["title", "zone", "domain"],
        "table_row": ["table", "cells"],
    }
    hedges = {None, "余", "多", "近", "约", "超过", "逾", "以上", "左右", "上下", "至少", "最多"}
    texts, errors, seen = {}, [], set()
    counts = collections.Counter()
    per_doc = collections.defaultdict(collections.Counter)
    for ln, line in enumerate(open(path, encoding="utf-8"), 1):
        o = json.loads(line)
        def err(msg):
            errors.append(f"line {ln} ({o.get('doc')} {o.get('type')} {o.get('text')!r}): {msg}")
        d = o["doc"]
        if d not in texts:
            if not os.path.exists(os.path.join(DOCS, d)):
                err("missing document"); continue
            texts[d] = load_text(d)
        t, _enc = texts[d]
        s, e = o["start"], o["end"]
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(t)):
            err("bad offsets"); continue
        if t[s:e] != o.get("text"):
            err(f"text mismatch: doc has {t[s:e]!r}")
        typ = o["type"]
        if typ not in fields:
            err("unknown type"); continue
        for f in fields[typ]:
            if f not in o:
                err(f"missing field {f}")
        key = (d, typ, s, e)
        if key in seen:
            err("duplicate")
        seen.add(key)
        counts[typ] += 1
        per_doc[d][typ] += 1
        if typ == "zone":
            if o["zone"] not in zones: err("unknown zone code")
            if o["area"] is not None and o["area"] not in areas[o["zone"]]: err("area not in areas.csv for zone")
        elif typ == "quantity":
            if o["redacted"] != (o["value"] is None): err("redacted flag inconsistent with value")
            if o["approx"] not in hedges: err("unknown hedge")
            if o["approx"] and o["approx"] not in o["text"]: err("hedge not inside span")
            if not o["unit"]: err("empty unit")
            if o["value_max"] is not None and o["value"] is not None and o["value_max"] <= o["value"]: err("value_max <= value")
        elif typ == "date":
            if o["redacted"] != (o["date"] is None): err("redacted flag inconsistent")
            if o["date"] is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", o["date"]): err("bad ISO date")
        elif typ == "effect":
            if o["direction"] not in ("decrease", "increase"): err("bad direction")
            b, a, p = o["before"], o["after"], o["change_pct"]
            if b not in (None, 0) and a is not None:
                if p is None or abs((a - b) / b * 100 - p) > 0.01: err("change_pct inconsistent with before/after")
            if p is not None and ((p < 0) != (o["direction"] == "decrease")): err("sign of change_pct vs direction")
            if b is not None and a is not None and ((a < b) != (o["direction"] == "decrease")): err("before/after vs direction")
            if (b is not None or a is not None or o["change_abs"] is not None) and not o["unit"]: err("effect unit missing")
        elif typ == "case":
            if o["zone"] is not None and o["zone"] not in zones: err("unknown zone code")
            if o["domain"] is not None and o["domain"] not in domains: err("unknown domain")
        elif typ == "table_row":
            if "\t".join(o["cells"]) != o["text"]: err("cells do not rebuild the row")
            if "seq" in o and str(o["seq"]) != o["cells"][0]: err("seq != first cell")
    # nested facts must lie inside their parent spans only where expected; report overlaps of same type
    by_doc_type = collections.defaultdict(list)
    for (d, typ, s, e) in seen:
        by_doc_type[(d, typ)].append((s, e))
    for (d, typ), spans in by_doc_type.items():
        spans.sort()
        for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
            if s2 < e1:
                errors.append(f"{d}: overlapping {typ} spans {s1}-{e1} and {s2}-{e2}")
    for d in sorted(texts):
        t, enc = texts[d]
        print(f"{d:40s} {enc:8s} {len(t):5d} chars  " + ", ".join(f"{k}={v}" for k, v in sorted(per_doc[d].items())))
    print("total:", dict(sorted(counts.items())), "=", sum(counts.values()))
    if errors:
        print(f"{len(errors)} ERRORS", file=sys.stderr)
        for x in errors:
            print("  " + x, file=sys.stderr)
        sys.exit(1)
    print("OK: every text == doc[start:end]")


if __name__ == "__main__":
    main(*sys.argv[1:])

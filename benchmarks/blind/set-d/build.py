#!/usr/bin/env python3
"""Strip inline markup from src/*.mk.txt, write docs/*.txt and gold.jsonl.

Markup: «TYPE key=val key=val|span text»  (nesting allowed, span may contain newlines)
TYPE: q quantity, e effect, d date, z zone, c case, t table_row.
Values are written by hand; for simple Arabic quantities value/unit/approx are derived
from the span (see parse_q) unless given explicitly.
Captions for table rows are given per document in CAPTIONS (attribute tb=KEY).
"""
import json, re, sys, pathlib

ROOT = pathlib.Path(__file__).resolve().parent
SRC, DOCS = ROOT / "src", ROOT / "docs"

STANDOFF = {}  # "#fact X TYPE attrs": a fact whose span is ⁅X … ⁆X (for crossing spans)
CAPTIONS = {}  # filled from "#caption KEY text" lines at the top of a source file

FW = str.maketrans("０１２３４５６７８９．，％－", "0123456789.,%-")
PRE_HEDGES = ["不少于", "超过", "至少", "最多", "近", "约", "逾"]
POST_HEDGES = ["以上", "左右", "上下"]


def num(s):
    v = float(s.replace(",", ""))
    return int(v) if v == int(v) and "." not in s else v


def parse_q(span):
    s = span.translate(FW)
    s = s.replace("\n", "")
    approx = None
    for h in PRE_HEDGES:
        if s.startswith(h):
            approx, s = h, s[len(h):]
            break
    m = re.match(r"^(-?[\d,]+(?:\.\d+)?)(?:(至|-|—|~|－)([\d,]+(?:\.\d+)?))?(余|多)?(.*)$", s)
    if not m:
        raise ValueError("cannot parse quantity %r" % span)
    v = num(m.group(1))
    vmax = num(m.group(3)) if m.group(3) else None
    if m.group(4):
        approx = m.group(4)
    unit = m.group(5)
    for h in POST_HEDGES:
        if unit.endswith(h):
            approx, unit = h, unit[: -len(h)]
    if not unit:
        raise ValueError("no unit in %r" % span)
    return v, vmax, unit, approx


def conv(x):
    if x in (None, "null", "None"):
        return None
    try:
        f = float(x)
        return int(f) if f == int(f) and "." not in x else f
    except ValueError:
        return x


def parse(src):
    """Return stripped text and list of (type, attrs, start, end)."""
    out, facts, stack, pts = [], [], [], {}
    i, n = 0, len(src)
    pos = 0
    while i < n:
        ch = src[i]
        if ch == "«":
            j = src.index("|", i)
            head = src[i + 1 : j]
            parts = head.split(" ")
            typ, attrs = parts[0], {}
            for p in parts[1:]:
                if not p:
                    continue
                k, _, v = p.partition("=")
                attrs[k] = v.replace("␣", " ")
            stack.append((typ, attrs, pos))
            i = j + 1
        elif ch in "⁅⁆":
            pts[(ch, src[i + 1])] = pos
            i += 2
        elif ch == "»":
            typ, attrs, start = stack.pop()
            facts.append((typ, attrs, start, pos))
            i += 1
        else:
            out.append(ch)
            pos += 1
            i += 1
    assert not stack, stack
    for key, (typ, attrs) in STANDOFF.items():
        facts.append((typ, attrs, pts[("⁅", key)], pts[("⁆", key)]))
    return "".join(out), facts


def make(docname, text, typ, a, s, e):
    span = text[s:e]
    f = {"doc": docname, "start": s, "end": e, "text": span}
    if typ == "q":
        f["type"] = "quantity"
        if a.get("red") == "1":
            v, vmax, unit, approx = None, None, a["u"], a.get("ap") or None
        elif "v" in a:
            v, vmax, unit, approx = conv(a["v"]), conv(a.get("vm")), a["u"], a.get("ap") or None
        else:
            v, vmax, unit, approx = parse_q(span)
            if "u" in a:
                unit = a["u"]
            if "ap" in a:
                approx = a["ap"] or None
        f.update(value=v, value_max=vmax, unit=unit, approx=approx, redacted=a.get("red") == "1")
        for k, kk in (("us", "unit_source"), ("r", "row"), ("c", "column")):
            if k in a:
                f[kk] = a[k]
    elif typ == "e":
        f["type"] = "effect"
        b, af = conv(a.get("b")), conv(a.get("a"))
        f["measure"] = a["m"]
        f["before"], f["after"], f["unit"] = b, af, a.get("u")
        pct = conv(a.get("pct"))
        if pct is None and b is not None and af is not None:
            bb = b * FACT.get(a.get("bu", a.get("u")), 1)
            aa = af * FACT.get(a.get("u"), 1)
            pct = round((aa - bb) / bb * 100, 2)
        f["change_pct"] = pct
        f["change_abs"] = conv(a.get("abs"))
        f["direction"] = a.get("dir", "decrease")
        for k, kk in (("bm", "before_max"), ("am", "after_max"), ("bu", "before_unit")):
            if k in a:
                f[kk] = conv(a[k]) if k != "bu" else a[k]
    elif typ == "d":
        f["type"] = "date"
        f["date"] = None if a.get("d") in (None, "null") else a["d"]
        f["redacted"] = a.get("red") == "1"
    elif typ == "z":
        f["type"] = "zone"
        f["zone"] = a["z"]
        f["area"] = a.get("ar")
    elif typ == "c":
        f["type"] = "case"
        f["title"] = span.replace("\n", "")
        f["zone"] = a.get("z")
        f["domain"] = a.get("dom")
    elif typ == "t":
        f["type"] = "table_row"
        f["table"] = CAPTIONS.get(a.get("tb"))
        if "\t" in span:
            cells = [c.strip() for c in span.split("\t")]
        else:
            cells = [c for c in re.split(r" {2,}|　+", span.strip()) if c]
        f["cells"] = cells
        for k in ("seq", "item", "responsible_unit", "scope"):
            if k in a:
                f[k] = conv(a[k]) if k == "seq" else a[k]
    else:
        raise ValueError(typ)
    return f


# day-based conversion factors for effects whose two sides use different units
FACT = {"天": 1, "日": 1, "周": 7, "个月": 30, "月": 30, "年": 365, "小时": 1 / 24, "分钟": 1 / 1440,
        "元": 1, "万元": 1e4, "亿元": 1e8, "家": 1, "万家": 1e4}


def main():
    DOCS.mkdir(exist_ok=True)
    gold = []
    for p in sorted(SRC.glob("*.mk.txt")):
        raw = p.read_text(encoding="utf-8")
        lines = raw.split("\n")
        body = []
        CAPTIONS.clear()
        STANDOFF.clear()
        for ln in lines:
            if ln.startswith("#fact "):
                _, key, typ, rest = (ln + " ").split(" ", 3)
                attrs = dict(x.partition("=")[::2] for x in rest.split())
                STANDOFF[key] = (typ, attrs)
            elif ln.startswith("#caption "):
                _, key, cap = ln.split(" ", 2)
                CAPTIONS[key] = cap
            else:
                body.append(ln)
        raw = "\n".join(body).replace("⇥", "\t")
        text, facts = parse(raw)
        name = p.name.replace(".mk.txt", ".txt")
        (DOCS / name).write_text(text, encoding="utf-8")
        fs = [make(name, text, *x) for x in facts]
        fs.sort(key=lambda f: (f["start"], -f["end"], f["type"]))
        gold += fs
    with open(ROOT / "gold.jsonl", "w", encoding="utf-8") as fh:
        for f in gold:
            fh.write(json.dumps(f, ensure_ascii=False) + "\n")
    print(len(gold), "facts")


if __name__ == "__main__":
    main()

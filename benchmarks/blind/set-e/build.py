#!/usr/bin/env python3
"""Strip the inline markup of src/*.mk.txt, write docs/*.txt and gold.jsonl.

Markup
  «TYPE k=v k=v|span»   TYPE: q quantity, e effect, z zone, d date, c case, t table_row
                        (nesting allowed; values without spaces, '~' stands for a space)
  ⁅ID; … ⁆ID;           stand-off span for a fact given on a line  `#fact ID TYPE k=v …`
  #caption KEY text     caption of table KEY (for table_row.table)
  # …                   any other line starting with '#' is a comment (removed with its newline)
  ⇥                     a tab

Quantity keys: v value, vm value_max, u unit, ap approx, red redacted, us unit_source, row, col.
  Without v the value/unit/approx are derived from the span (Arabic numbers only).
Effect keys: m measure, b before, a after, u unit, bm before_max, am after_max, bu before_unit,
  pct change_pct, abs change_abs, dir direction. change_pct is computed from b/a when not given.
Date keys: d (ISO); derived from 'YYYY年M月D日' spans when absent.
Zone keys: z zone, a area.   Case keys: z zone, dom domain (title = span).   Table row: tbl KEY, seq.
"""
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HEDGE_PRE = ['不少于', '超过', '至少', '最多', '约', '近', '逾']
HEDGE_POST = ['以上', '左右', '上下']
FW = str.maketrans('０１２３４５６７８９．％，－', '0123456789.%,-')

DAYS = {'天': 1, '日': 1, '周': 7, '星期': 7, '个月': 30, '月': 30, '年': 365,
        '小时': 1 / 24, '个小时': 1 / 24, '分钟': 1 / 1440, '秒': 1 / 86400}
MONEY = {'元': 1, '万元': 1e4, '亿元': 1e8}


def num(s):
    f = float(s)
    return int(f) if f.is_integer() else f


def conv(x):
    if x in ('null', 'None'):
        return None
    if x == 'true':
        return True
    if x == 'false':
        return False
    if re.fullmatch(r'-?\d+(\.\d+)?', x):
        return num(x)
    return x.replace('~', ' ')


def parse_attrs(s):
    out = {}
    for tok in s.split():
        k, _, v = tok.partition('=')
        out[k] = conv(v)
    return out


def auto_quantity(text):
    t = re.sub(r'\s', '', text.translate(FW))
    ap = None
    for h in HEDGE_PRE:
        if t.startswith(h):
            ap, t = h, t[len(h):]
            break
    m = re.match(r'(-?\d[\d,]*(?:\.\d+)?)(?:(?:至|-|～|~|—)(\d+(?:\.\d+)?))?(.*)$', t)
    if not m:
        raise ValueError('cannot parse quantity %r' % text)
    v = num(m.group(1).replace(',', ''))
    vm = num(m.group(2)) if m.group(2) else None
    rest = m.group(3)
    if rest[:1] in ('余', '多'):
        ap, rest = rest[0], rest[1:]
    for h in HEDGE_POST:
        if rest.endswith(h):
            ap, rest = h, rest[:-len(h)]
    return v, vm, rest, ap


def to_common(val, unit):
    if val is None:
        return None, None
    u = unit.replace('个工作日', '工作日')
    if u in DAYS:
        return val * DAYS[u], 'days'
    if u in MONEY:
        return val * MONEY[u], 'yuan'
    return val, u


def make_fact(doc, typ, attrs, start, end, text, captions):
    f = {'doc': doc, 'start': start, 'end': end, 'text': text}
    if typ == 'q':
        f['type'] = 'quantity'
        if 'v' in attrs or attrs.get('red'):
            v, vm, u, ap = attrs.get('v'), attrs.get('vm'), attrs.get('u'), attrs.get('ap')
        else:
            v, vm, u, ap = auto_quantity(text)
            u = attrs.get('u', u)
            ap = attrs.get('ap', ap)
            vm = attrs.get('vm', vm)
        f.update(value=v, value_max=vm, unit=u, approx=ap, redacted=bool(attrs.get('red', False)))
        if 'us' in attrs:
            f.update(unit_source=attrs['us'], row=attrs.get('row'), column=attrs.get('col'))
    elif typ == 'e':
        f['type'] = 'effect'
        b, a, u = attrs.get('b'), attrs.get('a'), attrs.get('u')
        bu = attrs.get('bu')
        pct = attrs.get('pct')
        if pct is None and b is not None and a is not None:
            cb, kb = to_common(b, bu or u)
            ca, ka = to_common(a, u)
            if kb == ka and cb:
                pct = round((ca - cb) / cb * 100, 2)
        d = attrs.get('dir')
        if d is None:
            if pct is not None:
                d = 'decrease' if pct < 0 else 'increase'
            else:
                raise ValueError('direction needed: %s' % text)
        f.update(measure=attrs.get('m'), before=b, after=a, unit=u, change_pct=pct,
                 change_abs=attrs.get('abs'), direction=d)
        for k, name in (('bm', 'before_max'), ('am', 'after_max'), ('bu', 'before_unit')):
            if k in attrs:
                f[name] = attrs[k]
    elif typ == 'z':
        f['type'] = 'zone'
        f.update(zone=attrs['z'], area=attrs.get('a'))
    elif typ == 'd':
        f['type'] = 'date'
        if 'd' in attrs or attrs.get('red'):
            d = attrs.get('d')
            d = None if d is None else str(d)
        else:
            m = re.fullmatch(r'(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?', text.translate(FW))
            if not m:
                raise ValueError('cannot parse date %r' % text)
            d = m.group(1)
            if m.group(2):
                d += '-%02d' % int(m.group(2))
            if m.group(3):
                d += '-%02d' % int(m.group(3))
        f.update(date=d, redacted=bool(attrs.get('red', False)))
    elif typ == 'c':
        f['type'] = 'case'
        f.update(title=attrs.get('title', text), zone=attrs.get('z'), domain=attrs.get('dom'))
    elif typ == 't':
        f['type'] = 'table_row'
        cells = [c.strip() for c in re.split(r'\t|\u3000| {2,}', text) if c.strip()]
        f.update(table=captions.get(attrs.get('tbl')), cells=cells)
        if 'seq' in attrs:
            f['seq'] = attrs['seq']
    else:
        raise ValueError(typ)
    return f


def build(path):
    name = os.path.basename(path).replace('.mk.txt', '.txt')
    raw = open(path, encoding='utf-8').read()
    captions, standoff, lines = {}, {}, []
    for line in raw.split('\n'):
        if line.startswith('#caption '):
            _, key, cap = line.split(' ', 2)
            captions[key] = cap
        elif line.startswith('#fact '):
            _, fid, typ, rest = (line + ' ').split(' ', 3)
            standoff[fid] = (typ, parse_attrs(rest))
        elif line.startswith('#'):
            continue
        else:
            lines.append(line)
    src = '\n'.join(lines).replace('⇥', '\t')
    out, stack, facts, opened = [], [], [], {}
    i = 0
    while i < len(src):
        ch = src[i]
        if ch == '«':
            j = src.index('|', i)
            head = src[i + 1:j].split(None, 1)
            stack.append((head[0], parse_attrs(head[1] if len(head) > 1 else ''), len(''.join(out))))
            i = j + 1
        elif ch == '»':
            typ, attrs, s = stack.pop()
            txt = ''.join(out)
            facts.append((typ, attrs, s, len(txt)))
            i += 1
        elif ch in '⁅⁆':
            j = src.index(';', i)
            fid = src[i + 1:j]
            pos = len(''.join(out))
            if ch == '⁅':
                opened[fid] = pos
            else:
                typ, attrs = standoff.pop(fid)
                facts.append((typ, attrs, opened.pop(fid), pos))
            i = j + 1
        else:
            out.append(ch)
            i += 1
    assert not stack, (name, stack)
    assert not opened and not standoff, (name, opened, standoff)
    doc = ''.join(out)
    gold = []
    for typ, attrs, s, e in facts:
        gold.append(make_fact(name, typ, attrs, s, e, doc[s:e], captions))
    gold.sort(key=lambda f: (f['start'], -f['end'], f['type']))
    return name, doc, gold


def main():
    os.makedirs(os.path.join(HERE, 'docs'), exist_ok=True)
    allgold = []
    for path in sorted(glob.glob(os.path.join(HERE, 'src', '*.mk.txt'))):
        name, doc, gold = build(path)
        with open(os.path.join(HERE, 'docs', name), 'w', encoding='utf-8') as fh:
            fh.write(doc)
        allgold.extend(gold)
        print(name, len(doc), 'chars', len(gold), 'facts', file=sys.stderr)
    with open(os.path.join(HERE, 'gold.jsonl'), 'w', encoding='utf-8') as fh:
        for f in allgold:
            fh.write(json.dumps(f, ensure_ascii=False) + '\n')


if __name__ == '__main__':
    main()

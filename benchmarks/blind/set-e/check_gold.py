#!/usr/bin/env python3
"""Checks gold.jsonl against docs/ and the reference tables in data/.

Verifies text == doc[start:end], offsets in range, spans not starting/ending with whitespace,
required fields per type, hedge words from the contract, value_max > value, redacted <=> null,
effect sign vs direction and change_pct vs before/after, zone codes and (zone, area) pairs,
case domains, no duplicate facts. With --uncovered it lists digits and Chinese numerals that
no quantity/date span covers (for a manual completeness review).
"""
import csv
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
HEDGES = {'余', '多', '近', '约', '超过', '逾', '以上', '左右', '上下', '至少', '不少于', '最多', '上',
          '几', '来', '把', '好几', '数'}
REQ = {
    'quantity': ['value', 'value_max', 'unit', 'approx', 'redacted'],
    'effect': ['measure', 'before', 'after', 'unit', 'change_pct', 'change_abs', 'direction'],
    'zone': ['zone', 'area'],
    'date': ['date', 'redacted'],
    'case': ['title', 'zone', 'domain'],
    'table_row': ['table', 'cells'],
}
CELL = ['unit_source', 'row', 'column']
UNIT_SOURCES = {'cell', 'column', 'unit_column', 'row', 'caption'}


def load_csv(name):
    with open(os.path.join(HERE, 'data', name), encoding='utf-8') as fh:
        return list(csv.DictReader(fh))


def main():
    zones = {r['code'] for r in load_csv('zones.csv')}
    areas = {(r['zone'], r['name_zh']) for r in load_csv('areas.csv')}
    domains = {r['code'] for r in load_csv('domains.csv')}
    docs = {}
    errors = []
    facts = [json.loads(l) for l in open(os.path.join(HERE, 'gold.jsonl'), encoding='utf-8')]
    seen = set()
    for i, f in enumerate(facts, 1):
        def err(msg):
            errors.append('line %d (%s %s %r): %s' % (i, f.get('doc'), f.get('type'), f.get('text'), msg))
        d = f['doc']
        if d not in docs:
            p = os.path.join(HERE, 'docs', d)
            if not os.path.exists(p):
                err('no such document')
                continue
            docs[d] = open(p, encoding='utf-8').read()
        doc = docs[d]
        s, e = f['start'], f['end']
        if not (0 <= s < e <= len(doc)):
            err('offsets out of range')
            continue
        if doc[s:e] != f['text']:
            err('text != doc[start:end]')
        if f['text'] != f['text'].strip():
            err('span starts or ends with whitespace')
        t = f['type']
        if t not in REQ:
            err('unknown type')
            continue
        for k in REQ[t]:
            if k not in f:
                err('missing field %s' % k)
        key = (d, s, e, t)
        if key in seen:
            err('duplicate fact')
        seen.add(key)
        if t == 'quantity':
            if f['approx'] is not None and f['approx'] not in HEDGES:
                err('approx %r not a contract hedge' % f['approx'])
            if f['redacted'] != (f['value'] is None):
                err('redacted <=> value null violated')
            if f['value_max'] is not None and not f['value_max'] > f['value']:
                err('value_max <= value')
            if not f['unit']:
                err('empty unit')
            if 'unit_source' in f:
                for k in CELL:
                    if k not in f:
                        err('table cell without %s' % k)
                if f['unit_source'] not in UNIT_SOURCES:
                    err('bad unit_source')
                m = re.match(r'-?[\d,，.]+', f['text'])
                if not m:
                    err('cell text is not a number')
                elif float(re.sub(r'[,，]', '', m.group())) != f['value']:
                    err('cell value differs from text')
                elif f['unit_source'] != 'cell' and m.group() != f['text']:
                    err('inherited-unit cell span is not the number only')
        elif t == 'effect':
            pct, b, a = f['change_pct'], f['before'], f['after']
            if f['direction'] not in ('decrease', 'increase'):
                err('bad direction')
            if pct is not None and (pct < 0) != (f['direction'] == 'decrease'):
                err('sign of change_pct disagrees with direction')
            if pct is None and f['change_abs'] is None and (b is None or a is None):
                if not (a is not None and b is None):
                    err('effect without a stated change')
            if b is not None and a is not None and 'before_unit' not in f and pct is not None:
                calc = (a - b) / b * 100 if b else None
                if calc is not None and abs(calc - pct) > 0.05:
                    err('change_pct %s != computed %.2f' % (pct, calc))
            if f.get('before_max') is not None and not f['before_max'] > b:
                err('before_max <= before')
            if f.get('after_max') is not None and not f['after_max'] > a:
                err('after_max <= after')
            if 'before_unit' in f and f['before_unit'] == f['unit']:
                err('before_unit equals unit')
        elif t == 'zone':
            if f['zone'] not in zones:
                err('zone code not in zones.csv')
            if f['area'] is not None and (f['zone'], f['area']) not in areas:
                err('(zone, area) not in areas.csv')
        elif t == 'date':
            if f['redacted'] != (f['date'] is None):
                err('redacted <=> date null violated')
            if f['date'] is not None and not re.fullmatch(r'\d{4}(-\d{2}(-\d{2})?)?', f['date']):
                err('bad ISO date')
        elif t == 'case':
            if f['zone'] is not None and f['zone'] not in zones:
                err('case zone not in zones.csv')
            if f['domain'] is not None and f['domain'] not in domains:
                err('case domain not in domains.csv')
        elif t == 'table_row':
            if not f['cells']:
                err('no cells')
    print('%d facts, %d errors' % (len(facts), len(errors)))
    for m in errors:
        print('  ' + m)
    if '--uncovered' in sys.argv:
        for d, doc in sorted(docs.items()):
            cov = [False] * len(doc)
            for f in facts:
                if f['doc'] == d and f['type'] in ('quantity', 'date'):
                    for k in range(f['start'], f['end']):
                        cov[k] = True
            print('==', d)
            for m in re.finditer(r'[0-9０-９OО〇○零一二两兩三四五六七八九十百千万萬亿億半]+', doc):
                if not any(cov[m.start():m.end()]):
                    print('  %5d %s  ...%s...' % (m.start(), m.group(), doc[max(0, m.start() - 8):m.end() + 8].replace('\n', '⏎').replace('\t', '⇥')))
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()

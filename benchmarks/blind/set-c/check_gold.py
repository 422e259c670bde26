#!/usr/bin/env python3
"""Verify gold.jsonl: text == doc[start:end] for every fact; basic field checks."""
import json, pathlib, sys
ROOT = pathlib.Path(__file__).parent
REQ = {'zone':['zone','area'], 'quantity':['value','value_max','unit','approx','redacted'],
       'effect':['measure','before','after','unit','change_pct','change_abs','direction'],
       'date':['date','redacted'], 'case':['title','zone','domain'], 'table_row':['table','cells']}
zones = {l.split(',')[0] for l in (ROOT/'zones.csv').read_text(encoding='utf-8').splitlines()[1:]}
areas = {tuple(l.split(',')[:2]) for l in (ROOT/'areas.csv').read_text(encoding='utf-8').splitlines()[1:]}
domains = {l.split(',')[0] for l in (ROOT/'domains.csv').read_text(encoding='utf-8').splitlines()[1:]}
bad = 0; n = 0; cache = {}
for ln, line in enumerate(open(ROOT/'gold.jsonl', encoding='utf-8'), 1):
    f = json.loads(line); n += 1
    doc = cache.setdefault(f['doc'], (ROOT/'docs'/f['doc']).read_text(encoding='utf-8'))
    errs = []
    if doc[f['start']:f['end']] != f['text']: errs.append('text mismatch')
    if not (0 <= f['start'] < f['end'] <= len(doc)): errs.append('bad offsets')
    for k in REQ[f['type']]:
        if k not in f: errs.append('missing '+k)
    if f['type'] == 'zone':
        if f['zone'] not in zones: errs.append('unknown zone')
        if f['area'] is not None and (f['zone'], f['area']) not in areas: errs.append('unknown area')
    if f['type'] == 'case' and f['domain'] is not None and f['domain'] not in domains: errs.append('bad domain')
    if f['type'] == 'quantity' and f['redacted'] != (f['value'] is None): errs.append('redaction/value')
    if f['type'] == 'effect' and f['before'] is None and f['after'] is None and f['change_pct'] is None and f['change_abs'] is None:
        errs.append('effect without numbers')
    if errs: bad += 1; print(ln, f['doc'], f['text'], errs)
print(f'{n} facts, {bad} with errors'); sys.exit(1 if bad else 0)

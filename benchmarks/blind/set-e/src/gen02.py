#!/usr/bin/env python3
"""Writes src/02_monthly_stats.mk.txt: the two tables are generated from data, the prose is below."""
import os
HERE = os.path.dirname(os.path.abspath(__file__))

T1_HEAD = ['指标', '10月', '同比增长', '1—10月', '同比增长']
T1 = [
    ['进出口总额', '86.4', '12.3', '802.7', '9.6'],
    ['出口', '31.2', '-4.2', '298.5', '3.1'],
    ['进口', '55.2', '23.8', '504.2', '13.4'],
    ['实际使用外资（亿美元）', '0.86', '—', '7.42', '18.9'],
    ['固定资产投资', '41.7', '6.5', '388.1', '-2.7'],
    ['税收收入', '5.9', '-1.3', '57.3', '4.4'],
]
T2_HEAD = ['序号', '园区', '新设企业(家)', '其中外资(家)', '注册资本(亿元)', '占比(%)']
T2 = [
    ['1', '保税港区', '126', '9', '38.6', '30.6'],
    ['2', '中马钦州产业园区', '97', '11', '41.3', '23.5'],
    ['3', '石化产业园', '74', '—', '26.8', '18.0'],
    ['4', '大榄坪综合物流园', '115', '5', '19.5', '27.9'],
    ['', '合计', '412', '25', '126.2', '100.0'],
]
T2_UNITS = {2: '家', 3: '家', 4: '亿元', 5: '%'}


def q(cell, unit, us, row, col):
    return '«q v=%s u=%s us=%s row=%s col=%s|%s»' % (cell, unit, us, row, col, cell)


def t1():
    lines = ['⇥'.join(T1_HEAD)]
    for r in T1:
        label = r[0]
        cells = [label]
        for j, c in enumerate(r[1:], 1):
            if c in ('—', '/', ''):
                cells.append(c)
                continue
            col = T1_HEAD[j]
            if '同比' in col:
                cells.append(q(c, '%', 'column', label, col))
            elif '（亿美元）' in label:
                cells.append(q(c, '亿美元', 'row', label, col))
            else:
                cells.append(q(c, '亿元', 'caption', label, col))
        lines.append('«t tbl=T1|' + '⇥'.join(cells) + '»')
    return '\n'.join(lines)


def width(s):
    return sum(2 if ord(ch) > 0x2e80 else 1 for ch in s)


def pad(s, w):
    return s + ' ' * max(2, w - width(s))


def t2():
    widths = [6, 20, 14, 14, 16, 8]
    out = [''.join(pad(h, widths[i]) if i < 5 else h for i, h in enumerate(T2_HEAD))]
    for r in T2:
        label = r[1]
        parts = []
        first = r[0] if r[0] else ''
        line = pad(first, widths[0]) if first else ' ' * widths[0]
        body = pad(label, widths[1])
        for j in range(2, 6):
            c = r[j]
            shown = c if c in ('—',) else q(c, T2_UNITS[j], 'column', label, T2_HEAD[j])
            body += (pad(c, widths[j]) if j < 5 else c).replace(c, shown, 1)
        if first:
            out.append('«t tbl=T2|' + line + body + '»')
        else:
            out.append(line + '«t tbl=T2|' + body + '»')
    return '\n'.join(out)


src = open(os.path.join(HERE, '02_monthly_stats.in.txt'), encoding='utf-8').read()
src = src.replace('@@T1@@', t1()).replace('@@T2@@', t2())
open(os.path.join(HERE, '02_monthly_stats.mk.txt'), 'w', encoding='utf-8').write(src)

"""A long report of our own wording, for the review page's paging, filters and bulk review:
about 210 KB of text and, by default, 1,278 facts (the size of the longest report an office
has stored), made from a few sentence patterns so its facts are known in kind and number."""

from zimao.text.extract import extract_text

# Each pattern names a zone or area, figures and sometimes a date or an effect.
FACTUAL = [
    "{y}年{m}月，川南临港片区新设外资企业{n}家，实际使用外资{n}.5亿元，同比增长{p}%。",
    "青白江铁路港片区推行第{n}批通关便利措施，平均通关时间缩短{p}0%，惠及企业约{n}00家。",
    "本季度成都天府新区片区累计办理跨境结算业务{n}万笔，较上年同期增加{p}个百分点。",
    "四川自贸试验区第{n}项改革：企业开办时间从5个工作日压缩到1个工作日。",
]
ONE_FACT = "相关工作由川南临港片区牵头推进。"
# Plain prose between them, with no figures or names, as a report's narrative parts read.
PROSE = (
    "各有关部门坚持问题导向，围绕市场主体关切持续完善制度设计，强化部门协同和事中事后监管，"
    "及时总结可复制可推广的做法，推动改革举措落地见效，营造公平透明可预期的营商环境。"
)


def long_report(facts: int = 1278, size: int = 210_000) -> tuple[str, int]:
    """Text with at least `facts` extracted facts (cut to the first line reaching it) and about
    `size` bytes of UTF-8; returns the text and its exact fact count."""
    lines = []
    n = 0
    counted = 0
    while counted + 8 < facts:
        n += 1
        line = FACTUAL[n % len(FACTUAL)].format(n=n, y=2018 + n % 6, m=1 + n % 12, p=1 + n % 9)
        counted += len(extract_text(line))
        lines.append(line)
    lines.extend([ONE_FACT] * (facts - counted))  # the last few, one fact each
    prose_lines = max(0, (size - len("\n".join(lines).encode())) // (len(PROSE.encode()) + 1))
    every = max(1, len(lines) // max(1, prose_lines))
    text: list[str] = []
    for number, line in enumerate(lines):
        text.append(line)
        if prose_lines and number % every == 0:
            text.append(PROSE)
            prose_lines -= 1
    text.extend([PROSE] * prose_lines)
    body = "\n".join(text)
    return body, len(extract_text(body))

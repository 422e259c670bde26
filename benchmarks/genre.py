"""Synthetic FTZ-genre text for benchmarks: templates in our own words, names from the
reference data, numbers from a seeded generator; wrapped and spaced like PDF text."""

import csv
import random
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "zimao" / "data"
REFORMS = [
    "企业开办",
    "国际贸易单一窗口",
    "证照分离",
    "跨境电商零售进口",
    "融资租赁",
    "工程建设项目审批",
    "船舶登记",
    "通关一体化",
    "知识产权质押融资",
    "外商投资备案",
    "出口退税",
    "人才签证",
]
TEMPLATES = [
    "{year}年，{zone}实现外贸进出口{amount}亿元，同比增长{pct}%，占全省的{share}%。",
    "{area}推行{reform}改革，办理时间从{before}个工作日压缩到{after}个工作日。",
    "截至{year}年{month}月底，{zone}累计新设企业{count}家，其中外资企业{small}家。",
    "{zone}实际使用外资{amount}亿美元，较上年增长{pct}%，新引进重大项目{cn}个。",
    "通过{reform}改革，{area}审批时限压减{pct}%，申报材料由{before}份精简至{after}份。",
    "{area}面积{area_km2}平方公里，集聚市场主体逾{count}家，年均增长约{pct}%。",
    "据统计，{zone}形成制度创新成果{small}项，其中{tiny}项在全国复制推广。",
    "{zone}联合广州市商务局等部门，为企业节约成本约{amount}万元，通关时间缩短{pct}%以上。",
    "{year}年{month}月{day}日，{zone}召开推进会，部署{cn}项重点任务，涉及{small}个部门。",
    "{area}探索{reform}新模式，平均查验时间由{before}小时缩短为{after}小时，效率提升{tiny}倍。",
]
CN = ["三", "五", "七", "十二", "二十一", "三十五", "四十八", "一百"]


def _names() -> tuple[list[str], list[str]]:
    with (DATA / "zones.csv").open(encoding="utf-8") as handle:
        zones = [row["short_name_zh"] for row in csv.DictReader(handle)]
    with (DATA / "areas.csv").open(encoding="utf-8") as handle:
        areas = [row["name_zh"] for row in csv.DictReader(handle)]
    return zones, areas


def sentences(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    zones, areas = _names()
    out = []
    for _ in range(count):
        before = rng.randint(10, 90)
        out.append(
            rng.choice(TEMPLATES).format(
                year=rng.randint(2014, 2024),
                month=rng.randint(1, 12),
                day=rng.randint(1, 28),
                zone=rng.choice(zones),
                area=rng.choice(areas),
                reform=rng.choice(REFORMS),
                amount=round(rng.uniform(1, 5000), 1),
                pct=round(rng.uniform(1, 95), 1),
                share=round(rng.uniform(5, 40), 1),
                before=before,
                after=rng.randint(1, before - 1),
                count=rng.randint(100, 90000),
                small=rng.randint(5, 300),
                tiny=rng.randint(1, 9),
                cn=rng.choice(CN),
                area_km2=round(rng.uniform(10, 120), 2),
            )
        )
    return out


def pdf_like(text: str, width: int = 38) -> str:
    """Space digits apart from Chinese and wrap lines mid-sentence, as PDF extraction does."""
    spaced = []
    for i, char in enumerate(text):
        spaced.append(char)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if char.isdigit() != nxt.isdigit() and nxt and nxt not in ".%" and char not in ".":
            spaced.append(" ")
    flat = "".join(spaced)
    return "\n\n".join(flat[i : i + width] for i in range(0, len(flat), width))


def documents(count: int, sentences_per_doc: int = 40, seed: int = 11) -> list[str]:
    pool = sentences(count * sentences_per_doc, seed)
    return [
        pdf_like("".join(pool[i * sentences_per_doc : (i + 1) * sentences_per_doc]))
        for i in range(count)
    ]

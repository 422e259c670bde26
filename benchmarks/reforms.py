"""Synthetic innovations and passages with known topics, for similarity and search benchmarks.

A topic is an (object, action) pair such as (企业开办, 全程网上办理). Every record is written
from templates with synonyms, so two records of one topic are paraphrases of each other, and
records sharing only the object or only the action are hard negatives.
"""

import random
from dataclasses import dataclass

OBJECTS = [
    "企业开办",
    "工程建设项目审批",
    "跨境贸易通关",
    "船舶登记",
    "外商投资备案",
    "出口退税",
    "知识产权质押融资",
    "跨境人民币结算",
    "人才签证办理",
    "不动产登记",
    "社会投资项目审批",
    "进口药品通关",
    "融资租赁资产转让",
    "保税维修",
    "跨境电商退货",
    "口岸查验",
    "商事登记",
    "经营许可",
    "税务注销",
    "外籍人才工作许可",
    "国际中转集拼",
    "冷链食品查验",
    "大宗商品交易",
    "数据跨境流动",
    "商事纠纷调解",
    "涉外知识产权保护",
    "农产品检疫",
    "危险货物运输",
    "航空货运",
    "中欧班列运输",
    "离岸贸易结算",
    "跨境资金池",
    "外债登记",
    "保税研发",
    "汽车平行进口",
    "医疗器械注册",
    "药品上市许可",
    "生物材料入境",
    "跨境数据服务",
    "港口作业",
]
ACTIONS = [
    ["全程网上办理", "全流程在线办理", "全程网办"],
    ["告知承诺制", "承诺即入制", "信用承诺审批"],
    ["一窗受理", "一个窗口受理", "单窗口受理"],
    ["并联审批", "同步审批", "并行审批"],
    ["容缺受理", "容缺办理", "缺项先行受理"],
    ["信用分级监管", "分级分类信用监管", "信用等级监管"],
    ["智能审核", "自动审核", "系统自动核验"],
    ["区块链存证", "链上存证", "区块链共享存证"],
    ["先放后检", "先通关后检测", "先放行后检验"],
    ["跨部门数据共享", "部门间信息共享", "数据互通共享"],
]
TITLES = [
    "{obj}{act}",
    "{obj}“{act}”改革",
    "推行{obj}{act}",
    "{obj}{act}试点",
    "创新{obj}{act}模式",
]
MECHANISMS = [
    "{place}针对{obj}环节多、耗时长的问题，实行{act}，{gain}。",
    "围绕{obj}，{place}推出{act}，{gain}，企业反映良好。",
    "{place}在{obj}中试行{act}，并配套建立风险防控措施，{gain}。",
]
GAINS = ["办理时间大幅缩短", "企业跑动次数明显减少", "办事成本显著降低", "审批效率明显提高"]
PLACES = ["片区管委会", "区行政审批局", "海关与相关部门", "自贸办会同有关部门", "区市场监管部门"]
ZONES = [
    "shanghai",
    "guangdong",
    "tianjin",
    "fujian",
    "liaoning",
    "zhejiang",
    "henan",
    "hubei",
    "chongqing",
    "sichuan",
    "shaanxi",
    "hainan",
    "shandong",
    "jiangsu",
    "guangxi",
    "hebei",
    "yunnan",
    "heilongjiang",
    "beijing",
    "hunan",
    "anhui",
    "xinjiang",
]


@dataclass(frozen=True)
class Record:
    topic: tuple[int, int]
    zone: str
    text: str


def record(rng: random.Random, obj: int, act: int) -> Record:
    verb = rng.choice(ACTIONS[act])
    title = rng.choice(TITLES).format(obj=OBJECTS[obj], act=verb)
    mechanism = rng.choice(MECHANISMS).format(
        place=rng.choice(PLACES),
        obj=OBJECTS[obj],
        act=rng.choice(ACTIONS[act]),
        gain=rng.choice(GAINS),
    )
    return Record((obj, act), rng.choice(ZONES), f"{title} {mechanism}")


def innovations(count: int, seed: int = 5) -> list[Record]:
    rng = random.Random(seed)
    return [
        record(rng, rng.randrange(len(OBJECTS)), rng.randrange(len(ACTIONS))) for _ in range(count)
    ]


def labelled_pairs(records: list[Record], count: int, seed: int = 9) -> list[tuple[int, int, bool]]:
    """Half true pairs (same topic), half false; of the false ones half share object or action."""
    rng = random.Random(seed)
    by_topic: dict[tuple[int, int], list[int]] = {}
    for index, rec in enumerate(records):
        by_topic.setdefault(rec.topic, []).append(index)
    topics = [t for t, members in by_topic.items() if len(members) > 1]
    pairs: list[tuple[int, int, bool]] = []
    while len(pairs) < count // 2:
        a, b = rng.sample(by_topic[rng.choice(topics)], 2)
        pairs.append((a, b, True))
    while len(pairs) < count:
        a, b = rng.randrange(len(records)), rng.randrange(len(records))
        ta, tb = records[a].topic, records[b].topic
        hard = ta[0] == tb[0] or ta[1] == tb[1]
        if ta != tb and (hard or len(pairs) % 2):
            pairs.append((a, b, False))
    return pairs

"""A working day's worth of records for the whole cast, made through the services (so audit
events, status history and notifications exist as they would in use)."""

from dataclasses import dataclass
from typing import Any

from tests.factories import Cast, make_document, make_plan
from zimao.accounts.access import SystemActor
from zimao.reforms.evaluation import score_sheet_save
from zimao.reforms.lifecycle import innovation_transition
from zimao.reforms.models import Criterion, Innovation, PilotTask
from zimao.reforms.services import effect_add, innovation_create, task_update
from zimao.replication.models import ReplicationItem
from zimao.replication.services import adoption_set
from zimao.search.services import saved_search_create
from zimao.vocab.models import Domain
from zimao.zones.models import Area, Zone

DOCUMENT_TEXT = (
    "广东自贸试验区前海蛇口片区推行跨境贸易单一窗口。\n"
    "改革后，通关时间从72小时压缩到37小时，2019年8月起在全区推广。\n"
    "四川自贸试验区同步开展试点。\n"
)


@dataclass
class World:
    cast: Cast
    records: dict[str, Any]


def _step(user: Any, innovation: Innovation, *states: str) -> Innovation:
    for state in states:
        innovation = innovation_transition(
            user=user,
            innovation=innovation,
            to_state=state,
            reason=f"进入“{Innovation.State(state).label}”阶段",
            version=innovation.version,
        )
    return innovation


def _jobs(cast: Cast) -> None:
    """A bulk upload that finished with one unreadable file, and an export that failed and
    was retried (both audited), so the jobs pages and the audit log show them."""
    from zimao.jobs.models import Job
    from zimao.jobs.services import job_retry, job_start

    upload = job_start(user=cast.zoe, kind="ingest", params={"files": []})
    items = [
        {"name": "简报一.pdf", "url": "/documents/", "result": "已导入，共提取 3 条事实"},
        {"name": "损坏.pdf", "url": "/documents/", "error": "PDF 文件已损坏或不完整。"},
    ]
    Job.objects.filter(pk=upload.pk).update(
        state="done", done=2, total=2, items=items, message="共 2 个文件：成功 1 个，失败 1 个。"
    )
    export = job_start(user=cast.zoe, kind="open_data")
    Job.objects.filter(pk=export.pk).update(state="failed", error="处理时发生意外错误。")
    job_retry(user=cast.zoe, job=Job.objects.get(pk=export.pk))
    Job.objects.filter(pk=export.pk).update(state="failed", error="处理时发生意外错误。")


def make_world(cast: Cast) -> World:
    guangdong = Zone.objects.get(code="guangdong")
    sichuan = Zone.objects.get(code="sichuan")
    qianhai = Area.objects.get(zone=guangdong, name_zh="前海蛇口片区")
    trade = Domain.objects.get(code="trade")
    plan = make_plan("guangdong")
    system = SystemActor("import-tasks")
    tasks = []
    for number, text, area in [
        ("G-1", "推进企业开办全程网上办理，实现一日办结", None),
        ("G-2", "建设国际贸易单一窗口，推广跨境电商综合服务", None),
        ("G-3", "探索前海深港现代服务业合作新机制", qianhai),
        ("G-4", "开展跨境人民币结算便利化试点", qianhai),
    ]:
        tasks.append(PilotTask.objects.create(plan=plan, number=number, text=text, area=area))
    task_update(user=cast.zoe, task=tasks[0], version=1, status="implemented", evidence="已上线")
    task_update(user=cast.zoe, task=tasks[1], version=1, status="in_progress")
    task_update(
        user=cast.ada, task=tasks[2], version=1, status="implemented", evidence="已出台实施细则"
    )
    sichuan_plan = make_plan("sichuan")
    PilotTask.objects.create(plan=sichuan_plan, number="S-1", text="推进中欧班列运单物权化")
    del system

    draft = innovation_create(
        user=cast.zoe, title="跨境贸易单一窗口大湾区版", zone=guangdong, domain=trade,
        mechanism="港澳企业一次申报，三地口岸数据互认。",
    )  # fmt: skip
    effect_add(
        user=cast.zoe, innovation=draft, measure="通关时间", before=72, after=37, unit="小时"
    )
    submitted = innovation_create(
        user=cast.zoe, title="商事登记确认制改革", zone=guangdong, domain=trade,
        mechanism="登记机关对申请材料只做形式审查，当场确认。",
    )  # fmt: skip
    submitted = _step(cast.zoe, submitted, "piloting", "achieved", "submitted")
    values = {c.code: 80 for c in Criterion.objects.filter(active=True)}
    score_sheet_save(user=cast.nina, innovation=submitted, values=values, comment="可复制性强")
    selected = innovation_create(
        user=cast.zoe, title="前海深港跨境执业备案制", zone=guangdong, area=qianhai,
        mechanism="港澳专业人士经备案即可在前海执业。",
    )  # fmt: skip
    selected = _step(cast.zoe, selected, "piloting", "achieved", "submitted")
    score_sheet_save(user=cast.nina, innovation=selected, values=values)
    selected = innovation_transition(
        user=cast.nina, innovation=selected, to_state="selected", reason="评审总分领先",
        selection="best_practice", version=selected.version,
    )  # fmt: skip
    area_draft = innovation_create(
        user=cast.ada, title="前海跨境数据流动试点", zone=guangdong, area=qianhai
    )
    sichuan_draft = innovation_create(user=cast.otto, title="中欧班列运单物权化", zone=sichuan)

    item = ReplicationItem.objects.get(code="2019-investment-01")
    adoption_set(user=cast.zoe, item=item, zone=guangdong, status="adopted", date="2020-05")
    adoption_set(user=cast.otto, item=item, zone=sichuan, status="in_progress")
    document = make_document(
        DOCUMENT_TEXT,
        title="前海通关改革简报",
        facts=[
            {"type": "zone", "text": "广东自贸试验区", "payload": {"zone": "guangdong"}},
            {"type": "zone", "text": "四川自贸试验区", "payload": {"zone": "sichuan"}},
            {
                "type": "quantity",
                "text": "72小时",
                "payload": {"value": 72, "unit": "小时", "approx": None, "redacted": False},
            },
            {
                "type": "effect",
                "text": "从72小时压缩到37小时",
                "payload": {
                    "measure": "通关时间",
                    "before": 72,
                    "after": 37,
                    "unit": "小时",
                    "change_pct": -48.61,
                    "direction": "decrease",
                },
            },
            {
                "type": "date",
                "text": "2019年8月",
                "payload": {"date": "2019-08", "redacted": False},
            },
        ],
    )
    saved_search_create(user=cast.rita, name="单一窗口（广东）", query="q=单一窗口&zone=guangdong")
    _jobs(cast)
    records = {
        "plan": plan,
        "tasks": tasks,
        "draft": draft,
        "submitted": submitted,
        "selected": selected,
        "area_draft": area_draft,
        "sichuan_draft": sichuan_draft,
        "item": item,
        "document": document,
    }
    return World(cast, records)

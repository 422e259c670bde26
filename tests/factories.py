"""The shared test cast and record builders, used by every test file.

The cast (one person per role, two zones, one province):
    public   anonymous visitor
    rita     researcher
    ada      area office of 前海蛇口片区 (Guangdong)
    zoe      zone office of Guangdong
    otto     zone office of Sichuan (another zone, another province)
    paul     provincial office of 广东省
    nina     national office

Records are built with the ORM here (fixtures are not the code under test); the search index
is brought up to date the way the write path does it after its commit (`index_record`).
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser

from zimao.accounts.models import Membership, Role, User
from zimao.documents.models import Document, Fact
from zimao.reforms.models import Effect, Innovation, PilotTask
from zimao.search.services import index_record
from zimao.vocab.models import Domain
from zimao.zones.models import Area, Plan, Zone

HOME = "guangdong"
AREA = "前海蛇口片区"
OTHER = "sichuan"


@dataclass
class Cast:
    public: AnonymousUser
    rita: User
    ada: User
    zoe: User
    otto: User
    paul: User
    nina: User

    def members(self) -> dict[str, User | AnonymousUser]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def person(username: str, role: str | None = None, **scope: Any) -> User:
    """A user with a password of `pw-<name>-123` and, if given, one membership."""
    user = User.objects.create_user(username, password=f"pw-{username}-123")
    if role is not None:
        membership = Membership(user=user, role=role, **scope)
        membership.full_clean()
        membership.save()
    return user


def make_cast() -> Cast:
    home = Zone.objects.get(code=HOME)
    other = Zone.objects.get(code=OTHER)
    area = Area.objects.get(zone=home, name_zh=AREA)
    return Cast(
        public=AnonymousUser(),
        rita=person("rita", Role.RESEARCHER),
        ada=person("ada", Role.AREA, area=area),
        zoe=person("zoe", Role.ZONE, zone=home),
        otto=person("otto", Role.ZONE, zone=other),
        paul=person("paul", Role.PROVINCIAL, province=home.province),
        nina=person("nina", Role.NATIONAL),
    )


def make_innovation(
    title: str = "跨境贸易单一窗口申报一次办结",
    zone: str = HOME,
    *,
    area: str | None = None,
    published: bool = False,
    state: str = Innovation.State.PROPOSED,
    domain: str | None = "trade",
    mechanism: str = "企业一次申报、各部门并联审核，通关材料电子化。",
    created_by: User | None = None,
) -> Innovation:
    zone_record = Zone.objects.get(code=zone)
    innovation = Innovation.objects.create(
        title=title,
        zone=zone_record,
        area=Area.objects.get(zone=zone_record, name_zh=area) if area else None,
        published=published,
        state=state,
        domain=Domain.objects.filter(code=domain or "").first(),
        mechanism=mechanism,
        created_by=created_by,
    )
    index_record(innovation)
    return innovation


def make_effect(innovation: Innovation, before: float = 72, after: float = 37) -> Effect:
    return Effect.objects.create(
        innovation=innovation,
        measure="通关时间",
        before=before,
        after=after,
        unit="小时",
        change_pct=round((after - before) / before * 100, 2),
        direction="decrease",
    )


def make_plan(zone: str = HOME) -> Plan:
    return Plan.objects.filter(zone__code=zone).order_by("id").first() or Plan.objects.create(
        zone=Zone.objects.get(code=zone),
        title=f"{zone} 总体方案（测试）",
        kind="overall",
        issue_date="2015-04",
        source="test",
    )


def make_task(
    number: str = "T-1",
    zone: str = HOME,
    *,
    area: str | None = None,
    text: str = "推进企业开办全程网上办理",
    status: str = PilotTask.Status.NOT_STARTED,
) -> PilotTask:
    plan = make_plan(zone)
    task = PilotTask.objects.create(
        plan=plan,
        number=number,
        text=text,
        status=status,
        area=Area.objects.get(zone=plan.zone, name_zh=area) if area else None,
    )
    index_record(task)
    return task


def make_document(
    text: str,
    title: str = "测试文档",
    *,
    zone: str | None = HOME,
    facts: list[dict[str, Any]] | None = None,
) -> Document:
    """A processed document owned by `zone` (None: a national document), with its facts and
    search entries."""
    import hashlib

    document = Document.objects.create(
        title=title,
        original_name=f"{title}.txt",
        sha256=hashlib.sha256(f"{title}{text}".encode()).hexdigest(),
        size=len(text.encode()),
        format="txt",
        encoding="utf-8",
        text=text,
        status=Document.Status.PROCESSED,
        zone=Zone.objects.get(code=zone) if zone else None,
    )
    for fact in facts or []:
        start = text.index(fact["text"])
        Fact.objects.create(
            document=document,
            type=fact["type"],
            start=start,
            end=start + len(fact["text"]),
            text=fact["text"],
            confidence=0.9,
            payload=fact.get("payload", {}),
            state=fact.get("state", Fact.State.PENDING),
        )
    index_record(document)
    return document


def run_queued_jobs() -> list[int]:
    """Run every queued job in this process, as the worker would (the real queue's worker is
    exercised in tests/test_jobs.py); return their ids, oldest first."""
    from zimao.jobs.models import Job
    from zimao.jobs.services import job_run

    ran = []
    for job in Job.objects.filter(state=Job.State.QUEUED).order_by("created_at", "pk"):
        job_run(job.pk, job.attempt)
        ran.append(job.pk)
    return ran

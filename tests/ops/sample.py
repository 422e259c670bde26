"""Varied records touching every kind of relation a backup must carry: natural keys (content
types, permissions), users, many-to-many, JSON, decimals, dates, partial dates and stored files."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from zimao.accounts.models import Membership, Notification, User
from zimao.audit.models import AuditEvent
from zimao.documents.analysis import analyse_bytes
from zimao.documents.services import document_store
from zimao.indicators.models import Indicator, Observation
from zimao.reforms.models import Criterion, Effect, Innovation, Score, Transition
from zimao.replication.models import Adoption, ReplicationBatch, ReplicationItem
from zimao.vocab.models import Domain
from zimao.zones.models import Area, Plan, Zone

DOCUMENT = (
    "上海自贸试验区推行国际贸易单一窗口，企业申报时间由4天压缩至1天。\n"
    "2024年3月起，临港新片区跨境贸易通关时间缩短88%。\n"
).encode()


def zone(code: str) -> Zone:
    existing = Zone.objects.filter(code=code).first()
    if existing:
        return existing
    return Zone.objects.create(
        code=code,
        name_zh=f"中国（{code}）自由贸易试验区",
        short_name_zh=f"{code}自贸试验区",
        province="上海市",
        batch=1,
        approval_date="2013-08",
        source="样例",
    )


def make_sample_records() -> dict[str, object]:
    shanghai = zone("shanghai")
    area = Area.objects.filter(zone=shanghai).first() or Area.objects.create(
        zone=shanghai, name_zh="样例片区", area_km2="12.34", source="样例"
    )
    plan = Plan.objects.create(zone=shanghai, kind="other", title="样例方案", source="样例")
    plan.tasks.create(number="S-1", text="推进单一窗口", status="implemented", area=area)
    domain = Domain.objects.first() or Domain.objects.create(
        code="d", name_zh="领域", source="样例"
    )

    alice = User.objects.create_user("backup-alice", password="pw-1", display_name="张三")
    alice.user_permissions.add(Permission.objects.get(codename="add_document"))
    reviewers = Group.objects.create(name="评审组")
    reviewers.permissions.add(Permission.objects.get(codename="change_fact"))
    alice.groups.add(reviewers)
    Membership.objects.create(user=alice, role="zone", zone=shanghai)
    Notification.objects.create(user=alice, text="请审核", url="/reforms/")
    LogEntry.objects.create(
        user=alice,
        content_type=ContentType.objects.get_for_model(Zone),
        object_id=str(shanghai.pk),
        object_repr=str(shanghai),
        action_flag=CHANGE,
        change_message="样例",
    )

    stored = document_store(analysis=analyse_bytes("样例.txt", DOCUMENT), data=DOCUMENT, user=alice)
    innovation = Innovation.objects.create(
        title="国际贸易单一窗口",
        zone=shanghai,
        area=area,
        domain=domain,
        mechanism="一次申报",
        published=True,
        state="selected",
        selection="best_practice",
        created_by=alice,
    )
    innovation.documents.add(stored.document)
    Effect.objects.create(
        innovation=innovation,
        measure="申报时间",
        before=4,
        after=1,
        unit="天",
        change_pct=-75.0,
        direction="down",
        period="2024",
    )
    Transition.objects.create(
        innovation=innovation, from_state="proposed", to_state="selected", by=alice, reason="样例"
    )
    criterion = Criterion.objects.first() or Criterion.objects.create(
        code="c", name_zh="首创性", weight="0.30"
    )
    Score.objects.create(innovation=innovation, criterion=criterion, reviewer=alice, value=88)

    batch = ReplicationBatch.objects.create(
        code="backup-batch", kind="provincial", year=2024, source="样例"
    )
    item = ReplicationItem.objects.create(
        code="backup-item", batch=batch, seq=1, title="样例事项", scope_kind="ftz", source="样例"
    )
    item.origin_zones.add(shanghai)
    Adoption.objects.create(item=item, zone=shanghai, status="adopted", date="2024-05")

    indicator = Indicator.objects.create(
        code="backup-ind", name_zh="样例指标", unit="亿元", source="样例"
    )
    Observation.objects.create(
        indicator=indicator,
        subject_kind="zone",
        subject="shanghai",
        zone=shanghai,
        period="2024",
        value="1234.5678",
        source="样例",
    )
    AuditEvent.objects.create(
        actor=alice,
        action="sample",
        record_type="innovation",
        record_id=str(innovation.pk),
        before={"b": 1, "a": [1, 2]},
        after={"状态": "入选"},
    )
    return {"user": alice, "document": stored.document, "innovation": innovation}

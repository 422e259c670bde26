"""Indicators and reports write through the one write path: a stale write of each kind is refused
with nothing changed, each write leaves one audit event per record it changes, with the
record's scope, and a caller without the right changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from tests.indicators.test_index import DEFINITION
from zimao.accounts.models import User
from zimao.audit.models import AuditEvent
from zimao.audit.writes import EditConflict
from zimao.indicators.imports import ObservationRow, parse_observations
from zimao.indicators.index import current_version
from zimao.indicators.models import IndexVersion, Observation
from zimao.indicators.services import index_version_save, observation_import, observation_prefer
from zimao.reports.models import ReportDraft
from zimao.reports.services import report_draft_save
from zimao.zones.models import Area

pytestmark = pytest.mark.django_db

HEADER = "指标,对象类型,对象,时期,数值,单位,汇率,汇率来源,采用,采用理由,来源\n"
SUBJECT = "area:前海蛇口片区"
PEERS = ["area:南沙片区"]


def line(
    value: int, source: str = "甲年鉴", subject: str = "片区,前海蛇口片区", **more: str
) -> str:
    return (
        f"trade_total,{subject},2035,{value},亿元,,,"
        f"{more.get('preferred', '')},{more.get('reason', '')},{source}\n"
    )


def checked(*lines: str) -> list[ObservationRow]:
    preview = parse_observations("figures.csv", (HEADER + "".join(lines)).encode("utf-8"))
    assert preview.ok, [str(e) for e in preview.errors]
    return preview.rows


def stored() -> list[tuple]:
    rows = Observation.objects.filter(period="2035").order_by("source")
    return list(rows.values_list("source", "value", "preferred", "preferred_reason", "version"))


def events(model: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(record_type=model).order_by("id"))


def qianhai_scope() -> tuple[str, str, int]:
    return ("guangdong", "广东省", Area.objects.get(name_zh="前海蛇口片区").pk)


def scope(event: AuditEvent) -> tuple[str, str, int | None]:
    return (event.zone, event.province, event.area)


# Observations: import


def test_an_imported_row_is_one_audit_event_with_the_area_scope(cast):
    result = observation_import(user=cast.ada, rows=checked(line(100)), filename="figures.csv")
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    [event] = events("indicators.observation")
    assert (event.action, event.actor, event.after["value"]) == ("import", cast.ada, "100")
    assert scope(event) == qianhai_scope()
    assert event.note == "导入文件 figures.csv，第 2 行"


def test_a_stale_import_is_refused_whole(cast):
    observation_import(user=cast.ada, rows=checked(line(100)))
    mine = checked(line(120), line(5, source="乙公报"))  # checked while 甲年鉴 was 100
    observation_import(user=cast.zoe, rows=checked(line(110)))  # a colleague's correction
    before, audited = stored(), len(events("indicators.observation"))
    with pytest.raises(EditConflict) as conflict:
        observation_import(user=cast.ada, rows=mine)
    assert conflict.value.changes == {"2": (1, 2)}
    assert stored() == before == [("甲年鉴", 110, True, "", 2)]
    assert len(events("indicators.observation")) == audited


def test_a_row_someone_created_since_the_check_is_a_conflict(cast):
    mine = checked(line(100))
    observation_import(user=cast.zoe, rows=checked(line(101)))
    with pytest.raises(EditConflict):
        observation_import(user=cast.ada, rows=mine)
    assert stored() == [("甲年鉴", 101, True, "", 1)]


def test_a_row_changed_earlier_in_the_same_file_is_not_a_conflict(cast):
    """Preferring a new source demotes the stored one; the file's own later row still applies."""
    observation_import(user=cast.ada, rows=checked(line(100)))
    rows = checked(line(130, source="乙公报", preferred="是", reason="终核数"), line(99))
    result = observation_import(user=cast.ada, rows=rows)
    assert (result.created, result.updated) == (1, 1)
    assert [(s, v, p) for s, v, p, _, _ in stored()] == [
        ("乙公报", 130, True),
        ("甲年鉴", 99, False),
    ]


@pytest.mark.parametrize("who", ["otto", "rita", "public"])
def test_an_import_outside_the_callers_scope_writes_nothing(cast, who):
    rows = checked(line(100))
    with pytest.raises(PermissionDenied, match="职责范围"):
        observation_import(user=getattr(cast, who), rows=rows)
    assert stored() == [] and events("indicators.observation") == []


def test_a_provincial_office_imports_its_provinces_figures(cast):
    rows = checked(line(8, subject="省份,广东省"))
    with pytest.raises(PermissionDenied):
        observation_import(
            user=cast.zoe, rows=rows
        )  # a zone office does not speak for the province
    observation_import(user=cast.paul, rows=rows)
    [event] = events("indicators.observation")
    assert scope(event) == ("", "广东省", None)
    assert Observation.objects.get(period="2035").province == "广东省"


# Observations: preference


@pytest.fixture
def two_sources(cast):
    observation_import(user=cast.nina, rows=checked(line(100), line(120, source="乙公报")))
    AuditEvent.objects.all().delete()
    return {o.source: o for o in Observation.objects.filter(period="2035")}


def test_a_change_of_preference_is_one_event_on_each_row_it_changes(cast, two_sources):
    observation_prefer(user=cast.zoe, observation=two_sources["乙公报"], reason="终核数")
    by_row = {e.record_id: e for e in events("indicators.observation")}
    assert len(by_row) == len(events("indicators.observation")) == 2
    chosen, dropped = by_row[str(two_sources["乙公报"].pk)], by_row[str(two_sources["甲年鉴"].pk)]
    assert (chosen.before["preferred"], chosen.after["preferred"]) == (False, True)
    assert (dropped.before["preferred"], dropped.after["preferred"]) == (True, False)
    assert scope(chosen) == scope(dropped) == qianhai_scope()
    assert {e.action for e in by_row.values()} == {"prefer"}


def test_a_stale_preference_is_refused(cast, two_sources):
    seen = two_sources["乙公报"]  # loaded at version 1
    observation_import(user=cast.ada, rows=checked(line(125, source="乙公报")))  # then corrected
    before = stored()
    with pytest.raises(EditConflict):
        observation_prefer(user=cast.zoe, observation=seen, reason="终核数")
    assert stored() == before
    assert [e.action for e in events("indicators.observation")] == ["update"]


@pytest.mark.parametrize("who", ["otto", "rita"])
def test_a_preference_outside_the_callers_scope_changes_nothing(cast, two_sources, who):
    before = stored()
    with pytest.raises(PermissionDenied):
        observation_prefer(user=getattr(cast, who), observation=two_sources["乙公报"], reason="x")
    assert stored() == before and events("indicators.observation") == []


# The composite index


def test_an_index_version_is_one_national_audit_event(cast):
    latest = current_version().number
    saved = index_version_save(user=cast.nina, name="试算", definition=DEFINITION, latest=latest)
    [event] = events("indicators.indexversion")
    assert (saved.number, event.action, event.actor) == (latest + 1, "create", cast.nina)
    assert event.after["definition"] == DEFINITION.as_data()
    assert scope(event) == ("", "", None)  # a national record


def test_a_stale_index_save_is_refused(cast):
    latest = current_version().number
    index_version_save(user=cast.nina, name="甲方案", definition=DEFINITION, latest=latest)
    with pytest.raises(EditConflict, match="版本号"):
        index_version_save(user=cast.nina, name="乙方案", definition=DEFINITION, latest=latest)
    assert list(IndexVersion.objects.values_list("name", flat=True)[:1]) == ["甲方案"]
    assert len(events("indicators.indexversion")) == 1


@pytest.mark.parametrize("who", ["zoe", "paul", "rita", "public"])
def test_only_national_offices_add_index_versions(cast, who):
    count = IndexVersion.objects.count()
    with pytest.raises(PermissionDenied):
        index_version_save(user=getattr(cast, who), name="x", definition=DEFINITION)
    assert IndexVersion.objects.count() == count and events("indicators.indexversion") == []


# Report drafts


def new_draft(user: User) -> ReportDraft:
    return report_draft_save(
        user=user, title="前海蛇口片区对标分析", subject=SUBJECT, peers=PEERS, year=2023
    )


def edit(user: User, draft: ReportDraft, version: int, **changes) -> ReportDraft:
    values = {"title": draft.title, "subject": draft.subject, "peers": draft.peers, "year": 2023}
    return report_draft_save(user=user, draft=draft, version=version, **{**values, **changes})


def test_a_draft_save_is_one_audit_event_with_the_subjects_scope(cast):
    draft = new_draft(cast.ada)
    edited = edit(cast.ada, draft, 1, sections={"summary": "对标结论待补充。"})
    created, updated = events("reports.reportdraft")
    assert (created.action, updated.action, edited.version) == ("create", "update", 2)
    assert updated.before["sections"] == {} and updated.after["sections"]["summary"]
    assert scope(created) == scope(updated) == qianhai_scope()


def test_a_stale_draft_edit_is_refused(cast):
    draft = new_draft(cast.ada)
    edit(cast.zoe, ReportDraft.objects.get(pk=draft.pk), 1, title="甲稿")
    with pytest.raises(EditConflict) as conflict:
        edit(cast.ada, draft, 1, title="乙稿")
    assert conflict.value.changes["title"] == ("乙稿", "甲稿")
    assert ReportDraft.objects.get(pk=draft.pk).title == "甲稿"
    assert [e.action for e in events("reports.reportdraft")] == ["create", "update"]


@pytest.mark.parametrize("who", ["otto", "rita"])
def test_a_draft_edit_outside_the_callers_scope_changes_nothing(cast, who):
    draft = new_draft(cast.ada)
    with pytest.raises(PermissionDenied):
        edit(getattr(cast, who), draft, 1, title="改名")
    with pytest.raises(PermissionDenied):
        new_draft(getattr(cast, who))
    assert ReportDraft.objects.get().title == "前海蛇口片区对标分析"
    assert [e.action for e in events("reports.reportdraft")] == ["create"]


def test_a_draft_cannot_be_moved_out_of_its_authors_scope(cast):
    draft = new_draft(cast.ada)
    with pytest.raises(PermissionDenied):
        edit(cast.ada, draft, 1, subject="area:南沙片区")
    assert ReportDraft.objects.get().subject == SUBJECT


# Pages and the command line


def test_a_stale_draft_edit_on_the_page_is_a_409_in_chinese(client, cast):
    draft = new_draft(cast.ada)
    edit(cast.zoe, draft, 1, title="甲稿")
    client.force_login(cast.ada)
    response = client.post(f"/reports/{draft.pk}/", {"version": 1, "title": "乙稿"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "保存失败：该记录已被他人修改（标题" in page and "（title" not in page
    assert ReportDraft.objects.get().title == "甲稿"


def test_the_new_report_form_sent_twice_creates_one_draft(client, cast):
    client.force_login(cast.ada)
    form = {"kind": "benchmark", "subject": SUBJECT, "peers": PEERS, "year": 2023}
    token = client.get("/reports/new/").context["token"]
    first = client.post("/reports/new/", {**form, "token": token})
    second = client.post("/reports/new/", {**form, "token": token})
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert ReportDraft.objects.count() == 1


def test_a_stale_index_save_on_the_page_is_a_409_in_chinese(client, cast):
    latest = current_version().number
    index_version_save(user=cast.nina, name="甲方案", definition=DEFINITION, latest=latest)
    client.force_login(cast.nina)
    response = client.post(
        "/indicators/index/edit/", {"name": "乙方案", "latest": latest, "definition_json": ""}
    )
    assert response.status_code == 409
    assert "未保存：该记录已被他人修改（版本号）" in response.content.decode()
    assert IndexVersion.objects.count() == latest + 1


def test_a_stale_preference_on_the_page_changes_nothing(client, cast, two_sources):
    observation_import(user=cast.ada, rows=checked(line(125, source="乙公报")))
    before = stored()
    client.force_login(cast.zoe)
    url = f"/indicators/observations/{two_sources['乙公报'].pk}/prefer/"
    page = client.post(url, {"reason": "终核数", "version": 1}, follow=True).content.decode()
    assert "未改动：该记录已被他人修改" in page
    assert stored() == before


def test_a_stale_import_confirmation_on_the_page_writes_nothing(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.ada)
    upload = SimpleUploadedFile("figures.csv", (HEADER + line(100)).encode("utf-8"))
    assert client.post("/indicators/import/", {"file": upload}).status_code == 200
    observation_import(user=cast.zoe, rows=checked(line(101)))
    page = client.post("/indicators/import/", {"confirm": "1"}, follow=True).content.decode()
    assert "导入失败：" in page and "未写入任何数据" in page
    assert stored() == [("甲年鉴", 101, True, "", 1)]


def test_the_import_command_acts_as_a_system_actor(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + line(100), "utf-8")
    users = User.objects.count()
    call_command("import_observations", str(path))
    assert User.objects.count() == users  # no lasting account for the command line
    [event] = events("indicators.observation")
    assert (event.actor, event.actor_name) == (None, "system:import-observations")


def test_drafts_are_read_through_the_access_layer(client, cast):
    from zimao.reports.selectors import visible_drafts

    draft = new_draft(cast.ada)
    readers = ("public", "rita", "ada", "zoe", "otto", "paul", "nina")
    sees = {w for w in readers if draft in visible_drafts(getattr(cast, w))}
    assert sees == {"rita", "ada", "zoe", "paul", "nina"}
    client.force_login(cast.otto)
    refused = client.get(f"/reports/{draft.pk}/export/html/")
    assert refused.status_code == 403 and "职责范围" in refused.content.decode()

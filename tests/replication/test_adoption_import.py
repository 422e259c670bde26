"""落地记录 out to Excel and back: the download imports back as unchanged, a filled-in file
updates through the write path after a preview, and another zone's rows are refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.world import make_world
from zimao.audit.models import AuditEvent
from zimao.replication.imports import parse_adoptions
from zimao.replication.models import Adoption

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return make_world(cast)


def download(client: Client, fmt: str = "xlsx") -> bytes:
    response = client.get("/replication/adoptions/", {"format": fmt})
    assert response.status_code == 200
    return response.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_download_imports_back_unchanged(world, fmt):
    client = Client()
    client.force_login(world.cast.zoe)
    preview = parse_adoptions(f"a.{fmt}", download(client, fmt), world.cast.zoe)
    assert preview.errors == []
    assert preview.rows and {r["action"] for r in preview.rows} == {"unchanged"}


def test_a_filled_in_file_is_previewed_then_written(world):
    from openpyxl import load_workbook

    client = Client()
    client.force_login(world.cast.zoe)
    book = load_workbook(io.BytesIO(download(client)))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    zone_column = header.index("自贸试验区") + 1
    zones = {r: str(sheet.cell(r, zone_column).value) for r in range(2, sheet.max_row + 1)}
    line = next(r for r, name in zones.items() if "广东" in name)
    sheet.cell(line, header.index("佐证") + 1, "已在全部片区推行（粤自贸办函〔2020〕12号）")
    sheet.cell(line, header.index("日期") + 1, "2020-05-18")
    sheet.cell(1, len(header) + 1, "备注")
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("落地记录.xlsx", out.getvalue())
    page = client.post("/replication/adoptions/import/", {"file": upload})
    html = page.content.decode()
    assert page.status_code == 200, html
    assert "以下列不属于落地记录，已忽略：备注" in html
    assert 'data-action="updated"' in html and "2020-05-18" in html
    events = AuditEvent.objects.count()
    done = client.post("/replication/adoptions/import/", {"confirm": "1"}, follow=True)
    assert "更新 1 条" in done.content.decode()
    adoption = Adoption.objects.get(zone__code="guangdong", date="2020-05-18")
    assert adoption.evidence.startswith("已在全部片区推行") and adoption.version == 2
    assert AuditEvent.objects.count() == events + 1


def test_another_zones_rows_are_refused_and_names_are_matched(world):
    text = (
        "改革事项,自贸试验区,状态\n"
        f"{Adoption.objects.get(zone__code='sichuan').item.title},四川自贸试验区,已复制\n"
    )
    preview = parse_adoptions("a.csv", text.encode(), world.cast.zoe)
    assert preview.errors == ["第 2 行「自贸试验区」：该试验区（片区）的落地情况不在您的职责范围内"]
    mine = parse_adoptions("a.csv", text.encode(), world.cast.otto)
    assert mine.errors == [] and mine.rows[0]["values"]["status"] == "adopted"
    assert mine.rows[0]["action"] == "updated"

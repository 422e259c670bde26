"""Lists download as XLSX and CSV with Chinese headers, only what the user may see, and no
cell a spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.test import Client

from tests.factories import make_innovation
from tests.world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return make_world(cast)


def rows(response) -> list[list[object]]:
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def download(client: Client, url: str, fmt: str) -> list[list[object]]:
    response = client.get(url, {"format": fmt})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return rows(response)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_list_downloads_with_chinese_headers(world, fmt):
    client = Client()
    client.force_login(world.cast.nina)
    plan = world.records["plan"]
    expected = {
        f"/reforms/plans/{plan.pk}/": [
            "编号",
            "任务内容",
            "领域",
            "片区",
            "责任单位",
            "完成时限",
            "状态",
        ],
        "/reforms/innovations/": ["标题", "自贸试验区", "片区", "领域", "状态", "入选类型"],
        "/replication/coverage/": ["改革事项", "批次", "上海自贸试验区"],
        "/replication/adoptions/": ["改革事项", "批次", "自贸试验区", "片区", "状态", "日期"],
        "/reforms/shortlist/": ["排名", "制度创新成果", "自贸试验区", "评审人数", "总分"],
        "/indicators/export/": ["指标", "指标名称", "对象类型", "对象", "时期", "数值", "单位"],
    }
    for url, header in expected.items():
        table = download(client, url, fmt)
        assert table[0][: len(header)] == header, url
        assert len(table) > 1, url
    tasks = download(client, f"/reforms/plans/{plan.pk}/", fmt)
    assert [str(c) for c in tasks[1][:7]] == [
        "G-1",
        "推进企业开办全程网上办理，实现一日办结",
        "",
        "",
        "",
        "",
        "已实施",
    ]
    coverage = download(client, "/replication/coverage/", fmt)
    row = next(r for r in coverage if r[0] == "公证“最多跑一次”")
    assert "已落地" in row and "推进中" in row
    indicators = download(client, "/indicators/export/", fmt)
    subjects = {str(r[3]) for r in indicators[1:]}
    assert "湖北自贸试验区" in subjects and "hubei" not in subjects


def test_a_download_holds_only_what_the_user_may_see(world):
    client = Client()
    client.force_login(world.cast.zoe)
    titles = {r[0] for r in download(client, "/reforms/innovations/", "xlsx")[1:]}
    assert "跨境贸易单一窗口大湾区版" in titles and "中欧班列运单物权化" not in titles
    public = {r[0] for r in download(Client(), "/reforms/innovations/", "csv")[1:]}
    assert public == {"前海深港跨境执业备案制"}  # selected, hence published


def test_formulas_stay_text_in_both_formats(world):
    make_innovation('=HYPERLINK("http://example.invalid","点我")', published=True)
    for fmt in ("xlsx", "csv"):
        table = download(Client(), "/reforms/innovations/", fmt)
        cells = [str(c) for row in table for c in row]
        assert '\'=HYPERLINK("http://example.invalid","点我")' in cells
        assert not any(c.startswith("=") for c in cells)


def test_the_import_templates_and_preview_speak_chinese(world):
    client = Client()
    client.force_login(world.cast.zoe)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/reforms/import-template.{fmt}")
        assert rows(response)[0] == [
            "编号", "任务内容", "领域", "片区", "责任单位", "完成时限", "状态", "进展与佐证"
        ]  # fmt: skip
    plan = world.records["plan"]
    page = client.get(f"/reforms/plans/{plan.pk}/import/").content.decode()
    assert "/reforms/import-template.xlsx" in page and "/reforms/import-template.csv" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    sheet = "编号,任务内容,领域,状态,片区\nG-9,推进航运金融创新,finance,in_progress,前海蛇口片区\n"
    upload = SimpleUploadedFile("tasks.csv", sheet.encode())
    preview = client.post(f"/reforms/plans/{plan.pk}/import/", {"file": upload})
    html = preview.content.decode()
    table = html.split('id="import-preview"')[1].split("</table>")[0]
    assert "<th>编号</th><th>变化</th><th>状态（文件）</th>" in table
    assert "金融开放创新" in table and "推进中" in table and "finance" not in table


def test_the_shortlist_page_says_what_it_leaves_out_and_the_download_holds_all(cast, monkeypatch):
    from zimao.reforms import views

    for title in ("甲项改革", "乙项改革", "丙项改革"):
        make_innovation(title, state="submitted")
    monkeypatch.setattr(views, "SHORTLIST_SHOWN", 2)
    client = Client()
    client.force_login(cast.nina)
    page = client.get("/reforms/shortlist/")
    assert len(page.context["ranked"]) == 2
    assert "共 3 项，页面列出排名前 2 项；下载的文件包含全部。" in page.content.decode()
    titles = {r[1] for r in download(client, "/reforms/shortlist/", "csv")[1:]}
    assert {"甲项改革", "乙项改革", "丙项改革"} <= titles

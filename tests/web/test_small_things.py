"""Small things a first-time visitor notices: the icon, internal words on public pages."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_site_has_an_icon_and_favicon_ico_does_not_404(client):
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "zimao/favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("zimao/favicon.svg")
    icon = finders.find("zimao/favicon.svg")
    assert icon
    with open(icon, encoding="utf-8") as svg:
        assert svg.read().startswith("<svg")


def test_the_open_data_page_explains_the_preferred_flag_in_chinese(client):
    page = client.get("/open-data/").content.decode()
    assert "采用值" in page
    assert "preferred" not in page


def test_the_new_innovation_form_has_no_internal_labels_or_dashes(client, cast):
    client.force_login(cast.zoe)
    page = client.get("/reforms/innovations/new/").content.decode()
    assert 'name="token"' in page and 'type="hidden"' in page
    assert "Token" not in page
    assert "---------" not in page
    assert "请选择…" in page


def test_public_innovation_pages_name_offices_not_accounts(cast):
    from django.test import Client

    from tests.world import make_world
    from zimao.reforms.models import Innovation

    make_world(cast)
    selected = Innovation.objects.get(title="前海深港跨境执业备案制")
    assert selected.published  # what the public reads
    page = Client().get(selected.get_absolute_url()).content.decode()
    history = page.split('id="transitions"')[1].split("</section>")[0]
    assert "国家层面管理员" in history  # nina's decision
    assert "广东自贸试验区 · 自贸试验区工作机构" in history  # zoe's steps
    for account in ("zoe", "nina"):
        assert account not in page


def test_the_peer_pickers_group_seventy_areas_by_zone(client, cast):
    import re

    client.force_login(cast.zoe)
    for url in ("/reports/new/", "/indicators/benchmark/"):
        page = client.get(url).content.decode()
        peers = page.split('name="peers"')[1].split("</select>")[0]
        groups = re.findall(r'<optgroup label="([^"]+)">', peers)
        assert len(groups) >= 20 and "广东自贸试验区" in groups
        guangdong = peers.split('<optgroup label="广东自贸试验区">')[1].split("</optgroup>")[0]
        assert "南沙片区" in guangdong and "前海蛇口片区" in guangdong
        assert "成都天府新区片区" not in guangdong


def test_the_menu_comes_in_a_few_sections_that_fold_on_a_phone(client, cast):
    import re

    client.force_login(cast.nina)
    page = client.get("/reforms/innovations/").content.decode()
    nav = page.split('class="site-menu"')[1].split("</nav>")[0]
    titles = re.findall(r'class="menu-section-title">([^<]+)</label>', nav)
    assert titles == ["总览", "改革", "复制推广", "数据", "文档"]
    assert len(re.findall(r"<a href=", nav)) >= 15  # every link is still there, in a section
    toggles = re.findall(
        r'<input type="checkbox" id="menu-s\d" class="menu-section-toggle"( checked)?>', nav
    )
    assert toggles.count(" checked") == 1  # the section of the page shown starts open
    reforms = nav.split(">改革</label>")[1].split("</div>")[0]
    assert 'href="/reforms/innovations/" aria-current="page"' in reforms
    css = finders.find("zimao/zimao.css")
    assert css
    with open(css, encoding="utf-8") as sheet:
        text = sheet.read()
    phone = text.split("@media (max-width: 900px)")[1]
    assert ".menu-section > ul { display: none; }" in phone
    assert ".menu-section-toggle:checked ~ ul" in phone

"""The server-rendered pages show the reference data, in Chinese first and English on request."""

import pytest
from django.test import Client

from zimao.replication.models import ReplicationItem
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_counts_and_chart_data(client: Client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<strong id="count-zones">{Zone.objects.count()}</strong>' in html
    assert 'id="negative-list-data"' in html
    assert "vendor/echarts.min.js" in html
    assert "http://" not in html.split("<body>")[0], "no asset may come from the network"


def test_the_dashboard_lists_every_zone_on_the_timeline(client: Client):
    html = client.get("/").content.decode()
    for zone in Zone.objects.all():
        assert zone.get_absolute_url() in html


def test_the_zone_list_links_each_zone(client: Client):
    html = client.get("/zones/").content.decode()
    for zone in Zone.objects.all():
        assert f'href="/zones/{zone.code}/"' in html


def test_a_zone_page_shows_its_areas_and_source(client: Client):
    zone = Zone.objects.get(code="guangdong")
    html = client.get(zone.get_absolute_url()).content.decode()
    assert zone.name_zh in html
    for area in zone.areas.all():
        assert area.name_zh in html
    assert "来源" in html


def test_sichuan_shows_its_pilot_areas(client: Client):
    html = client.get("/zones/sichuan/").content.decode()
    assert 'id="pilot-areas"' in html


def test_an_unknown_zone_is_404(client: Client):
    assert client.get("/zones/atlantis/").status_code == 404


def test_the_item_list_pages_and_filters(client: Client, settings):
    settings.PAGE_SIZE = 10
    first = client.get("/replication/items/")
    assert first.status_code == 200
    assert first.context["page"].paginator.num_pages == -(-ReplicationItem.objects.count() // 10)
    filtered = client.get("/replication/items/", {"domain": "tax"})
    assert filtered.context["total"] == ReplicationItem.objects.filter(domain__code="tax").count()
    assert all(i.domain.code == "tax" for i in filtered.context["page"].object_list)


def test_the_item_list_keeps_filters_across_pages(client: Client, settings):
    settings.PAGE_SIZE = 5
    html = client.get("/replication/items/", {"domain": "investment"}).content.decode()
    assert "?domain=investment&page=2" in html


def test_an_invalid_filter_is_reported_not_ignored(client: Client):
    response = client.get("/replication/items/", {"domain": "astrology"})
    assert response.status_code == 200
    assert response.context["form"].errors["domain"]
    assert 'class="error"' in response.content.decode()


def test_batch_pages_list_their_items(client: Client):
    html = client.get("/replication/batches/sc-5/").content.decode()
    for item in ReplicationItem.objects.filter(batch__code="sc-5"):
        assert item.title in html
    assert client.get("/replication/batches/").status_code == 200


def test_an_item_page_shows_its_scope(client: Client):
    item = ReplicationItem.objects.filter(scope_kind="provinces").first()
    assert item is not None
    html = client.get(item.get_absolute_url()).content.decode()
    assert item.scope in html


def test_the_indicator_page_lists_observations_and_lists(client: Client):
    response = client.get("/indicators/")
    assert response.status_code == 200
    assert 'id="negative-lists"' in response.content.decode()


def test_english_can_be_chosen(client: Client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/zones/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Pilot Free Trade Zones" in html
    assert Zone.objects.get(code="shanghai").name_en in html


def test_chinese_is_the_default(client: Client):
    html = client.get("/zones/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "上海自贸试验区" in html

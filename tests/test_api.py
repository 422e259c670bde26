"""The JSON API: status codes, filters, pagination and the OpenAPI description."""

import pytest
from django.test import Client

from zimao.replication.models import ReplicationItem
from zimao.zones.models import Area, Zone

pytestmark = pytest.mark.django_db


def test_zones_are_listed_with_a_count(client: Client):
    body = client.get("/api/zones").json()
    assert body["count"] == 22
    assert body["items"][0]["code"] == "shanghai"
    assert all(item["source"] for item in body["items"])


def test_zones_filter_by_batch(client: Client):
    body = client.get("/api/zones", {"batch": 3}).json()
    assert body["count"] == Zone.objects.filter(batch=3).count() == 7


def test_pagination_uses_limit_and_offset(client: Client):
    page = client.get("/api/zones", {"limit": 5, "offset": 20}).json()
    assert page["count"] == 22
    assert len(page["items"]) == 2


def test_a_zone_comes_with_its_areas(client: Client):
    body = client.get("/api/zones/guangdong").json()
    assert {a["name_zh"] for a in body["areas"]} == set(
        Area.objects.filter(zone__code="guangdong").values_list("name_zh", flat=True)
    )


def test_an_unknown_record_is_a_json_404(client: Client):
    response = client.get("/api/zones/atlantis")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该记录。", "errors": []}
    assert client.get("/api/items/no-such-item").status_code == 404


def test_a_malformed_parameter_is_a_422(client: Client):
    response = client.get("/api/zones", {"batch": "first"})
    assert response.status_code == 422
    assert "detail" in response.json()


def test_areas_filter_by_zone_and_special_flag(client: Client):
    body = client.get("/api/areas", {"zone": "shanghai", "special": "true"}).json()
    assert body["count"] >= 1
    assert all(a["is_special"] and a["zone"] == "shanghai" for a in body["items"])
    one = client.get(f"/api/areas/{body['items'][0]['id']}")
    assert one.status_code == 200


def test_items_filter_by_batch_domain_and_scope(client: Client):
    body = client.get("/api/items", {"batch": "sc-5", "limit": 100}).json()
    assert body["count"] == 18
    assert {i["batch"] for i in body["items"]} == {"sc-5"}
    body = client.get("/api/items", {"domain": "finance", "scope_kind": "nationwide"}).json()
    expected = ReplicationItem.objects.filter(domain__code="finance", scope_kind="nationwide")
    assert body["count"] == expected.count()


def test_an_item_and_a_batch_by_code(client: Client):
    item = ReplicationItem.objects.first()
    assert item is not None
    assert client.get(f"/api/items/{item.code}").json()["title"] == item.title
    batch = client.get("/api/batches/bp-3").json()
    assert batch["listed_items"] == 31
    assert any(c["preferred"] for c in batch["counts"])


def test_indicators_carry_their_observations(client: Client):
    listing = client.get("/api/indicators").json()
    assert listing["count"] >= 1
    code = listing["items"][0]["code"]
    detail = client.get(f"/api/indicators/{code}").json()
    assert all(o["indicator"] == code for o in detail["observations"])


def test_observations_and_negative_lists_are_listed(client: Client):
    assert client.get("/api/observations", {"preferred_only": "true"}).json()["count"] >= 1
    lists = client.get("/api/negative-lists", {"scope": "ftz"}).json()
    assert lists["count"] >= 5
    assert {nl["scope"] for nl in lists["items"]} == {"ftz"}


def test_the_openapi_schema_describes_every_endpoint(client: Client):
    schema = client.get("/api/openapi.json").json()
    for path in ["/api/zones", "/api/areas", "/api/batches", "/api/items", "/api/indicators"]:
        assert path in schema["paths"]
        assert any(p.startswith(path + "/{") for p in schema["paths"]), path
    assert client.get("/api/docs").status_code == 200


def test_the_openapi_schema_has_no_duplicated_keys(client):
    """Swagger UI (js-yaml) refuses a schema with a key twice, e.g. 403 and "403"."""
    import json

    def strict(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=strict)


def test_the_api_docs_load_only_local_assets(client):
    html = client.get("/api/docs").content.decode()
    assert "/static/vendor/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert "<script>" not in html  # settings come as a JSON block, the start-up as a file


def test_a_nul_character_is_invalid_input_not_a_database_error(client):
    from tests.factories import person
    from zimao.accounts.models import Role

    client.force_login(person("nul", Role.ZONE, zone=Zone.objects.get(code="hainan")))
    body = {"title": "不动产登记", "zone": "hainan", "mechanism": "a\x00b"}
    response = client.post("/api/innovations", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "mechanism"
    assert client.get("/api/items", {"q": "x\x00"}).status_code == 422


def test_a_nul_character_in_a_fact_correction_is_refused(client):
    from tests.factories import make_document, person
    from zimao.accounts.models import Role

    document = make_document(
        "广东自贸试验区通关时间72小时。",
        facts=[{"type": "quantity", "text": "72小时", "payload": {"value": 72}}],
    )
    fact = document.facts.get()
    client.force_login(person("nul", Role.NATIONAL))
    body = {"action": "correct", "fields": {"unit": "小\x00时"}}
    response = client.post(f"/api/facts/{fact.pk}/review", body, content_type="application/json")
    assert response.status_code == 422
    fact.refresh_from_db()
    assert fact.state == "pending"

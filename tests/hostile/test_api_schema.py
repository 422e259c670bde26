"""Request schemas say what the handlers accept: a field that may be left out but not sent
as null is not nullable in the OpenAPI document (schemathesis' conformance checks)."""

import pytest
from django.test import Client

from tests.factories import make_task

pytestmark = pytest.mark.django_db


def _properties(client: Client, name: str) -> dict:
    schema = client.get("/api/openapi.json").json()
    return schema["components"]["schemas"][name]["properties"]


@pytest.mark.parametrize(
    ("schema", "fields"),
    [("TaskProgressIn", ["status", "evidence"]), ("InnovationPatch", ["title", "mechanism"])],
)
def test_optional_fields_that_refuse_null_are_not_nullable(client, schema, fields):
    properties = _properties(client, schema)
    for field in fields:
        assert "anyOf" not in properties[field], f"{schema}.{field} documented as nullable"
        assert properties[field]["type"] == "string"


def test_a_null_status_is_refused_as_the_schema_says(cast):
    task = make_task("N-1")
    client = Client()
    client.force_login(cast.zoe)
    url = f"/api/tasks/{task.pk}/progress"
    refused = client.post(url, {"version": 1, "status": None}, content_type="application/json")
    assert refused.status_code == 422
    done = client.post(
        url, {"version": 1, "status": "in_progress"}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["status"] == "in_progress"

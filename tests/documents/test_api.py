"""Documents and facts in the JSON API: listing, filters, review, authentication."""

import pytest
from django.test import Client

from tests.text.builders import SAMPLE
from zimao.audit.models import AuditEvent
from zimao.documents.analysis import analyse_bytes
from zimao.documents.services import document_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(media, reviewer):
    data = SAMPLE.encode()
    return document_store(
        analysis=analyse_bytes("sample.txt", data), data=data, user=reviewer
    ).document


def test_the_document_api_needs_a_signed_in_user(client: Client, stored):
    assert client.get("/api/documents").status_code == 401
    assert client.get("/api/facts").status_code == 401


def test_documents_and_facts_are_listed_and_filtered(client: Client, reader, cast, stored):
    client.force_login(reader)  # signed in without a membership: the public sees no documents
    assert client.get("/api/documents").json()["count"] == 0
    assert client.get("/api/facts").json()["count"] == 0
    client.force_login(cast.rita)
    documents = client.get("/api/documents").json()
    assert documents["count"] == 1 and documents["items"][0]["encoding"] == "utf-8"
    facts = client.get("/api/facts", {"document": stored.pk, "type": "zone"}).json()
    assert facts["count"] == stored.facts.filter(type="zone").count() > 0
    assert all(f["type"] == "zone" for f in facts["items"])
    pending = client.get("/api/facts", {"state": "pending"}).json()
    assert pending["count"] == stored.facts.count()


def test_a_fact_is_reviewed_through_the_api(client: Client, reviewer, stored):
    client.force_login(reviewer)
    fact = stored.facts.filter(type="quantity").first()
    response = client.post(
        f"/api/facts/{fact.pk}/review",
        {"action": "correct", "fields": {"value": 1}},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["state"] == "corrected" and response.json()["payload"]["value"] == 1
    assert AuditEvent.objects.filter(action="fact_correct").count() == 1


def test_review_errors_are_json(client: Client, reviewer, reader, cast, stored):
    fact = stored.facts.first()
    client.force_login(reviewer)
    bad_field = client.post(
        f"/api/facts/{fact.pk}/review",
        {"action": "correct", "fields": {"colour": 1}},
        content_type="application/json",
    )
    assert bad_field.status_code == 422 and "colour" in bad_field.json()["detail"]
    unknown = client.post(
        "/api/facts/999999/review", {"action": "accept"}, content_type="application/json"
    )
    assert unknown.status_code == 404
    client.force_login(reader)  # may not even see it
    hidden = client.post(
        f"/api/facts/{fact.pk}/review", {"action": "accept"}, content_type="application/json"
    )
    assert hidden.status_code == 404
    client.force_login(cast.rita)  # reads documents, reviews nothing
    denied = client.post(
        f"/api/facts/{fact.pk}/review", {"action": "accept"}, content_type="application/json"
    )
    assert denied.status_code == 403 and denied.json()["detail"]

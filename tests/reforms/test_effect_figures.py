"""An effect's relative change is recomputed from its before and after figures, and a stated
change that disagrees is refused with both numbers, in the service, the page and a fact
correction."""

import pytest
from django.core.exceptions import ValidationError

from zimao.reforms.services import effect_add, innovation_create, validate_effect
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


def test_a_stated_change_that_disagrees_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_effect(72, 18, -90)
    message = " ".join(caught.value.messages)
    assert "-75.00%" in message and "-90.00%" in message


@pytest.mark.parametrize(("stated", "stored"), [(None, -75.0), (-75, -75.0), (-75.4, -75.0)])
def test_the_figures_decide_the_stored_change(stated, stored):
    assert validate_effect(72, 18, stated) == stored


def test_a_change_alone_is_kept():
    assert validate_effect(None, None, -30) == -30


def test_the_effect_form_names_the_disagreement(client, cast):
    innovation = innovation_create(
        user=cast.zoe, title="南沙船舶登记便利化", zone=Zone.objects.get(code="guangdong")
    )
    client.force_login(cast.zoe)
    response = client.post(
        f"/reforms/innovations/{innovation.pk}/effects/",
        {"measure": "登记时间", "before": 72, "after": 18, "change_pct": -90, "unit": "小时"},
    )
    assert response.status_code == 400 and "不符" in response.content.decode()
    assert not innovation.effects.exists()
    effect = effect_add(
        user=cast.zoe, innovation=innovation, measure="登记时间", before=72, after=18
    )
    assert effect.change_pct == -75.0


def test_a_corrected_effect_fact_must_agree_with_its_figures(cast):
    from tests.factories import make_document
    from zimao.documents.services import ReviewError, fact_review

    text = "企业开办时间由72小时压缩至18小时。"
    document = make_document(
        text,
        zone="guangdong",
        facts=[
            {
                "type": "effect",
                "text": "由72小时压缩至18小时",
                "payload": {"measure": "企业开办时间", "before": 72, "after": 18, "unit": "小时"},
            }
        ],
    )
    fact = document.facts.get(type="effect")
    with pytest.raises(ReviewError, match="不符"):
        fact_review(fact=fact, user=cast.nina, action="correct", fields={"change_pct": -90})
    fact.refresh_from_db()
    assert fact.state == "pending" and "change_pct" not in fact.payload
    corrected = fact_review(fact=fact, user=cast.nina, action="correct", fields={"after": 36})
    assert corrected.payload["change_pct"] == -50.0

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

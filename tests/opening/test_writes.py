"""Corrections to the lists go through the write helper: the national office only, audited."""

import pytest
from django.core.exceptions import PermissionDenied

from zimao.audit.models import AuditEvent
from zimao.opening.models import Measure
from zimao.opening.services import measure_update

pytestmark = pytest.mark.django_db


def test_the_national_office_confirms_a_measure_and_the_change_is_audited(cast):
    measure = Measure.objects.get(edition__code="national-2021", topic="nuclear-power")
    events = AuditEvent.objects.count()
    measure_update(user=cast.nina, measure=measure, confirmed=True, source=measure.source + " ; x")
    measure.refresh_from_db()
    assert measure.confirmed
    assert AuditEvent.objects.count() == events + 1


@pytest.mark.parametrize("who", ["zoe", "rita"])
def test_no_one_else_may_change_a_measure(cast, who):
    measure = Measure.objects.get(edition__code="national-2021", topic="nuclear-power")
    with pytest.raises(PermissionDenied):
        measure_update(user=getattr(cast, who), measure=measure, text="改写")
    measure.refresh_from_db()
    assert measure.text == "核电站的建设、经营须由中方控股。"

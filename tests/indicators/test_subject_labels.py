"""A list of observations names each subject without a query per row (`label_of`), and the
name is the one `subject_for` gives when the subject is looked up."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zimao.indicators.models import Observation
from zimao.indicators.subjects import label_of, subject_for
from zimao.zones.models import Area, PilotArea, Zone

pytestmark = pytest.mark.django_db
Kind = Observation.SubjectKind


def every_subject() -> set[tuple[str, str]]:
    """Each kind of subject the reference data can name, and those the observations name."""
    subjects = {(Kind.NATION.value, ""), (Kind.FTZ_ALL.value, "")}
    for zone in Zone.objects.all():
        subjects |= {(Kind.ZONE, zone.code), (Kind.PILOT_AREAS, zone.code)}
        subjects.add((Kind.PROVINCE, zone.province))
    for area in Area.objects.all():
        subjects |= {(Kind.AREA, f"{area.zone.code}/{area.name_zh}"), (Kind.CITY, area.city)}
    subjects |= {(Kind.PILOT_AREA, p.name_zh) for p in PilotArea.objects.all()}
    subjects |= set(Observation.objects.values_list("subject_kind", "subject"))
    return {(str(kind), key) for kind, key in subjects}


def test_the_label_without_a_query_is_the_label_of_the_subject():
    zones = {zone.code: zone for zone in Zone.objects.all()}
    checked = 0
    for kind, key in every_subject():
        subject = subject_for(kind, key)
        with CaptureQueriesContext(connection) as queries:
            label = label_of(subject.kind, subject.key, zones)
        assert label == subject.label, (kind, key)
        assert len(queries) == 0
        checked += 1
    assert checked > 22 * 2  # every zone twice, at least, and the areas


def test_an_unknown_subject_is_shown_as_stored():
    assert label_of(Kind.ZONE, "atlantis", {}) == "atlantis"
    assert label_of(Kind.AREA, "不存在片区", {}) == "不存在片区"

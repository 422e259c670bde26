"""The 2023 batch in the reference data: what is loaded, what is marked, what is refused."""

import pytest

from tests.conftest import edit_csv
from zimao.alignment.models import AlignmentMeasure, Batch
from zimao.reference.loader import ReferenceDataError, read_dataset
from zimao.zones.models import Plan

pytestmark = pytest.mark.django_db
PILOTS = {"shanghai", "guangdong", "tianjin", "fujian", "beijing", "hainan"}


def test_the_first_batch_is_partial_and_says_how_much_is_missing():
    batch = Batch.objects.get(code="2023-first")
    loaded = batch.measure_set.count()
    assert batch.status == Batch.Status.PARTIAL
    assert batch.doc_no == "国发〔2023〕9号"
    assert 0 < loaded < batch.measures
    assert batch.total_confirmed is False  # the total of 33 is not in a stored source


def test_every_measure_names_its_source_its_field_and_only_pilot_zones():
    for measure in AlignmentMeasure.objects.prefetch_related("zones"):
        assert measure.source.startswith("http"), measure.code
        assert measure.field in AlignmentMeasure.Field.values
        zones = {z.code for z in measure.zones.all()}
        assert zones and zones <= PILOTS, measure.code


def test_every_pilot_zone_holds_the_batch_plan():
    batch = Batch.objects.get(code="2023-first")
    plans = Plan.objects.filter(title=batch.plan_title, kind=Plan.Kind.ALIGNMENT)
    assert {p.zone.code for p in plans} == PILOTS


def test_a_batch_claiming_completeness_with_missing_measures_is_refused(data_copy):
    edit_csv(data_copy / "alignment_batches.csv", ",33,0,partial,", ",33,0,complete,")
    with pytest.raises(ReferenceDataError) as caught:
        read_dataset(data_copy)
    assert any("status complete but 5 measure(s)" in p.message for p in caught.value.problems)


def test_a_measure_for_a_zone_without_the_batch_plan_is_refused(data_copy):
    edit_csv(data_copy / "alignment_measures.csv", ",hainan,0,1,", ",sichuan,0,1,")
    with pytest.raises(ReferenceDataError) as caught:
        read_dataset(data_copy)
    assert any("'sichuan' has no plan titled" in p.message for p in caught.value.problems)


def test_an_unknown_field_is_refused(data_copy):
    edit_csv(data_copy / "alignment_measures.csv", ",business_entry,", ",tourism,")
    with pytest.raises(ReferenceDataError) as caught:
        read_dataset(data_copy)
    assert any("'tourism' is not one of" in p.message for p in caught.value.problems)

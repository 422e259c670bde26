"""The alignment batches in the reference data: what is loaded, what is marked, what is
refused."""

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
    assert batch.total_confirmed is False  # the total of 33 is in one stored source, not two


def test_a_measure_marked_confirmed_names_two_sources_and_the_others_say_single_source():
    found = AlignmentMeasure.objects.filter(batch__code="2023-first")
    assert found.filter(confirmed=True).count() >= 6
    for measure in found:
        urls = [part for part in measure.source.split(" ; ") if part.startswith("http")]
        if measure.confirmed:
            assert len(urls) >= 2, measure.code
        else:
            assert "single source" in measure.note or len(urls) == 1, measure.code


def test_every_field_named_by_the_batch_is_a_known_field_and_measures_keep_circular_order():
    found = list(AlignmentMeasure.objects.filter(batch__code="2023-first"))
    assert found[0].code == "remanufactured-imports" and found[0].number == 1
    fields = [m.field for m in found]
    # the circular's sections run goods → services → entry → …: loaded measures keep that order
    order = list(AlignmentMeasure.Field.values)
    assert fields == sorted(fields, key=order.index)


def test_follow_up_batches_and_the_key_task_list_carry_their_published_counts():
    counts = {"2025-shanghai-replication": 77, "mofcom-key-tasks-2023-2025": 164}
    for code, total in counts.items():
        batch = Batch.objects.get(code=code)
        assert batch.status == Batch.Status.LISTED, code
        assert batch.measures == total and batch.total_confirmed, code
        assert batch.measure_set.count() == 0, code
        assert batch.source.count("http") >= 2, code
    shanghai = Batch.objects.get(code="2023-shanghai-plan")
    assert shanghai.doc_no == "国发〔2023〕23号" and shanghai.measures == 80
    assert shanghai.status == Batch.Status.PARTIAL and 0 < shanghai.measure_set.count() < 80
    zones = {z.code for m in shanghai.measure_set.all() for z in m.zones.all()}
    assert zones == {"shanghai"}
    assert Plan.objects.filter(zone__code="shanghai", title=shanghai.plan_title).exists()


def test_the_pages_open_on_the_batch_with_the_most_measures(client):
    response = client.get("/alignment/")
    assert response.status_code == 200
    assert response.context["batch"].code == "2023-first"
    listed = client.get("/alignment/?batch=mofcom-key-tasks-2023-2025")
    assert listed.status_code == 200
    assert "本批仅载入公布条数" in listed.content.decode()
    assert 'id="assign-form"' not in listed.content.decode()
    api = client.get("/api/alignment/matrix").json()
    assert api["batch"] == "2023-first" and api["loaded"] == 8


def test_a_listed_batch_with_a_measure_is_refused(data_copy):
    moved = "mofcom-key-tasks-2023-2025,senior-manager-entry,"
    edit_csv(data_copy / "alignment_measures.csv", "2023-first,senior-manager-entry,", moved)
    with pytest.raises(ReferenceDataError) as caught:
        read_dataset(data_copy)
    assert any("status listed but 1 measure(s)" in p.message for p in caught.value.problems)


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
    assert any("status complete but 8 measure(s)" in p.message for p in caught.value.problems)


def test_a_measure_for_a_zone_without_the_batch_plan_is_refused(data_copy):
    edit_csv(data_copy / "alignment_measures.csv", ",hainan,1,1,", ",sichuan,1,1,")
    with pytest.raises(ReferenceDataError) as caught:
        read_dataset(data_copy)
    assert any("'sichuan' has no plan titled" in p.message for p in caught.value.problems)


def test_an_unknown_field_is_refused(data_copy):
    edit_csv(data_copy / "alignment_measures.csv", ",business_entry,", ",tourism,")
    with pytest.raises(ReferenceDataError) as caught:
        read_dataset(data_copy)
    assert any("'tourism' is not one of" in p.message for p in caught.value.problems)

"""A long document on its review page: facts paged and filtered in a bounded number of
queries, bulk review of everything a filter matches (confirmed, audited, refused when the
facts changed after the count), and the documents list's filter and rename."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.documents.long import long_report
from tests.factories import make_document, run_queued_jobs
from zimao.audit.models import AuditEvent
from zimao.documents.analysis import analyse_bytes
from zimao.documents.forms import FactCorrectionForm
from zimao.documents.models import Document, Fact
from zimao.documents.services import document_store, fact_review
from zimao.jobs.models import Job
from zimao.search.models import SearchEntry
from zimao.web.templatetags.zimao import forget_zones

pytestmark = pytest.mark.django_db

FACTS = 1278


def stored(user, facts: int, name: str = "长篇报告.txt") -> Document:
    text, count = long_report(facts)
    assert count == facts
    data = text.encode()
    return document_store(analysis=analyse_bytes(name, data), data=data, user=user).document


@pytest.fixture
def long_document(cast) -> Document:
    """The Guangdong zone office's report of 1,278 facts (about 210 KB)."""
    return stored(cast.zoe, FACTS)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown_facts(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article id="fact-(\d+)" class="fact"', page)]


def queries(client: Client, url: str) -> int:
    forget_zones()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_a_long_document_shows_fifty_facts_a_page_in_the_queries_of_a_short_one(cast):
    long = stored(cast.zoe, FACTS)
    short = stored(cast.zoe, 60, "短篇.txt")
    zoe = signed_in(cast.zoe)
    for query in ("", "?type=quantity", "?state=pending&page=3", "?q=片区"):
        many = queries(zoe, long.get_absolute_url() + query)
        few = queries(zoe, short.get_absolute_url() + query)
        assert many <= few and many <= 25, (query, many, few)
    page = zoe.get(long.get_absolute_url()).content.decode()
    assert len(shown_facts(page)) == 50
    assert "共 1278 条事实，符合筛选 1278 条" in page and "第 1 / 26 页" in page
    last = zoe.get(long.get_absolute_url() + "?page=26").content.decode()
    assert len(shown_facts(last)) == FACTS - 25 * 50
    every = set()
    for number in range(1, 27):
        every |= set(
            shown_facts(zoe.get(f"{long.get_absolute_url()}?page={number}").content.decode())
        )
    assert every == set(long.facts.values_list("pk", flat=True))  # each fact on one page


def test_facts_are_filtered_by_type_state_and_text_and_the_pager_keeps_the_filter(
    cast, long_document
):
    zoe = signed_in(cast.zoe)
    url = long_document.get_absolute_url()
    effects = long_document.facts.filter(type="effect")
    one = effects.order_by("start").first()
    fact_review(fact=one, user=cast.zoe, action="accept")

    page = zoe.get(url + "?type=effect&state=pending").content.decode()
    expected = list(
        effects.filter(state="pending").order_by("start", "id").values_list("pk", flat=True)
    )
    assert shown_facts(page)[: len(expected[:50])] == expected[:50]
    assert f"符合筛选 {len(expected)} 条" in page
    if len(expected) > 50:
        assert 'href="?type=effect&amp;state=pending&page=2"' in page

    accepted = zoe.get(url + "?state=accepted").content.decode()
    assert shown_facts(accepted) == [one.pk]

    word = zoe.get(url + "?q=青白江").content.decode()
    matching = long_document.facts.filter(text__icontains="青白江")
    assert f"符合筛选 {matching.count()} 条" in word and matching.exists()
    assert set(shown_facts(word)) <= set(matching.values_list("pk", flat=True))

    odd = zoe.get(url + "?type=<script>&state=nonsense&page=abc")  # dropped, not an error
    assert odd.status_code == 200 and "<script>" not in odd.content.decode()
    assert "共 1278 条事实，符合筛选 1278 条" in odd.content.decode()


def test_the_fast_correction_widgets_write_what_django_would(cast):
    """The review page renders its correction forms in Python; the HTML is Django's."""
    from django.test.testcases import assert_and_parse_html

    document = stored(cast.zoe, 30, "小样.txt")
    for fact in [
        document.facts.filter(type=t).first() for t in ("zone", "quantity", "effect", "case")
    ]:
        if fact is None:
            continue
        fast = FactCorrectionForm(fact=fact)
        plain = FactCorrectionForm(fact=fact)
        for field in plain.fields.values():
            field.widget.__class__ = field.widget.__class__.__mro__[1]  # Django's own class
        for name in fast.fields:
            ours, theirs = str(fast[name]), str(plain[name])
            assert ours.startswith("<") and "Fast" not in ours
            assert assert_and_parse_html(None, ours, None, "") == assert_and_parse_html(
                None, theirs, None, ""
            ), name


def test_bulk_accept_by_filter_confirms_the_count_then_audits_each_fact(cast, long_document):
    zoe = signed_in(cast.zoe)
    url = long_document.get_absolute_url()
    zones = long_document.facts.filter(type="zone")
    rejected = zones.order_by("start").first()
    fact_review(fact=rejected, user=cast.zoe, action="reject")
    total = zones.count()

    confirm = zoe.get(f"/documents/{long_document.pk}/review/filter/?action=accept&type=zone")
    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert f"<strong>{total}</strong> 条事实" in page and "类型：自贸试验区" in page
    assert "当前为“已驳回”：1 条" in page and f"当前为“待审核”：{total - 1} 条" in page
    assert not zones.exclude(state="pending").exclude(pk=rejected.pk).exists()  # GET writes nothing
    seen = re.search(r'name="seen" value="([0-9a-f]{64})"', page).group(1)

    queued = zoe.post(
        f"/documents/{long_document.pk}/review/filter/",
        {"action": "accept", "type": "zone", "seen": seen},
    )
    assert queued.status_code == 302 and queued.url.startswith("/jobs/")
    assert zones.filter(state="accepted").count() == 0  # written by the job, not the request
    (job_id,) = run_queued_jobs()
    job = Job.objects.get(pk=job_id)
    assert (job.state, job.done, job.total) == ("done", total, total)
    assert job.message == f"已采纳 {total} 条事实。" and job.result_url == f"{url}?type=zone"
    assert set(zones.values_list("state", flat=True)) == {"accepted"}
    assert long_document.facts.exclude(type="zone").filter(state="accepted").count() == 0
    events = AuditEvent.objects.filter(record_type="documents.fact", action="fact_accept")
    assert events.count() == total
    assert {e.note for e in events} == {"按筛选批量采纳（类型：自贸试验区）"}
    assert {e.actor_name for e in events} == {"zoe"}
    history = zoe.get(f"/audit/documents.fact/{rejected.pk}/").content.decode()
    assert "采纳事实" in history and "按筛选批量采纳（类型：自贸试验区）" in history
    assert f"已采纳 {total} 条事实" in zoe.get(queued.url).content.decode()


def test_a_bulk_decision_is_refused_when_the_facts_changed_after_the_count(cast, long_document):
    """Zoe counts the pending quantities; Zara, of the same zone office, corrects one; Zoe's
    confirmation writes nothing and shows the new count."""
    from tests.factories import person
    from zimao.accounts.models import Role
    from zimao.zones.models import Zone

    colleague = person("zara", Role.ZONE, zone=Zone.objects.get(code="guangdong"))
    zoe = signed_in(cast.zoe)
    target = f"/documents/{long_document.pk}/review/filter/"
    page = zoe.get(target + "?action=reject&type=quantity&state=pending").content.decode()
    seen = re.search(r'name="seen" value="([0-9a-f]{64})"', page).group(1)
    quantity = long_document.facts.filter(type="quantity").order_by("start").first()
    fact_review(fact=quantity, user=colleague, action="correct", fields={"unit": "家"})

    refused = zoe.post(
        target, {"action": "reject", "type": "quantity", "state": "pending", "seen": seen}
    )
    assert refused.status_code == 409
    assert "未保存任何内容" in refused.content.decode()
    assert not long_document.facts.filter(state="rejected").exists()
    assert Fact.objects.get(pk=quantity.pk).state == "corrected"  # the colleague's decision
    assert not AuditEvent.objects.filter(action="fact_reject").exists()
    assert not Job.objects.exists()


def test_the_job_writes_nothing_when_a_fact_changed_after_the_confirmation(cast, long_document):
    """Confirmed and queued; a colleague accepts one of the counted facts before the worker
    runs: the job fails with the reason and no fact is rejected."""
    from tests.factories import person
    from zimao.accounts.models import Role
    from zimao.zones.models import Zone

    colleague = person("zara", Role.ZONE, zone=Zone.objects.get(code="guangdong"))
    zoe = signed_in(cast.zoe)
    target = f"/documents/{long_document.pk}/review/filter/"
    page = zoe.get(target + "?action=reject&type=effect").content.decode()
    seen = re.search(r'name="seen" value="([0-9a-f]{64})"', page).group(1)
    assert zoe.post(target, {"action": "reject", "type": "effect", "seen": seen}).status_code == 302
    effect = long_document.facts.filter(type="effect").order_by("start").last()
    fact_review(fact=effect, user=colleague, action="accept")

    (job_id,) = run_queued_jobs()
    job = Job.objects.get(pk=job_id)
    assert job.state == "failed" and "未保存任何内容" in job.error
    assert not long_document.facts.filter(state="rejected").exists()
    assert Fact.objects.get(pk=effect.pk).state == "accepted"


def test_only_the_documents_reviewers_may_decide_in_bulk(cast, long_document):
    otto = signed_in(cast.otto)  # another zone's office reads the document, decides nothing
    target = f"/documents/{long_document.pk}/review/filter/"
    assert otto.get(target + "?action=accept").status_code == 403
    assert otto.post(target, {"action": "accept", "seen": "x"}).status_code == 403
    assert "bulk-filter-form" not in otto.get(long_document.get_absolute_url()).content.decode()
    assert not long_document.facts.exclude(state="pending").exists()


def test_a_document_is_renamed_audited_and_found_by_its_new_title(
    cast, django_capture_on_commit_callbacks
):
    document = make_document("深圳前海片区试点情况说明。", "旧标题", zone="guangdong")
    zoe = signed_in(cast.zoe)
    with django_capture_on_commit_callbacks(execute=True):
        response = zoe.post(
            f"/documents/{document.pk}/rename/", {"title": "  前海 试点 总结 ", "was": "旧标题"}
        )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "前海 试点 总结"
    event = AuditEvent.objects.get(record_type="documents.document", action="rename")
    assert (event.before["title"], event.after["title"]) == ("旧标题", "前海 试点 总结")
    entry = SearchEntry.objects.get(kind="document", object_id=str(document.pk))
    assert entry.title == "前海 试点 总结"

    stale = zoe.post(f"/documents/{document.pk}/rename/", {"title": "别的", "was": "旧标题"})
    assert "刚被他人改名" in zoe.get(stale.url).content.decode()
    assert Document.objects.get(pk=document.pk).title == "前海 试点 总结"
    otto = signed_in(cast.otto)
    assert (
        otto.post(
            f"/documents/{document.pk}/rename/", {"title": "x", "was": "前海 试点 总结"}
        ).status_code
        == 403
    )
    assert AuditEvent.objects.filter(action="rename").count() == 1


def test_the_documents_list_filters_by_format_zone_year_and_title(cast):
    from django.utils import timezone

    old = make_document("广东自贸试验区文本一。", "南沙通关简报", zone="guangdong")
    Document.objects.filter(pk=old.pk).update(created_at=timezone.now().replace(year=2021))
    make_document("广东自贸试验区文本二。", "前海金融通报", zone="guangdong")
    national = make_document("全国复制推广文本。", "全国复制推广清单", zone=None)
    Document.objects.filter(pk=national.pk).update(format="pdf")
    nina = signed_in(cast.nina)

    def titles(query: str) -> set[str]:
        page = nina.get("/documents/?" + query).content.decode()
        return set(re.findall(r'<td><a href="/documents/\d+/">([^<]+)</a>', page))

    assert titles("") == {"南沙通关简报", "前海金融通报", "全国复制推广清单"}
    assert titles("q=通报") == {"前海金融通报"}
    assert titles("format=pdf") == {"全国复制推广清单"}
    assert titles("zone=guangdong") == {"南沙通关简报", "前海金融通报"}
    assert titles("zone=-") == {"全国复制推广清单"}
    assert titles("year=2021") == {"南沙通关简报"}
    assert titles("zone=guangdong&year=2021&q=南沙") == {"南沙通关简报"}
    wrong = nina.get("/documents/?year=abc&format=exe")
    assert wrong.status_code == 200 and 'role="alert"' in wrong.content.decode()
    assert "没有符合筛选的文档" in nina.get("/documents/?q=不存在的标题").content.decode()


def test_a_retried_bulk_job_goes_on_with_the_facts_still_as_counted(
    cast, long_document, monkeypatch
):
    """A run that stopped half-way left some facts accepted; meanwhile a colleague rejected one
    of the rest. The retry accepts the remaining counted facts, in chunks, and names the one it
    left alone."""
    from tests.factories import person
    from zimao.accounts.models import Role
    from zimao.documents import jobs
    from zimao.jobs.services import job_run
    from zimao.zones.models import Zone

    monkeypatch.setattr(jobs, "BULK_CHUNK", 7)
    colleague = person("zara", Role.ZONE, zone=Zone.objects.get(code="guangdong"))
    zoe = signed_in(cast.zoe)
    target = f"/documents/{long_document.pk}/review/filter/"
    page = zoe.get(target + "?action=accept&type=date").content.decode()
    seen = re.search(r'name="seen" value="([0-9a-f]{64})"', page).group(1)
    assert zoe.post(target, {"action": "accept", "type": "date", "seen": seen}).status_code == 302
    dates = list(long_document.facts.filter(type="date").order_by("start"))
    for fact in dates[:10]:  # what the first run committed before it stopped
        fact_review(fact=fact, user=cast.zoe, action="accept")
    fact_review(fact=dates[-1], user=colleague, action="reject")
    job = Job.objects.get(kind="fact_review")
    Job.objects.filter(pk=job.pk).update(attempt=2)

    assert job_run(job.pk, 2) == "done"
    job.refresh_from_db()
    rest = len(dates) - 11
    assert (job.done, job.total) == (rest, rest)
    assert job.message == f"已采纳 {rest} 条事实。另有 1 条在确认后被他人修改，未处理。"
    states = dict(long_document.facts.filter(type="date").values_list("pk", "state"))
    assert states.pop(dates[-1].pk) == "rejected"  # the colleague's decision stands
    assert set(states.values()) == {"accepted"}
    assert AuditEvent.objects.filter(action="fact_accept").count() == len(dates) - 1

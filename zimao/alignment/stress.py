"""The measure page of the opening lists: one measure (topic) across the editions, and its
stress-test record as a timeline — opened in the FTZ list, tested by innovations and
replication items, then taken into the national list (试点在前、推广在后)."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zimao.accounts.access import Action, Actor, allowed, can_any, visible
from zimao.audit.writes import EditConflict
from zimao.opening.diff import _pilot_first
from zimao.opening.index import measure_scores
from zimao.opening.models import Edition, Measure
from zimao.reforms.models import Innovation
from zimao.replication.models import ReplicationItem

from .models import StressTest
from .services import stress_test_save


@dataclass
class Event:
    date: str  # ISO, possibly partial; "" when unknown
    kind: str  # edition | removed | innovation | item | national
    label: str
    detail: str = ""
    url: str = ""


def topic_editions(user: Actor, topic: str) -> tuple[list[Edition], dict[int, list[Measure]]]:
    """The loaded editions of the topic's list family, oldest first, and its parts in each."""
    parts = list(
        visible(user, Measure.objects.filter(topic=topic)).select_related("edition", "sector")
    )
    if not parts:
        raise Http404(_("没有该措施。"))
    family = parts[0].edition.family
    found = [
        e for e in visible(user, Edition.objects.filter(family=family))
        .exclude(status=Edition.Status.NOT_LOADED) if e.effective_date
    ]  # fmt: skip
    found.sort(key=lambda e: (e.effective_date, e.scope))
    by_edition: dict[int, list[Measure]] = {}
    for part in parts:
        by_edition.setdefault(part.edition_id, []).append(part)
    return found, by_edition


def timeline(user: Actor, topic: str, record: StressTest | None) -> tuple[list[Event], bool]:
    """Every step of the measure, by date: each edition that holds it (with its score), each
    complete edition that no longer does, and the stress-test record's innovations, items and
    national edition. Also whether the FTZ list opened it first."""
    found, by_edition = topic_editions(user, topic)
    scores: dict[int, Decimal] = {}
    events = []
    for edition in found:
        url = reverse("opening:edition", args=[edition.code])
        parts = by_edition.get(edition.pk)
        if parts:
            scores[edition.pk] = measure_scores(parts)[0]
            detail = _("限制得分 %(s)s：%(t)s") % {"s": scores[edition.pk], "t": parts[0].text}
            events.append(Event(edition.effective_date, "edition", edition.title, detail, url))
        elif edition.status == Edition.Status.COMPLETE:
            gone = _("该版本已不再列出此措施")
            events.append(Event(edition.effective_date, "removed", edition.title, gone, url))
    if record is not None:
        events += _record_events(user, record)
    order = {"edition": 0, "removed": 1, "innovation": 2, "item": 3, "national": 4}
    events.sort(key=lambda e: (e.date or "9999", order[e.kind]))
    return events, _pilot_first(found, scores)


def _record_events(user: Actor, record: StressTest) -> list[Event]:
    events = []
    for innovation in visible(user, record.innovations.all()):
        day = timezone.localdate(innovation.created_at).isoformat()
        events.append(Event(day, "innovation", innovation.title, _("制度创新成果"),
                            innovation.get_absolute_url()))  # fmt: skip
    for item in record.items.select_related("batch"):
        events.append(Event(item.batch.issue_date, "item", item.title, item.batch.label,
                            item.get_absolute_url()))  # fmt: skip
    if record.national_edition is not None:
        edition = record.national_edition
        url = reverse("opening:edition", args=[edition.code])
        events.append(
            Event(edition.effective_date, "national", edition.title, _("开放措施推广至全国"), url)
        )
    return events


class StressTestForm(forms.Form):
    national_edition = forms.ModelChoiceField(
        label=gettext_lazy("推广至全国的版本"), required=False, to_field_name="code",
        queryset=Edition.objects.filter(scope=Edition.Scope.NATIONAL),
        error_messages={"invalid_choice": gettext_lazy("没有该全国版清单")},
    )  # fmt: skip
    innovations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("试点中的制度创新成果"), required=False,
        queryset=Innovation.objects.none(),
        error_messages={"invalid_choice": gettext_lazy("所选制度创新成果不存在或无权查看"),
                        "invalid_pk_value": gettext_lazy("所选制度创新成果无效")},
    )  # fmt: skip
    items = forms.ModelMultipleChoiceField(
        label=gettext_lazy("复制推广事项"), required=False, to_field_name="code",
        queryset=ReplicationItem.objects.select_related("batch"),
        error_messages={"invalid_choice": gettext_lazy("没有该复制推广事项")},
    )  # fmt: skip
    summary = forms.CharField(
        label=gettext_lazy("压力测试说明"), required=False, max_length=2000, widget=forms.Textarea
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def measure_page(request: HttpRequest, topic: str) -> HttpResponse:
    record = StressTest.objects.filter(topic=topic).select_related("national_edition").first()
    events, pilot_first = timeline(request.user, topic, record)
    can_edit = can_any(request.user, Action.EDIT, StressTest) and (
        allowed(request.user, Action.EDIT, record) if record else True
    )
    form = None
    status = 200
    if can_edit:
        form = _form(request, record)
        if request.method == "POST":
            saved = _save(request, topic, record, form)
            if saved:
                messages.success(request, _("已保存压力测试记录。"))
                return redirect(request.path)
            status = 409 if form.non_field_errors() else 400
    elif request.method == "POST":
        raise PermissionDenied(_("只有国家层面管理员可以记录压力测试。"))
    current = next((e for e in events if e.kind == "edition"), None)
    context = {
        "topic": topic,
        "events": events,
        "pilot_first": pilot_first,
        "record": record,
        "form": form,
        "title": current.detail if current else topic,
    }
    return render(request, "alignment/stress.html", context, status=status)


def _form(request: HttpRequest, record: StressTest | None) -> StressTestForm:
    initial: dict[str, object] = {}
    chosen: list[int] = []
    if record is not None:
        chosen = list(record.innovations.values_list("pk", flat=True))
        initial = {
            "national_edition": record.national_edition, "summary": record.summary,
            "innovations": list(record.innovations.all()), "items": list(record.items.all()),
            "version": record.version,
        }  # fmt: skip
    form = StressTestForm(request.POST if request.method == "POST" else None, initial=initial)
    recent = visible(request.user, Innovation.objects.all()).order_by("-created_at", "-id")
    ids = [*list(recent.values_list("pk", flat=True)[:200]), *chosen]
    form.fields["innovations"].queryset = visible(  # type: ignore[attr-defined]
        request.user, Innovation.objects.filter(pk__in=ids)
    )
    return form


def _save(
    request: HttpRequest, topic: str, record: StressTest | None, form: StressTestForm
) -> bool:
    if not form.is_valid():
        return False
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        stress_test_save(user=request.user, topic=topic, version=version, **data)
    except EditConflict:
        form.add_error(None, _("该记录已被他人修改，请刷新页面后重新填写。"))
        return False
    except ValidationError as exc:
        form.add_error(None, "；".join(exc.messages))
        return False
    return True

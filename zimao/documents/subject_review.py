"""A document's subject as stored, as search uses it, and as a reviewer corrects it."""

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zimao.accounts.access import Action, Actor
from zimao.audit import writes
from zimao.text.passages import passages
from zimao.zones.models import Zone

from .models import Document, Fact
from .subject import document_subject

SUBJECT_FIELDS = ("subject_zones", "subject_status", "subject_note")
KIND_LABELS = {
    "issuer": gettext_lazy("发布/供稿单位"),
    "title": gettext_lazy("标题"),
    "coverage": gettext_lazy("正文篇幅"),
    "context": gettext_lazy("与“自贸”同现"),
}


class SubjectError(ValueError):
    """A correction that cannot be saved; the message says why."""


def zone_spans(document: Document) -> list[tuple[int, int, str]]:
    """The document's zone facts as (start, end, zone), rejected ones left out. Plain values:
    a document has hundreds of zone facts, and model rows with deferred fields cost a query
    each (the related manager reads the deferred document key to attach the document)."""
    facts = (
        Fact.objects.filter(document_id=document.pk, type="zone")
        .exclude(state="rejected")
        .order_by("start", "id")
        .values_list("start", "end", "payload")
    )
    return [(start, end, str(zone["zone"])) for start, end, zone in facts if zone.get("zone")]


def subject_zones(document: Document) -> list[str]:
    """The stored subject; a document stored before subjects existed is judged now (not
    saved: `zimao reindex` and the next correction keep reading it the same way)."""
    if document.subject_status:
        return list(document.subject_zones)
    if document.status != Document.Status.PROCESSED:
        return []
    return document_subject(document.title, document.text, zone_spans(document)).zones


@dataclass
class EvidenceRow:
    zone: Zone | None
    kind: str
    label: str
    weight: float
    text: str
    start: int | None
    anchor: int | None  # the passage that holds `start`, for a link into the text
    score: float
    subject: bool


def evidence_rows(document: Document) -> list[EvidenceRow]:
    """The stored evidence, with zone records and labels, for the document page."""
    zones = Zone.objects.in_bulk(
        [e.get("zone") for e in document.subject_evidence], field_name="code"
    )
    offsets = [offset for offset, _text in passages(document.text)]
    rows = []
    for item in document.subject_evidence:
        start = item.get("start")
        at = bisect_right(offsets, start) - 1 if isinstance(start, int) else -1
        rows.append(
            EvidenceRow(
                zone=zones.get(item.get("zone")),
                kind=str(item.get("kind", "")),
                label=str(KIND_LABELS.get(item.get("kind", ""), item.get("kind", ""))),
                weight=float(item.get("weight") or 0),
                text=str(item.get("text") or ""),
                start=start if isinstance(start, int) else None,
                anchor=offsets[at] if at >= 0 else None,
                score=float(item.get("score") or 0),
                subject=bool(item.get("subject")),
            )
        )
    return rows


class SubjectForm(forms.Form):
    zones = forms.MultipleChoiceField(
        label=gettext_lazy("主题自贸试验区（可多选；都不选表示综合或全国性文档）"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label=gettext_lazy("更正理由"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["zones"]
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = [(z.code, z.name) for z in Zone.objects.order_by("batch", "id")]


def subject_correct(*, user: Actor, document: Document, zones: list[str], note: str) -> Document:
    """A reviewer sets the subject zone(s) (none: a national or general document), saying why;
    checked and audited like every review, and the document is re-indexed."""
    note = note.strip()
    if not note:
        raise SubjectError(_("更正主题时请说明理由"))
    codes = list(dict.fromkeys(z for z in zones if z))
    known = set(Zone.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown := [c for c in codes if c not in known]:
        raise SubjectError(_("未知的自贸试验区：%(z)s") % {"z": "、".join(unknown)})
    changes: dict[str, Any] = {
        "subject_zones": codes,
        "subject_status": Document.SubjectStatus.REVIEWED,
        "subject_note": note[:300],
    }
    return writes.update(
        user=user,
        record=document,
        changes=changes,
        fields=SUBJECT_FIELDS,
        action=Action.REVIEW,
        audit_action="document_subject",
        note=note[:300],
    )

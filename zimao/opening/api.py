"""The opening lists over the API: editions, measures, diffs, the admission check, the index."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from zimao.lib.schemas import ErrorOut, Text

from .admission import MODES, PLACES, check_admission
from .diff import diff_editions
from .index import RULE_VERSION, edition_index
from .models import Edition, Measure
from .selectors import editions, measures

router = Router(tags=["opening"])


class EditionOut(Schema):
    code: str
    family: str
    scope: str
    year: int
    title: str
    effective_date: str
    superseded_date: str
    measures: int | None
    status: str
    explanation: str
    source: str


class MeasureOut(Schema):
    seq: int | None
    part: str
    topic: str
    sector: str
    text: str
    kind: str
    restrictions: list[str]
    foreign_cap: Decimal | None
    confirmed: bool
    confidence: str  # V: text seen in a source for this edition; D: derived (see note)
    source: str
    note: str


def _measure(m: Measure) -> dict[str, object]:
    return {
        "seq": m.seq, "part": m.part, "topic": m.topic, "sector": m.sector.code, "text": m.text,
        "kind": m.kind, "restrictions": m.restriction_list, "foreign_cap": m.foreign_cap,
        "confirmed": m.confirmed, "confidence": m.confidence, "source": m.source,
        "note": m.note,
    }  # fmt: skip


class EditionDetailOut(EditionOut):
    measure_list: list[MeasureOut]


@router.get("/opening/editions", response=list[EditionOut])
@paginate
def opening_editions(request: HttpRequest, family: Text = "", scope: Text = "") -> object:
    found = editions(request.user)
    found = found.filter(family=family) if family else found
    return found.filter(scope=scope) if scope else found


def _edition(request: HttpRequest, code: str) -> Edition:
    return get_object_or_404(editions(request.user), code=code)


@router.get("/opening/editions/{code}", response=EditionDetailOut)
def opening_edition(request: HttpRequest, code: str) -> object:
    edition = _edition(request, code)
    data = EditionOut.from_orm(edition).dict()
    data["measure_list"] = [_measure(m) for m in measures(request.user, edition)]
    return data


class ChangeOut(Schema):
    topic: str
    status: str
    sector: str
    old_text: str
    new_text: str
    old_score: Decimal | None
    new_score: Decimal | None
    old_seq: int | None
    new_seq: int | None


class DiffOut(Schema):
    old: str
    new: str
    complete: bool
    counts: dict[str, int]
    changes: list[ChangeOut]


@router.get("/opening/diff", response={200: DiffOut, 422: ErrorOut})
def opening_diff(request: HttpRequest, old: Text, new: Text) -> object:
    found = {e.code: e for e in editions(request.user).filter(code__in=[old, new])}
    missing = [name for name, code in (("old", old), ("new", new)) if code not in found]
    if missing:
        raise HttpError(422, f"没有该清单版本：{'、'.join(missing)}")
    result = diff_editions(found[old], found[new])
    return {
        "old": old, "new": new, "complete": result.complete, "counts": result.counts,
        "changes": [
            {"topic": c.topic, "status": c.status, "sector": c.sector, "old_text": c.old_text,
             "new_text": c.new_text, "old_score": c.old_score, "new_score": c.new_score,
             "old_seq": c.old_seq, "new_seq": c.new_seq}
            for c in result.changes
        ],
    }  # fmt: skip


class FindingOut(Schema):
    topic: str
    seq: int | None
    text: str
    verdict: str
    conditions: list[str]
    condition_met: bool | None
    confirmed: bool


class CheckOut(Schema):
    verdict: str
    verdict_label: str
    edition: str | None
    ambiguous: bool
    findings: list[FindingOut]
    suggestions: list[str]
    explanation: str


@router.get("/opening/check", response={200: CheckOut, 422: ErrorOut})
def opening_check(
    request: HttpRequest,
    activity: Text,
    day: date,
    place: Text = "elsewhere",
    mode: Text = "commercial_presence",
    foreign_share: Decimal | None = None,
) -> object:
    """Whether a foreign investor may enter an activity at a place on a day (see the page)."""
    if mode not in MODES or place not in PLACES:
        raise HttpError(
            422, "mode 须为 commercial_presence|cross_border，place 须为 ftz|hainan|elsewhere"
        )
    if foreign_share is not None and not 0 <= foreign_share <= 100:
        raise HttpError(422, "外资股比须在 0 到 100 之间")
    if not activity.strip():
        raise HttpError(422, "请填写行业或活动")
    answer = check_admission(
        activity=activity, foreign_share=foreign_share, mode=mode, place=place, day=day
    )
    return {
        "verdict": answer.verdict, "verdict_label": answer.verdict_label,
        "edition": answer.edition.code if answer.edition else None,
        "ambiguous": answer.ambiguous, "suggestions": answer.suggestions,
        "explanation": answer.explanation,
        "findings": [
            {"topic": f.measure.topic, "seq": f.measure.seq, "text": f.measure.text,
             "verdict": f.verdict, "conditions": f.conditions, "condition_met": f.condition_met,
             "confirmed": f.measure.confirmed}
            for f in answer.findings
        ],
    }  # fmt: skip


class SectorScoreOut(Schema):
    sector: str
    score: Decimal
    measures: list[dict[str, object]]


class IndexOut(Schema):
    edition: str
    rule_version: str
    value: Decimal
    lower_bound: bool
    sectors: list[SectorScoreOut]


@router.get("/opening/index/{code}", response={200: IndexOut, 422: ErrorOut})
def opening_index(request: HttpRequest, code: str) -> object:
    edition = _edition(request, code)
    if edition.family != Edition.Family.FOREIGN_INVESTMENT:
        return 422, {"detail": "限制指数只对外商投资准入负面清单计分"}
    result = edition_index(edition)
    return {
        "edition": code, "rule_version": RULE_VERSION, "value": result.value,
        "lower_bound": result.lower_bound,
        "sectors": [
            {"sector": s.sector.code, "score": s.score,
             "measures": [{"topic": m.topic, "score": str(score), "reasons": reasons}
                          for m, score, reasons in s.measures]}
            for s in result.sectors
        ],
    }  # fmt: skip

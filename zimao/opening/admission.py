"""The admission check: may a foreign investor enter this activity, here, on this day?

The answer names the edition in force, every measure that matched (all candidates when the
activity is ambiguous) and the condition each sets, in Chinese (English through gettext). An
edition whose measures are not all loaded never yields "allowed": it yields "undetermined".
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from zimao.zones.models import Zone

from .index import part_score
from .models import Edition, Measure, Sector
from .selectors import FIRST_LIST, InForce, date_range, in_force

MODES = ("commercial_presence", "cross_border")
PLACES = ("ftz", "hainan", "elsewhere")
VERDICTS = ("allowed", "restricted", "prohibited", "undetermined", "no_list", "unknown_activity")
CODE = re.compile(r"^(?:[A-Ta-t]|\d{2,4})$")


def place_label(place: str) -> str:
    return {
        "ftz": _("自贸试验区内"),
        "hainan": _("海南自由贸易港"),
        "elsewhere": _("自贸试验区外"),
    }[place]


def verdict_label(verdict: str) -> str:
    return {
        "allowed": _("允许"),
        "restricted": _("限制"),
        "prohibited": _("禁止"),
        "undetermined": _("无法判定"),
        "no_list": _("当日无清单"),
        "unknown_activity": _("未识别的行业"),
    }[verdict]


@dataclass
class Finding:
    measure: Measure
    verdict: str  # prohibited | restricted
    conditions: list[str]
    condition_met: bool | None  # None: no equity condition, or no share given


@dataclass
class Answer:
    verdict: str
    edition: Edition | None = None
    findings: list[Finding] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    ambiguous: bool = False
    explanation: str = ""

    @property
    def verdict_label(self) -> str:
        return verdict_label(self.verdict)


def _hainan_ftz_since() -> date | None:
    zone = Zone.objects.filter(code="hainan").first()
    span = date_range(zone.approval_date) if zone and zone.approval_date else None
    return span[0] if span else None


def edition_for(mode: str, place: str, day: date) -> InForce:
    """The list that applies: cross-border supply follows the cross-border services list,
    commercial presence the foreign-investment list of the place."""
    if mode == "cross_border":
        scope = {"ftz": "ftz", "hainan": "hainan_ftp", "elsewhere": "national"}[place]
        return in_force(Edition.Family.CROSS_BORDER_SERVICES, scope, day)
    family = Edition.Family.FOREIGN_INVESTMENT
    if place == "hainan":
        port = in_force(family, "hainan_ftp", day)
        if port.edition or port.uncertain:
            return port
        since = _hainan_ftz_since()
        place = "ftz" if since and since <= day else "elsewhere"
    return in_force(family, "ftz" if place == "ftz" else "national", day)


def _sector_for(activity: str, sectors: list[Sector]) -> Sector | None:
    text = activity.strip()
    if CODE.match(text):
        if text.isalpha():
            return next((s for s in sectors if s.code == text.upper()), None)
        division = int(text[:2])
        return next((s for s in sectors if s.division_from <= division <= s.division_to), None)
    return next((s for s in sectors if len(text) >= 2 and (s.name_zh in text or text in
                                                             s.name_zh)), None)  # fmt: skip


def _match(activity: str, measures: list[Measure]) -> list[Measure]:
    """Measure parts whose keywords best match the words: each keyword found in the words
    counts its length (小麦种子生产 prefers the wheat part to the corn part); ties are kept."""
    words = activity.strip()
    best: dict[int, int] = {}
    for measure in measures:
        lengths = [len(k) for k in measure.keyword_list if k in words]
        if len(words) >= 2 and (words in measure.text or words in measure.keywords):
            lengths.append(len(words))
        if lengths:
            best[measure.pk] = sum(lengths)
    if not best:
        return []
    top = max(best.values())
    return [m for m in measures if best.get(m.pk) == top]


def suggestions_for(activity: str, limit: int = 5) -> list[str]:
    """Known activity words and sector names sharing at least two characters with the words."""
    words = set(activity.strip())
    options: set[str] = {s.name_zh for s in Sector.objects.all()}
    for keywords in Measure.objects.values_list("keywords", flat=True):
        options.update(k for k in keywords.split(";") if k)
    ranked = sorted(
        ((len(words & set(o)), o) for o in options if len(words & set(o)) >= 2),
        key=lambda r: (-r[0], len(r[1]), r[1]),
    )
    return [o for _n, o in ranked[:limit]]


def percent(value: Decimal) -> str:
    """50.00 → 50, 33.50 → 33.5 (never 5E+1)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _finding(measure: Measure, share: Decimal | None) -> Finding:
    cross_border = measure.edition.family == Edition.Family.CROSS_BORDER_SERVICES
    if measure.kind == Measure.Kind.PROHIBITED:
        label = _("禁止跨境提供") if cross_border else _("禁止投资")
        return Finding(measure, "prohibited", [label], None)
    conditions: list[str] = []
    met: bool | None = None
    restrictions = measure.restriction_list
    if "chinese_control" in restrictions:
        conditions.append(_("须由中方控股（外资股比低于50%）"))
        met = None if share is None else share < 50
    elif "equity_cap" in restrictions and measure.foreign_cap is not None:
        conditions.append(_("外资股比不超过%(cap)s%%") % {"cap": percent(measure.foreign_cap)})
        met = None if share is None else share <= measure.foreign_cap
    labels = {
        # a cross-border list bars foreign persons (qualifications, residence), not managers
        "nationality": _("国籍或居所要求") if cross_border else _("高管国籍要求"),
        "approval": _("须经审批"),
        "other": _("其他限制（见措施原文）"),
    }
    conditions += [labels[r] for r in restrictions if r in labels]
    return Finding(measure, "restricted", conditions, met)


def _partial(head: str, edition: Edition, loaded: list[Measure], hints: list[str]) -> Answer:
    """No loaded measure names the activity, but the edition's other measures may: say so."""
    return Answer("undetermined", edition, suggestions=hints, explanation=head + _(
        "无法判定：该版本的措施尚未全部载入（已载入 %(n)s 条，公布 %(t)s 条），"
        "未找到对应措施，不能据此认定允许。"
    ) % {"n": len({m.topic for m in loaded}), "t": edition.measures or "?"})  # fmt: skip


def check_admission(
    *, activity: str, foreign_share: Decimal | None, mode: str, place: str, day: date
) -> Answer:
    """Answer one admission question (see the module docstring)."""
    when = date_format(day, "Y-m-d")
    if day < FIRST_LIST:
        return Answer("no_list", explanation=_(
            "%(day)s 尚无外商投资准入负面清单（首张清单自 2013-09-30 起施行）。"
        ) % {"day": when})  # fmt: skip
    sectors = list(Sector.objects.all())
    sector = _sector_for(activity, sectors)
    found = edition_for(mode, place, day)
    where = place_label(place)
    if found.uncertain:
        names = "、".join(f"《{e.title}》" for e in found.uncertain)
        return Answer("undetermined", explanation=_(
            "无法确定 %(day)s %(where)s适用的清单版本：%(names)s的施行日期未载入或不精确。"
        ) % {"day": when, "where": where, "names": names})  # fmt: skip
    edition = found.edition
    if edition is None:
        return Answer("no_list", explanation=_(
            "%(day)s %(where)s尚无适用的清单（%(mode)s）。"
        ) % {"day": when, "where": where, "mode": mode_label(mode)})  # fmt: skip
    loaded = list(Measure.objects.filter(edition=edition).select_related("sector", "edition"))
    head = _("%(day)s %(where)s适用《%(title)s》。") % {
        "day": when, "where": where, "title": edition.title,
    }  # fmt: skip
    if edition.status == Edition.Status.NOT_LOADED:
        return Answer("undetermined", edition, explanation=head + _(
            "该版本的措施条目尚未载入（公布 %(t)s 条），无法判定。"
        ) % {"t": edition.measures or "?"})  # fmt: skip
    known = Measure.objects.select_related("sector")
    if sector is not None and not CODE.match(activity.strip()) and _match(activity, loaded):
        sector = None  # words naming a measure (义务教育机构) beat the section name in them (教育)
    by_section = sector is not None
    if sector is not None:
        matched = [m for m in loaded if m.sector_id == sector.pk]
        ambiguous = bool(matched)  # a section holds many activities: each measure a candidate
    else:
        matched = _match(activity, loaded)
        if not matched and not _match(activity, list(known)):
            if edition.status != Edition.Status.COMPLETE:  # the missing measures may name it
                return _partial(head, edition, loaded, suggestions_for(activity))
            return Answer("unknown_activity", edition, suggestions=suggestions_for(activity),
                          explanation=_("未能在清单措施和行业门类中识别“%(a)s”，请换用其他说法或行业代码。")
                          % {"a": activity})  # fmt: skip
        ambiguous = len({m.topic for m in matched}) > 1
    if not matched:
        if edition.status != Edition.Status.COMPLETE:
            return _partial(head, edition, loaded, [])
        if edition.family == Edition.Family.CROSS_BORDER_SERVICES:
            return Answer("allowed", edition, explanation=head + _(
                "该服务不在清单之内，按境内外服务及服务提供者待遇一致原则管理。"))  # fmt: skip
        return Answer("allowed", edition, explanation=head + _(
            "该活动不在清单之内，按内外资一致原则管理。"))  # fmt: skip
    findings = [_finding(m, foreign_share) for m in matched]
    verdict = "prohibited" if any(f.verdict == "prohibited" for f in findings) else "restricted"
    lines = [head]
    if by_section:
        lines.append(_("按行业门类“%(s)s”匹配：该门类的措施逐一列出，请核对是否涉及所查活动：")
                     % {"s": sector.name_zh if sector else ""})  # fmt: skip
    elif ambiguous:
        lines.append(_("该活动对应多条措施，逐一列出："))
    for f in findings:
        number = _("第%(n)s条") % {"n": f.measure.seq} if f.measure.seq else _("（序号未载入）")
        line = (
            f"{number}（{f.measure.sector.name_zh}）：{f.measure.text} → {verdict_label(f.verdict)}"
        )
        if f.verdict == "restricted":
            line += "；" + _("条件：") + "、".join(f.conditions)
            if f.condition_met is not None:
                line += "；" + (_("拟议外资股比 %(s)s%% 符合该条件") if f.condition_met
                               else _("拟议外资股比 %(s)s%% 不符合该条件")) % {
                    "s": percent(foreign_share) if foreign_share is not None else ""
                }  # fmt: skip
        if f.measure.confidence == "D":
            line += _("（该条本版原文未见于来源，系据相邻版本与公布条数推定）")
        elif not f.measure.confirmed:
            line += _("（该条文本仅有一个来源，尚未经第二个来源印证）")
        lines.append(line)
    return Answer(verdict, edition, findings, ambiguous=ambiguous, explanation="\n".join(lines))


def mode_label(mode: str) -> str:
    return {"commercial_presence": _("商业存在"), "cross_border": _("跨境提供")}[mode]


__all__ = ["MODES", "PLACES", "VERDICTS", "Answer", "Finding", "check_admission", "part_score"]

"""What changed between two editions: each measure paired by topic and classed as removed,
added, loosened, tightened, reworded or unchanged (scores from the index rule)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .index import measure_scores
from .models import Edition, Measure

STATUSES = ("removed", "added", "loosened", "tightened", "reworded", "unchanged")


def status_label(status: str) -> str:
    return {
        "removed": _("删除"),
        "added": _("新增"),
        "loosened": _("放宽"),
        "tightened": _("收紧"),
        "reworded": _("措辞调整"),
        "unchanged": _("未变"),
    }[status]


@dataclass
class Change:
    topic: str
    status: str
    sector: str
    old: list[Measure]
    new: list[Measure]
    old_score: Decimal | None
    new_score: Decimal | None

    @property
    def old_text(self) -> str:
        return self.old[0].text if self.old else ""

    @property
    def new_text(self) -> str:
        return self.new[0].text if self.new else ""

    @property
    def label(self) -> str:
        return status_label(self.status)

    @property
    def old_seq(self) -> int | None:
        """The item number in the older list (where the list numbers its items)."""
        return self.old[0].seq if self.old else None

    @property
    def new_seq(self) -> int | None:
        return self.new[0].seq if self.new else None


@dataclass
class Diff:
    old: Edition
    new: Edition
    changes: list[Change]
    counts: dict[str, int] = field(default_factory=dict)
    complete: bool = True  # both editions hold all their measures


def _by_topic(edition: Edition) -> dict[str, list[Measure]]:
    found: dict[str, list[Measure]] = defaultdict(list)
    for measure in Measure.objects.filter(edition=edition).select_related("sector"):
        found[measure.topic].append(measure)
    return found


def diff_editions(old: Edition, new: Edition) -> Diff:
    before, after = _by_topic(old), _by_topic(new)
    changes = []
    for topic in sorted(before.keys() | after.keys()):
        was, now = before.get(topic, []), after.get(topic, [])
        old_score = measure_scores(was)[0] if was else None
        new_score = measure_scores(now)[0] if now else None
        if not now:
            status = "removed"
        elif not was:
            status = "added"
        elif new_score is not None and old_score is not None and new_score < old_score:
            status = "loosened"
        elif new_score is not None and old_score is not None and new_score > old_score:
            status = "tightened"
        elif [m.text for m in was] != [m.text for m in now] or [
            (m.restrictions, m.foreign_cap) for m in was
        ] != [(m.restrictions, m.foreign_cap) for m in now]:
            status = "reworded"
        else:
            status = "unchanged"
        sector = (now or was)[0].sector.name_zh
        changes.append(Change(topic, status, sector, was, now, old_score, new_score))
    order = {s: n for n, s in enumerate(STATUSES)}
    changes.sort(key=lambda c: (order[c.status], c.sector, c.topic))
    counts = {s: sum(1 for c in changes if c.status == s) for s in STATUSES}
    complete = Edition.Status.COMPLETE == old.status == new.status
    return Diff(old, new, changes, counts, complete)


HEADERS = ["变化", "事项代码", "门类", "原措施", "新措施", "原得分", "新得分", "原序号", "新序号"]


def diff_rows(diff: Diff) -> list[list[object]]:
    return [
        [c.label, c.topic, c.sector, c.old_text, c.new_text, c.old_score, c.new_score,
         c.old_seq, c.new_seq]
        for c in diff.changes
    ]  # fmt: skip


@dataclass
class TimelineRow:
    topic: str
    sector: str
    text: str
    cells: list[str]  # per edition: its score, "—" (not on a complete edition), "?" (not loaded)
    pilot_first: bool  # loosened or gone in an FTZ list while the national list still had it


def timeline(
    family: str = Edition.Family.FOREIGN_INVESTMENT,
) -> tuple[list[Edition], list[TimelineRow]]:
    """Each measure (topic) across the editions whose measures are loaded, by section: how its
    score moved, and whether the FTZ list opened it before the national one (试点在前)."""
    found = [
        e
        for e in Edition.objects.filter(family=family).exclude(status=Edition.Status.NOT_LOADED)
        if e.effective_date
    ]
    found.sort(key=lambda e: (e.effective_date, e.scope))
    scores: dict[str, dict[int, Decimal]] = defaultdict(dict)
    sample: dict[str, Measure] = {}
    for edition in found:
        for topic, parts in _by_topic(edition).items():
            scores[topic][edition.pk] = measure_scores(parts)[0]
            sample[topic] = parts[0]
    rows = []
    for topic, by_edition in scores.items():
        cells = [
            str(by_edition[e.pk]) if e.pk in by_edition
            else "—" if e.status == Edition.Status.COMPLETE else "?"
            for e in found
        ]  # fmt: skip
        rows.append(
            TimelineRow(topic, sample[topic].sector.name_zh, sample[topic].text, cells,
                        _pilot_first(found, by_edition))
        )  # fmt: skip
    rows.sort(key=lambda r: (r.sector, r.topic))
    return found, rows


def _pilot_first(found: list[Edition], by_edition: dict[int, Decimal]) -> bool:
    """An FTZ edition scored the measure lower (or, complete, left it out) while the national
    edition in force at the same time still held it at a higher score."""
    for ftz in (e for e in found if e.scope == Edition.Scope.FTZ):
        national = [
            e for e in found
            if e.scope == Edition.Scope.NATIONAL and e.effective_date <= ftz.effective_date
        ]  # fmt: skip
        if not national or national[-1].pk not in by_edition:
            continue
        before = by_edition[national[-1].pk]
        if ftz.pk in by_edition:
            if by_edition[ftz.pk] < before:
                return True
        elif ftz.status == Edition.Status.COMPLETE:
            return True
    return False

"""Writes for indicators, each through the one write path (`audit.writes`): the access check on
the record's scope, a versioned update, an audit event per changed record, all in one
transaction.

`observation_import` writes a whole file (all rows or none), `observation_prefer` changes which
source's value is used, `index_version_save` adds a version of the composite index.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from zimao.accounts.access import Action, Actor
from zimao.audit import writes
from zimao.audit.services import acting_user

from .imports import ObservationRow
from .index import IndexDefinition
from .models import IndexVersion, Indicator, Observation, Provenance
from .subjects import Subject, subject_for

FIELDS = (
    "value", "unit", "original_value", "original_unit", "exchange_rate", "exchange_rate_source",
    "zones_count", "flags", "preferred", "preferred_reason", "note", "provenance",
)  # fmt: skip
INDEX_FIELDS = ("number", "name", "definition", "note")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _values(row: ObservationRow) -> dict[str, Any]:
    def number(text: str | None) -> Decimal | None:
        return Decimal(text) if text is not None else None

    return {
        "value": number(row.value),
        "unit": row.unit,
        "original_value": number(row.original_value),
        "original_unit": row.original_unit,
        "exchange_rate": number(row.exchange_rate),
        "exchange_rate_source": row.exchange_rate_source,
        "flags": row.flags,
        "note": row.note,
        "zones_count": row.zones_count,
    }


def _provenance(row: ObservationRow, current: Observation | None) -> str:
    """What an imported row is: sample or extracted as the file says; an office's figure
    otherwise. Official, derived and computed stay only on a row already stored as such."""
    stored = current.provenance if current is not None else ""
    claimed = row.provenance or stored or Provenance.OFFICE
    official = (Provenance.OFFICIAL, Provenance.DERIVED, Provenance.COMPUTED)
    if claimed in official and claimed != stored:
        return Provenance.OFFICE
    return claimed


def _blank(subject: Subject) -> Observation:
    """An unsaved observation about `subject`: what the access rules judge before a write."""
    return Observation(
        subject_kind=subject.kind,
        subject=subject.key,
        zone=subject.zone,
        area=subject.area,
        province=subject.scope.province or "",
    )


def observation_import(
    *, user: Actor, rows: list[ObservationRow], filename: str = ""
) -> ImportResult:
    """Create or update observations by (indicator, subject, period, source), all or none.

    Another source's value for the same indicator, subject and period is kept beside it.
    A row marked preferred takes over, and the others are kept with the row's reason; an
    unmarked row is preferred only when nothing is preferred yet. A stored row changed (or
    created) by someone else since the file was checked is an `EditConflict`, and nothing is
    written.
    """
    subjects = {(r.subject_kind, r.subject): subject_for(r.subject_kind, r.subject) for r in rows}
    for subject in subjects.values():
        writes.check(user, Action.CREATE, _blank(subject))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={r.indicator for r in rows})}
    outcomes: Counter[str] = Counter()
    touched: set[int] = set()
    with transaction.atomic():
        _refuse_stale(rows, indicators)
        for row in rows:
            subject = subjects[(row.subject_kind, row.subject)]
            outcome = _upsert(user, row, indicators[row.indicator], subject, filename, touched)
            outcomes[outcome] += 1
    return ImportResult(outcomes["created"], outcomes["updated"], outcomes["unchanged"])


def _lookup(row: ObservationRow, indicator: Indicator) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "subject_kind": row.subject_kind,
        "subject": row.subject,
        "period": row.period,
        "source": row.source,
    }


def _refuse_stale(rows: list[ObservationRow], indicators: dict[str, Indicator]) -> None:
    """Every row the check saw is still as it was; otherwise the whole file is refused."""
    stored = Observation.objects.filter(
        indicator__in=indicators.values(), period__in={r.period for r in rows}
    ).values_list("indicator__code", "subject_kind", "subject", "period", "source", "version")
    versions = {tuple(values[:5]): values[5] for values in stored}
    stale = {
        str(row.line): (row.version, versions.get(row.key, 0))
        for row in rows
        if row.version is not None and versions.get(row.key, 0) != row.version
    }  # a row without a version was checked before versions were noted
    if stale:
        raise writes.EditConflict(stale)


def _upsert(
    user: Actor,
    row: ObservationRow,
    indicator: Indicator,
    subject: Subject,
    filename: str,
    touched: set[int],
) -> str:
    lookup = _lookup(row, indicator)
    group = Observation.objects.select_for_update().filter(
        **{k: v for k, v in lookup.items() if k != "source"}
    )
    others = list(group.exclude(source=row.source).order_by("id"))
    current = group.filter(source=row.source).first()
    preferred_elsewhere = [o for o in others if o.preferred]
    values = _values(row)
    values["provenance"] = _provenance(row, current)
    if row.preferred:
        values.update(preferred=True, preferred_reason=row.reason)
    elif row.preferred is False or (current is None and preferred_elsewhere):
        kept = preferred_elsewhere[0] if preferred_elsewhere else None
        values.update(preferred=False, preferred_reason=row.reason or _kept_reason(kept))
    elif current is None:
        values.update(preferred=True, preferred_reason=row.reason)
    note = f"导入文件 {filename}，第 {row.line} 行" if filename else f"导入第 {row.line} 行"
    if current is None:
        record = _blank(subject)
        for name, value in {**lookup, **values}.items():
            setattr(record, name, value)
        writes.create(user=user, record=record, fields=FIELDS, audit_action="import", note=note)
        touched.add(record.pk)
        outcome = "created"
    else:
        changes = {k: v for k, v in values.items() if getattr(current, k) != v}
        if not changes:
            return "unchanged"
        seen = row.version if row.version and current.pk not in touched else current.version
        writes.update(
            user=user, record=current, changes=changes, fields=FIELDS, version=seen, note=note
        )
        touched.add(current.pk)
        outcome = "updated"
    if row.preferred:
        for other in preferred_elsewhere:
            _set_preferred(user, other, False, f"改用“{row.source}”的数值：{row.reason}")
            touched.add(other.pk)
    return outcome


def _kept_reason(other: Observation | None) -> str:
    if other is None:
        return ""
    return f"并列保留；采用值来自“{other.source}”"


def _set_preferred(
    user: Actor, observation: Observation, preferred: bool, reason: str, version: int | None = None
) -> None:
    writes.update(
        user=user,
        record=observation,
        changes={"preferred": preferred, "preferred_reason": reason},
        fields=FIELDS,
        version=observation.version if version is None else version,
        audit_action="prefer",
    )


def observation_prefer(
    *, user: Actor, observation: Observation, reason: str, version: int | None = None
) -> Observation:
    """Make one source's value the preferred one for its indicator, subject and period; the
    others stay, un-preferred, with the reason. `version` is the one the user saw (default: the
    object's own); a row changed since is an `EditConflict`, and nothing is written."""
    if not reason.strip():
        raise ValueError("a reason is required")
    with transaction.atomic():
        group = Observation.objects.select_for_update().filter(
            indicator=observation.indicator_id,
            subject_kind=observation.subject_kind,
            subject=observation.subject,
            period=observation.period,
        )
        demoted = list(group.exclude(pk=observation.pk).filter(preferred=True))
        _set_preferred(user, observation, True, reason, version)
        for other in demoted:
            _set_preferred(user, other, False, f"改用“{observation.source}”的数值：{reason}")
    return observation


def index_version_save(
    *,
    user: Actor,
    name: str,
    definition: IndexDefinition,
    note: str = "",
    latest: int | None = None,
) -> IndexVersion:
    """Save the index definition as a new version; earlier versions stay as they were.
    Only national offices define the index. `latest` is the newest version number the editor
    saw: a version saved by someone else since is an `EditConflict`, and nothing is written."""
    writes.check(user, Action.CREATE, IndexVersion())
    definition.validate()
    with transaction.atomic():
        newest = IndexVersion.objects.aggregate(n=Max("number"))["n"] or 0
        if latest is not None and latest != newest:
            raise writes.EditConflict({"number": (latest, newest)}, IndexVersion)
        record = IndexVersion(
            number=newest + 1,
            name=name,
            definition=definition.as_data(),
            note=note,
            created_by=acting_user(user),
        )
        # Two saves at once both pick `newest + 1`: the unique number makes the second a conflict.
        return writes.create(user=user, record=record, fields=INDEX_FIELDS, note=note)

"""Writes for indicators: each checks permission, runs in one transaction and is audited.

One function per kind of write, so they can move onto a shared write helper together:
`observation_import`, `observation_prefer`, `index_version_save`.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from zimao.accounts.access import Action, Actor, Scope, check
from zimao.audit.services import acting_user, audit_record

from .imports import ObservationRow
from .index import IndexDefinition
from .models import IndexVersion, Indicator, Observation
from .subjects import subject_for

AUDITED = (
    "value", "unit", "original_value", "original_unit", "exchange_rate", "exchange_rate_source",
    "flags", "preferred", "preferred_reason", "note",
)  # fmt: skip
NATIONAL = Scope(None, None, None)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _state(observation: Observation) -> dict[str, Any]:
    return {
        name: (_plain(v) if isinstance(v := getattr(observation, name), Decimal) else v)
        for name in AUDITED
    }


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


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


def observation_import(
    *, user: Actor, rows: list[ObservationRow], filename: str = ""
) -> ImportResult:
    """Create or update observations by (indicator, subject, period, source), all or none.

    Another source's value for the same indicator, subject and period is kept beside it.
    A row marked preferred takes over, and the others are kept with the row's reason; an
    unmarked row is preferred only when nothing is preferred yet.
    """
    subjects = {(r.subject_kind, r.subject): subject_for(r.subject_kind, r.subject) for r in rows}
    for subject in subjects.values():
        check(user, Action.CREATE, subject.scope)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={r.indicator for r in rows})}
    created = updated = unchanged = 0
    with transaction.atomic():
        for row in rows:
            subject = subjects[(row.subject_kind, row.subject)]
            observation, outcome = _upsert(user, row, indicators[row.indicator], subject, filename)
            created += outcome == "created"
            updated += outcome == "updated"
            unchanged += outcome == "unchanged"
    return ImportResult(created, updated, unchanged)


def _upsert(
    user: Actor, row: ObservationRow, indicator: Indicator, subject: Any, filename: str
) -> tuple[Observation, str]:
    lookup = {
        "indicator": indicator,
        "subject_kind": row.subject_kind,
        "subject": row.subject,
        "period": row.period,
        "source": row.source,
    }
    others = Observation.objects.filter(**{k: v for k, v in lookup.items() if k != "source"})
    others = others.exclude(source=row.source).select_for_update()
    observation = Observation.objects.filter(**lookup).first()
    before = _state(observation) if observation else None
    if observation is None:
        observation = Observation(**lookup, zone=subject.zone, area=subject.area)
    for name, value in _values(row).items():
        setattr(observation, name, value)
    preferred_elsewhere = others.filter(preferred=True)
    if row.preferred:
        observation.preferred = True
        observation.preferred_reason = row.reason
    elif row.preferred is False or (before is None and preferred_elsewhere.exists()):
        observation.preferred = False
        observation.preferred_reason = row.reason or _kept_reason(preferred_elsewhere.first())
    elif before is None:
        observation.preferred, observation.preferred_reason = True, row.reason
    after = _state(observation)
    if before == after:
        return observation, "unchanged"
    observation.save()
    note = f"导入文件 {filename}，第 {row.line} 行" if filename else f"导入第 {row.line} 行"
    audit_record(
        actor=user,
        action="import" if before is None else "update",
        record=observation,
        before=before,
        after=after,
        note=note,
    )
    if row.preferred:
        for other in preferred_elsewhere:
            _set_preferred(user, other, False, f"改用“{row.source}”的数值：{row.reason}")
    return observation, "created" if before is None else "updated"


def _kept_reason(other: Observation | None) -> str:
    if other is None:
        return ""
    return f"并列保留；采用值来自“{other.source}”"


def _set_preferred(user: Actor, observation: Observation, preferred: bool, reason: str) -> None:
    before = _state(observation)
    observation.preferred = preferred
    observation.preferred_reason = reason
    observation.save(update_fields=["preferred", "preferred_reason"])
    audit_record(
        actor=user, action="prefer", record=observation, before=before, after=_state(observation)
    )


def observation_prefer(*, user: Actor, observation: Observation, reason: str) -> Observation:
    """Make one source's value the preferred one for its indicator, subject and period; the
    others stay, un-preferred, with the reason."""
    if not reason.strip():
        raise ValueError("a reason is required")
    check(user, Action.EDIT, subject_for(observation.subject_kind, observation.subject).scope)
    with transaction.atomic():
        group = Observation.objects.select_for_update().filter(
            indicator=observation.indicator_id,
            subject_kind=observation.subject_kind,
            subject=observation.subject,
            period=observation.period,
        )
        for other in group.exclude(pk=observation.pk).filter(preferred=True):
            _set_preferred(user, other, False, f"改用“{observation.source}”的数值：{reason}")
        _set_preferred(user, observation, True, reason)
    return observation


def index_version_save(
    *, user: Actor, name: str, definition: IndexDefinition, note: str = ""
) -> IndexVersion:
    """Save the index definition as a new version; earlier versions stay as they were.
    Only national offices define the index."""
    check(user, Action.EDIT, NATIONAL)
    definition.validate()
    with transaction.atomic():
        number = (IndexVersion.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0) + 1
        version = IndexVersion.objects.create(
            number=number,
            name=name,
            definition=definition.as_data(),
            note=note,
            created_by=acting_user(user),
        )
        audit_record(
            actor=user, action="create", record=version, after=version.definition, note=note
        )
    return version

"""Audit events as people read them: 操作人 · 操作 · 记录 · 字段：旧值 → 新值.

Field names become their verbose names, choice codes their labels, ids of related records
the records' names (read in one query per model and page), dates plain dates. Keys no one
can read are left out rather than shown as internal names.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from zimao.lib import labels

from .models import AuditEvent

MAX_TEXT = 120
SCOPE_REF = re.compile(r"^(area|zone):\S")  # how reports and drafts name their subject
HIDDEN = {"password", "version", "last_login", "token"}


@dataclass
class Change:
    label: str
    before: str
    after: str
    kind: str  # "changed", "added" (create) or "removed" (delete)


@dataclass
class EventView:
    event: AuditEvent
    actor: str
    action: str
    record: str
    changes: list[Change] = field(default_factory=list)
    note: str = ""


def model_of(record_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(record_type)
    except (LookupError, ValueError):
        return None


def record_type_label(record_type: str) -> str:
    model = model_of(record_type)
    return str(model._meta.verbose_name) if model else _("记录")


def action_label(action: str) -> str:
    if action.startswith("transition:"):
        from zimao.reforms.models import Innovation

        state = action.partition(":")[2]
        label = dict(Innovation.State.choices).get(state, _("其他状态"))
        return _("流转为“%(s)s”") % {"s": label}
    return str(labels.AUDIT_ACTIONS.get(action, _("其他操作")))


def actor_label(event: AuditEvent) -> str:
    if event.actor is not None:
        return str(event.actor)
    if event.actor_name.startswith("system:"):
        return labels.system_actor(event.actor_name)
    return event.actor_name or "—"


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except Exception:  # FieldDoesNotExist and reverse relations alike
        return None
    return found if isinstance(found, models.Field) else None


def _label(model: type[models.Model] | None, key: str) -> str | None:
    found = _field(model, key)
    if found is not None:
        label = str(found.verbose_name)
        if label.replace(" ", "_") != key:
            return label
        related = found.related_model
        if isinstance(related, type):  # a relation without a label of its own
            return str(related._meta.verbose_name)
        return labels.field_label(key) if key in labels.FIELDS else None
    if key in labels.FIELDS:
        return labels.field_label(key)
    return None


def _short(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


class Resolver:
    """Names of related records, fetched per model in one query."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.names: dict[tuple[type[models.Model], Any], str] = {}
        self.zones: dict[str, str] = {}

    def want(self, model: type[models.Model], value: Any) -> None:
        if isinstance(value, list):
            for v in value:
                self.want(model, v)
        elif value not in (None, ""):
            self.wanted[model].add(value)

    def fetch(self) -> None:
        for model, ids in self.wanted.items():
            clean = [i for i in ids if isinstance(i, int | str) and str(i).isdigit()]
            records = model._default_manager.select_related().in_bulk(clean[:500])
            for pk, record in records.items():
                self.names[(model, pk)] = str(record)

    def zone(self, code: str) -> str:
        if not self.zones:
            from zimao.zones.models import Zone

            self.zones = {z.code: z.name for z in Zone.objects.all()}
        return self.zones.get(code, code)

    def name(self, model: type[models.Model], value: Any) -> str:
        key = int(value) if isinstance(value, str) and value.isdigit() else value
        return self.names.get((model, key), _("（已删除）"))


def _value(model: type[models.Model] | None, key: str, value: Any, resolver: Resolver) -> str:
    found = _field(model, key)
    if value is None or value == "" or value == []:
        return "—"
    readable = getattr(model, "audit_value", None)
    if readable is not None:
        text = readable(key, value)
        if text is not None:
            return _short(str(text))
    if key == "flags" and isinstance(value, str):
        return _short("、".join(_flag(f) for f in re.split(r"[;,、，；\s]+", value) if f))
    if isinstance(value, str) and SCOPE_REF.match(value):
        return _short(_scope(value, resolver))
    if found is not None and found.is_relation and found.related_model is not None:
        related = found.related_model
        if isinstance(related, type):
            if isinstance(value, list):
                return "、".join(resolver.name(related, v) for v in value)
            return resolver.name(related, value)
    if found is not None and found.choices:
        return str(dict(found.flatchoices).get(value, _("其他")))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dict):
        parts = [
            f"{labels.field_label(k)}：{_plain(k, v, resolver)}"
            for k, v in value.items()
            if k in labels.FIELDS
        ]
        return _short("；".join(p for p in parts if p))
    if isinstance(value, list):
        return _short("、".join(_scope(str(v), resolver) for v in value))
    if isinstance(value, str) and isinstance(found, models.DateTimeField):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M")
    return _short(str(value))


def _flag(code: str) -> str:
    from zimao.indicators.exports import FLAG_NAMES

    return FLAG_NAMES.get(code, _("其他标记"))


def _scope(value: str, resolver: Resolver) -> str:
    """'area:南沙片区' → 片区：南沙片区, 'zone:sichuan' → 自贸试验区：…; other text as it is."""
    kind, _sep, name = value.partition(":")
    if not SCOPE_REF.match(value):
        return value
    if kind == "zone":
        return f"{labels.field_label('zone')}：{resolver.zone(name)}"
    return f"{labels.field_label(kind)}：{name}"


def _plain(key: str, value: Any, resolver: Resolver) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if key == "direction":
        return str(labels.DIRECTIONS.get(str(value), value))
    if key == "zone" and isinstance(value, str):
        return resolver.zone(value)
    if key == "flags" and isinstance(value, str):
        return "、".join(_flag(f) for f in re.split(r"[;,、，；\s]+", value) if f)
    if isinstance(value, list):
        return " | ".join(_scope(str(v), resolver) for v in value)
    if isinstance(value, str):
        return _scope(value, resolver)
    return str(value)


def _changes(event: AuditEvent, resolver: Resolver) -> list[Change]:
    model = model_of(event.record_type)
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    out = []
    for key in dict.fromkeys([*before, *after]):
        label = _label(model, key)
        if label is None or key in HIDDEN:
            continue
        old, new = before.get(key), after.get(key)
        if event.before is not None and event.after is not None and old == new:
            continue
        kind = "changed" if event.before is not None and event.after is not None else "added"
        if event.after is None:
            kind = "removed"
        out.append(
            Change(
                label,
                _value(model, key, old, resolver) if event.before is not None else "",
                _value(model, key, new, resolver) if event.after is not None else "",
                kind,
            )
        )
    return out


def _collect(event: AuditEvent, resolver: Resolver) -> None:
    model = model_of(event.record_type)
    for data in (event.before, event.after):
        if not isinstance(data, dict):
            continue
        for key, value in data.items():
            found = _field(model, key)
            if found is not None and found.is_relation and isinstance(found.related_model, type):
                resolver.want(found.related_model, value)
    if model is not None:
        resolver.want(model, event.record_id)


def describe(events: Iterable[AuditEvent]) -> list[EventView]:
    """Readable views of a page of events (a bounded number of queries per page)."""
    events = list(events)
    resolver = Resolver()
    for event in events:
        _collect(event, resolver)
    resolver.fetch()
    views = []
    for event in events:
        model = model_of(event.record_type)
        kind = record_type_label(event.record_type)
        name = resolver.name(model, event.record_id) if model else event.record_id
        note = event.note if not event.note.startswith("fact ") else ""
        views.append(
            EventView(
                event=event,
                actor=actor_label(event),
                action=action_label(event.action),
                record=f"{kind}：{name}",
                changes=_changes(event, resolver),
                note=_short(note),
            )
        )
    return views

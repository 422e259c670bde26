"""The public datasets: which records, which columns, and how each column is described.

Public means the reference data (zones, areas, batches, indicators, …), adoptions, and
published innovations with their effects. Documents, facts, tasks, scores and users are not.
Column titles come from the models' own (Chinese) verbose names and their English translation.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import translation

from zimao.accounts.access import visible
from zimao.indicators.models import Indicator, NegativeList, Observation, Provenance
from zimao.lib.models import PartialDateField
from zimao.reforms.models import Effect, Innovation
from zimao.replication.models import Adoption, BatchCount, ReplicationBatch, ReplicationItem
from zimao.vocab.models import Domain
from zimao.zones.models import Area, PilotArea, Plan, Zone

PARTIAL_DATE_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?"
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless field type
    lookup: str  # ORM path read with .values()
    field: Any  # the model's field (a relation for references)
    value_field: Any  # the field holding the value (the target's key for references)
    reference: tuple[str, str] | None = None  # (dataset, column)
    many: bool = False  # a list of codes joined with LIST_SEPARATOR

    def title(self, language: str) -> str:
        with translation.override(language):
            if self.reference and not self.many:
                return str(self.field.related_model._meta.verbose_name)
            return str(self.field.verbose_name)


@dataclass(frozen=True)
class Dataset:
    name: str
    model: type[models.Model]
    key: str
    columns: list[Column]
    description_zh: str
    description_en: str
    public: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] = lambda qs: qs
    extra: dict[str, Any] = field(default_factory=dict)

    def queryset(self) -> models.QuerySet[Any]:
        return self.public(self.model._default_manager.all()).order_by(self.columns[0].lookup)

    def rows(self) -> Iterator[dict[str, Any]]:
        """Each public record as {column: Python value}, in key order."""
        plain = [c for c in self.columns if not c.many]
        many = {c.name: self._many_values(c) for c in self.columns if c.many}
        for values in self.queryset().values("pk", *[c.lookup for c in plain]):
            yield {
                c.name: LIST_SEPARATOR.join(many[c.name].get(values["pk"], []))
                if c.many
                else values[c.lookup]
                for c in self.columns
            }

    def _many_values(self, column: Column) -> dict[Any, list[str]]:
        lists: dict[Any, list[str]] = {}
        pairs = self.queryset().values_list("pk", column.lookup).order_by("pk", column.lookup)
        for pk, code in pairs:
            if code is not None:
                lists.setdefault(pk, []).append(code)
        return lists

    def title(self, language: str) -> str:
        with translation.override(language):
            return str(self.model._meta.verbose_name_plural)


def frictionless_type(model_field: models.Field[Any, Any]) -> str:
    if isinstance(model_field, models.BooleanField):
        return "boolean"
    if isinstance(model_field, models.IntegerField | models.AutoField):
        return "integer"
    if isinstance(model_field, models.DecimalField | models.FloatField):
        return "number"
    return "string"


def columns(model: type[models.Model], *names: str, **references: tuple[str, str]) -> list[Column]:
    """Columns for model fields; a NAME in REFERENCES points at (dataset, column)."""
    out = []
    for name in names:
        own: Any = model._meta.get_field(name)
        reference = references.get(name)
        if own.is_relation and reference is None:
            raise ValueError(f"{model.__name__}.{name} needs the dataset it refers to")
        if reference is None:
            out.append(Column(name, frictionless_type(own), name, own, own))
            continue
        target = own.related_model._meta.get_field(reference[1])
        kind = "string" if own.many_to_many else frictionless_type(target)
        lookup = f"{name}__{reference[1]}"
        out.append(Column(name, kind, lookup, own, target, reference, own.many_to_many))
    return out


SOURCED = ("source", "confidence", "note")
ZONE = ("zones", "code")

DATASETS = [
    Dataset(
        "zones",
        Zone,
        "code",
        columns(
            Zone,
            "code",
            "name_zh",
            "short_name_zh",
            "name_en",
            "province",
            "batch",
            "approval_date",
            "inauguration_date",
            "planned_area_km2",
            "plan_doc_no",
            "positioning",
            "key_industries",
            *SOURCED,
        ),
        "国务院批准设立的自由贸易试验区。",
        "Pilot free trade zones approved by the State Council.",
    ),
    Dataset(
        "areas",
        Area,
        "id",
        columns(
            Area,
            "id",
            "zone",
            "name_zh",
            "name_en",
            "city",
            "area_km2",
            "is_special",
            *SOURCED,
            zone=ZONE,
        ),
        "各自贸试验区的片区（含特殊片区）。",
        "Areas of each zone, special areas flagged.",
    ),
    Dataset(
        "pilot_areas",
        PilotArea,
        "id",
        columns(
            PilotArea, "id", "zone", "name_zh", "city", "kind", "established", *SOURCED, zone=ZONE
        ),
        "与自贸试验区联动的协同改革先行区和联动创新区。",
        "Cities and districts linked to a zone for coordinated reform or linked innovation.",
    ),
    Dataset(
        "plans",
        Plan,
        "id",
        columns(
            Plan,
            "id",
            "zone",
            "kind",
            "title",
            "doc_no",
            "issue_date",
            "published_date",
            *SOURCED,
            zone=ZONE,
        ),
        "国务院印发的总体方案、深化方案等。",
        "State Council plans for each zone.",
    ),
    Dataset(
        "domains",
        Domain,
        "code",
        columns(Domain, "code", "name_zh", "name_en", "source"),
        "改革领域分类。",
        "The taxonomy of reform domains.",
    ),
    Dataset(
        "replication_batches",
        ReplicationBatch,
        "code",
        columns(
            ReplicationBatch,
            "code",
            "kind",
            "number",
            "year",
            "issue_date",
            "doc_no",
            "issuer",
            "title",
            "item_count",
            *SOURCED,
        ),
        "复制推广改革试点经验和最佳实践案例的批次。",
        "Batches of reform experiences and best-practice cases to replicate.",
    ),
    Dataset(
        "batch_counts",
        BatchCount,
        "id",
        columns(
            BatchCount,
            "id",
            "batch",
            "item_count",
            "preferred",
            *SOURCED,
            batch=("replication_batches", "code"),
        ),
        "各来源给出的批次事项数；来源不一致时并列保留，并标出其中的采用值。",
        "Each source's item count for a batch; conflicting counts are kept, one preferred.",
    ),
    Dataset(
        "replication_items",
        ReplicationItem,
        "code",
        columns(
            ReplicationItem,
            "code",
            "batch",
            "seq",
            "title",
            "category_zh",
            "domain",
            "responsible_unit",
            "scope_kind",
            "scope",
            "origin_zones",
            "source",
            "note",
            batch=("replication_batches", "code"),
            domain=("domains", "code"),
            origin_zones=ZONE,
        ),
        "各批次复制推广的改革事项；首创自贸试验区以分号分隔。",
        "Items of each batch; origin zones are separated by semicolons.",
    ),
    Dataset(
        "adoptions",
        Adoption,
        "id",
        columns(
            Adoption,
            "id",
            "item",
            "zone",
            "area",
            "status",
            "date",
            "evidence",
            item=("replication_items", "code"),
            zone=ZONE,
            area=("areas", "id"),
        ),
        "各自贸试验区（片区）复制推广事项的落地情况。",
        "Whether each zone (or area) has put a replicated item in place.",
    ),
    Dataset(
        "innovations",
        Innovation,
        "id",
        columns(
            Innovation,
            "id",
            "title",
            "zone",
            "area",
            "domain",
            "mechanism",
            "state",
            "selection",
            zone=ZONE,
            area=("areas", "id"),
            domain=("domains", "code"),
        ),
        "已公开的制度创新成果。",
        "Published institutional innovations.",
        public=lambda qs: visible(None, qs),  # what the public may see: the access layer's rule
    ),
    Dataset(
        "effects",
        Effect,
        "id",
        columns(
            Effect,
            "id",
            "innovation",
            "measure",
            "before",
            "after",
            "unit",
            "change_pct",
            "direction",
            "period",
            innovation=("innovations", "id"),
        ),
        "已公开制度创新成果的量化成效。",
        "Measured effects of published innovations.",
        public=lambda qs: visible(None, qs),
    ),
    Dataset(
        "indicators",
        Indicator,
        "code",
        columns(Indicator, "code", "name_zh", "name_en", "unit", "definition", "source"),
        "指标及其单位和定义。",
        "Indicators with their unit and definition.",
    ),
    Dataset(
        "observations",
        Observation,
        "id",
        columns(
            Observation,
            "id",
            "indicator",
            "subject_kind",
            "subject",
            "zone",
            "period",
            "value",
            "unit",
            "original_value",
            "original_unit",
            "exchange_rate",
            "exchange_rate_source",
            "zones_count",
            "preferred",
            "flags",
            *SOURCED,
            "provenance",
            indicator=("indicators", "code"),
            zone=ZONE,
        ),
        "指标观测值，每个来源一行；多个来源时标出采用值。样例数据（虚构）不在其中。",
        "Indicator values, one row per source; one is preferred. Sample (invented) values are "
        "left out.",
        # sample figures are invented: never published as open data
        public=lambda qs: qs.exclude(provenance=Provenance.SAMPLE),
    ),
    Dataset(
        "negative_lists",
        NegativeList,
        "code",
        columns(
            NegativeList,
            "code",
            "scope",
            "year",
            "issuer",
            "doc_no",
            "issue_date",
            "effective_date",
            "measures",
            *SOURCED,
        ),
        "外商投资准入负面清单各版本及特别管理措施条数。",
        "Versions of the foreign-investment negative lists and their number of measures.",
    ),
]
BY_NAME = {d.name: d for d in DATASETS}


def is_partial_date(column: Column) -> bool:
    return isinstance(column.value_field, PartialDateField)

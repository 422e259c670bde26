"""Observations out, in the layout the import reads (so an exported file can come back in).

The value is written as the source gave it (original value and unit, with the exchange rate
and its source), and the converted value beside it for readers. Cells are written by
`zimao.lib.tabular`, under its one formula-escape rule.
"""

from collections.abc import Iterable, Iterator

from django.http import FileResponse

from zimao.lib.tabular import table_bytes, table_response

from .models import Observation
from .periods import period_label
from .subjects import Catalogue, SubjectError, subject_for

HEADER = [
    "指标", "指标名称", "对象类型", "对象", "时期", "数值", "单位", "汇率", "汇率来源",
    "折算值", "折算单位", "采用", "采用理由", "标记", "来源", "备注", "数据性质",
]  # fmt: skip
# the provenance column, in words the import reads back (样例 rows stay sample)
PROVENANCE_NAMES = {
    "official": "官方", "derived": "推算", "office": "机构导入", "extracted": "文档抽取",
    "sample": "样例", "computed": "诉求记录计算",
}  # fmt: skip
FLAG_NAMES = {
    "estimated": "估计",
    "more_than": "以上",
    "nearly": "近",
    "redacted": "保密",
    "cumulative": "累计",
    "missing": "缺失",
}


def subject_name(observation: Observation) -> str:
    """The subject as people write it (湖北自贸试验区, not hubei); the importer reads it back."""
    return SubjectNames()(observation)


class SubjectNames:
    """Subject labels for many rows: zones and areas fetched once, each label resolved once."""

    def __init__(self) -> None:
        self.labels: dict[tuple[str, str], str] = {}
        self.catalogue: Catalogue | None = None

    def __call__(self, observation: Observation) -> str:
        key = (observation.subject_kind, observation.subject)
        if key not in self.labels:
            if self.catalogue is None:
                self.catalogue = Catalogue.load()
            try:
                self.labels[key] = subject_for(*key, catalogue=self.catalogue).label
            except SubjectError:
                self.labels[key] = observation.subject
        return self.labels[key]


def rows_of(observations: Iterable[Observation]) -> Iterator[list[object]]:
    subject_label = SubjectNames()
    for o in observations:
        original = o.original_value if o.original_unit else o.value
        flags = "、".join(FLAG_NAMES.get(f, f) for f in o.flag_list)
        yield [
            o.indicator.code,
            o.indicator.name_zh,
            o.get_subject_kind_display(),
            subject_label(o),
            o.period,
            original,
            o.original_unit or o.unit,
            o.exchange_rate,
            o.exchange_rate_source,
            o.value,
            o.unit,
            "是" if o.preferred else "否",
            o.preferred_reason,
            flags,
            o.source,
            o.note,
            PROVENANCE_NAMES.get(o.provenance, o.provenance),
        ]


def export_csv(observations: Iterable[Observation]) -> bytes:
    return table_bytes(HEADER, rows_of(observations), "csv")


def export_xlsx(observations: Iterable[Observation]) -> bytes:
    return table_bytes(HEADER, rows_of(observations), "xlsx", title="观测值")


def export_response(observations: Iterable[Observation], fmt: str) -> FileResponse:
    """Every observation as a download (the file is built on disk, so no row is left out)."""
    return table_response("观测值", HEADER, rows_of(observations), fmt)


__all__ = ["export_csv", "export_response", "export_xlsx", "period_label"]

"""Words users read instead of internal names: fact types, fact fields, audit actions.

Ground floor (no app imports), so the document review page, the audit log and exports all say
the same thing.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FACT_TYPES: dict[str, Promise] = {
    "zone": _("自贸试验区"),
    "quantity": _("数量"),
    "effect": _("成效"),
    "date": _("日期"),
    "case": _("案例"),
    "table_row": _("表格行"),
}

# Keys of a fact's payload (and of other JSON kept in the audit log).
FIELDS: dict[str, Promise] = {
    "zone": _("自贸试验区"),
    "area": _("片区"),
    "value": _("数值"),
    "value_max": _("上限"),
    "unit": _("单位"),
    "approx": _("约数"),
    "redacted": _("隐去"),
    "indicator": _("指标"),
    "subject": _("对象"),
    "year": _("年份"),
    "measure": _("指标"),
    "before": _("改革前"),
    "after": _("改革后"),
    "change_pct": _("变化（%）"),
    "change_abs": _("变化量"),
    "direction": _("方向"),
    "date": _("日期"),
    "title": _("标题"),
    "domain": _("领域"),
    "table": _("表格"),
    "category": _("类别"),
    "rank": _("排序"),
    "cells": _("单元格"),
    "seq": _("序号"),
    "item": _("改革事项"),
    "responsible_unit": _("负责单位"),
    "scope": _("推广范围"),
    "facts": _("事实数"),
    "error": _("错误"),
    "document": _("文档"),
    "status": _("状态"),
}

DIRECTIONS: dict[str, Promise] = {"decrease": _("下降"), "increase": _("上升")}

AUDIT_ACTIONS: dict[str, Promise] = {
    "create": _("新增"),
    "update": _("修改"),
    "delete": _("删除记录"),
    "import": _("导入"),
    "ingest": _("文档入库"),
    "attach_evidence": _("关联佐证文档"),
    "fact_accept": _("采纳事实"),
    "fact_reject": _("驳回事实"),
    "fact_correct": _("更正事实"),
    "fact_link": _("事实转为记录"),
    "rename": _("重命名"),
    "prefer": _("更改采用值"),
    "admin_add": _("后台新增"),
    "admin_change": _("后台修改"),
    "admin_delete": _("后台删除"),
    "job_start": _("发起后台任务"),
    "job_retry": _("重试后台任务"),
}

SYSTEM_ACTORS: dict[str, Promise] = {
    "import-tasks": _("系统（导入试点任务）"),
    "ingest": _("系统（批量导入文档）"),
    "search": _("系统（检索）"),
    "load-reference": _("系统（载入参考数据）"),
    "import-observations": _("系统（导入指标数据）"),
    "reindex": _("系统（重建检索索引）"),
}


def fact_type(code: str) -> str:
    return str(FACT_TYPES.get(code, _("其他")))


def field_label(key: str) -> str:
    return str(FIELDS.get(key, key))


def system_actor(name: str) -> str:
    """'system:import-tasks' → 系统（导入试点任务）."""
    key = name.removeprefix("system:")
    return str(SYSTEM_ACTORS.get(key, _("系统")))

"""Search runs on the database's own full-text index; no other backend exists to choose."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.db import connection

UNSUPPORTED_BACKEND = (
    "ZIMAO_SEARCH_BACKEND=%s 不受支持：检索使用数据库自带的全文索引（SQLite FTS5 或 "
    "PostgreSQL），没有其他检索后端。请删除该环境变量。\n"
    "ZIMAO_SEARCH_BACKEND=%s is not supported: search uses the database's own full-text index "
    "(SQLite FTS5 or PostgreSQL); there is no other backend. Remove the variable."
)


@register()
def check_search_backend(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    chosen = settings.SEARCH_BACKEND
    if chosen and chosen != connection.vendor:
        return [Error(UNSUPPORTED_BACKEND % (chosen, chosen), id="zimao.E010")]
    return []

"""Table statistics for the query planner. SQLite keeps none until ANALYZE runs, and without
them it plans joins over the large tables (similar records, status changes) as if every table
were small: the differentiation page probed every other-zone entry until one ANALYZE. Run after
migrate, reindex, bulk imports and ingestion, and by the background refreshes. A full ANALYZE
(not sampled, so the figures are exact) reads each index once."""

import hashlib
import logging
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """ANALYZE the database. A failure (a locked database) is logged: stale statistics only
    make queries slower."""
    connection = connections[using]
    try:
        with connection.cursor() as cursor:
            if connection.vendor in ("sqlite", "postgresql"):
                cursor.execute("ANALYZE")
    except Exception:
        logger.exception("could not refresh the table statistics")


def after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    refresh_statistics(using)


def _stamp(using: str) -> Path:
    """The file that names the last day the statistics were refreshed for this database."""
    target = settings.DATABASES[using]
    name = f"{target.get('HOST', '')}:{target.get('PORT', '')}:{target['NAME']}"
    tag = hashlib.sha256(name.encode()).hexdigest()[:12]
    return settings.VAR_DIR / "state" / f"statistics-{tag}.day"


def scheduled(now: datetime, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Refresh the table statistics once a day (the period is `now`'s date): records added one
    at a time never run ANALYZE, and SQLite keeps no statistics of its own. Safe to call any
    number of times: a day already done is skipped. Returns whether it ran."""
    day = now.date().isoformat()
    stamp = _stamp(using)
    try:
        if stamp.read_text(encoding="utf-8").strip() == day:
            return False
    except OSError:
        pass
    refresh_statistics(using)
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(day, encoding="utf-8")
    except OSError as exc:  # refreshed again next call: costs time, loses nothing
        logger.warning("could not note the statistics refresh: %s", exc)
    return True

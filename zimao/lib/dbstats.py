"""Table statistics for the query planner. SQLite keeps none until ANALYZE runs, and without
them it plans joins over the large tables (similar records, status changes) as if every table
were small: the differentiation page probed every other-zone entry until one ANALYZE. Run after
migrate, reindex, bulk imports and ingestion, and by the background refreshes. A full ANALYZE
(not sampled, so the figures are exact) reads each index once: the daily run and `zimao
analyze`. After a rebuild, which runs while the site takes writes, SQLite samples instead
(`PRAGMA analysis_limit`): a full ANALYZE holds the write lock for seconds at 30,000 records,
and writers waiting longer than their busy timeout would fail."""

import logging
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)


# Rows per index SQLite reads when sampling (its own advice for `PRAGMA optimize`: 400–1000).
SAMPLED_ROWS = 1000


def refresh_statistics(using: str = DEFAULT_DB_ALIAS, *, sampled: bool = False) -> None:
    """ANALYZE the database (on SQLite, `sampled`: SAMPLED_ROWS per index, in milliseconds
    rather than seconds). A failure (a locked database) is logged: stale statistics only make
    queries slower."""
    connection = connections[using]
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA analysis_limit = {SAMPLED_ROWS if sampled else 0}")
            if connection.vendor in ("sqlite", "postgresql"):
                cursor.execute("ANALYZE")
    except Exception:
        logger.exception("could not refresh the table statistics")


def optimize(using: str = DEFAULT_DB_ALIAS) -> None:
    """SQLite: `PRAGMA optimize` (re-ANALYZE what changed enough since the last run), then a
    full ANALYZE; PostgreSQL: ANALYZE (autovacuum does it too, but not after bulk loads)."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA optimize")
        except Exception:
            logger.exception("PRAGMA optimize failed")
    refresh_statistics(using)


def scheduled(now: datetime) -> None:
    """The daily entry of the scheduler (zimao.jobs.schedule): statistics stay current as the
    tables grow between migrations, imports and reindexes."""
    optimize()


def after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    refresh_statistics(using)

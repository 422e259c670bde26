"""The `zimao` command: a thin front for the management commands a user needs.

`zimao load-reference` is `manage.py load_reference`; hyphens and underscores are the same.
"""

import os
import sys

USER_COMMANDS = {
    "serve": "serve the web app (--host, --port)",
    "migrate": "create or upgrade the database schema",
    "load-reference": "validate and load the national reference dataset",
    "createsuperuser": "create the first administrator account",
    "import-observations": "import indicator values from CSV/XLSX (FILE [--dry-run])",
    "report": "write a report: benchmark|annual|progress|draft … --format pdf|docx|html -o FILE",
    "progress-reports": "make last month's progress report of every zone, area and province",
    "backup": "write a backup archive (records, stored files, manifest)",
    "restore": "restore a backup into an empty database (--force to replace); no FILE: resume",
    "export": "write the public records as CSV, JSON and Parquet with datapackage.json",
    "import-open-data": "load an export folder into an empty database",
    "opening": "negative lists: `opening check ACTIVITY --date D [--share S] [--place P]`",
    "alignment": "alignment measures: `alignment assign [--batch CODE]` makes the zones' tasks",
    "reindex": "rebuild the search index (--background: as a job for the worker)",
    "db-worker": "run background jobs from the queue (`serve` starts one itself)",
    "task-deadlines": "alert offices of pilot tasks due soon or overdue (daily; --now ISO)",
    "demand-deadlines": "remind departments of demands due soon or overdue (daily; --now ISO)",
    "demand-indicators": "compute per-zone demand measures as indicators (--year Y; daily)",
    "alerts": "make daily e-mail digests and send due alerts (every few minutes; --now ISO)",
    "schedule": "periodic entries: list | run-due [--now ISO] (the job worker runs them)",
}


def _usage() -> str:
    lines = ["usage: zimao COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<18}{text}" for name, text in USER_COMMANDS.items()]
    lines += ["", "Every Django management command also works, e.g. `zimao check`."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zimao.settings")
    from django.core.management import execute_from_command_line

    command = args[0].replace("-", "_")
    execute_from_command_line(["zimao", command, *args[1:]])


if __name__ == "__main__":
    main()

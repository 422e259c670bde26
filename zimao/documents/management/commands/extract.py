import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.text.extract import extract_text
from zimao.text.read import DocumentError, read_document


class Command(BaseCommand):
    help = "Extract facts (zones, quantities, effects, dates, cases, table rows) from documents."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--format", choices=["jsonl", "table"], default="jsonl")
        parser.add_argument("--type", action="append", help="only these fact types")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for path in options["files"]:
            try:
                document = read_document(path)
                facts = extract_text(document.text)
            except DocumentError as exc:  # unreadable, or past an extraction limit
                self.stderr.write(f"{path}: {exc}")
                failed += 1
                continue
            self.stderr.write(f"{path}: {document.format}, {document.encoding}")
            if options["type"]:
                facts = [f for f in facts if f.type in options["type"]]
            for fact in facts:
                if options["format"] == "jsonl":
                    self.stdout.write(json.dumps(fact.as_dict(str(path)), ensure_ascii=False))
                else:
                    self.stdout.write(self._row(fact))
        if failed:
            raise CommandError(f"{failed} file(s) could not be read or extracted")

    @staticmethod
    def _row(fact: Any) -> str:
        details = ", ".join(
            f"{k}={v}" for k, v in fact.fields.items() if v not in (None, False, "")
        )
        text = fact.text.replace("\n", "⏎")
        return f"{fact.start:>7}-{fact.end:<7} {fact.type:<10} {text:<24} {details}"

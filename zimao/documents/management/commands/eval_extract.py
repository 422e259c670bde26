import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.text.evaluate import Error, evaluate_in_detail
from zimao.text.extract import extract_text
from zimao.text.facts import FACT_TYPES
from zimao.text.read import DocumentError, read_document


class Command(BaseCommand):
    help = "Score extraction against gold annotations: precision, recall and F1 per fact type."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--gold", type=Path, required=True, help="gold JSONL file")
        parser.add_argument(
            "--docs", type=Path, help="folder with the documents (default: <gold folder>/docs)"
        )
        parser.add_argument("--json", action="store_true", help="print scores as JSON")
        parser.add_argument(
            "--show-errors", action="store_true", help="list misses and false alarms"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        gold_path: Path = options["gold"]
        try:
            gold = [json.loads(line) for line in gold_path.read_text("utf-8").splitlines() if line]
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot read gold file {gold_path}: {exc}") from exc
        docs_dir: Path = options["docs"] or gold_path.parent / "docs"
        predictions = []
        texts = {}
        for name in sorted({g["doc"] for g in gold}):
            try:
                document = read_document(docs_dir / name)
                facts = extract_text(document.text)
            except DocumentError as exc:
                raise CommandError(f"{name}: {exc}") from exc
            texts[name] = document.text
            predictions += [f.as_dict(name) for f in facts]
        result = evaluate_in_detail(gold, predictions)
        scores = result.scores
        if options["json"]:
            payload = {kind: s.as_dict() for kind, s in scores.items()}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{'type':<10}{'gold':>6}{'pred':>6}{'match':>7}{'P':>7}{'R':>7}{'F1':>7}"
        )
        kinds = [kind for kind in FACT_TYPES if kind in scores]
        for kind in kinds:
            s = scores[kind]
            self.stdout.write(
                f"{kind:<10}{s.gold:>6}{s.predicted:>6}{s.matched:>7}"
                f"{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
            )
        self.stdout.write("")
        self.stdout.write(
            f"{'errors':<10}{'missed':>8}{'fields':>8}  |{'spurious':>10}{'fields':>8}{'dup':>6}"
        )
        for kind in kinds:
            fn, fp = scores[kind].false_negatives, scores[kind].false_positives
            self.stdout.write(
                f"{kind:<10}{fn['missed']:>8}{fn['wrong fields']:>8}  |"
                f"{fp['spurious']:>10}{fp['wrong fields']:>8}{fp['duplicate']:>6}"
            )
        self.stdout.write(
            "(false negatives: missed, wrong fields | false positives: spurious, "
            "wrong fields, duplicate)"
        )
        if options["show_errors"]:
            self._show(result.errors, texts)

    def _show(self, errors: list[Error], texts: dict[str, str]) -> None:
        hidden = {"doc", "start", "end", "text", "confidence"}
        for error in sorted(errors, key=lambda e: (e.fact["doc"], e.fact["start"], e.side)):
            f = error.fact
            label = "MISS" if error.side == "gold" else "FALSE"
            text = texts[Path(f["doc"]).name][f["start"] : f["end"]].replace("\n", "⏎")
            if error.category == "wrong fields":
                detail = {k: f"{g!r} -> {p!r}" for k, (g, p) in error.differences().items()}
            else:
                detail = {k: v for k, v in f.items() if k not in hidden}
            self.stdout.write(
                f"{label:<6}{error.category:<13}{f['doc'][:12]} {f['start']:>6} {text:<20} {detail}"
            )

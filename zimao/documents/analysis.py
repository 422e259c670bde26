"""Read and extract one file without touching the database, so worker processes can run it."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from zimao.text.extract import extract_text
from zimao.text.read import DocumentError, read_bytes

from .subject import document_subject


@dataclass
class Analysis:
    name: str
    sha256: str
    size: int
    format: str = ""
    encoding: str = ""
    text: str = ""
    facts: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    subject_zones: list[str] = field(default_factory=list)
    subject_evidence: list[dict[str, Any]] = field(default_factory=list)


def analyse_bytes(name: str, data: bytes) -> Analysis:
    """Return the text and facts of a file, or the reason it cannot be read."""
    analysis = Analysis(name, hashlib.sha256(data).hexdigest(), len(data))
    try:
        document = read_bytes(data, name)
        facts = extract_text(document.text)
    except DocumentError as exc:  # unreadable, hostile, or past an extraction limit
        analysis.error = str(exc)
        return analysis
    except Exception as exc:  # one file's failure must never stop the files after it
        analysis.error = f"无法处理该文件（{type(exc).__name__}: {exc}）"
        return analysis
    analysis.format, analysis.encoding, analysis.text = (
        document.format,
        document.encoding,
        document.text,
    )
    analysis.facts = [
        {
            "type": f.type,
            "start": f.start,
            "end": f.end,
            "text": f.text,
            "confidence": f.confidence,
            "payload": f.fields,
        }
        for f in facts
    ]
    spans = [(f.start, f.end, str(f.fields["zone"])) for f in facts if f.fields.get("zone")]
    subject = document_subject(PurePath(name).stem, document.text, spans)
    analysis.subject_zones, analysis.subject_evidence = subject.zones, subject.evidence_dicts()
    return analysis


def analyse_path(path: Path) -> Analysis:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Analysis(path.name, "", 0, error=f"cannot read the file: {exc.strerror}")
    return analyse_bytes(path.name, data)


def failed_analysis(path: Path, reason: str) -> Analysis:
    """The record of a file whose analysis did not return (a worker died, say)."""
    try:
        data = path.read_bytes()
    except OSError:
        return Analysis(path.name, "", 0, error=reason)
    return Analysis(path.name, hashlib.sha256(data).hexdigest(), len(data), error=reason)

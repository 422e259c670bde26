"""The fact record shared by every extractor."""

from dataclasses import dataclass, field
from typing import Any

FACT_TYPES = ("zone", "quantity", "effect", "date", "case", "table_row")


@dataclass
class Fact:
    """One extracted fact. start/end are offsets into the view it was found in, until
    `extract` maps them to the original text."""

    type: str
    start: int
    end: int
    confidence: float
    fields: dict[str, Any] = field(default_factory=dict)
    text: str = ""

    def as_dict(self, doc: str) -> dict[str, Any]:
        return {
            "doc": doc,
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "confidence": round(self.confidence, 2),
            **self.fields,
        }

"""What zone(s) a document is about, with the evidence, rather than which zone it names first
or most often.

A Sichuan newspaper page that ends with two Shandong news items names Shandong's FTZ more often
than Sichuan's, yet its issuer, its headline and most of its text are Sichuan's. Four kinds of
evidence are weighed per zone:

- issuer: the body that wrote or supplied the text (本文由…供稿, …人民政府办公厅, 来源：…);
- title: the zone named in the title or the headline;
- coverage: the share of the text in passages that are mostly about the zone;
- context: the zone's name next to 自贸 (四川自贸试验区, 四川省…自贸试验区).

A zone whose score reaches SUBJECT_SCORE and half the best score is a subject; a document with
no such zone (a national report naming every zone a little) has none. No database here: worker
processes run it during analysis.
"""

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from zimao.text.gazetteer import load_gazetteer
from zimao.text.passages import passages
from zimao.text.places import Mention, place_mentions

WEIGHTS = {"issuer": 3.0, "title": 3.0, "coverage": 4.0, "context": 1.0}
SUBJECT_SCORE = 2.0
RELATIVE = 0.5  # of the best score
MAX_SUBJECTS = 3
CONTEXT_WINDOW = 20  # characters between a place name and 自贸
HEADLINE_CHARS = 60
ISSUER_LINES = 6  # short lines at each end of the text that may name the issuer

_ISSUER_PATTERNS = [
    re.compile(r"[（(]\s*本文由(?P<who>[^）)\n]{2,40}?)(?:供稿|提供|撰稿)\s*[）)]"),
    re.compile(r"(?:来源|稿件来源|供稿|发布单位|发文机关|发布机构)\s*[:：]\s*(?P<who>[^\n]{2,40})"),
]
_ISSUER_LINE = re.compile(
    r"^\s*(?P<who>[^\s，。；]{2,40}?(?:人民政府办公厅|人民政府|办公厅|商务厅|商务委员会|自贸办"
    r"|领导小组办公室|管理委员会|管委会))\s*(?:\d{4}年\d{1,2}月\d{1,2}日)?\s*$"
)
_FTZ_WORD = re.compile("自贸|自由贸易")
_LATIN_WORD = re.compile(r"[a-z]+")


@dataclass
class Evidence:
    zone: str
    kind: str  # issuer | title | coverage | context
    weight: float
    text: str = ""
    start: int | None = None


@dataclass
class Subject:
    zones: list[str]
    scores: dict[str, float]
    evidence: list[Evidence] = field(default_factory=list)

    def evidence_dicts(self) -> list[dict[str, Any]]:
        """Stored on the document: every evidence item of the zones weighed, best first, and
        each zone's score, so the page can say why a zone was or was not chosen."""
        order = {
            zone: i
            for i, zone in enumerate(sorted(self.scores, key=self.scores.__getitem__, reverse=True))
        }
        items = sorted(self.evidence, key=lambda e: (order.get(e.zone, 99), -e.weight))
        rows = [asdict(e) for e in items if order.get(e.zone, 99) < 5]
        for row in rows:
            row["weight"] = round(row["weight"], 2)
            row["score"] = round(self.scores[row["zone"]], 2)
            row["subject"] = row["zone"] in self.zones
        return rows


def _zones_in(text: str) -> dict[str, str]:
    """Zones a short text (a title, an issuer) names, each with the name found."""
    found: dict[str, str] = {}
    for mention in place_mentions(text):
        found.setdefault(mention.zone, text[mention.start : mention.end])
    codes = set(load_gazetteer().zones_by_stem.values())
    for word in _LATIN_WORD.findall(text.lower()):  # file names: sichuan-pilot-areas.txt
        if word in codes:
            found.setdefault(word, word)
    return found


def _headline(text: str) -> tuple[int, str]:
    for match in re.finditer(r"[^\n]+", text):
        line = match.group(0).strip()
        if line:
            return (match.start(), line) if len(line) <= HEADLINE_CHARS else (0, "")
    return 0, ""


def _issuers(text: str) -> list[tuple[int, str]]:
    """(position, issuer) statements: bylines anywhere, issuer lines near either end."""
    found = [(m.start(), m.group("who")) for p in _ISSUER_PATTERNS for m in p.finditer(text)]
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]
    for match in lines[:ISSUER_LINES] + lines[-ISSUER_LINES:]:
        line = _ISSUER_LINE.match(match.group(0))
        if line:
            found.append((match.start(), line.group("who")))
    return sorted(set(found))


def _coverage(text: str, mentions: list[Mention]) -> dict[str, float]:
    """Per zone, the share of the text in passages mostly about it. Shares are of the text
    that names any place, or of half the text when less than half of it does, so one passing
    mention in a long general report is not 'most of it'."""
    credited: dict[str, int] = defaultdict(int)
    located = 0
    index = 0
    for offset, passage in passages(text):
        end = offset + len(passage)
        weights: dict[str, float] = defaultdict(float)
        while index < len(mentions) and mentions[index].start < end:
            if mentions[index].start >= offset:
                weights[mentions[index].zone] += mentions[index].weight
            index += 1
        if not weights:
            continue
        located += len(passage)
        best = max(weights.values())
        leaders = [zone for zone, w in weights.items() if w == best]
        for zone in leaders:
            credited[zone] += len(passage) // len(leaders)
    base = max(located, len(text) // 2, 1)
    return {zone: chars / base for zone, chars in credited.items()}


def _context(text: str, mentions: list[Mention]) -> dict[str, list[Mention]]:
    near: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.kind == "city":
            continue
        window = text[max(0, mention.start - CONTEXT_WINDOW) : mention.end + CONTEXT_WINDOW]
        if mention.kind == "zone" or _FTZ_WORD.search(window):
            near[mention.zone].append(mention)
    return near


def document_subject(
    title: str, text: str, zone_spans: list[tuple[int, int, str]] | None = None
) -> Subject:
    """The document's subject zone(s) and the evidence for every zone weighed. `zone_spans`
    are the document's zone facts (start, end, zone) when they are already extracted."""
    mentions = place_mentions(text, zone_spans)
    evidence: list[Evidence] = []
    for zone, name in _zones_in(title).items():
        evidence.append(Evidence(zone, "title", WEIGHTS["title"], f"标题：{title}（{name}）"))
    start, headline = _headline(text)
    if headline:
        for zone in _zones_in(headline).keys() - {e.zone for e in evidence}:
            evidence.append(Evidence(zone, "title", WEIGHTS["title"], f"标题：{headline}", start))
    issuer_zones: set[str] = set()
    for position, who in _issuers(text):
        for zone in _zones_in(who).keys() - issuer_zones:
            issuer_zones.add(zone)
            evidence.append(
                Evidence(zone, "issuer", WEIGHTS["issuer"], f"发布/供稿：{who}", position)
            )
    for zone, share in _coverage(text, mentions).items():
        evidence.append(
            Evidence(zone, "coverage", WEIGHTS["coverage"] * share, f"{share:.0%}", None)
        )
    near = _context(text, mentions)
    total = sum(len(found) for found in near.values())
    for zone, found in near.items():
        first = found[0]
        evidence.append(
            Evidence(
                zone,
                "context",
                WEIGHTS["context"] * len(found) / total,
                f"{len(found)} 处：{text[first.start : first.end]}",
                first.start,
            )
        )
    scores: dict[str, float] = defaultdict(float)
    for item in evidence:
        scores[item.zone] += item.weight
    best = max(scores.values(), default=0.0)
    ranked = sorted(scores, key=lambda z: (-scores[z], z))
    zones = [z for z in ranked if scores[z] >= SUBJECT_SCORE and scores[z] >= RELATIVE * best]
    return Subject(zones[:MAX_SUBJECTS], dict(scores), evidence)


def passage_zones(
    text: str, offset: int, spans: list[tuple[int, int, str]], subject: list[str]
) -> list[str]:
    """Every zone a passage names, most named first: FTZ and area names, provinces and pilot
    areas; a city counts only for a zone the document is about (宜宾 in a Sichuan report)."""
    inside = [(s - offset, e - offset, z) for s, e, z in spans if offset <= s < offset + len(text)]
    weights: dict[str, float] = {}
    for mention in place_mentions(text, inside):
        if mention.kind == "city" and mention.zone not in subject:
            continue
        weights[mention.zone] = weights.get(mention.zone, 0.0) + mention.weight
    return sorted(weights, key=lambda z: (-weights[z], z))

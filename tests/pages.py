"""What a reader sees on a page, and what must never be there when the page is in Chinese:
Python reprs, None, internal codes (zone and domain slugs, state codes) and English sentences.

Shared by the page crawl (Django client) and the browser walks (Playwright innerText).
"""

import re
from html.parser import HTMLParser

# Product and format names that stay as they are in Chinese text.
ALLOWED_WORDS = {
    "API",
    "PDF",
    "XLSX",
    "CSV",
    "HTML",
    "Word",
    "JSON",
    "UTF",
    "GB18030",
    "Zimao",
    "OpenAPI",
    "docx",
    "km",
    "TEU",
}
ZONE_CODES = {
    "shanghai", "guangdong", "tianjin", "fujian", "liaoning", "zhejiang", "henan", "hubei",
    "chongqing", "sichuan", "shaanxi", "hainan", "shandong", "jiangsu", "guangxi", "hebei",
    "yunnan", "heilongjiang", "beijing", "hunan", "anhui", "xinjiang",
}  # fmt: skip
CODES = ZONE_CODES | {
    "investment", "trade", "finance", "supervision", "government", "rule_of_law", "tax",
    "mobility", "industry", "proposed", "piloting", "achieved", "submitted", "selected",
    "withdrawn", "not_started", "in_progress", "implemented", "not_applicable", "pending",
    "accepted", "corrected", "rejected", "adopted", "nationwide", "ftz", "provinces",
    "quantity", "effect", "date", "case", "table_row", "zone", "text", "failed", "processed",
    "best_practice", "top_ten", "estimated", "cumulative",
}  # fmt: skip
URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|cn|org|net|gov|html?)(?:/\S*)?")
WORD = re.compile(r"[A-Za-z][A-Za-z_'’-]*")
REPR = re.compile(r"\{'|\['|'\}|<[A-Za-z]+ object at|\bNone\b|\bTrue\b|\bFalse\b|\bnan\b")


class _Text(HTMLParser):
    """Text nodes outside script, style and English-marked elements, plus the page title."""

    SKIP = {"script", "style", "template", "noscript"}
    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "col", "area"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        skipped = tag in self.SKIP or dict(attrs).get("lang") == "en"
        self.stack.append((tag, skipped or any(s for _, s in self.stack[-1:])))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1][1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def problems(text: str) -> list[str]:
    """Everything on the page a Chinese reader should not see."""
    found = [
        f"repr or None: …{text[max(0, m.start() - 30) : m.end() + 30]}…"
        for m in REPR.finditer(text)
    ]
    cleaned = URL.sub(" ", text)
    words = list(WORD.finditer(cleaned))
    for match in words:
        if match.group() in CODES:
            context = cleaned[max(0, match.start() - 30) : match.end() + 30]
            found.append(f"internal code {match.group()!r}: …{context}…")
    run: list[str] = []
    end = -1
    for match in [*words, None]:
        joined = match is not None and match.group() not in ALLOWED_WORDS
        if joined and run and re.fullmatch(r"[\s,.;:()/&-]*", cleaned[end : match.start()]):
            run.append(match.group())
        else:
            if len([w for w in run if len(w) > 1]) >= 2:
                found.append(f"English: {' '.join(run)!r}")
            run = [match.group()] if joined and match is not None else []
        end = match.end() if match is not None else end
    return found

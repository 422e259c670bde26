"""Every environment variable the code reads is in README.md's configuration table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READS = re.compile(
    r"""(?:env_(?:str|bool|int|list)\(|environ\.get\()\s*f?["']([A-Z][A-Z0-9_]+)["']"""
)


def test_every_variable_is_documented():
    names = set()
    for path in (ROOT / "zimao").rglob("*.py"):
        names |= set(READS.findall(path.read_text(encoding="utf-8")))
    names -= {"DJANGO_SETTINGS_MODULE"}
    assert len(names) > 20
    table = (ROOT / "README.md").read_text(encoding="utf-8").split("## Configuration", 1)[1]
    missing = sorted(n for n in names if f"`{n}`" not in table)
    assert missing == []

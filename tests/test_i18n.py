"""The English catalogue is complete and compiled, so switching language shows no Chinese."""

import ast

from django.conf import settings
from django.utils import translation


def catalogue() -> list[tuple[str, str]]:
    """Return (msgid, msgstr) pairs of the .po file, joining continued lines."""
    path = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
    pairs, current, key = [], {"msgid": "", "msgstr": ""}, ""
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ")):
            key, _, literal = line.partition(" ")
            current[key] = ast.literal_eval(literal)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip():
            if current["msgid"]:
                pairs.append((current["msgid"], current["msgstr"]))
            current, key = {"msgid": "", "msgstr": ""}, ""
    return pairs


def test_every_message_has_a_compiled_english_translation():
    pairs = catalogue()
    assert len(pairs) > 100
    with translation.override("en"):
        for msgid, msgstr in pairs:
            assert msgstr, f"no English for {msgid!r}"
            assert translation.gettext(msgid) == msgstr, f".mo is stale for {msgid!r}"

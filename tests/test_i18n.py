"""The English catalogue is complete and compiled, so switching language shows no Chinese."""

import re

from django.conf import settings
from django.utils import translation


def test_every_message_has_a_compiled_english_translation():
    po = (settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', po, flags=re.MULTILINE)
    assert len(pairs) > 50
    with translation.override("en"):
        for msgid, msgstr in pairs:
            assert msgstr, f"no English for {msgid!r}"
            assert translation.gettext(msgid) == msgstr, f".mo is stale for {msgid!r}"

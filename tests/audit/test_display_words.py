"""The audit log names scopes and flags in words, never as internal codes."""

import pytest

from zimao.audit.display import describe
from zimao.audit.models import AuditEvent


@pytest.mark.django_db
def test_scope_refs_and_flag_codes_read_as_words():
    events = [
        AuditEvent(
            action="update",
            record_type="indicators.observation",
            record_id="0",
            before={"flags": "estimated"},
            after={"flags": "cumulative;estimated"},
        ),
        AuditEvent(
            action="create",
            record_type="reports.report",
            record_id="0",
            before=None,
            after={"subject": "area:成都天府新区片区"},
        ),
    ]
    text = " ".join(
        f"{c.label}：{c.before}→{c.after}" for view in describe(events) for c in view.changes
    )
    assert "标记：估计→累计、估计" in text
    assert "片区：成都天府新区片区" in text
    assert "cumulative" not in text
    assert "area:" not in text

"""Form helpers shared by the apps' views."""

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_FULL_WIDTH = str.maketrans("０１２３４５６７８９／－", "0123456789/-")


def add_errors(form: forms.Form, exc: ValidationError | PermissionDenied) -> None:
    """Put a service's refusal next to the field it names (or at the top of the form), so the
    page comes back with the user's input and the reason."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
        return
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# 2024-03-15, 2024/3/15, 2024.3.15, 2024年3月15日 (and the year or year-month alone)
_DATE_TEXT = re.compile(
    r"^(?P<y>\d{4})\s*(?:年|[-/.．])?\s*"
    r"(?:(?P<m>\d{1,2})\s*(?:月|[-/.．])?\s*(?:(?P<d>\d{1,2})\s*日?)?)?$"
)


def parse_partial_date(text: str) -> str:
    """The ISO form (YYYY, YYYY-MM or YYYY-MM-DD) of a date typed the way offices write it:
    2024-03-15, 2024/3/15, 2024.3.15, 2024年3月15日, 2024年3月, 2024. Empty stays empty.
    Raises ValidationError for anything else or a day that does not exist."""
    value = (text or "").strip().translate(_FULL_WIDTH)
    if not value:
        return ""
    match = _DATE_TEXT.match(value)
    if match is None:
        raise ValidationError(
            _("无法识别的日期“%(value)s”：请填写如 2024-03-15、2024/3/15 或 2024年3月15日"),
            code="partial_date",
            params={"value": text.strip()[:40]},
        )
    year, month, day = match["y"], match["m"], match["d"]
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        raise ValidationError(_("月份须在 1–12 之间"), code="partial_date")
    if day is None:
        return f"{year}-{int(month):02d}"
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise ValidationError(
            _("日期不存在：%(value)s"), code="partial_date", params={"value": text.strip()[:40]}
        ) from None


def partial_date_start(value: str) -> date | None:
    """The first day an ISO partial date can mean (2031 → 2031-01-01)."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def refuse_future(value: str, field: str = "date") -> None:
    """Things that happened cannot be dated after today (the server's local date, read now)."""
    start = partial_date_start(value)
    if start is not None and start > timezone.localdate():
        raise ValidationError(
            {
                field: _("日期不能晚于今天（%(today)s）")
                % {"today": timezone.localdate().isoformat()}
            }
        )


class PartialDateField(forms.CharField):
    """A typed date in any of the common Chinese forms, stored as an ISO partial date (the
    year or year-month alone is allowed, so it stays a text box rather than a picker)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "help_text", _("如 2024-03-15、2024/3/15、2024.3.15 或 2024年3月15日；也可只填年或年月")
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return parse_partial_date(str(super().to_python(value)))


class DayField(forms.DateField):
    """A plain calendar date with the browser's picker (type="date") that still reads the
    common Chinese forms when typed."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date) or value in self.empty_values:
            return super().to_python(value)
        text = parse_partial_date(str(value))
        if len(text) != 10:
            raise ValidationError(_("请填写完整的年月日"), code="invalid")
        return date.fromisoformat(text)

"""Model building blocks shared by the domain apps."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def validate_partial_date(value: str) -> None:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a day that exists (2019-02-30 is refused)."""
    if value and not PARTIAL_DATE.match(value):
        raise ValidationError(_("日期须为 YYYY、YYYY-MM 或 YYYY-MM-DD"), code="partial_date")
    if value and len(value) == 10:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                _("日期不存在：%(value)s"), code="partial_date", params={"value": value}
            ) from None


class PartialDateField(models.CharField):  # type: ignore[type-arg]
    """An ISO date that may stop at the year or month: official dates are often only that precise.

    Strings sort chronologically, so ordering and range filters still work.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("validators", [validate_partial_date])
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class Confidence(models.TextChoices):
    VERIFIED = "V", _("公开来源核实")
    DERIVED = "D", _("由核实数据推算")


class Sourced(models.Model):
    """Every reference fact names the public source it came from."""

    source = models.TextField(_("来源"))
    confidence = models.CharField(
        _("可信度"), max_length=1, choices=Confidence.choices, default=Confidence.VERIFIED
    )
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        abstract = True

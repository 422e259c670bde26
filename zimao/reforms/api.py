from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from .selectors import implementation_rates, month_ends, rate_history

router = Router(tags=["pilot tasks"])


class RateOut(Schema):
    key: str
    implemented: int
    applicable: int
    rate: float | None


@router.get("/implementation", response=list[RateOut])
def implementation_api(
    request: HttpRequest, by: Literal["zone", "plan", "domain"] = "zone", zone: str = ""
) -> list[dict[str, object]]:
    """Implementation rate (implemented ÷ all but not applicable) per zone, plan or domain."""
    return [
        {"key": r.key, "implemented": r.implemented, "applicable": r.applicable, "rate": r.rate}
        for r in implementation_rates(by, zone=zone)
    ]


@router.get("/implementation/history", response=list[RateOut])
def implementation_history_api(
    request: HttpRequest, zone: str = "", months: int = 12
) -> list[dict[str, object]]:
    """The rate at the end of each of the last `months` months (from recorded status changes)."""
    days = month_ends(max(1, min(months, 120)))
    return [
        {"key": r.key, "implemented": r.implemented, "applicable": r.applicable, "rate": r.rate}
        for r in rate_history(days, zone=zone)
    ]

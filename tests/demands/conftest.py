"""Enterprises, departments and their contacts on top of the shared cast.

eve      enterprise account in 前海蛇口片区 (Guangdong), verified by the area office
mallory  another enterprise account in the same area, verified
ursula   an enterprise account just registered, not verified
dora     contact of 深圳市商务局 (Guangdong catalogue)
dan      contact of 深圳海关 (Guangdong catalogue)
"""

from typing import Any

import pytest

from tests.alerts.receivers import mailbox  # noqa: F401  (the local SMTP server fixture)
from tests.factories import person
from zimao.demands.creditcode import check_character
from zimao.demands.models import DepartmentContact, Enterprise
from zimao.demands.services import enterprise_register, enterprise_verify
from zimao.reforms.models import ResponsibleUnit
from zimao.zones.models import Area, Zone


def credit_code(serial: int) -> str:
    """A well-formed code (Shenzhen division 440300) with its check character."""
    first17 = f"9144030007{serial:07d}"
    return first17 + check_character(first17)


def register(
    name: str, serial: int, zone: str = "guangdong", area: str | None = "前海蛇口片区"
) -> Enterprise:
    zone_record = Zone.objects.get(code=zone)
    return enterprise_register(
        username=name,
        password=f"pw-{name}-Strong-123",
        email=f"{name}@firm.example.cn",
        name=f"{name}贸易有限公司",
        credit_code=credit_code(serial),
        zone=zone_record,
        area=Area.objects.get(zone=zone_record, name_zh=area) if area else None,
        contact_name="王经理",
    )


@pytest.fixture
def firms(cast) -> dict[str, Any]:
    eve = register("eve", 1)
    mallory = register("mallory", 2)
    ursula = register("ursula", 3)
    for firm in (eve, mallory):
        enterprise_verify(user=cast.ada, enterprise=firm, version=firm.version)
    return {
        "eve": Enterprise.objects.get(pk=eve.pk),
        "mallory": Enterprise.objects.get(pk=mallory.pk),
        "ursula": ursula,
    }


@pytest.fixture
def departments(cast) -> dict[str, Any]:
    guangdong = Zone.objects.get(code="guangdong")
    units = {}
    for key, name in (("dora", "深圳市商务局"), ("dan", "深圳海关")):
        unit = ResponsibleUnit.objects.create(zone=guangdong, name=name)
        contact = person(key)
        contact.email = f"{key}@gov.example.cn"
        contact.save()
        DepartmentContact.objects.create(unit=unit, user=contact)
        units[key] = unit
    units["sichuan"] = ResponsibleUnit.objects.create(
        zone=Zone.objects.get(code="sichuan"), name="成都市商务局"
    )
    return units


def contact(key: str):
    from zimao.accounts.models import User

    return User.objects.get(username=key)


DEMAND = {
    "title": "跨境电商退货仓出区手续繁琐",
    "problem": "退货商品须逐票申报出区，单票办理需要两个工作日，企业仓储成本高。",
    "blocker": "区内退货须按一般贸易逐票报关的现行规定。",
    "industry": "跨境电商",
    "change": "允许退货商品集中申报、汇总征税。",
    "benchmark": "新加坡自由贸易区对退货实行定期汇总申报。",
}

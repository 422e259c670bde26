"""Test data for indicators and reports: the shipped sample file and a small cast."""

from pathlib import Path

from tests.factories import person
from zimao.accounts.models import Role, User
from zimao.indicators.imports import parse_observations
from zimao.indicators.services import observation_import
from zimao.zones.models import Area, Zone

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "indicators-sample.csv"
SUBJECT = "area:成都天府新区片区"
PEERS = ["area:南沙片区", "area:前海蛇口片区", "area:两江片区"]


def national(name: str = "nina") -> User:
    user = person(name, Role.NATIONAL)
    return user


def area_office(area_name: str, name: str = "alan") -> User:
    return person(name, Role.AREA, area=Area.objects.get(name_zh=area_name))


def zone_office(code: str, name: str = "zoe") -> User:
    user = person(name, Role.ZONE, zone=Zone.objects.get(code=code))
    return user


def import_text(user: User, text: str, name: str = "test.csv"):
    preview = parse_observations(name, text.encode("utf-8"))
    assert preview.ok, [str(e) for e in preview.errors]
    return observation_import(user=user, rows=preview.rows, filename=name)


def import_sample(user: User):
    preview = parse_observations(SAMPLE.name, SAMPLE.read_bytes())
    assert preview.ok, [str(e) for e in preview.errors]
    return observation_import(user=user, rows=preview.rows, filename=SAMPLE.name)

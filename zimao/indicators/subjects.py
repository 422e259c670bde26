"""What an observation is about: the nation, all FTZs, a province, a zone, an area or a pilot area.

A subject is written `kind:key` in URLs, the API and the command line (`area:南沙片区`,
`zone:shanghai`); people may also type a bare name (南沙片区, 上海自贸试验区, 上海).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from zimao.accounts.access import Scope
from zimao.zones.models import Area, PilotArea, Zone

from .models import Observation

Kind = Observation.SubjectKind

KIND_NAMES: dict[str, str] = {
    "nation": Kind.NATION,
    "全国": Kind.NATION,
    "ftz_all": Kind.FTZ_ALL,
    "全部自贸试验区": Kind.FTZ_ALL,
    "自贸试验区合计": Kind.FTZ_ALL,
    "zone": Kind.ZONE,
    "自贸试验区": Kind.ZONE,
    "试验区": Kind.ZONE,
    "area": Kind.AREA,
    "片区": Kind.AREA,
    "pilot_area": Kind.PILOT_AREA,
    "协同改革先行区": Kind.PILOT_AREA,
    "先行区": Kind.PILOT_AREA,
    "pilot_areas": Kind.PILOT_AREAS,
    "协同改革先行区合计": Kind.PILOT_AREAS,
    "province": Kind.PROVINCE,
    "省份": Kind.PROVINCE,
    "省": Kind.PROVINCE,
    "city": Kind.CITY,
    "城市": Kind.CITY,
    "市": Kind.CITY,
}


class SubjectError(ValueError):
    """The subject cannot be identified; the message is shown to users (Chinese)."""


class SubjectKindError(SubjectError):
    """The kind of subject is not one of the known kinds."""


@dataclass(frozen=True)
class Subject:
    kind: str
    key: str  # what Observation.subject holds
    label: str
    zone: Zone | None = None
    area: Area | None = None

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.key}"

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def scope(self) -> Scope:
        """The permission scope of data about this subject."""
        if self.zone is not None:
            return Scope(
                self.zone.code, self.zone.province, self.area.pk if self.area else None, True
            )
        if self.kind == Kind.PROVINCE:
            return Scope(None, self.key, None, True)
        return Scope(None, None, None, True)

    @property
    def area_km2(self) -> Decimal | None:
        if self.area is not None:
            return self.area.area_km2
        if self.kind == Kind.ZONE and self.zone is not None:
            return self.zone.planned_area_km2
        return None

    @property
    def city(self) -> str:
        return self.area.city if self.area is not None else ""


def kind_of(text: str) -> str:
    kind = KIND_NAMES.get(text.strip())
    if kind is None:
        raise SubjectKindError(
            _(
                "无法识别的对象类型“%(kind)s”"
                "（可填：全国、全部自贸试验区、省份、城市、自贸试验区、片区、协同改革先行区）"
            )
            % {"kind": text.strip()}
        )
    return str(kind)


@dataclass
class Catalogue:
    """Zones, areas and pilot areas fetched once, for resolving many subjects (a whole import
    file) without a query per name."""

    zones: list[Zone]
    areas: list[Area]
    pilots: list[PilotArea]

    @classmethod
    def load(cls) -> "Catalogue":
        return cls(
            list(Zone.objects.all()),
            list(Area.objects.select_related("zone")),
            list(PilotArea.objects.select_related("zone")),
        )


def _zone(text: str, catalogue: Catalogue | None = None) -> Zone:
    value = text.strip()
    zones = catalogue.zones if catalogue else None
    exact = (
        next((z for z in zones if z.code == value), None)
        if zones is not None
        else Zone.objects.filter(code=value).first()
    )
    if exact is not None:
        return exact
    for zone in zones if zones is not None else Zone.objects.all():
        names = {zone.code, zone.name_zh, zone.short_name_zh, zone.province}
        names.add(zone.short_name_zh.removesuffix("自贸试验区"))
        names.add(_province_short(zone.province))
        if value in names:
            return zone
    raise SubjectError(_("找不到自贸试验区“%(name)s”") % {"name": value})


def _province_short(province: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "自治区", "省", "市"):
        if province.endswith(suffix):
            return province[: -len(suffix)]
    return province


def _area(text: str, catalogue: Catalogue | None = None) -> Area:
    value = text.strip()
    zone_part, _sep, name = value.rpartition("/")
    zone = _zone(zone_part, catalogue) if zone_part else None
    if catalogue is not None:
        found = [a for a in catalogue.areas if a.name_zh == name and zone in (None, a.zone)]
    else:
        areas = Area.objects.select_related("zone").filter(name_zh=name)
        found = list(areas.filter(zone=zone) if zone else areas)
    if not found:
        raise SubjectError(_("找不到片区“%(name)s”") % {"name": value})
    if len(found) > 1:
        raise SubjectError(
            _("片区“%(name)s”不止一个，请写成“试验区/片区”，如“上海/%(name)s”") % {"name": name}
        )
    return found[0]


def subject_for(kind: str, text: str, catalogue: Catalogue | None = None) -> Subject:
    """Identify the subject of one kind named by `text` (code, full name or short name);
    with a `catalogue`, without a query."""
    kind = kind_of(kind)
    value = text.strip()
    if kind in (Kind.NATION, Kind.FTZ_ALL):
        return Subject(kind, "", str(Kind(kind).label))
    if not value:
        raise SubjectError(_("对象不能为空"))
    if kind == Kind.ZONE:
        zone = _zone(value, catalogue)
        return Subject(kind, zone.code, zone.short_name_zh, zone)
    if kind == Kind.AREA:
        area = _area(value, catalogue)
        return Subject(kind, area.name_zh, area.name_zh, area.zone, area)
    if kind == Kind.PILOT_AREA:
        pilot = (
            next((p for p in catalogue.pilots if p.name_zh == value), None)
            if catalogue
            else PilotArea.objects.select_related("zone").filter(name_zh=value).first()
        )
        if pilot is None:
            raise SubjectError(_("找不到协同改革先行区“%(name)s”") % {"name": value})
        return Subject(kind, pilot.name_zh, pilot.name_zh, pilot.zone)
    if kind == Kind.PILOT_AREAS:
        zone = _zone(value, catalogue)
        return Subject(kind, zone.code, f"{zone.short_name_zh}协同改革先行区合计", zone)
    if kind == Kind.CITY:  # a city that hosts an area (its scope: that area's zone)
        name = value.removesuffix("市") if value.endswith("市") and len(value) > 2 else value
        host = (
            next((a for a in catalogue.areas if a.city == name), None)
            if catalogue
            else Area.objects.select_related("zone").filter(city=name).first()
        )
        if host is None:
            raise SubjectError(_("“%(name)s”不是片区所在城市") % {"name": value})
        return Subject(
            kind, name, f"{name}市" if not name.endswith(("州", "市")) else name, host.zone
        )
    zone = _zone(value, catalogue)  # province: only provinces that host a zone are subjects
    return Subject(kind, zone.province, zone.province)


def subject_from_ref(ref: str) -> Subject:
    """`area:南沙片区`, `zone:shanghai`, or a bare name tried as area, zone, then pilot area."""
    kind, sep, value = ref.strip().partition(":")
    if sep:
        return subject_for(kind, value)
    for candidate in (Kind.AREA, Kind.ZONE, Kind.PILOT_AREA):
        try:
            return subject_for(candidate, ref)
        except SubjectError:
            continue
    raise SubjectError(
        _("找不到对象“%(name)s”（可写 area:片区名、zone:试验区代码）") % {"name": ref.strip()}
    )


def subject_of(observation: Observation) -> Subject:
    return subject_for(observation.subject_kind, observation.subject)


def label_of(kind: str, key: str, zones: Mapping[str, Zone]) -> str:
    """The name of a stored subject (`Observation.subject_kind`, `.subject`) without a query:
    the same label `subject_for` gives, from the zones already at hand. A list page of
    observations then costs the same number of queries whatever subjects it shows."""
    if kind in (Kind.NATION, Kind.FTZ_ALL):
        return str(Kind(kind).label)
    if kind in (Kind.ZONE, Kind.PILOT_AREAS):
        zone = zones.get(key)
        if zone is None:
            return key
        return (
            zone.short_name_zh if kind == Kind.ZONE else f"{zone.short_name_zh}协同改革先行区合计"
        )
    if kind == Kind.CITY:
        return key if key.endswith(("州", "市")) else f"{key}市"
    return key  # areas, pilot areas and provinces are stored by their name

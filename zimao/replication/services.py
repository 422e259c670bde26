"""Writes for replication adoption and items, through the one write path."""

import re

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor
from zimao.accounts.models import Membership, Role, User
from zimao.alerts.notify import notify
from zimao.audit import writes
from zimao.lib.forms import parse_partial_date, refuse_future
from zimao.lib.models import validate_partial_date
from zimao.zones.models import Area, Zone

from .models import Adoption, ReplicationBatch, ReplicationItem

ADOPTION_FIELDS = ("item", "zone", "area", "status", "date", "evidence")
ITEM_FIELDS = ("batch", "seq", "title", "responsible_unit", "scope_kind", "scope", "source")


def adoption_zones(user: Actor) -> QuerySet[Zone]:
    """Zones whose adoption the user may record for the zone as a whole."""
    return Zone.objects.filter(
        pk__in=[z.pk for z in Zone.objects.all() if writes.check_allowed(user, Adoption(zone=z))]
    )


def adoption_areas(user: Actor) -> QuerySet[Area]:
    """Areas whose adoption the user may record (an area office: its own)."""
    areas = Area.objects.select_related("zone")
    return areas.filter(
        pk__in=[a.pk for a in areas if writes.check_allowed(user, Adoption(zone=a.zone, area=a))]
    )


def adoption_set(
    *,
    user: Actor,
    item: ReplicationItem,
    zone: Zone,
    status: str,
    area: Area | None = None,
    date: str = "",
    evidence: str = "",
    version: int | None = None,
) -> Adoption:
    """Record where a zone (or one of its areas) stands on an item. `version` is the version
    of the entry the user loaded (None or 0: there was none); a colleague's newer entry is
    never overwritten."""
    if status not in Adoption.Status.values:
        raise ValidationError({"status": _("未知的状态")})
    if area is not None and area.zone_id != zone.pk:
        raise ValidationError({"area": _("片区不属于所选自贸试验区")})
    date = parse_partial_date(date)
    validate_partial_date(date)
    if status == Adoption.Status.ADOPTED:  # a landing already happened: not after today
        refuse_future(date)
    values = {"status": status, "date": date, "evidence": evidence}
    current = Adoption.objects.filter(item=item, zone=zone, area=area).first()
    if current is None:
        if version:
            raise writes.EditConflict({"version": (version, None)})
        adoption = Adoption(item=item, zone=zone, area=area, **values)
        return writes.create(user=user, record=adoption, fields=ADOPTION_FIELDS, action=Action.EDIT)
    return writes.update(
        user=user,
        record=current,
        changes=values,
        fields=ADOPTION_FIELDS,
        version=version if version is not None else 0,
    )


def item_from_row(
    *, user: Actor, batch: ReplicationBatch, values: dict[str, object], note: str = ""
) -> ReplicationItem:
    """Create or update the item a reviewed table row describes (national office only)."""
    title = str(values["title"])
    current = ReplicationItem.objects.filter(batch=batch, title=title).first()
    if current is None:
        item = ReplicationItem(batch=batch, **values)
        return writes.create(
            user=user, record=item, fields=ITEM_FIELDS, note=note, then=_announce_item
        )
    changes = {k: v for k, v in values.items() if k not in ("title", "code")}
    return writes.update(user=user, record=current, changes=changes, fields=ITEM_FIELDS, note=note)


def _announce_item(item: ReplicationItem) -> None:
    """A new item to replicate concerns every zone and area office: they record adoptions."""
    offices = Membership.objects.filter(role__in=(Role.ZONE, Role.AREA)).values("user_id")
    notify(
        User.objects.filter(pk__in=offices).order_by("pk"),
        _("新的复制推广事项（%(batch)s）：%(title)s") % {"batch": item.batch, "title": item.title},
        item.get_absolute_url(),
        kind="replication_item",
    )


TERMS_FIELDS = ("description", "everyday_terms", "terms_source", "terms_edited")
TERM_SEPARATORS = re.compile(r"[；;，,、\s]+")
MAX_DESCRIPTION, MAX_TERMS = 1000, 2000


def item_terms_update(
    *, user: Actor, item: ReplicationItem, description: str, everyday_terms: str
) -> ReplicationItem:
    """The national office corrects or extends an item's plain-language description and
    everyday words (what search finds it by). They stay editorial, never official text, and a
    later reference load no longer overwrites them."""
    description = description.strip()
    words = [w for w in TERM_SEPARATORS.split(everyday_terms) if w]
    terms = "；".join(dict.fromkeys(words))
    errors = {}
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = _("通俗说明不能超过 %(n)s 个字符") % {"n": MAX_DESCRIPTION}
    if len(terms) > MAX_TERMS:
        errors["everyday_terms"] = _("常用说法不能超过 %(n)s 个字符") % {"n": MAX_TERMS}
    if errors:
        raise ValidationError(errors)
    changes = {
        "description": description,
        "everyday_terms": terms,
        "terms_source": _("编辑整理，非官方文本：由国家层面管理单位在本系统中修改"),
        "terms_edited": True,
    }
    return writes.update(user=user, record=item, changes=changes, fields=TERMS_FIELDS)

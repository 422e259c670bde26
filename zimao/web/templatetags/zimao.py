"""Small template helpers shared by the pages."""

import time

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from zimao.accounts.access import scope_key
from zimao.lib import pagecache
from zimao.zones.models import Zone

register = template.Library()


_ZONES: dict[str, Zone] = {}
_ZONES_READ_AT = 0.0


def _zones() -> dict[str, Zone]:
    """All zones by code, read at most once a minute (22 rows, changed by the loader only)."""
    global _ZONES_READ_AT
    pagecache.shows("zones")  # a cached page with a zone name follows zone changes
    if time.monotonic() - _ZONES_READ_AT > 60 or not _ZONES:
        _ZONES.clear()
        _ZONES.update({z.code: z for z in Zone.objects.all()})
        _ZONES_READ_AT = time.monotonic()
    return _ZONES


def forget_zones() -> None:
    """Read the zones again on next use (tests that change zones; the loader's own process)."""
    global _ZONES_READ_AT
    _ZONES.clear()
    _ZONES_READ_AT = 0.0


@register.filter
def zone_name(code: str) -> str:
    """The display name of a zone code (上海自贸试验区 / Shanghai FTZ); the code if unknown."""
    if not code:
        return ""
    zone = _zones().get(code)
    return zone.name if zone else code


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    """mapping[key] in a template, or None."""
    return mapping.get(key)


@register.filter
def period_label(code: str) -> str:
    """A stored period (2023-01..08) as people write it (2023年1—8月)."""
    from zimao.indicators.periods import period_label as label

    return label(code)


@register.filter
def indicator_name(code: str) -> str:
    from zimao.indicators.models import Indicator

    indicator = Indicator.objects.filter(code=code).first()
    return indicator.name if indicator else code


@register.filter
def dimension_name(code: str, definition: object) -> str:
    for dimension in getattr(definition, "dimensions", ()):
        if dimension.code == code:
            return str(dimension.name)
    return code


@register.filter
def subject_label(observation: object) -> str:
    """Who an observation is about, as a name (上海自贸试验区, not the code shanghai), with no
    query per row: zone names come from the zones read once (see `_zones`)."""
    from zimao.indicators.models import Observation
    from zimao.indicators.subjects import label_of

    if not isinstance(observation, Observation):
        return ""
    return label_of(observation.subject_kind, observation.subject, _zones())


@register.filter
def flag_labels(flags: str) -> str:
    """估计、累计、保密、缺失 for the stored flag codes."""
    from zimao.indicators.exports import FLAG_NAMES

    return "、".join(str(FLAG_NAMES.get(f, f)) for f in flags.split(";") if f)


@register.filter
def office(user: object) -> str:
    """The office a person acts for (广东自贸试验区 · 自贸试验区工作机构), never their account
    name: pages the public reads show who decided, not who typed."""
    from zimao.accounts.models import Role, User

    if not isinstance(user, User):
        return "—"
    membership = user.memberships.select_related("zone", "area").order_by("pk").first()
    if membership is None:
        return str(_("平台管理员")) if user.is_superuser else str(_("工作人员"))
    role = membership.get_role_display()
    if membership.role in (Role.NATIONAL, Role.RESEARCHER):
        return str(role)
    scope = membership.area or membership.zone or membership.province
    return f"{scope} · {role}"


@register.filter
def grouped(choices: list[tuple[str, str]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(ref, label) choices grouped by the zone a label names at its end (南沙片区（广东）),
    for <optgroup>: seventy areas read as twenty-odd zones. Labels without one stay ungrouped."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for ref, label in choices:
        group = ""
        if label.endswith("）") and "（" in label:
            group = label[label.rindex("（") + 1 : -1]
        groups.setdefault(group, []).append((ref, label))
    return list(groups.items())


class RememberNode(template.Node):
    def __init__(
        self, nodelist: NodeList, name: str, parts: list[FilterExpression], target: str | None
    ) -> None:
        self.nodelist, self.name, self.parts, self.target = nodelist, name, parts, target

    def render(self, context: template.Context) -> SafeString:
        request = getattr(context, "request", None)
        viewer = scope_key(getattr(request, "user", None) or context.get("user"))
        key = ":".join([viewer, *(str(part.resolve(context)) for part in self.parts)])
        html = pagecache.remembered(self.name, key, lambda: str(self.nodelist.render(context)))
        safe = mark_safe(html.strip() if self.target else html)  # noqa: S308 - rendered, escaped
        if self.target:
            context[self.target] = safe
            return SafeString()
        return safe


@register.tag
def remember(parser: Parser, token: Token) -> RememberNode:
    """`{% remember "name" key… [as variable] %}…{% endremember %}`: the block rendered once
    per viewer's scope, key values and language, and kept until the data it read changes
    (zimao.lib.pagecache.remembered); with `as`, kept in a variable (empty when the block
    renders only blanks) instead of shown. The block must show nothing of the request itself
    (no CSRF token, no message, no bound form)."""
    bits = token.split_contents()
    target = None
    if len(bits) > 3 and bits[-2] == "as":
        target, bits = bits[-1], bits[:-2]
    if len(bits) < 2:
        raise template.TemplateSyntaxError("remember needs a name")
    nodelist = parser.parse(("endremember",))
    parser.delete_first_token()
    parts = [parser.compile_filter(bit) for bit in bits[2:]]
    return RememberNode(nodelist, bits[1].strip("\"'"), parts, target)

"""The header: who is signed in (name · role · scope) and the menu of pages the user may use.

Every entry is decided by the access layer (`can_any`), so the menu never offers a page that
would answer 403.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zimao.accounts.access import OFFICES, Action, Actor, can_any, memberships_of, scope_key
from zimao.accounts.models import Membership
from zimao.audit.models import AuditEvent
from zimao.documents.models import Document
from zimao.jobs.models import Job
from zimao.lib.pagecache import remembered
from zimao.reforms.models import Innovation


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    key: str  # the URL name, for aria-current


def scope_label(membership: Membership) -> str:
    """Where a membership applies, in words: 全国, 广东省, 广东自贸试验区, 前海蛇口片区（…）."""
    if membership.area is not None:
        return f"{membership.area.name}（{membership.area.zone.name}）"
    if membership.zone is not None:
        return membership.zone.name
    if membership.province:
        return membership.province
    return _("全国")


def identity(user: Actor) -> str:
    """张三 · 自贸试验区工作机构 · 广东自贸试验区 (each membership; the name once)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    name = str(user)
    roles = [f"{m.get_role_display()} · {scope_label(m)}" for m in memberships_of(user)]
    if not roles:
        from zimao.demands.selectors import enterprise_of

        enterprise = enterprise_of(user)
        if enterprise is not None:
            return f"{name} · {_('企业')} · {enterprise.name}"
        return f"{name} · {_('未分配角色')}"
    return f"{name} · " + "；".join(roles)


def menu(user: Actor) -> list[Link]:
    """The pages this user may open, in the order of the day's work."""
    entries: list[tuple[str, str, bool]] = []
    signed_in = bool(getattr(user, "is_authenticated", False))
    if signed_in:
        entries.append((_("工作台"), "workbench", True))
    entries += [
        (_("概览"), "home", True),
        (_("自贸试验区"), "zones:list", True),
        (_("实施率"), "reforms:implementation", True),
        (_("制度创新成果"), "reforms:innovations", True),
        (_("企业诉求"), "demands:list", True),
        (
            _("诉求工作台"),
            "demands:workbench",
            any(m.role in OFFICES for m in memberships_of(user)),
        ),
        (_("评选排名"), "reforms:shortlist", can_any(user, Action.REVIEW, Innovation)),
        (_("复制推广批次"), "replication:batches", True),
        (_("改革事项"), "replication:items", True),
        (_("落地情况"), "replication:coverage", True),
        (_("指标"), "indicators:list", True),
        (_("对标分析"), "indicators:benchmark", True),
        (_("综合指数"), "indicators:index", True),
        (_("负面清单"), "opening:editions", True),
        (_("准入查询"), "opening:check", True),
        (_("对接措施"), "alignment:measures", True),
        (_("对接措施落实"), "alignment:matrix", True),
        (_("报告"), "reports:list", signed_in),
        (_("文档"), "documents:list", can_any(user, Action.VIEW, Document)),
        (_("检索"), "search:results", True),
        (_("审计日志"), "audit:log", can_any(user, Action.VIEW, AuditEvent)),
        (_("开放数据"), "opendata:index", True),
        (_("后台任务"), "jobs:list", signed_in and can_any(user, Action.VIEW, Job)),
    ]
    links = [Link(label, reverse(name), name) for label, name, shown in entries if shown]
    links.append(Link(_("API 文档"), reverse("api:openapi-view"), "api:openapi-view"))
    return links


# The menu's sections, so a phone shows five headings that open, not eighteen links.
SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    (gettext_noop("总览"), ("workbench", "home", "zones:list", "search:results")),
    (
        gettext_noop("改革"),
        ("reforms:implementation", "reforms:innovations", "reforms:shortlist", "demands:list",
         "demands:workbench"),
    ),
    (
        gettext_noop("复制推广"),
        ("replication:batches", "replication:items", "replication:coverage"),
    ),
    (
        gettext_noop("数据"),
        ("indicators:list", "indicators:benchmark", "indicators:index", "opening:editions",
         "opening:check", "alignment:measures", "alignment:matrix", "reports:list",
         "opendata:index"),
    ),
    (gettext_noop("文档"), ("documents:list", "audit:log", "jobs:list", "api:openapi-view")),
]  # fmt: skip


@dataclass(frozen=True)
class Section:
    key: str  # for the toggle's id
    title: str
    links: list[Link]
    current: bool  # holds the page shown, so it starts open on a phone


def menu_sections(links: list[Link], current: str = "") -> list[Section]:
    """The menu's links in their sections, in menu order; a link no section names goes last."""
    placed: dict[str, list[Link]] = {title: [] for title, _keys in SECTIONS}
    section_of = {key: title for title, keys in SECTIONS for key in keys}
    for link in links:
        placed[section_of.get(link.key, SECTIONS[-1][0])].append(link)
    return [
        Section(f"s{n}", _(title), found, any(link.key == current for link in found))
        for n, (title, found) in enumerate(placed.items(), 1)
        if found
    ]


def header(request: HttpRequest) -> dict[str, object]:
    """Context processor: the menu and the signed-in identity for every page."""
    user = getattr(request, "user", None)
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")

    def build() -> dict[str, object]:
        links = menu(user)
        return {
            "menu": links,
            "menu_sections": menu_sections(links, current),
            "identity": identity(user),
            "current_view": current,
        }

    # The same for every page a user opens: worked out once per user, scope and page kind.
    return remembered("header", f"{scope_key(user)}:{user}:{current}", build)

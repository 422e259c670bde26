"""The 样例 marker and banner: a sample figure never appears without them; a figure computed
from the platform's own records is marked as such beside it."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from zimao.indicators.provenance import banner_for

register = template.Library()


@register.simple_tag
def sample_mark(item: object) -> SafeString | str:
    """The marker after a figure that is a sample (an observation, a cell, an input, a score;
    True for a plain flag), or one computed from the platform's demand records."""
    flagged = item is True or getattr(item, "is_sample", False) is True
    if isinstance(item, dict):
        flagged = bool(item.get("is_sample"))
    if not flagged:
        return computed_mark(item)
    return format_html(
        ' <span class="badge sample-mark" title="{}">{}</span>',
        _("样例数据：数值为虚构，仅供演示"),
        _("样例"),
    )


def computed_mark(item: object) -> SafeString | str:
    """The marker after a figure computed from the platform's demand records (not a statistic)."""
    computed = getattr(item, "is_computed", False) is True
    if isinstance(item, dict):
        computed = bool(item.get("is_computed"))
    if not computed:
        return ""
    return format_html(
        ' <span class="badge computed-mark" title="{}">{}</span>',
        _("由本平台企业诉求记录计算，非官方统计"),
        _("诉求记录计算"),
    )


@register.simple_tag
def sample_banner(*sources: object) -> SafeString | str:
    """The banner above a page whose figures include any sample value."""
    text = banner_for(*sources)
    if not text:
        return ""
    return format_html('<p class="sample-banner" role="note">{}</p>', text)

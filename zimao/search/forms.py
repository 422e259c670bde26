from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from zimao.lib.pagecache import remembered
from zimao.replication.models import ReplicationBatch
from zimao.vocab.models import Domain
from zimao.zones.models import Zone

from .backends import Filters
from .models import SearchEntry


class SearchForm(forms.Form):
    q = forms.CharField(label=_("检索"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False)
    zone = forms.ChoiceField(label=_("自贸试验区"), required=False)
    domain = forms.ChoiceField(label=_("领域"), required=False)
    batch = forms.ChoiceField(label=_("批次"), required=False)
    year = forms.IntegerField(label=_("年份"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        every = [("", _("全部"))]
        zones, domains, batches = remembered("search.choices", "", _choices)
        self.fields["kind"].choices = every + list(SearchEntry.Kind.choices)  # type: ignore[attr-defined]
        self.fields["zone"].choices = every + zones  # type: ignore[attr-defined]
        self.fields["domain"].choices = every + domains  # type: ignore[attr-defined]
        self.fields["batch"].choices = every + batches  # type: ignore[attr-defined]

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            kind=data.get("kind") or "",
            zone=data.get("zone") or "",
            domain=data.get("domain") or "",
            batch=data.get("batch") or "",
            year=data.get("year"),
        )


Choices = list[tuple[str, str]]


def _choices() -> tuple[Choices, Choices, Choices]:
    """Zones, domains and replication batches as (code, name) in the current language; kept
    until one of them changes (every search page shows them)."""
    return (
        [(z.code, str(z.name)) for z in Zone.objects.all()],
        [(d.code, str(d.name)) for d in Domain.objects.all()],
        [(b.code, str(b.label)) for b in ReplicationBatch.objects.all()],
    )


SEARCH_KEYS = ("q", "kind", "zone", "domain", "batch", "year")


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, max_length=500)

    def clean_query(self) -> str:
        """Only the search page's own parameters are kept, re-encoded."""
        given = QueryDict(self.cleaned_data["query"])
        kept = QueryDict(mutable=True)
        for key in SEARCH_KEYS:
            value = given.get(key, "").strip()
            if value:
                kept[key] = value
        if not kept.get("q"):
            raise forms.ValidationError(_("检索条件无效"))
        return kept.urlencode()

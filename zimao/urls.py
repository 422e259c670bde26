from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic.base import RedirectView
from django.views.i18n import set_language

from zimao.api import api
from zimao.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    # browsers ask for /favicon.ico whatever the page links; send them to the static icon
    path("favicon.ico", RedirectView.as_view(url=static("zimao/favicon.svg"), permanent=True)),
    path("workbench/", web_views.workbench, name="workbench"),
    path("zones/", include("zimao.zones.urls")),
    path("replication/", include("zimao.replication.urls")),
    path("indicators/", include("zimao.indicators.urls")),
    path("documents/", include("zimao.documents.urls")),
    path("attachments/", include("zimao.attachments.urls")),
    path("search/", include("zimao.search.urls")),
    path("reforms/", include("zimao.reforms.urls")),
    path("demands/", include("zimao.demands.urls")),
    path("audit/", include("zimao.audit.urls")),
    path("reports/", include("zimao.reports.urls")),
    path("open-data/", include("zimao.opendata.urls")),
    path("opening/", include("zimao.opening.urls")),
    path("alignment/", include("zimao.alignment.urls")),
    path("jobs/", include("zimao.jobs.urls")),
    path("alerts/", include("zimao.alerts.urls")),
    path("exports/background/", web_views.table_export_background, name="table_export"),
    path("api/", api.urls),
    # Without a CSRF token, so that anonymous pages carry nothing per visitor and can be cached
    # whole; a forged request could only switch the visitor's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("zimao.accounts.urls")),
    path("admin/", admin.site.urls),
]

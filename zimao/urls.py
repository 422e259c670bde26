from django.contrib import admin
from django.urls import include, path

from zimao.api import api
from zimao.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("workbench/", web_views.workbench, name="workbench"),
    path("zones/", include("zimao.zones.urls")),
    path("replication/", include("zimao.replication.urls")),
    path("indicators/", include("zimao.indicators.urls")),
    path("documents/", include("zimao.documents.urls")),
    path("search/", include("zimao.search.urls")),
    path("reforms/", include("zimao.reforms.urls")),
    path("audit/", include("zimao.audit.urls")),
    path("reports/", include("zimao.reports.urls")),
    path("open-data/", include("zimao.opendata.urls")),
    path("jobs/", include("zimao.jobs.urls")),
    path("exports/background/", web_views.table_export_background, name="table_export"),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("zimao.accounts.urls")),
    path("admin/", admin.site.urls),
]

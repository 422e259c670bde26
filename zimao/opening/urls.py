from django.urls import path

from zimao.alignment.stress import measure_page

from . import views

app_name = "opening"
urlpatterns = [
    path("", views.edition_list, name="editions"),
    path("editions/<slug:code>/", views.edition_detail, name="edition"),
    path("diff/", views.diff_page, name="diff"),
    path("check/", views.check_page, name="check"),
    path("timeline/", views.timeline_page, name="timeline"),
    path("measures/<slug:topic>/", measure_page, name="measure"),
]

from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_index, name="list"),
    path("import/", views.observation_import_page, name="import"),
    path("export/", views.observation_export, name="export"),
    path("observations/<int:pk>/", views.observation_detail, name="observation"),
    path("observations/<int:pk>/prefer/", views.observation_prefer_view, name="prefer"),
    path("benchmark/", views.benchmark_page, name="benchmark"),
    path("index/", views.index_page, name="index"),
    path("index/edit/", views.index_edit, name="index_edit"),
    path("index/export/", views.index_export, name="index_export"),
]

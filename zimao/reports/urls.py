from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.draft_list, name="list"),
    path("new/", views.draft_new, name="new"),
    path("progress/", views.progress_new, name="progress"),
    path("<int:pk>/", views.draft_edit, name="edit"),
    path("<int:pk>/export/<str:fmt>/", views.draft_export, name="export"),
    path(
        "<int:pk>/export/<str:fmt>/background/",
        views.draft_export_background,
        name="export_background",
    ),
]

from django.urls import path

from . import views

app_name = "attachments"
urlpatterns = []
for kind in ("task", "adoption", "innovation", "demand"):
    urlpatterns += [
        path(f"{kind}/<int:pk>/", views.download, {"kind": kind}, name=f"{kind}_file"),
        path(f"{kind}/<int:pk>/delete/", views.remove, {"kind": kind}, name=f"{kind}_file_delete"),
        path(f"upload/{kind}/<int:pk>/", views.upload, {"kind": kind}, name=f"upload_{kind}"),
    ]

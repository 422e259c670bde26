from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("<str:record_type>/<str:record_id>/", views.record_history, name="record"),
]

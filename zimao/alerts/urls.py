from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<int:pk>/toggle/", views.webhook_toggle, name="webhook_toggle"),
    path("webhooks/<int:pk>/test/", views.webhook_test_view, name="webhook_test"),
]

from django.urls import path

from . import views

app_name = "zones"
urlpatterns = [
    path("", views.zone_index, name="list"),
    path("<slug:code>/", views.zone_detail, name="detail"),
]

from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="results"),
    path("zones/<slug:code>/", views.zone_differentiation_page, name="differentiation"),
]

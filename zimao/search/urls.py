from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="results"),
    path("zones/<slug:code>/", views.zone_differentiation_page, name="differentiation"),
    path("saved/", views.saved_search_new, name="saved_new"),
    path("saved/<int:pk>/delete/", views.saved_search_remove, name="saved_delete"),
]

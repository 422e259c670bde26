from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.open_data_index, name="index"),
    path("zimao-open-data.zip", views.open_data_zip, name="zip"),
]

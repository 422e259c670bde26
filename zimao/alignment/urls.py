from django.urls import path

from . import views

app_name = "alignment"
urlpatterns = [
    path("", views.measure_index, name="measures"),
    path("matrix/", views.matrix_page, name="matrix"),
    path("assign/", views.assign, name="assign"),
    path("links/<int:link_id>/", views.link_innovations, name="link"),
    path("<slug:batch>/<slug:measure>/", views.measure_detail, name="measure"),
]

from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_index, name="list"),
    path("start/<str:kind>/", views.job_start_view, name="start"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/retry/", views.job_retry_view, name="retry"),
    path("<int:pk>/download/", views.job_download, name="download"),
]

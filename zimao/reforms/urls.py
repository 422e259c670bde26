from django.urls import path

from . import views

app_name = "reforms"
urlpatterns = [
    path("innovations/", views.innovation_index, name="innovations"),
    path("innovations/<int:pk>/", views.innovation_detail, name="innovation"),
]

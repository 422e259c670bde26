from django.urls import path

from . import views

app_name = "reforms"
urlpatterns = [
    path("innovations/", views.innovation_index, name="innovations"),
    path("innovations/new/", views.innovation_new, name="innovation_new"),
    path("innovations/<int:pk>/", views.innovation_detail, name="innovation"),
    path("innovations/<int:pk>/effects/", views.innovation_effect, name="innovation_effect"),
    path("innovations/<int:pk>/step/", views.innovation_step, name="innovation_step"),
    path(
        "innovations/<int:pk>/recommend/",
        views.innovation_recommend_view,
        name="innovation_recommend",
    ),
    path("innovations/<int:pk>/scores/", views.innovation_scores, name="innovation_scores"),
    path("shortlist/", views.shortlist_page, name="shortlist"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/import/", views.plan_import, name="plan_import"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("zones/<str:code>/units/", views.zone_units, name="zone_units"),
    path("implementation/", views.implementation, name="implementation"),
    path("import-template.<str:fmt>", views.task_import_template, name="import_template"),
]

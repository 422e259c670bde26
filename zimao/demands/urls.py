from django.urls import path

from . import views

app_name = "demands"
urlpatterns = [
    path("", views.demand_list, name="list"),
    path("register/", views.register, name="register"),
    path("new/", views.demand_new, name="new"),
    path("workbench/", views.workbench, name="workbench"),
    path("measures/", views.measures, name="measures"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("enterprises/<int:pk>/verify/", views.enterprise_verify, name="enterprise_verify"),
    path("<int:pk>/", views.demand_detail, name="detail"),
    path("<int:pk>/triage/", views.demand_triage, name="triage"),
    path("<int:pk>/assign/", views.demand_assign, name="assign"),
    path("<int:pk>/publish/", views.demand_publish, name="publish"),
    path("<int:pk>/rate/", views.demand_rate, name="rate"),
    path("<int:pk>/promote/", views.demand_promote, name="promote"),
    path("<int:pk>/escalate/", views.demand_escalate, name="escalate"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("powers/", views.authority_list, name="authorities"),
    path("powers/<int:pk>/", views.authority_detail, name="authority"),
    path(
        "innovations/<int:innovation_id>/escalate/",
        views.innovation_escalate,
        name="innovation_escalate",
    ),
]

from django.urls import path

from . import subject_views, views

app_name = "documents"
urlpatterns = [
    path("", views.document_index, name="list"),
    path("upload/", views.document_upload, name="upload"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/review/", views.fact_bulk_review, name="bulk_review"),
    path("<int:pk>/review/filter/", views.fact_bulk_by_filter, name="bulk_confirm"),
    path("<int:pk>/rename/", views.document_rename_view, name="rename"),
    path("<int:pk>/delete/", views.document_remove, name="delete"),
    path("<int:pk>/retry/", views.document_retry_view, name="retry"),
    path("<int:pk>/subject/", subject_views.document_subject_view, name="subject"),
    path("facts/<int:pk>/review/", views.fact_review_view, name="review"),
    path("facts/<int:pk>/link/<str:target>/", views.fact_link_view, name="link"),
    path("evidence/innovations/<int:pk>/", views.innovation_evidence, name="innovation_evidence"),
]

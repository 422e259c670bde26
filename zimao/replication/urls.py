from django.urls import path

from . import views

app_name = "replication"
urlpatterns = [
    path("batches/", views.batch_index, name="batches"),
    path("batches/<slug:code>/", views.batch_detail, name="batch"),
    path("items/", views.item_index, name="items"),
    path("items/<slug:code>/", views.item_detail, name="item"),
    path("items/<slug:code>/adoption/", views.item_adoption, name="item_adoption"),
    path("items/<slug:code>/terms/", views.item_terms, name="item_terms"),
    path("coverage/", views.coverage_matrix, name="coverage"),
    path("adoptions/", views.adoption_index, name="adoptions"),
    path("adoptions/import/", views.adoption_import, name="adoption_import"),
]

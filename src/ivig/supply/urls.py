from django.urls import path

from ivig.supply import views

app_name = "supply"
urlpatterns = [
    path("", views.supply_page, name="page"),
    path("phase/", views.declare, name="declare"),
    path("region.csv", views.region_csv, name="region_csv"),
]

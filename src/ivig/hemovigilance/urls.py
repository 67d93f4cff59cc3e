from django.urls import path

from ivig.hemovigilance import views

app_name = "hemovigilance"
urlpatterns = [
    path("lookback/", views.lookback_page, name="lookback"),
    path("lookback.csv", views.lookback_csv, name="lookback_csv"),
    path("lookback/letter/<int:patient_id>/", views.letter, name="letter"),
    path("lookback/quarantine/", views.quarantine, name="quarantine"),
]

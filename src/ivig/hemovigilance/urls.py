from django.urls import path

from ivig.hemovigilance import ae_views, views

app_name = "hemovigilance"
urlpatterns = [
    path("lookback/", views.lookback_page, name="lookback"),
    path("lookback.csv", views.lookback_csv, name="lookback_csv"),
    path("lookback/letter/<int:patient_id>/", views.letter, name="letter"),
    path("lookback/quarantine/", views.quarantine, name="quarantine"),
    path("adverse-events/", ae_views.WorklistView.as_view(), name="ae_worklist"),
    path("adverse-events/medwatch.csv", ae_views.medwatch_csv, name="ae_medwatch_csv"),
    path("adverse-events/<int:pk>/", ae_views.detail, name="ae_detail"),
    path("adverse-events/<int:pk>/edit/", ae_views.edit, name="ae_edit"),
    path("adverse-events/<int:pk>/start/", ae_views.start, name="ae_start"),
    path("adverse-events/<int:pk>/complete/", ae_views.complete, name="ae_complete"),
    path("adverse-events/<int:pk>/reported/", ae_views.reported, name="ae_reported"),
    path("adverse-events/<int:pk>/close/", ae_views.close, name="ae_close"),
]

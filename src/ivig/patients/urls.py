from django.urls import path

from ivig.patients import views, views_labs, wristband

app_name = "patients"
urlpatterns = [
    path("", views.PatientListView.as_view(), name="list"),
    path("new/", views.patient_create, name="create"),
    path("mine/", views.my_record, name="mine"),
    path("labs/import/", views_labs.lab_import, name="lab_import"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/wristband.pdf", wristband.wristband_pdf, name="wristband_pdf"),
    path("<int:pk>/labs/", views_labs.patient_labs, name="labs"),
    path("<int:pk>/measurements/", views.measurement_add, name="measurement_add"),
    path("<int:pk>/allergies/", views.allergy_add, name="allergy_add"),
    path(
        "<int:pk>/allergies/<int:allergy_pk>/deactivate/", views.allergy_deactivate, name="allergy_deactivate"
    ),
]

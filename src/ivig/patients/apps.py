from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "ivig.patients"
    label = "patients"
    verbose_name = "Patients"

from datetime import date

from django import template

from ivig.patients.models import Patient

register = template.Library()


@register.filter
def age_text(patient: Patient, today: date) -> str:
    return patient.age_text(today)

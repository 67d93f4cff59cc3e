"""QuestionnaireResponse: the after-infusion diary (followup.DiaryEntry), id = entry pk.

The questionnaire is ours (canonical ``<public URL>/fhir/Questionnaire/after-infusion-diary``). Items:
temperature (a UCUM quantity in Cel, and the value as typed), one yes/no item per symptom the diary asks
about (with the severity when present), the free-text notes, and the triage the diary showed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ivig.accounts.roles import VIEW_FOLLOWUP_WORKLIST
from ivig.clinical.triage import Level, Severity, Symptom
from ivig.fhir import search
from ivig.fhir.codes import coding, ivig_url, quantity
from ivig.fhir.registry import Source, reference, register
from ivig.followup.messages import LEVEL_HEADINGS, SEVERITY_LABELS, SYMPTOM_LABELS
from ivig.followup.models import DiaryEntry


def questionnaire_url() -> str:
    return ivig_url("Questionnaire/after-infusion-diary")


def _item(link_id: str, text: str, *answers: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {"linkId": link_id, "text": text}
    if answers:
        found["answer"] = list(answers)
    return found


def _symptom(symptom: Symptom, severity: int | None) -> dict[str, Any]:
    answer: dict[str, Any] = {"valueBoolean": severity is not None}
    if severity is not None:
        level = Severity(severity)
        answer["item"] = [
            _item(
                f"symptom-{symptom.value}-severity",
                "How bad",
                {
                    "valueCoding": coding(
                        ivig_url("CodeSystem/symptom-severity"),
                        level.name.lower(),
                        str(SEVERITY_LABELS[level]),
                    )
                },
            )
        ]
    return _item(f"symptom-{symptom.value}", str(SYMPTOM_LABELS[symptom]), answer)


def diary_to_fhir(entry: DiaryEntry) -> dict[str, Any]:
    follow_up = entry.follow_up
    items = []
    if entry.temp_c is not None:
        items.append(
            _item("temperature", "Temperature", {"valueQuantity": quantity(entry.temp_c, "°C", "Cel")})
        )
        items.append(
            _item("temperature-as-entered", "Temperature as typed", {"valueString": entry.temp_entered})
        )
    symptoms = [_symptom(s, entry.symptoms.get(s.value)) for s in Symptom]
    items.append({"linkId": "symptoms", "text": "Symptoms", "item": symptoms})
    if entry.notes.strip():
        items.append(_item("notes", "Anything else", {"valueString": entry.notes}))
    level = Level(entry.level)
    items.append(
        _item(
            "triage",
            "What the diary advised",
            {
                "valueCoding": coding(
                    ivig_url("CodeSystem/diary-triage"), level.code, str(LEVEL_HEADINGS[level])
                )
            },
        )
    )
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(entry.pk),
        "questionnaire": questionnaire_url(),
        "status": "completed",
        "subject": reference("Patient", follow_up.patient_id),
        "authored": entry.recorded_at.isoformat(),
        # The patient, a parent or a nurse: people are not served, so by name.
        "author": {"display": entry.recorded_by.display_name},
        "item": items,
    }


def entries() -> QuerySet[DiaryEntry]:
    return DiaryEntry.objects.select_related("follow_up", "recorded_by").order_by("pk")


register(
    Source(
        resource_type="QuestionnaireResponse",
        model=DiaryEntry,
        to_fhir=diary_to_fhir,
        patient_path="follow_up__patient",
        permission=VIEW_FOLLOWUP_WORKLIST,
        search={
            "patient": search.by_reference("follow_up__patient"),
            # R4 QuestionnaireResponse-subject: Reference(Any); only Patients are subjects here.
            "subject": search.by_reference("follow_up__patient"),
            "date": search.by_date("recorded_at"),  # ours, as authored (ivig.fhir.definitions)
            "authored": search.by_date("recorded_at"),
        },
        queryset=entries,
    )
)

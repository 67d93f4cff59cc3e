"""FHIR R4 AdverseEvent from the register, valid in every state (fhir.resources R4B, fhirclient strict)."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.fhir.registry import SearchError, sources
from ivig.fhir.resources.adverse_event import bundle, to_fhir
from ivig.hemovigilance.models import SERIOUSNESS_CRITERIA, AdverseEventReport
from ivig.hemovigilance.register import with_related
from tests.fhir_validation import validate_r4
from tests.plugins.adverse_events import reviewed

Report = AdverseEventReport


def _source():
    (source,) = sources("AdverseEvent")
    return source


def test_it_maps_a_flowsheet_report(flowsheet_reaction, quality):
    reaction = flowsheet_reaction(grade=3)
    report = reviewed(reaction.adverse_event.report, quality, causality="possible", outcome="recovering")

    resource = to_fhir(with_related(Report.objects.filter(pk=report.pk)).get())

    validate_r4(resource)
    assert resource["id"] == str(report.pk) and resource["actuality"] == "actual"
    assert resource["subject"] == {"reference": f"Patient/{report.patient_id}"}
    assert resource["event"]["text"] == report.description
    assert resource["seriousness"]["coding"][0]["code"] == "serious"
    assert resource["severity"]["coding"][0]["code"] == "severe"
    assert resource["outcome"]["coding"][0]["code"] == "recovering"
    assert datetime.fromisoformat(resource["date"]) == reaction.onset_at
    lots = {f"Medication/{lot.pk}" for lot in report.lots.all()}
    assert {s["instance"]["reference"] for s in resource["suspectEntity"]} == lots and len(lots) == 2
    causality = resource["suspectEntity"][0]["causality"][0]
    assert causality["assessment"]["coding"][0]["code"] == "Possible"
    assert causality["author"]["display"] == quality.display_name


def test_a_flowsheet_report_without_lots_names_the_infusion(flowsheet_reaction):
    reaction = flowsheet_reaction()
    report = reaction.adverse_event.report
    report.lots.clear()

    resource = to_fhir(with_related(Report.objects.filter(pk=report.pk)).get())

    validate_r4(resource)
    assert resource["suspectEntity"] == [
        {"instance": {"reference": f"MedicationAdministration/inf-{reaction.session_id}"}}
    ]


def test_every_combination_of_states_validates(flowsheet_reaction, diary_reaction, quality):
    flowsheet = flowsheet_reaction().adverse_event.report
    diary = diary_reaction().reaction.report
    diary_without_lots = diary_reaction().reaction.report
    diary_without_lots.lots.clear()
    reports = list(with_related(Report.objects.all()))
    assert len(reports) == 3 and flowsheet and diary
    statuses = [None, quality]  # not reviewed yet, reviewed (the causality has an author)
    checked = 0
    for report in reports:
        for grade, outcome, causality, serious, reviewer in itertools.product(
            range(1, 6), Report.Outcome.values, ["", *Report.Causality.values], (False, True), statuses
        ):
            report.grade, report.outcome, report.causality = grade, outcome, causality
            for name, _label in SERIOUSNESS_CRITERIA:
                setattr(report, name, False)
            report.serious = report.serious_other = serious
            report.reviewed_by = reviewer
            resource = to_fhir(report)
            validate_r4(resource)
            assert (resource["seriousness"]["coding"][0]["code"] == "serious") is serious
            checked += 1
    assert checked == 3 * 5 * 6 * 7 * 2 * 2


def test_the_decided_states_validate(flowsheet_reaction, quality):
    from ivig.hemovigilance import actions

    report = reviewed(flowsheet_reaction().adverse_event.report, quality)
    actions.mark_reported(by=quality, report=report, reported_on=timezone.localdate(), reference="MW-1")

    validate_r4(to_fhir(with_related(Report.objects.all()).get()))


def test_the_download_is_a_valid_collection_of_the_filtered_reports(
    client, flowsheet_reaction, diary_reaction, quality
):
    flowsheet = flowsheet_reaction().adverse_event.report
    diary_reaction()
    client.force_login(quality)

    response = client.get(reverse("ae_fhir_json"), {"lot": "F05A"})

    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    validate_r4(data)
    assert data["type"] == "collection"
    assert [entry["resource"]["id"] for entry in data["entry"]] == [str(flowsheet.pk)]
    everything = json.loads(client.get(reverse("ae_fhir_json")).content)
    assert len(everything["entry"]) == 2


def test_it_registers_a_source_with_the_register_permission():
    source = _source()

    assert (source.model, source.patient_path, source.permission, source.id_prefix) == (
        Report,
        "patient",
        "hemovigilance.view_adverse_events",
        "",
    )
    assert source.to_fhir is to_fhir


def test_the_search_filters_find_the_right_reports(flowsheet_reaction, diary_reaction):
    flowsheet = flowsheet_reaction(grade=3).adverse_event.report
    diary = diary_reaction().reaction.report
    search, base = _source().search, _source().base_queryset()
    day = timezone.localdate(flowsheet.onset_at)
    after = day + timedelta(days=1)

    def found(name, value):
        return {r.pk for r in search[name](base, value)}

    assert found("patient", str(flowsheet.patient_id)) == {flowsheet.pk}
    assert found("patient", f"Patient/{diary.patient_id}") == {diary.pk}
    assert found("lot", "G20A") == {flowsheet.pk}
    assert found("lot", "g20a") == set()  # lot numbers match as printed, like every lot search and lookback
    assert found("substance", f"Medication/{flowsheet.lots.first().pk}") == {flowsheet.pk}
    assert found("seriousness", "serious") == {flowsheet.pk}
    assert found("seriousness", "non-serious") == {diary.pk}
    assert flowsheet.pk in found("date", day.isoformat())
    assert found("date", f"ge{after.isoformat()}") == set()
    assert found("date", f"lt{day.isoformat()}") == set()
    assert flowsheet.pk in found("date", f"le{after.isoformat()}")
    moment = timezone.localtime(flowsheet.onset_at).replace(second=0, microsecond=0)
    assert flowsheet.pk in found("date", moment.strftime("%Y-%m-%dT%H:%M"))
    assert flowsheet.pk in found("date", "eq" + moment.isoformat())
    assert flowsheet.pk not in found("date", "ne" + moment.strftime("%Y-%m-%dT%H:%M"))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("patient", "abc"),
        ("patient", "Practitioner/1"),
        ("date", "yesterday"),
        ("date", "2026-02-30"),
        ("date", "xx2026-01-01"),
        ("date", "2026-01-01T25:00"),
        ("lot", ""),
        ("lot", "L" * 21),
        ("substance", "Lot/1"),
        ("seriousness", "grave"),
    ],
)
def test_it_refuses_bad_search_values(db, name, value):
    with pytest.raises(SearchError):
        _source().search[name](Report.objects.all(), value)


def test_a_page_of_resources_takes_a_constant_number_of_queries(
    flowsheet_reaction, diary_reaction, django_assert_max_num_queries
):
    flowsheet_reaction()
    for _ in range(3):
        diary_reaction()
    with django_assert_max_num_queries(3):
        resources = [to_fhir(report) for report in _source().base_queryset()]
    assert len(resources) == 4
    validate_r4(bundle(_source().base_queryset()))

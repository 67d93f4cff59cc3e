"""Import of a transaction Bundle of Patients and lab Observations: checked entry by entry, all or nothing,
with a transaction-response Bundle on success and an OperationOutcome (one issue per failing entry) on
failure; subjects by urn:uuid, by Patient id and by MRN."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from ivig.audit.models import AuditEvent
from ivig.cli import app
from ivig.fhir.importing import import_bundle, import_json
from ivig.patients.models import LabResult, Patient
from tests.fhir_validation import validate_r4

from .bundles import OURS, bundle, lab, patient, ref

pytestmark = pytest.mark.django_db


def _counts():
    return Patient.objects.count(), LabResult.objects.count(), AuditEvent.objects.count()


def test_it_imports_patients_and_results_referenced_by_urn_id_and_mrn(make_user, make_patient):
    nurse = make_user("Nurse")
    known = make_patient(nurse, mrn="KNOWN1")
    mia, leo = patient("EHR001"), patient("EHR002", given="Leo", born="2019-08-30")
    sent = bundle(
        mia,
        lab(ref(mia)),  # IgG 690 mg/dL = 6.9 g/L
        lab(ref(leo), code="777-3", value=45, unit="10*9/L"),
        leo,
        lab({"reference": f"Patient/{known.pk}"}, code="2160-0", value=0.8, unit="mg/dL"),
        lab({"reference": f"Patient?identifier={OURS}|KNOWN1"}, code="718-7", value=12.1, unit="g/dL"),
        lab(
            {"identifier": {"system": OURS, "value": "KNOWN1"}},
            code="62238-1",
            value=95,
            unit="mL/min/{1.73_m2}",
        ),
    )

    result = import_bundle(bundle=sent, by=nurse)

    assert result.ok and result.status_code == 200, result.resource
    validate_r4(result.resource)
    assert result.resource["type"] == "transaction-response"
    responses = [e["response"] for e in result.resource["entry"]]
    assert [r["status"] for r in responses] == ["201 Created"] * 7
    created_mia = Patient.objects.get(mrn="EHR001")
    assert responses[0]["location"] == f"Patient/{created_mia.pk}"
    assert (created_mia.given_name, created_mia.family_name, created_mia.date_of_birth) == (
        "Mia",
        "Ng",
        date(2015, 4, 2),
    )
    igg = LabResult.objects.get(patient=created_mia)
    assert (igg.kind, igg.value, igg.taken_on) == ("igg", Decimal("6.90"), date(2026, 1, 12))
    assert responses[1]["location"] == f"Observation/lab-{igg.pk}"
    assert LabResult.objects.get(patient__mrn="EHR002").kind == "platelets"
    assert sorted(LabResult.objects.filter(patient=known).values_list("kind", flat=True)) == [
        "creatinine",
        "egfr",
        "haemoglobin",
    ]
    assert LabResult.objects.get(patient=known, kind="creatinine").value == Decimal("70.72")
    assert AuditEvent.objects.filter(action="patient.create").count() == 3  # 2 imported + the known one
    imported = AuditEvent.objects.filter(action="lab.import")
    assert imported.count() == 5 and all(e.after["source"] == "FHIR transaction Bundle" for e in imported)
    assert (result.patients_created, result.results_created, result.results_already_on_file) == (2, 5, 0)

    again = import_bundle(
        bundle=bundle(lab({"reference": f"Patient/{known.pk}"}, code="2160-0", value=0.8)), by=nurse
    )
    assert again.ok and again.resource["entry"][0]["response"]["status"] == "200 OK"
    assert LabResult.objects.filter(patient=known).count() == 3


def test_it_writes_nothing_when_one_entry_is_bad_and_says_where(make_user, make_patient):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="TAKEN1")
    mia = patient("EHR010")
    before = _counts()

    result = import_bundle(
        bundle=bundle(mia, lab(ref(mia)), lab(ref(mia)), lab(ref(mia), unit="mmol/L")), by=nurse
    )

    assert result.status_code == 422 and not result.ok
    validate_r4(result.resource)
    (issue,) = result.resource["issue"]
    assert issue["expression"] == ["Bundle.entry[3].resource.valueQuantity.unit"]
    assert "mmol/L" in issue["diagnostics"] and "g/L or mg/dL" in issue["diagnostics"]
    assert _counts() == before


def test_it_reports_each_failing_entry(make_user, make_patient):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="TAKEN1")
    good, nameless, taken, twin, unborn = (
        patient("EHR020"),
        patient("EHR021"),
        patient("TAKEN1"),
        patient("EHR020"),
        patient("EHR024", born=(date.today() + timedelta(days=2)).isoformat()),
    )
    del nameless["resource"]["name"][0]["given"]
    future = (date.today() + timedelta(days=1)).isoformat()
    sent = bundle(
        good,  # 0
        nameless,  # 1
        taken,  # 2
        twin,  # 3
        unborn,  # 4
        lab(ref(good), code="1234-5"),  # 5 unknown code
        lab(ref(good), taken=future),  # 6
        lab(ref(good), value=90, unit="g/L"),  # 7 implausible IgG
        lab({"reference": "urn:uuid:nobody"}),  # 8
        lab({"reference": "Patient/999999"}),  # 9
        lab({"identifier": {"system": OURS, "value": "NOSUCHMRN"}}),  # 10
        lab(ref(nameless)),  # 11 its patient fails
        {**lab(ref(good)), "request": {"method": "PUT", "url": "Observation/1"}},  # 12
        {"resource": {"resourceType": "Condition"}, "request": {"method": "POST", "url": "Condition"}},  # 13
        lab(ref(good), value="abc"),  # 14 structure
        lab(ref(good)),  # 15 fine
    )
    sent["entry"][15]["resource"]["status"] = "preliminary"
    before = _counts()

    result = import_bundle(bundle=sent, by=nurse)

    assert result.status_code == 422
    validate_r4(result.resource)
    found = {int(i["expression"][0].split("[")[1].split("]")[0]): i for i in result.resource["issue"]}
    assert sorted(found) == list(range(1, 16))  # one issue per failing entry; entry 0 is fine
    paths = {index: issue["expression"][0].split("].", 1)[1] for index, issue in found.items()}
    assert paths == {
        1: "resource.name",
        2: "resource.identifier",
        3: "resource.identifier",
        4: "resource.birthDate",
        5: "resource.code",
        6: "resource.effectiveDateTime",
        7: "resource.valueQuantity.value",
        8: "resource.subject",
        9: "resource.subject",
        10: "resource.subject",
        11: "resource.subject",
        12: "request.method",
        13: "resource.resourceType",
        14: "resource.valueQuantity.value",
        15: "resource.status",
    }
    assert "already on file" in found[2]["diagnostics"] and found[2]["code"] == "duplicate"
    assert "also in entry 0" in found[3]["diagnostics"]
    assert "in the future" in found[6]["diagnostics"]
    assert "outside" in found[7]["diagnostics"]
    assert "NOSUCHMRN" in found[10]["diagnostics"]
    assert "entry 1" in found[11]["diagnostics"]
    assert found[14]["code"] == "structure"
    assert _counts() == before


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        (bundle(patient("X1"), kind="batch"), "Only a transaction Bundle"),
        (bundle(patient("X1"), kind="collection"), "Only a transaction Bundle"),
        ({"resourceType": "Patient"}, "Send a FHIR Bundle"),
        ([1, 2, 3], "Send a FHIR Bundle"),
        (bundle(), "has no entries"),
    ],
)
def test_it_refuses_what_is_not_a_transaction_bundle(make_user, sent, message):
    result = import_bundle(bundle=sent, by=make_user("Nurse"))
    assert result.status_code == 400
    validate_r4(result.resource)
    assert message in result.resource["issue"][0]["diagnostics"]
    assert Patient.objects.count() == 0


@pytest.mark.parametrize(
    "text", ["{not json", b"\xff\xfe\x00", "", '{"resourceType": "Bundle", "type": "transaction"']
)
def test_it_refuses_garbage_json(make_user, text):
    result = import_json(text, by=make_user("Nurse"))
    assert result.status_code == 400
    validate_r4(result.resource)
    assert "not JSON" in result.resource["issue"][0]["diagnostics"]


def test_it_refuses_entries_the_user_may_not_add(make_user):
    scheduler = make_user("Scheduler")  # may register patients, not enter lab results
    mia = patient("EHR030")
    result = import_bundle(bundle=bundle(mia, lab(ref(mia))), by=scheduler)
    assert result.status_code == 422
    (issue,) = result.resource["issue"]
    assert issue["code"] == "forbidden" and issue["expression"] == ["Bundle.entry[1].resource"]
    assert Patient.objects.count() == 0


def test_it_imports_from_the_command_line(make_user, tmp_path):
    make_user("Nurse", username="rn-cli")
    mia = patient("EHR040")
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(bundle(mia, lab(ref(mia)))))
    bad.write_text(json.dumps(bundle(lab({"reference": "Patient/424242"}))))

    runner = CliRunner()
    refused = runner.invoke(app, ["fhir", "import", str(bad), "--user", "rn-cli"])
    assert refused.exit_code == 2
    assert "Bundle.entry[0].resource.subject: There is no Patient/424242 here." in refused.output
    assert runner.invoke(app, ["fhir", "import", str(good), "--user", "nobody"]).exit_code == 2
    assert (
        runner.invoke(app, ["fhir", "import", str(tmp_path / "missing.json"), "--user", "rn-cli"]).exit_code
        == 2
    )

    done = runner.invoke(app, ["fhir", "import", str(good), "--user", "rn-cli"])
    assert done.exit_code == 0, done.output
    assert "Imported 1 patient(s) and 1 lab result(s)" in done.output
    assert Patient.objects.filter(mrn="EHR040").exists()

"""Import a FHIR transaction Bundle of Patients and lab Observations from an EHR: all entries or none.

Every entry is checked before anything is written: first its structure (fhir.resources R4B), then our rules
(an MRN, names and birth date for a patient, no MRN already on file or twice in the bundle; a LOINC lab code
we know, a unit ``ivig.clinical.labs`` converts, a plausible value, a date not in the future, a subject we
can find). Any problem: an OperationOutcome with one issue per failing entry (its FHIRPath ``expression``)
and nothing written. Otherwise the entries are written in one transaction through the patient and lab
actions (each leaves its audit event) and the answer is a transaction-response Bundle.

An Observation's subject is a Patient entry of the same bundle (``urn:uuid:...`` fullUrl), one of ours
(``Patient/<id>``), or one found by MRN (``Patient?identifier=[system|]MRN`` or a Reference.identifier).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from ivig.accounts.roles import ADD_LAB, ADD_PATIENT
from ivig.clinical.labs import ENTRY_UNITS, LOINC_KINDS, LabKind, to_stored_unit
from ivig.clinical.units import UnitError
from ivig.fhir.codes import LOINC, UCUM
from ivig.patients.actions import create_patient
from ivig.patients.lab_actions import LabEntry, LabError, check_lab_value, import_lab_result
from ivig.patients.models import Patient

MAX_ENTRIES = 10_000
SOURCE = "FHIR transaction Bundle"
MRN_TYPE = ("http://terminology.hl7.org/CodeSystem/v2-0203", "MR")
GENDERS = {"female": "female", "male": "male", "other": "unknown", "unknown": "unknown"}
FINAL = ("final", "amended", "corrected")
PERMISSIONS = {"Patient": ADD_PATIENT, "Observation": ADD_LAB}


@dataclass(frozen=True)
class ImportResult:
    """The FHIR answer (a transaction-response Bundle or an OperationOutcome) and its HTTP status."""

    resource: dict[str, Any]
    status_code: int
    patients_created: int = 0
    results_created: int = 0
    results_already_on_file: int = 0

    @property
    def ok(self) -> bool:
        return self.status_code == 200


class EntryProblem(Exception):
    def __init__(self, path: str, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.path, self.message, self.code = path, message, code


@dataclass
class _PatientEntry:
    index: int
    fields: dict[str, Any]
    created: Patient | None = None


@dataclass
class _LabEntry:
    index: int
    lab: LabEntry
    patient_entry: _PatientEntry | None  # set when the subject is a patient of this bundle


@dataclass
class _Checked:
    patients: dict[str, _PatientEntry] = field(default_factory=dict)  # fullUrl -> entry
    order: list[_PatientEntry | _LabEntry] = field(default_factory=list)
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)  # entry index -> its issue
    failed_urls: dict[str, int] = field(default_factory=dict)  # fullUrl of a failing entry -> its index


def outcome(issues: Iterable[tuple[str, str, str | None]], status_code: int) -> ImportResult:
    """An OperationOutcome from (code, diagnostics, expression) triples."""
    found = []
    for code, diagnostics, expression in issues:
        issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": diagnostics}
        if expression:
            issue["expression"] = [expression]
        found.append(issue)
    return ImportResult({"resourceType": "OperationOutcome", "issue": found}, status_code)


def import_json(text: str | bytes, *, by: Any) -> ImportResult:
    """Import a Bundle given as JSON text (an HTTP body, a file)."""
    try:
        bundle = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        return outcome([("structure", f"The body is not JSON: {error}", None)], 400)
    return import_bundle(bundle=bundle, by=by)


def import_bundle(*, bundle: Any, by: Any) -> ImportResult:
    """Check every entry, then write all of them in one transaction, or nothing with an OperationOutcome."""
    refused = _check_bundle(bundle)
    if refused is not None:
        return refused
    checked = _Checked()
    entries = bundle["entry"]
    _check_patients(entries, checked, by)
    for index, entry in enumerate(entries):
        # An entry without an issue passed _structure: a dict holding a resource dict.
        if index not in checked.issues and entry["resource"]["resourceType"] == "Observation":
            _check_observation(index, entry, checked, by)
    if checked.issues:
        issues = [checked.issues[index] for index in sorted(checked.issues)]
        return ImportResult({"resourceType": "OperationOutcome", "issue": issues}, 422)
    try:
        return _write(checked, by)
    except (DjangoValidationError, LabError, IntegrityError) as error:  # what only the database could check
        return outcome([("invalid", f"Nothing was imported: {error}", None)], 422)


def _check_bundle(bundle: Any) -> ImportResult | None:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return outcome([("structure", "Send a FHIR Bundle (resourceType Bundle).", "Bundle")], 400)
    if bundle.get("type") != "transaction":
        kind = bundle.get("type")
        return outcome(
            [
                (
                    "not-supported",
                    f"Only a transaction Bundle can be imported, not type {kind!r}.",
                    "Bundle.type",
                )
            ],
            400,
        )
    entries = bundle.get("entry")
    if not isinstance(entries, list) or not entries:
        return outcome([("required", "The Bundle has no entries.", "Bundle.entry")], 400)
    if len(entries) > MAX_ENTRIES:
        message = f"The Bundle has {len(entries)} entries; send at most {MAX_ENTRIES} at a time."
        return outcome([("too-costly", message, "Bundle.entry")], 400)
    return None


def _fail(checked: _Checked, index: int, problem: EntryProblem, full_url: str = "") -> None:
    path = f"Bundle.entry[{index}]" + (f".{problem.path}" if problem.path else "")
    issue = {"severity": "error", "code": problem.code, "diagnostics": problem.message, "expression": [path]}
    checked.issues.setdefault(index, issue)
    if full_url:
        checked.failed_urls[full_url] = index


def _structure(index: int, entry: Any, by: Any) -> dict[str, Any]:
    """The entry's resource once its envelope and its structure (fhir.resources R4B) are right."""
    if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
        raise EntryProblem("", "Each entry needs a resource.", "required")
    resource = entry["resource"]
    kind = resource.get("resourceType")
    if kind not in PERMISSIONS:
        raise EntryProblem(
            "resource.resourceType", f"Only Patient and Observation can be imported, not {kind!r}."
        )
    request = entry.get("request")
    if not isinstance(request, dict) or request.get("method") != "POST":
        raise EntryProblem("request.method", "Each entry is a create: request.method POST.", "not-supported")
    if not by.has_perm(PERMISSIONS[kind]):
        raise EntryProblem("resource", f"You may not add a {kind} here.", "forbidden")
    try:
        get_fhir_model_class(kind).model_validate(resource)
    except ValidationError as error:
        first = error.errors()[0]
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
        raise EntryProblem(
            f"resource{where}", f"{first['msg']} ({len(error.errors())} problem(s))", "structure"
        ) from None
    return dict(resource)


def _mrn(resource: dict[str, Any]) -> str:
    identifiers = [i for i in resource.get("identifier") or [] if str(i.get("value", "")).strip()]
    marked = [
        i
        for i in identifiers
        if any(
            (c.get("system"), c.get("code")) == MRN_TYPE for c in (i.get("type") or {}).get("coding") or []
        )
    ]
    chosen = (marked or identifiers or [None])[0]
    if chosen is None:
        raise EntryProblem(
            "resource.identifier", "The patient needs an identifier: the medical record number.", "required"
        )
    return str(chosen["value"]).strip()


def _patient_fields(resource: dict[str, Any]) -> dict[str, Any]:
    mrn = _mrn(resource)
    names = resource.get("name") or []
    official = [n for n in names if n.get("use") == "official"] or names
    name = official[0] if official else {}
    given, family = " ".join(name.get("given") or []).strip(), (name.get("family") or "").strip()
    if not given or not family:
        raise EntryProblem("resource.name", "The patient needs a family name and a given name.", "required")
    if not resource.get("birthDate"):
        raise EntryProblem("resource.birthDate", "The patient needs a birth date.", "required")
    try:
        born = date.fromisoformat(resource["birthDate"])
    except ValueError:
        raise EntryProblem("resource.birthDate", "Give the full birth date (YYYY-MM-DD).") from None
    if born > timezone.localdate():
        raise EntryProblem("resource.birthDate", f"The birth date {born} is in the future.")
    sex = GENDERS.get(resource.get("gender") or "unknown", "unknown")
    fields = {
        "mrn": mrn,
        "given_name": given,
        "family_name": family,
        "date_of_birth": born,
        "sex_at_birth": sex,
    }
    try:
        # Field checks only: the MRN is checked for all entries at once, and its one constraint (not blank)
        # by _mrn, so a large bundle is checked without a query per patient.
        Patient(**fields).full_clean(validate_unique=False, validate_constraints=False)
    except DjangoValidationError as error:
        message = "; ".join(f"{name}: {' '.join(texts)}" for name, texts in error.message_dict.items())
        raise EntryProblem("resource", message) from None
    return fields


def _check_patients(entries: list[Any], checked: _Checked, by: Any) -> None:
    found: list[tuple[int, dict[str, Any], str]] = []
    for index, entry in enumerate(entries):
        full_url = str(entry.get("fullUrl") or "") if isinstance(entry, dict) else ""
        try:
            resource = _structure(index, entry, by)
            if resource["resourceType"] == "Patient":
                found.append((index, _patient_fields(resource), full_url))
        except EntryProblem as problem:
            _fail(checked, index, problem, full_url)
    on_file = dict(Patient.objects.filter(mrn__in=[f["mrn"] for _i, f, _u in found]).values_list("mrn", "pk"))
    seen: dict[str, int] = {}
    for index, fields, full_url in found:
        mrn = fields["mrn"]
        if mrn in on_file:
            message = (
                f"A patient with MRN {mrn} is already on file (Patient/{on_file[mrn]}): refer to it instead."
            )
            _fail(checked, index, EntryProblem("resource.identifier", message, "duplicate"), full_url)
        elif mrn in seen:
            message = f"MRN {mrn} is also in entry {seen[mrn]}."
            _fail(checked, index, EntryProblem("resource.identifier", message, "duplicate"), full_url)
        else:
            seen[mrn] = index
            patient_entry = _PatientEntry(index, fields)
            checked.order.append(patient_entry)
            if full_url:
                checked.patients[full_url] = patient_entry


def _subject(resource: dict[str, Any], checked: _Checked) -> tuple[Patient, _PatientEntry | None]:
    subject = resource.get("subject") or {}
    ref = str(subject.get("reference") or "")
    if ref in checked.failed_urls:
        message = f"Its subject, entry {checked.failed_urls[ref]}, cannot be imported (see that entry)."
        raise EntryProblem("resource.subject", message, "invariant")
    if ref.startswith("urn:"):
        patient_entry = checked.patients.get(ref)
        if patient_entry is None:
            raise EntryProblem(
                "resource.subject", f"No Patient entry of this Bundle has fullUrl {ref}.", "not-found"
            )
        return Patient(**patient_entry.fields), patient_entry
    if ref.startswith("Patient/"):
        key = ref[8:]
        valid = key.isascii() and key.isdigit() and len(key) <= 18  # "²".isdigit() is True
        patient = Patient.objects.filter(pk=int(key)).first() if valid else None
        if patient is None:
            raise EntryProblem("resource.subject", f"There is no {ref} here.", "not-found")
        return patient, None
    if ref.startswith("Patient?identifier="):
        mrn = ref.removeprefix("Patient?identifier=").rpartition("|")[2]
    elif (subject.get("identifier") or {}).get("value"):
        mrn = str(subject["identifier"]["value"])
    else:
        message = (
            "Give the subject: a Patient entry's urn:uuid, Patient/<id>, or the patient's MRN as identifier."
        )
        raise EntryProblem("resource.subject", message, "required")
    patient = Patient.objects.filter(mrn=mrn.strip()).first()
    if patient is None:
        raise EntryProblem("resource.subject", f"No patient here has MRN {mrn}.", "not-found")
    return patient, None


def _kind(resource: dict[str, Any]) -> LabKind:
    codes = [c.get("code") for c in resource["code"].get("coding") or [] if c.get("system") == LOINC]
    for code in codes:
        if code in LOINC_KINDS:
            return LOINC_KINDS[code]
    known = ", ".join(sorted(LOINC_KINDS))
    message = f"No LOINC code we import ({', '.join(map(str, codes)) or 'none given'}): use one of {known}."
    raise EntryProblem("resource.code", message, "code-invalid")


def _value(resource: dict[str, Any], kind: LabKind) -> tuple[Decimal, str]:
    quantity = resource.get("valueQuantity")
    if not isinstance(quantity, dict) or quantity.get("value") is None:
        raise EntryProblem(
            "resource.valueQuantity", "The result needs a valueQuantity with a value.", "required"
        )
    try:
        value = Decimal(str(quantity["value"]))
    except InvalidOperation:
        raise EntryProblem("resource.valueQuantity.value", "The value is not a number.") from None
    # The UCUM code first, then the unit as printed.
    candidates = [quantity.get("code")] if quantity.get("system") == UCUM else []
    units = [str(unit).strip() for unit in [*candidates, quantity.get("unit")] if str(unit or "").strip()]
    if not units:
        message = f"The value has no unit: use {' or '.join(ENTRY_UNITS[kind])}."
        raise EntryProblem("resource.valueQuantity.unit", message, "required")
    refusal = ""
    for unit in units:
        try:
            to_stored_unit(kind, 1.0, unit)
        except UnitError as error:
            refusal = refusal or str(error)
            continue
        return value, unit
    raise EntryProblem("resource.valueQuantity.unit", refusal[:1].upper() + refusal[1:], "value")


def _taken_on(resource: dict[str, Any]) -> date:
    text = resource.get("effectiveDateTime")
    if not text:
        raise EntryProblem(
            "resource.effectiveDateTime", "Give effectiveDateTime: when the sample was taken.", "required"
        )
    if len(text) == 10:
        taken = date.fromisoformat(text)
    elif len(text) > 10:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        taken = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    else:
        raise EntryProblem(
            "resource.effectiveDateTime", "Give the full date the sample was taken (YYYY-MM-DD)."
        )
    if taken > timezone.localdate():
        raise EntryProblem("resource.effectiveDateTime", f"The date {taken} is in the future.")
    return taken


def _check_observation(index: int, entry: dict[str, Any], checked: _Checked, by: Any) -> None:
    if index in checked.issues:
        return  # its structure is already reported
    resource = entry["resource"]
    try:
        if resource.get("status") not in FINAL:
            raise EntryProblem(
                "resource.status", f"Only final results are imported, not {resource.get('status')!r}."
            )
        kind = _kind(resource)
        value, unit = _value(resource, kind)
        taken_on = _taken_on(resource)
        patient, patient_entry = _subject(resource, checked)
        try:
            lab = check_lab_value(patient=patient, kind=kind.value, value=value, unit=unit, taken_on=taken_on)
        except LabError as error:
            raise EntryProblem("resource.valueQuantity.value", str(error), "value") from None
    except EntryProblem as problem:
        _fail(checked, index, problem)
        return
    checked.order.append(_LabEntry(index, lab, patient_entry))


@transaction.atomic
def _write(checked: _Checked, by: Any) -> ImportResult:
    responses: dict[int, dict[str, str]] = {}
    patients = results = already = 0
    for item in checked.order:
        if isinstance(item, _PatientEntry):
            item.created = create_patient(by=by, **item.fields)
            responses[item.index] = {"status": "201 Created", "location": f"Patient/{item.created.pk}"}
            patients += 1
            continue
        lab = item.lab
        if item.patient_entry is not None:
            assert item.patient_entry.created is not None  # patients come first in `order`
            lab = replace(lab, patient=item.patient_entry.created)
        result, created = import_lab_result(by=by, entry=lab, source=SOURCE)
        status = "201 Created" if created else "200 OK"
        responses[item.index] = {"status": status, "location": f"Observation/lab-{result.pk}"}
        results += created
        already += not created
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [{"response": responses[index]} for index in sorted(responses)],
    }
    return ImportResult(bundle, 200, patients, results, already)

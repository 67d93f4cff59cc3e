"""Import a FHIR transaction Bundle of Patients and lab Observations from an EHR: all entries or none.

Every entry is checked before anything is written: first on its own (``ivig.fhir.import_entries``: its
request, its structure with fhir.resources R4B, the required bindings, our rules for a patient or a lab
result), then against the database and the other entries, in bulk (a bounded number of queries whatever the
bundle's size): no MRN or other system's identifier already on file or twice in the bundle, ifNoneExist,
the subjects. Any problem: an OperationOutcome with one issue per failing entry (its FHIRPath ``expression``)
and nothing written. Otherwise the entries are written in one transaction through the patient and lab
actions (each leaves its audit event) and the answer is a transaction-response Bundle.

Identifiers match on system and value together (``ivig.patients.identity``): our MRN system, or a system in
the site table of identifier systems; an unknown system is refused, naming it. The Patient rule (which
identifier is our MRN, which are kept beside it) is in ``ivig.fhir.import_entries``.

Conditional create (FHIR R4 http.html#ccreate): a Patient entry's ``request.ifNoneExist`` is
``identifier=system|value`` (several values either-or, comma-separated). No patient matches: it is created.
One matches: nothing is created, the entry answers ``200 OK`` with that patient's location and references to
the entry's fullUrl name that patient, provided the entry's own MRN is that patient's (else the entry
fails). Several match: the whole Bundle fails with 412 Precondition Failed.

An Observation's subject is a Patient entry of the same bundle (``urn:uuid:...`` fullUrl), one of ours
(``Patient/<id>``), or found by identifier (``Patient?identifier=system|value`` or Reference.identifier)
among our patients and the bundle's new ones: no match or several, the entry fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from ivig.fhir.import_entries import (
    EntryProblem,
    LabDraft,
    PatientDraft,
    envelope,
    lab_draft,
    patient_draft,
)
from ivig.patients.actions import create_patient
from ivig.patients.identity import MRN, Key, Systems, find
from ivig.patients.lab_actions import LabEntry, LabError, check_lab_value, import_lab_result
from ivig.patients.models import Patient

if TYPE_CHECKING:
    from ivig.accounts.models import User

MAX_ENTRIES = 10_000
SOURCE = "FHIR transaction Bundle"


@dataclass(frozen=True)
class ImportResult:
    """The FHIR answer (a transaction-response Bundle or an OperationOutcome) and its HTTP status."""

    resource: dict[str, Any]
    status_code: int
    patients_created: int = 0
    results_created: int = 0
    results_already_on_file: int = 0
    patients_already_on_file: int = 0  # found by ifNoneExist

    @property
    def ok(self) -> bool:
        return self.status_code == 200


@dataclass
class _LabEntry:
    index: int
    lab: LabEntry
    patient_entry: PatientDraft | None  # set when the subject is a new patient of this bundle


@dataclass
class _Checked:
    patients: list[PatientDraft] = field(default_factory=list)
    labs: list[LabDraft] = field(default_factory=list)
    by_url: dict[str, PatientDraft] = field(default_factory=dict)  # fullUrl -> a patient entry that passed
    by_key: dict[Key, PatientDraft] = field(default_factory=dict)  # identifier -> a new patient of the bundle
    order: list[PatientDraft | _LabEntry] = field(default_factory=list)
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


def import_json(text: str | bytes, *, by: User) -> ImportResult:
    """Import a Bundle given as JSON text (an HTTP body, a file)."""
    try:
        bundle = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        return outcome([("structure", f"The body is not JSON: {error}", None)], 400)
    except RecursionError:  # arrays or objects nested deeper than the parser's recursion limit
        return outcome(
            [("structure", "The body is not a FHIR Bundle: its JSON is nested too deep.", None)], 400
        )
    return import_bundle(bundle=bundle, by=by)


def import_bundle(*, bundle: Any, by: User) -> ImportResult:
    """Check every entry, then write all of them in one transaction, or nothing with an OperationOutcome."""
    refused = _check_bundle(bundle)
    if refused is not None:
        return refused
    checked = _Checked()
    systems = Systems.load()
    for index, entry in enumerate(bundle["entry"]):
        full_url = str(entry.get("fullUrl") or "") if isinstance(entry, dict) else ""
        try:
            resource = envelope(index, entry, by)
            if resource["resourceType"] == "Patient":
                checked.patients.append(patient_draft(index, entry, systems))
            else:
                checked.labs.append(lab_draft(index, resource, systems))
        except EntryProblem as problem:
            _fail(checked, index, problem, full_url)
    keys = [key for draft in checked.patients for key in [*draft.keys, *(draft.if_none_exist or [])]]
    keys.extend(key for draft in checked.labs for key in draft.subject.keys)
    on_file = find(keys)
    several = _if_none_exist(checked, on_file)
    if several:
        return ImportResult({"resourceType": "OperationOutcome", "issue": several}, 412)
    _check_new_patients(checked, on_file)
    _check_labs(checked, on_file)
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


def _issue(index: int, problem: EntryProblem) -> dict[str, Any]:
    path = f"Bundle.entry[{index}]" + (f".{problem.path}" if problem.path else "")
    return {"severity": "error", "code": problem.code, "diagnostics": problem.message, "expression": [path]}


def _fail(checked: _Checked, index: int, problem: EntryProblem, full_url: str = "") -> None:
    checked.issues.setdefault(index, _issue(index, problem))
    if full_url:
        checked.failed_urls[full_url] = index


def _if_none_exist(checked: _Checked, on_file: dict[Key, int]) -> list[dict[str, Any]]:
    """Mark the Patient entries whose ifNoneExist finds one patient; the issues of those finding several."""
    several = []
    for draft in checked.patients:
        if draft.if_none_exist is None:
            continue
        found = sorted({on_file[key] for key in draft.if_none_exist if key in on_file})
        if len(found) > 1:
            listed = ", ".join(f"Patient/{pk}" for pk in found)
            message = f"ifNoneExist matches {len(found)} patients ({listed}): nothing was imported."
            several.append(
                _issue(draft.index, EntryProblem("request.ifNoneExist", message, "multiple-matches"))
            )
        elif found:
            mrn = draft.fields["mrn"]
            if on_file.get((MRN, mrn)) != found[0]:
                message = (
                    f"ifNoneExist finds Patient/{found[0]}, whose MRN is not {mrn}, this entry's MRN: the "
                    "condition and the resource name different patients."
                )
                _fail(
                    checked,
                    draft.index,
                    EntryProblem("request.ifNoneExist", message, "conflict"),
                    draft.full_url,
                )
            else:
                draft.existing = found[0]
    return several


def _check_new_patients(checked: _Checked, on_file: dict[Key, int]) -> None:
    seen: dict[Key, int] = {}
    for draft in checked.patients:
        if draft.index in checked.issues:
            continue
        if draft.existing is not None:
            checked.order.append(draft)
            if draft.full_url:
                checked.by_url[draft.full_url] = draft
            continue
        problem = None
        for key in draft.keys:
            named = f"MRN {key[1]}" if key[0] == MRN else f"the identifier {key[1]}|{key[2]}"
            if key in on_file:
                message = (
                    f"A patient with {named} is already on file (Patient/{on_file[key]}): refer to it "
                    "instead, or send the entry with ifNoneExist."
                )
                problem = EntryProblem("resource.identifier", message, "duplicate")
            elif key in seen:
                problem = EntryProblem(
                    "resource.identifier", f"{named} is also in entry {seen[key]}.", "duplicate"
                )
            if problem:
                break
        if problem:
            _fail(checked, draft.index, problem, draft.full_url)
            continue
        for key in draft.keys:
            seen[key] = draft.index
            checked.by_key[key] = draft
        checked.order.append(draft)
        if draft.full_url:
            checked.by_url[draft.full_url] = draft


def _check_labs(checked: _Checked, on_file: dict[Key, int]) -> None:
    wanted = {draft.subject.pk for draft in checked.labs if draft.subject.pk is not None}
    wanted.update(on_file[key] for draft in checked.labs for key in draft.subject.keys if key in on_file)
    wanted.update(draft.existing for draft in checked.patients if draft.existing is not None)
    patients = Patient.objects.in_bulk(wanted) if wanted else {}
    for draft in checked.labs:
        try:
            patient, patient_entry = _subject(draft, checked, on_file, patients)
            try:
                lab = check_lab_value(
                    patient=patient,
                    kind=draft.kind.value,
                    value=draft.value,
                    unit=draft.unit,
                    taken_on=draft.taken_on,
                )
            except LabError as error:
                raise EntryProblem("resource.valueQuantity.value", str(error), "value") from None
        except EntryProblem as problem:
            _fail(checked, draft.index, problem)
            continue
        checked.order.append(_LabEntry(draft.index, lab, patient_entry))


def _subject(
    draft: LabDraft, checked: _Checked, on_file: dict[Key, int], patients: dict[Any, Patient]
) -> tuple[Patient, PatientDraft | None]:
    subject, where = draft.subject, "resource.subject"
    if subject.urn:
        if subject.urn in checked.failed_urls:
            message = (
                f"Its subject, entry {checked.failed_urls[subject.urn]}, cannot be imported (see that entry)."
            )
            raise EntryProblem(where, message, "invariant")
        entry = checked.by_url.get(subject.urn)
        if entry is None:
            raise EntryProblem(
                where, f"No Patient entry of this Bundle has fullUrl {subject.urn}.", "not-found"
            )
        if entry.existing is not None:
            return patients[entry.existing], None
        return Patient(**entry.fields), entry
    if subject.pk is not None:
        if subject.pk not in patients:
            raise EntryProblem(where, f"There is no {subject.text} here.", "not-found")
        return patients[subject.pk], None
    on_record = {on_file[key] for key in subject.keys if key in on_file}
    in_bundle = {
        checked.by_key[key].index: checked.by_key[key] for key in subject.keys if key in checked.by_key
    }
    if len(on_record) + len(in_bundle) > 1:
        message = f"{subject.text} matches {len(on_record) + len(in_bundle)} patients: name one."
        raise EntryProblem(where, message, "multiple-matches")
    if on_record:
        return patients[on_record.pop()], None
    if in_bundle:
        entry = next(iter(in_bundle.values()))
        return Patient(**entry.fields), entry
    raise EntryProblem(where, f"No patient here has the identifier {subject.text}.", "not-found")


@transaction.atomic
def _write(checked: _Checked, by: User) -> ImportResult:
    responses: dict[int, dict[str, str]] = {}
    patients = matched = results = already = 0
    for item in checked.order:
        if isinstance(item, PatientDraft):
            if item.existing is not None:
                responses[item.index] = {"status": "200 OK", "location": f"Patient/{item.existing}"}
                matched += 1
                continue
            item.created = create_patient(by=by, identifiers=item.identifiers, **item.fields)
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
    return ImportResult(bundle, 200, patients, results, already, matched)

"""One entry of an imported Bundle, checked on its own (no query): its request, its structure, its required
bindings, and what we take from it. ``ivig.fhir.importing`` then checks the entries against the database
and each other, in bulk.

A Patient's identifiers (the rule; ``ivig.patients.identity`` says what a system means):

- our MRN is the value of an identifier of our system (settings.FHIR_MRN_SYSTEM) or of a system the site
  table maps as "our MRNs"; if they disagree the entry is refused. Identifiers with ``use`` old are skipped.
- identifiers of mapped systems (either use) are kept beside our MRN as sent (``PatientIdentifier``) and
  served in the Patient resource; an identifier of a system we do not know is not kept (we cannot use it).
- no MRN: refused, naming what was sent: an unknown system (an administrator may map it), an identifier
  without a system, or a mapped external system only (its number is kept beside our MRN, it is not ours).

A subject or ``ifNoneExist`` names a patient by identifier only with a system we know. Without a system
(``identifier=RB100001``, any system; ``identifier=|RB100001``, no system) it is refused although FHIR search
allows it: a bare number is how another hospital's RB100001 was once filed under ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from ivig import clock
from ivig.accounts.roles import ADD_LAB, ADD_PATIENT
from ivig.clinical.identity import birth_date_problem, mrn_problem, normalise_mrn, text_problem
from ivig.clinical.labs import ENTRY_UNITS, LOINC_KINDS, LabKind, to_stored_unit
from ivig.clinical.units import UnitError
from ivig.fhir.bindings import binding_problem
from ivig.fhir.codes import LOINC, UCUM
from ivig.patients.identity import EXTERNAL, MRN, Key, Systems, Token
from ivig.patients.models import Patient, PatientIdentifier

if TYPE_CHECKING:
    from ivig.accounts.models import User

SUPPORTED = {"Patient": ADD_PATIENT, "Observation": ADD_LAB}
GENDERS = {"female": "female", "male": "male", "other": "unknown", "unknown": "unknown"}
FINAL = ("final", "amended", "corrected")
FIELD_PATHS = {
    "mrn": "resource.identifier",
    "given_name": "resource.name",
    "family_name": "resource.name",
    "date_of_birth": "resource.birthDate",
    "sex_at_birth": "resource.gender",
}


class EntryProblem(Exception):
    def __init__(self, path: str, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.path, self.message, self.code = path, message, code


@dataclass
class PatientDraft:
    index: int
    full_url: str
    fields: dict[str, Any]
    identifiers: list[tuple[str, str]]  # other systems' (system, value), kept beside our MRN
    keys: list[Key]  # what names this patient: our MRN, and its external identifiers
    if_none_exist: list[Key] | None = None
    existing: int | None = None  # the patient ifNoneExist found: nothing is created
    created: Patient | None = None


@dataclass
class SubjectRef:
    text: str  # as sent, for messages
    urn: str = ""
    pk: int | None = None
    keys: list[Key] = field(default_factory=list)


@dataclass
class LabDraft:
    index: int
    kind: LabKind
    value: Decimal
    unit: str
    taken_on: date
    subject: SubjectRef


def envelope(index: int, entry: Any, by: User) -> dict[str, Any]:
    """The entry's resource once its request, its type, the user's right and its structure are right."""
    if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
        raise EntryProblem("", "Each entry needs a resource.", "required")
    resource = entry["resource"]
    kind = resource.get("resourceType")
    if kind not in SUPPORTED:
        named = kind if isinstance(kind, str) else "resource of no known type"
        message = (
            f"Entry {index} is a {named}, which is not imported here: a transaction may hold only "
            f"{' and '.join(SUPPORTED)} resources."
        )
        raise EntryProblem("resource.resourceType", message, "not-supported")
    request = entry.get("request")
    if not isinstance(request, dict) or request.get("method") != "POST":
        raise EntryProblem("request.method", "Each entry is a create: request.method POST.", "not-supported")
    if request.get("url") != kind:
        message = (
            f"Entry {index}'s request.url is {request.get('url')!r} but its resource is a {kind}: "
            f"a create posts to {kind!r}."
        )
        raise EntryProblem("request.url", message)
    if request.get("ifNoneExist") is not None and kind != "Patient":
        message = (
            "ifNoneExist is supported on Patient entries only: a lab result already on file (same patient, "
            "test, date and value) is recognised without it."
        )
        raise EntryProblem("request.ifNoneExist", message, "not-supported")
    if not by.has_perm(SUPPORTED[kind]):
        raise EntryProblem("resource", f"You may not add a {kind} here.", "forbidden")
    try:
        get_fhir_model_class(kind).model_validate(resource)
    except ValidationError as error:
        first = error.errors()[0]
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
        raise EntryProblem(
            f"resource{where}", f"{first['msg']} ({len(error.errors())} problem(s))", "structure"
        ) from None
    unbound = binding_problem(resource)
    if unbound is not None:
        raise EntryProblem(unbound[0], unbound[1], "code-invalid")
    return dict(resource)


def identifier_keys(tokens: list[Token], systems: Systems, where: str) -> list[Key]:
    """Keys for tokens that name a patient; refused without a system or with a system we do not know."""
    keys = []
    for token in tokens:
        if not token.value.strip():
            raise EntryProblem(where, f"The identifier {token} has no value.", "required")
        if not token.system:
            message = (
                f"Give the identifier's system: {token} could be any hospital's number "
                f"(ours would be {systems.ours}|{normalise_mrn(token.value)})."
            )
            raise EntryProblem(where, message, "not-supported")
        key = systems.key(token.system, token.value)
        if key is None:
            raise EntryProblem(where, systems.unknown(token.system), "not-supported")
        keys.append(key)
    return keys


def search_tokens(query: str, where: str) -> list[Token]:
    """The identifiers of ``identifier=a|b,c|d`` (one search parameter, values either-or)."""
    params = [part.partition("=") for part in query.removeprefix("?").split("&") if part]
    if len(params) != 1 or params[0][0] != "identifier" or not params[0][2]:
        message = f"{query!r}: only identifier=system|value can find a patient here."
        raise EntryProblem(where, message, "not-supported")
    return [Token.parse(unquote(part)) for part in params[0][2].split(",")]


def _identity(resource: dict[str, Any], systems: Systems) -> tuple[str, list[tuple[str, str]], list[Key]]:
    """Our MRN, other systems' identifiers to keep, and the keys naming the patient (module docstring)."""
    ours: list[tuple[str, str]] = []  # (path, MRN) from our system or one mapped as our MRNs
    kept: list[tuple[str, str]] = []
    unknown: list[str] = []
    systemless = False
    for position, identifier in enumerate(resource.get("identifier") or []):
        value, system = str(identifier.get("value") or ""), identifier.get("system") or ""
        path = f"resource.identifier[{position}]"
        if not value.strip() or identifier.get("use") == "old":
            continue
        use = systems.use(system) if system else None
        if use is None:
            systemless = systemless or not system
            unknown.extend([system] if system else [])
            continue
        if use == MRN:
            ours.append((f"{path}.value", normalise_mrn(value)))
        if system != systems.ours:
            problem = text_problem(value, "identifier") or (
                "The identifier is longer than 64 characters." if len(value.strip()) > 64 else None
            )
            if problem:
                raise EntryProblem(f"{path}.value", problem)
            kept.append((system, value.strip()))
    mrns = sorted({mrn for _path, mrn in ours})
    if len(mrns) > 1:
        message = f"The patient carries two different MRNs of ours ({', '.join(mrns)}): which one is right?"
        raise EntryProblem("resource.identifier", message, "business-rule")
    if not mrns:
        external = [f"{systems.names.get(system, system)} {value}" for system, value in kept]
        if external:
            message = (
                f"The patient has no MRN of ours (system {systems.ours}): {external[0]} is kept beside "
                "it, but it is another organisation's number, not ours."
            )
        elif unknown:
            message = systems.unknown(unknown[0])
        elif systemless:
            message = f"An identifier without a system cannot be our MRN: give system {systems.ours}."
        else:
            message = f"The patient needs an identifier: our medical record number (system {systems.ours})."
        raise EntryProblem("resource.identifier", message, "required" if not unknown else "not-supported")
    path, mrn = next(item for item in ours if item[1] == mrns[0])
    problem = mrn_problem(mrn)
    if problem:
        raise EntryProblem(path, problem)
    keys: list[Key] = [(MRN, mrn)]
    keys.extend((EXTERNAL, system, value) for system, value in kept if systems.use(system) == EXTERNAL)
    return mrn, sorted(set(kept)), keys


def patient_draft(index: int, entry: dict[str, Any], systems: Systems) -> PatientDraft:
    resource = entry["resource"]
    mrn, kept, keys = _identity(resource, systems)
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
    problem = birth_date_problem(born, clock.localdate())
    if problem:
        raise EntryProblem("resource.birthDate", problem)
    fields = {
        "mrn": mrn,
        "given_name": given,
        "family_name": family,
        "date_of_birth": born,
        "sex_at_birth": GENDERS[resource.get("gender") or "unknown"],
    }
    try:
        # Field checks only: MRNs and identifiers are checked for all entries at once (importing), so a
        # large bundle is checked without a query per patient.
        Patient(**fields).full_clean(validate_unique=False, validate_constraints=False)
        for system, value in kept:
            PatientIdentifier(system=system, value=value).full_clean(
                exclude=["patient", "recorded_by"], validate_unique=False, validate_constraints=False
            )
    except DjangoValidationError as error:
        name, texts = next(iter(error.message_dict.items()))
        raise EntryProblem(FIELD_PATHS.get(name, "resource"), " ".join(texts)) from None
    request = entry["request"]
    draft = PatientDraft(index, str(entry.get("fullUrl") or ""), fields, kept, keys)
    if request.get("ifNoneExist") is not None:
        where = "request.ifNoneExist"
        draft.if_none_exist = identifier_keys(
            search_tokens(str(request["ifNoneExist"]), where), systems, where
        )
    return draft


def _subject(resource: dict[str, Any], systems: Systems) -> SubjectRef:
    subject = resource.get("subject") or {}
    ref = str(subject.get("reference") or "")
    where = "resource.subject"
    if ref.startswith("urn:"):
        return SubjectRef(ref, urn=ref)
    if ref.startswith("Patient/"):
        key = ref[8:]
        if not (key.isascii() and key.isdigit() and len(key) <= 18):  # "²".isdigit() is True
            raise EntryProblem(where, f"There is no {ref} here.", "not-found")
        return SubjectRef(ref, pk=int(key))
    if ref.startswith("Patient?"):
        tokens = search_tokens(ref.removeprefix("Patient?"), where)
        return SubjectRef(ref, keys=identifier_keys(tokens, systems, where))
    identifier = subject.get("identifier") or {}
    if identifier.get("value"):
        token = Token(identifier.get("system"), str(identifier["value"]))
        return SubjectRef(str(token), keys=identifier_keys([token], systems, where))
    message = (
        "Give the subject: a Patient entry's urn:uuid, Patient/<id>, or Patient?identifier=<system>|<MRN>."
    )
    raise EntryProblem(where, message, "required")


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
    if quantity.get("comparator"):
        message = (
            f"The value is {quantity['comparator']}{quantity['value']}, a limit, not a measured value: "
            "it cannot be stored as a number. Enter it by hand with the laboratory's comment."
        )
        raise EntryProblem("resource.valueQuantity.comparator", message, "not-supported")
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
    if taken > clock.localdate():
        raise EntryProblem("resource.effectiveDateTime", f"The date {taken} is in the future.")
    return taken


def lab_draft(index: int, resource: dict[str, Any], systems: Systems) -> LabDraft:
    if resource.get("status") not in FINAL:
        raise EntryProblem(
            "resource.status", f"Only final results are imported, not {resource.get('status')!r}."
        )
    kind = _kind(resource)
    value, unit = _value(resource, kind)
    return LabDraft(index, kind, value, unit, _taken_on(resource), _subject(resource, systems))

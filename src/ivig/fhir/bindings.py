"""The required bindings (FHIR R4 terminologies.html#required) of the elements an import reads.

fhir.resources checks structure and primitive types only: a ``code`` is any string without blanks at its
ends, so ``"gender": "F"`` passes its model and was stored as unknown. A required binding means the code must
come from the value set; these are the R4 value sets of the Patient and Observation elements we read or could
misread, checked before anything is stored.
"""

from __future__ import annotations

from typing import Any

GENDER = ("AdministrativeGender", ("male", "female", "other", "unknown"))
IDENTIFIER_USE = ("IdentifierUse", ("usual", "official", "temp", "secondary", "old"))
NAME_USE = ("NameUse", ("usual", "official", "temp", "nickname", "anonymous", "old", "maiden"))
CONTACT_SYSTEM = ("ContactPointSystem", ("phone", "fax", "email", "pager", "url", "sms", "other"))
CONTACT_USE = ("ContactPointUse", ("home", "work", "temp", "old", "mobile"))
ADDRESS_USE = ("AddressUse", ("home", "work", "temp", "old", "billing"))
ADDRESS_TYPE = ("AddressType", ("postal", "physical", "both"))
LINK_TYPE = ("LinkType", ("replaced-by", "replaces", "refer", "seealso"))
OBSERVATION_STATUS = (
    "ObservationStatus",
    (
        "registered",
        "preliminary",
        "final",
        "amended",
        "corrected",
        "cancelled",
        "entered-in-error",
        "unknown",
    ),
)
COMPARATOR = ("QuantityComparator", ("<", "<=", ">=", ">"))

REQUIRED: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "Patient": {
        "gender": GENDER,
        "identifier.use": IDENTIFIER_USE,
        "name.use": NAME_USE,
        "telecom.system": CONTACT_SYSTEM,
        "telecom.use": CONTACT_USE,
        "address.use": ADDRESS_USE,
        "address.type": ADDRESS_TYPE,
        "link.type": LINK_TYPE,
        "contact.gender": GENDER,
        "contact.name.use": NAME_USE,
    },
    "Observation": {
        "status": OBSERVATION_STATUS,
        "identifier.use": IDENTIFIER_USE,
        "subject.identifier.use": IDENTIFIER_USE,
        "valueQuantity.comparator": COMPARATOR,
        "component.valueQuantity.comparator": COMPARATOR,
    },
}


def _values(node: Any, steps: list[str], path: str) -> list[tuple[str, Any]]:
    """The values at a dotted path with their FHIRPath (lists expand to name[i])."""
    if not steps:
        return [(path, node)]
    if not isinstance(node, dict) or steps[0] not in node:
        return []
    child, where = node[steps[0]], f"{path}.{steps[0]}"
    if isinstance(child, list):
        found = []
        for index, item in enumerate(child):
            found.extend(_values(item, steps[1:], f"{where}[{index}]"))
        return found
    return _values(child, steps[1:], where)


def binding_problem(resource: dict[str, Any]) -> tuple[str, str] | None:
    """(FHIRPath from "resource", message) of the first code outside its required value set, or None."""
    for element, (value_set, codes) in REQUIRED.get(str(resource.get("resourceType")), {}).items():
        for path, code in _values(resource, element.split("."), "resource"):
            if code not in codes:
                allowed = ", ".join(codes[:-1]) + f" or {codes[-1]}"
                message = (
                    f"{element} {code!r} is not a code of {value_set} (a required binding): use {allowed}."
                )
                return path, message
    return None

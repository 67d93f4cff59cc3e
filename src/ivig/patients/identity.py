"""Find patients by identifier, system and value together, as FHIR conditional references and searches ask.

What an identifier's system means here (the site table is ``IdentifierSystem``, kept in the admin):

- ours (``settings.FHIR_MRN_SYSTEM``), or a system mapped as "our MRNs": the value is one of our medical
  record numbers, matched normalised (``rb100001`` is ``RB100001``) against ``Patient.mrn``;
- a system mapped as "external" (active): matched exactly against the ``PatientIdentifier`` rows imported
  from that system, never against our MRNs;
- any other system is unknown: the value is another organisation's number, whatever it looks like. The
  import refuses it; a search finds nothing (we keep no identifier of it).

Lookups go in bulk (``find``): one query for MRNs and one per external system, whatever the number of keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from ivig.clinical.identity import normalise_mrn
from ivig.patients.models import IdentifierSystem, Patient, PatientIdentifier

MRN = IdentifierSystem.Use.MRN.value
EXTERNAL = IdentifierSystem.Use.EXTERNAL.value
# ("mrn", normalised MRN) or ("external", system, value): each names at most one patient (unique constraints).
Key = tuple[str, ...]


def mrn_system() -> str:
    """Our identifier system for MRNs (setting FHIR_MRN_SYSTEM, from the env IVIG_FHIR_MRN_SYSTEM)."""
    return str(settings.FHIR_MRN_SYSTEM)


@dataclass(frozen=True)
class Token:
    """A FHIR token ``system|value``; system None when no bar was given (any system), "" for ``|value``."""

    system: str | None
    value: str

    @classmethod
    def parse(cls, text: str) -> Token:
        if "|" not in text:
            return cls(None, text)
        system, _bar, value = text.partition("|")
        return cls(system, value)

    def __str__(self) -> str:
        return self.value if self.system is None else f"{self.system}|{self.value}"


@dataclass(frozen=True)
class Systems:
    """The systems we know: ours and the active rows of the site table (read once per import)."""

    ours: str
    uses: dict[str, str]
    names: dict[str, str]

    @classmethod
    def load(cls) -> Systems:
        rows = IdentifierSystem.objects.filter(active=True).values_list("uri", "use", "name")
        return cls(mrn_system(), {uri: use for uri, use, _n in rows}, {uri: name for uri, _u, name in rows})

    def use(self, system: str) -> str | None:
        """MRN, EXTERNAL, or None for a system we do not know."""
        return MRN if system == self.ours else self.uses.get(system)

    def key(self, system: str, value: str) -> Key | None:
        use = self.use(system)
        if use == MRN:
            return (MRN, normalise_mrn(value))
        if use == EXTERNAL:
            return (EXTERNAL, system, value.strip())
        return None

    def unknown(self, system: str) -> str:
        return (
            f"The identifier system {system} is unknown here: it is neither ours ({self.ours}) nor in the "
            "site's table of identifier systems, so its value is another organisation's number and cannot "
            "name one of our patients. An administrator can add the system (Admin: Identifier systems)."
        )


def find(keys: Iterable[Key]) -> dict[Key, int]:
    """The patient id each key names, for the keys on file: one query for MRNs, one per external system."""
    mrns: set[str] = set()
    external: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        if key[0] == MRN:
            mrns.add(key[1])
        else:
            external[key[1]].add(key[2])
    found: dict[Key, int] = {}
    if mrns:
        for mrn, pk in Patient.objects.filter(mrn__in=mrns).values_list("mrn", "pk"):
            found[(MRN, mrn)] = pk
    for system, values in external.items():
        rows = PatientIdentifier.objects.filter(system=system, value__in=values)
        for value, pk in rows.values_list("value", "patient_id"):
            found[(EXTERNAL, system, value)] = pk
    return found


def search_filter(token: Token) -> Q:
    """Patients with this identifier, as the FHIR token search reads it: ``system|value`` that system only,
    ``|value`` no system (none: every identifier we keep has one), ``value`` any system."""
    value = token.value.strip()
    stored = PatientIdentifier.objects.filter(value=value)
    if token.system is None:
        return Q(mrn=normalise_mrn(value)) | Q(pk__in=stored.values("patient_id"))
    if not token.system:
        return Q(pk__in=[])
    if token.system == mrn_system():
        return Q(mrn=normalise_mrn(value))
    found = Q(pk__in=stored.filter(system=token.system).values("patient_id"))
    if IdentifierSystem.objects.filter(uri=token.system, use=MRN, active=True).exists():
        found |= Q(mrn=normalise_mrn(value))
    return found

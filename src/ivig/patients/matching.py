"""Is this new patient someone already registered? Same date of birth and a name that nearly matches.

A second record for one person splits their history: the allergies, reactions and past doses on the first
record are not seen when ordering on the second. Names are compared with accents and case folded (Zoë Müller
is Zoe Muller), allowing a slip of a letter or two (Jon Smtih is Jon Smith), and with given and family names
either way round. A match is a question for the person registering, not a refusal: twins share a birthday.
"""

from __future__ import annotations

from datetime import date

from ivig.patients.models import Patient, search_key


def _name(given: str, family: str) -> str:
    text = search_key(f"{given} {family}")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def edit_distance(a: str, b: str) -> int:
    """Letters added, removed, changed or swapped with a neighbour (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, right in enumerate(b, 1):
            cost = 0 if left == right else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and left == b[j - 2] and a[i - 2] == right:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def allowed_slips(name: str) -> int:
    # One slip in a short name, two from 12 letters (about one in six), never more than three.
    return min(3, max(1, len(name.replace(" ", "")) // 6))


def names_match(given: str, family: str, other_given: str, other_family: str) -> bool:
    entered = _name(given, family)
    if not entered:
        return False
    limit = allowed_slips(entered)
    candidates = (_name(other_given, other_family), _name(other_family, other_given))
    return any(edit_distance(entered, known) <= limit for known in candidates)


def possible_duplicates(
    *, given_name: str, family_name: str, date_of_birth: date, mrn: str = ""
) -> list[Patient]:
    """Registered patients born the same day whose name nearly matches, under another MRN."""
    born_same_day = Patient.objects.filter(date_of_birth=date_of_birth).exclude(mrn__iexact=mrn)
    return [
        patient
        for patient in born_same_day.order_by("family_key", "given_key", "mrn")
        if names_match(given_name, family_name, patient.given_name, patient.family_name)
    ]

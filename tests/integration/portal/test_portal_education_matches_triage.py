"""The education page's "call 911 / call today / self-care" lists say what the diary's triage says (issue 16).

Both come from the core's RULES: every rule and every symptom is walked through the triage and looked up on
the rendered page, under the level the triage gave.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from ivig.clinical.triage import RULES, Level, Severity, Symptom, triage
from ivig.followup.messages import EDUCATION_LINES
from tests.factories.portal import PortalLinkFactory

LEVELS = {level.code: level for level in Level}


@pytest.fixture
def sections(client, make_user, make_patient):
    """The rendered education page's lists: level -> the lines listed under it."""
    child = make_patient(make_user("Nurse"))
    parent = make_user("Patient", username="parent-edu")
    PortalLinkFactory(user=parent, patient=child)
    client.force_login(parent)

    page = client.get(reverse("portal:education", args=[child.pk])).content.decode()

    found: dict[Level, list[str]] = {}
    for code, body in re.findall(r'data-level="(\w+)"[^>]*>(.*?)</ul>', page, re.DOTALL):
        items = re.findall(r"<li>(.*?)</li>", body, re.DOTALL)
        found[LEVELS[code]] = [html.unescape(item.strip()) for item in items]
    assert set(found) == set(Level)
    return found


def _lines(code: str) -> list[str]:
    with translation.override("en"):
        return [str(line) for line in EDUCATION_LINES[code]]


def _listed_at(sections, code: str) -> set[Level]:
    return {level for level, items in sections.items() if set(_lines(code)) <= set(items)}


def test_every_rule_taught_has_education_words_and_no_others():
    assert set(EDUCATION_LINES) == {rule.code for rule in RULES.values() if rule.taught}


def test_every_rule_is_listed_under_its_triage_level_and_nowhere_else(sections):
    for rule in RULES.values():
        if rule.taught:
            assert _listed_at(sections, rule.code) == {rule.level}, rule.code


def test_every_symptom_is_listed_under_the_level_the_diary_gives(sections):
    wrong = []
    for symptom in Symptom:
        for severity in Severity:
            for temp_c in (None, 37.0, 39.4):
                result = triage(temp_c=temp_c, symptoms={symptom: severity})
                finding = next(f for f in result.findings if f.symptom is symptom)
                listed = [_listed_at(sections, f.rule.code) for f in result.findings]
                if _listed_at(sections, finding.rule.code) != {finding.rule.level} or result.level != max(
                    level for levels in listed for level in levels
                ):
                    wrong.append((symptom.value, severity.name, temp_c, finding.rule.code))
    assert wrong == []


@pytest.mark.parametrize(
    ("temp_c", "symptoms"),
    [
        (39.4, {Symptom.STIFF_NECK_OR_LIGHT_SENSITIVITY: Severity.MILD}),
        (38.5, {Symptom.HEADACHE: Severity.SEVERE}),
        (None, {Symptom.STIFF_NECK_OR_LIGHT_SENSITIVITY: Severity.MILD, Symptom.HEADACHE: Severity.MILD}),
        (None, {Symptom.STIFF_NECK_OR_LIGHT_SENSITIVITY: Severity.MILD}),
    ],
)
def test_the_meningitis_signs_read_the_same_on_both(sections, temp_c, symptoms):
    result = triage(temp_c=temp_c, symptoms=symptoms)

    worst = result.findings[0].rule
    assert _listed_at(sections, worst.code) == {result.level}

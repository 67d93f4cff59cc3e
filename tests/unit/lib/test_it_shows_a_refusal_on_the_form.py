"""refusals_to(form): a refusal becomes the form's error and the page answers 422 (a version clash 409);
anything else is not a refusal and escapes."""

from __future__ import annotations

import pytest
from django import forms

from ivig.lib.refusals import ActionRefused, ConflictRefused, refusals_to


class NoteForm(forms.Form):
    note = forms.CharField()


def _refuse(error: Exception) -> refusals_to:
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    with refusals_to(form) as outcome:
        raise error
    return outcome


def test_it_shows_a_refusal_as_a_form_error_with_422() -> None:
    outcome = _refuse(ActionRefused("The lot is on hold."))
    assert outcome.form.non_field_errors() == ["The lot is on hold."]
    assert outcome.status == 422 and not outcome.conflict


def test_it_answers_409_to_a_version_clash() -> None:
    outcome = _refuse(ConflictRefused("Someone else saved first."))
    assert outcome.form.non_field_errors() == ["Someone else saved first."]
    assert outcome.status == 409 and outcome.conflict


def test_it_lets_anything_else_escape() -> None:
    with pytest.raises(KeyError):
        _refuse(KeyError("bug"))


def test_it_answers_200_to_a_form_not_yet_sent_and_422_to_an_invalid_one() -> None:
    with refusals_to(NoteForm()) as unsent:
        pass
    invalid = NoteForm({})
    with refusals_to(invalid) as outcome:
        invalid.is_valid()
    assert unsent.status == 200 and unsent.error is None
    assert outcome.status == 422 and outcome.error is None

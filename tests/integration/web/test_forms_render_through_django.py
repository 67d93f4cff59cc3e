"""Forms render through Django's form renderer with the project's one field template (web/field.html)."""

from __future__ import annotations

from django import forms


class _Form(forms.Form):
    mrn = forms.CharField(label="MRN", help_text="As on the wristband")
    urgent = forms.BooleanField(label="Urgent", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def test_it_renders_a_form_with_the_project_field_template():
    form = _Form(data={"mrn": ""})
    form.add_error(None, "Nothing saved.")

    html = str(form)

    assert '<div class="errors" role="alert"><p>Nothing saved.</p></div>' in html
    assert '<label for="id_mrn">MRN <span aria-hidden="true">*</span></label>' in html
    assert '<small class="muted">As on the wristband</small>' in html
    assert 'id="id_mrn-error"' in html
    assert '<div class="field check">' in html
    assert 'type="hidden" name="version"' in html


def test_it_renders_one_field_group():
    html = _Form()["urgent"].as_field_group()

    assert html.strip().startswith('<div class="field check">')

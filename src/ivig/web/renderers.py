"""The project's form renderer: every form and field renders through Django with the project's templates."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """`{{ form }}` draws the form's errors and fields, `{{ field.as_field_group }}` one labelled field."""

    form_template_name = "web/form.html"
    field_template_name = "web/field.html"

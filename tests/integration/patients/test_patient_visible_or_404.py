"""`Patient.objects.visible_or_404`: the one public way patient, portal and outcome pages open a record."""

from __future__ import annotations

import pytest
from django.http import Http404

from ivig.patients.models import Patient
from ivig.patients.portal_accounts import portal_emails

pytestmark = pytest.mark.django_db


def test_it_gives_staff_any_record_and_a_portal_account_only_its_own(make_user, portal_family):
    parent, (child,) = portal_family("rivera", "Lucia")
    stranger = make_user("Patient", username="stranger")
    nurse = make_user("Nurse")

    assert Patient.objects.visible_or_404(nurse, child.pk) == child
    assert Patient.objects.visible_or_404(parent, child.pk) == child
    with pytest.raises(Http404):  # 404, not 403: the portal does not say who is a patient here
        Patient.objects.visible_or_404(stranger, child.pk)
    with pytest.raises(Http404):
        Patient.objects.visible_or_404(nurse, child.pk + 1000)
    assert portal_emails(child) == ["rivera@example.org"]

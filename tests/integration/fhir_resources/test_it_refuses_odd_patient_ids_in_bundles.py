"""A subject like Patient/² (a digit to str.isdigit, not to int) is an entry problem, never a crash."""

from __future__ import annotations

import pytest

from ivig.fhir.importing import import_bundle
from ivig.patients.models import LabResult

from .bundles import bundle, lab

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("subject", ["Patient/²", "Patient/١٢", "Patient/" + "9" * 19])
def test_it_says_the_subject_is_not_found(make_user, subject):
    result = import_bundle(bundle=bundle(lab({"reference": subject})), by=make_user("Nurse"))

    assert not result.ok and result.status_code == 422
    issue = result.resource["issue"][0]
    assert issue["code"] == "not-found" and issue["expression"] == ["Bundle.entry[0].resource.subject"]
    assert LabResult.objects.count() == 0

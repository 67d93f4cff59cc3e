"""A draft's sheet is marked in big letters as not for administration; a signed order's is not."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MARK = "DRAFT – not for administration"


def test_it_marks_a_draft_as_not_for_administration(client, make_user, make_order):
    prescriber = make_user("Prescriber")
    draft = make_order(prescriber, sign=False)
    client.force_login(prescriber)
    html = client.get(reverse("orders:sheet", args=[draft.pk])).content.decode()
    assert f'<p class="sheet-mark sheet-mark-draft" role="alert">{MARK}</p>' in html
    assert "Preview of the draft" in html
    assert "7.5" in html  # the draft still shows its (preview) plan


def test_it_does_not_mark_a_signed_order(client, make_user, make_order):
    prescriber = make_user("Prescriber")
    order = make_order(prescriber)
    client.force_login(prescriber)
    html = client.get(reverse("orders:sheet", args=[order.pk])).content.decode()
    assert MARK not in html
    assert "Not yet verified by pharmacy" in html

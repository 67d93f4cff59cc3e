"""Without WeasyPrint (or Pango) the PDF link explains how to print from the browser instead of failing."""

from __future__ import annotations

import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_says_to_print_from_the_browser_when_weasyprint_is_missing(
    client, make_user, make_order, monkeypatch
):
    order = make_order(make_user("Prescriber"))
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint now raises ImportError
    client.force_login(make_user("Nurse"))
    response = client.get(reverse("orders:sheet_pdf", args=[order.pk]))
    assert response.status_code == 503
    html = response.content.decode()
    assert "print it from your browser" in html
    assert reverse("orders:sheet", args=[order.pk]) in html
    assert "Traceback" not in html

"""The order sheet as a PDF: WeasyPrint lays out the same sheet, with the patient and order on every page."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ivig.orders import views_sheet
from ivig.orders.sheet import build_sheet

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"


@pytest.fixture
def weasyprint_available() -> None:
    """Skip without WeasyPrint or Pango (`make test` installs Pango), except in CI, where it must be there."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"WeasyPrint cannot run here: {error}")


def _text(document: Any) -> str:
    """Every piece of text WeasyPrint laid out on the pages, margin boxes included."""
    found: list[str] = []

    def walk(box: Any) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            found.append(text)
        for child in getattr(box, "children", None) or ():
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(found)


def test_it_serves_the_sheet_as_an_inline_pdf(weasyprint_available, client, make_user, make_order):
    order = make_order(make_user("Prescriber"))
    client.force_login(make_user("Nurse"))
    response = client.get(reverse("orders:sheet_pdf", args=[order.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{order.reference}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_it_puts_the_mrn_and_reference_on_every_pdf_page(
    weasyprint_available, make_user, make_order, rf, settings
):
    order = make_order(make_user("Prescriber"))
    request = rf.get("/")
    html = render_to_string(
        "orders/sheet_pdf.html",
        {
            "sheet": build_sheet(order, today=timezone.localdate()),
            "printed_at": timezone.now(),
            "monitoring_source": "s8",
            "reaction_source": "s8",
        },
        request=request,
    )
    document = views_sheet.render_document(html, base_url=BASE, paper="letter")
    text = _text(document)
    assert order.patient.mrn in text
    assert order.reference in text
    assert "60" in text and "7.5" in text  # pump rates
    assert len(document.pages) >= 2
    for page in document.pages:  # the running footer names the patient and order on each page
        assert order.patient.mrn in _text(type("Doc", (), {"pages": [page]}))
    pdf = document.write_pdf()
    assert pdf.startswith(b"%PDF")

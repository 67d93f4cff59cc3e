"""The order sheet as a PDF: WeasyPrint lays out the same sheet, with the patient and order on every page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ivig.lib import pdf

pytestmark = pytest.mark.django_db


def test_it_serves_the_sheet_as_an_inline_pdf(weasyprint_available, client, make_user, make_order):
    order = make_order(make_user("Prescriber"))
    client.force_login(make_user("Nurse"))
    response = client.get(reverse("orders:sheet_pdf", args=[order.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{order.reference}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_it_puts_the_mrn_and_reference_on_every_pdf_page(
    weasyprint_available, page_text, client, make_user, make_order, monkeypatch
):
    """The text WeasyPrint laid out for the served PDF (caught on its way to write_pdf)."""
    order = make_order(make_user("Prescriber"))
    documents: list[Any] = []
    render = pdf.render_document

    def keep(*args: Any, **kwargs: Any) -> Any:
        documents.append(render(*args, **kwargs))
        return documents[-1]

    monkeypatch.setattr(pdf, "render_document", keep)
    client.force_login(make_user("Pharmacist"))
    response = client.get(reverse("orders:sheet_pdf", args=[order.pk]), {"paper": "letter"})
    assert response.content.startswith(b"%PDF")
    (document,) = documents
    text = " ".join(page_text(page) for page in document.pages)
    assert order.patient.mrn in text
    assert order.reference in text
    assert "7.5" in text and "60" in text  # pump rates, mL/h
    assert len(document.pages) >= 2
    for page in document.pages:  # the running footer names the patient and the order on each page
        assert f"MRN {order.patient.mrn}" in page_text(page)
        assert order.reference in page_text(page)

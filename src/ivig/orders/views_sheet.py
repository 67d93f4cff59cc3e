"""The order sheet: one HTML page for the browser (printed with print.css), and the same body as a PDF.

The PDF is made by WeasyPrint (ivig.lib.pdf) from the same template and stylesheets; when it cannot run here
the user gets a page saying to print from the browser instead.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.roles import VIEW_ORDER
from ivig.audit.reads import record_read
from ivig.lib.pdf import PdfUnavailable, write_pdf
from ivig.orders.models import TherapyOrder
from ivig.orders.sheet import (
    MONITORING_SOURCE,
    PAPER_SIZES,
    REACTION_SOURCE,
    build_sheet,
    pdf_page_css,
)

logger = logging.getLogger(__name__)


def _order(pk: int) -> TherapyOrder:
    return get_object_or_404(
        TherapyOrder.objects.select_related(
            "patient", "prescriber", "verified_by", "dispensed_by", "cancelled_by"
        ),
        pk=pk,
    )


def _context(order: TherapyOrder) -> dict[str, Any]:
    return {
        "sheet": build_sheet(order, today=clock.localdate()),
        "printed_at": clock.now(),
        "monitoring_source": MONITORING_SOURCE,
        "reaction_source": REACTION_SOURCE,
    }


@requires(VIEW_ORDER)
def order_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(pk)
    return render(request, "orders/sheet.html", _context(order) | {"papers": PAPER_SIZES})


@requires(VIEW_ORDER)
def order_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(pk)
    paper = request.GET.get("paper", "a4")
    if paper not in PAPER_SIZES:
        paper = "a4"
    html = render_to_string("orders/sheet_pdf.html", _context(order), request=request)
    try:
        pdf = write_pdf(html, base_url=request.build_absolute_uri("/"), page_css=pdf_page_css(paper))
    except PdfUnavailable as error:
        logger.warning("Order sheet PDF unavailable: %s", error)
        return render(request, "orders/sheet_pdf_unavailable.html", {"order": order}, status=503)
    record_read(
        action="order.sheet_pdf",
        by=request.user,  # type: ignore[arg-type]
        request=request,
        target_type="orders.TherapyOrder",
        target_id=str(order.pk),
        patients=[(order.patient_id, order.patient.mrn)],
        summary=f"Order sheet {order.reference} printed as PDF ({paper})",
        details={"paper": paper},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.reference}.pdf"'
    return response

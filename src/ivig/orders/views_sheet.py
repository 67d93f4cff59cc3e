"""The order sheet: one HTML page for the browser (printed with print.css), and the same body as a PDF.

The PDF is made by WeasyPrint from the same template and stylesheets. WeasyPrint is imported only when a PDF
is asked for, fetches nothing but our own static files, and when it (or Pango under it) is missing the user
gets a page saying to print from the browser instead.
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
from ivig.orders.models import TherapyOrder
from ivig.orders.sheet import (
    MONITORING_SOURCE,
    PAPER_SIZES,
    REACTION_SOURCE,
    build_sheet,
    pdf_page_css,
)
from ivig.web.pdf import static_file_for

logger = logging.getLogger(__name__)


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) cannot be loaded here."""


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


def _static_only_fetcher(urls: Any, base_url: str) -> Any:
    """A WeasyPrint URL fetcher that serves our static files and refuses everything else."""

    def lookup(url: str) -> tuple[bytes, str]:
        path, media_type = static_file_for(url, base_url)
        return path.read_bytes(), media_type

    base_class = getattr(urls, "URLFetcher", None)
    if base_class is None:  # WeasyPrint before the URLFetcher class: a function returning a dict

        def fetch_dict(url: str) -> dict[str, Any]:
            body, media_type = lookup(url)
            return {"string": body, "mime_type": media_type, "redirected_url": url}

        return fetch_dict

    class StaticOnlyFetcher(base_class):  # type: ignore[misc, valid-type]
        def fetch(self, url: str, headers: Any = None) -> Any:
            body, media_type = lookup(url)
            return urls.URLFetcherResponse(url, body, {"Content-Type": media_type})

    return StaticOnlyFetcher()


def render_document(html: str, *, base_url: str, paper: str) -> Any:
    """Lay the sheet's HTML out as WeasyPrint pages; raise PdfUnavailable when WeasyPrint cannot run here."""
    try:
        # Imported here, not at the top: WeasyPrint loads Pango, and only the PDF needs it.
        import weasyprint
        from weasyprint import urls
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    fetcher = _static_only_fetcher(urls, base_url)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher, media_type="print")
    page_css = weasyprint.CSS(string=pdf_page_css(paper), url_fetcher=fetcher, base_url=base_url)
    return document.render(stylesheets=[page_css])


def write_pdf(html: str, *, base_url: str, paper: str) -> bytes:
    """The sheet's HTML as PDF bytes."""
    return bytes(render_document(html, base_url=base_url, paper=paper).write_pdf())


@requires(VIEW_ORDER)
def order_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(pk)
    paper = request.GET.get("paper", "a4")
    if paper not in PAPER_SIZES:
        paper = "a4"
    html = render_to_string("orders/sheet_pdf.html", _context(order), request=request)
    try:
        pdf = write_pdf(html, base_url=request.build_absolute_uri("/"), paper=paper)
    except PdfUnavailable as error:
        logger.warning("Order sheet PDF unavailable: %s", error)
        return render(request, "orders/sheet_pdf_unavailable.html", {"order": order}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.reference}.pdf"'
    return response

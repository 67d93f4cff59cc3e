"""Wristband labels as PDF: the patient's name, date of birth and MRN as text, and the MRN as a barcode.

The barcode is Code 128 of the plain MRN (what the flowsheet's wristband check reads,
docs/reference/identification.md s16),
drawn as SVG by python-barcode (pure Python) and laid out by WeasyPrint the way the order sheet is
(ivig.lib.pdf). Printing is audited: a band is an identity document.
"""

from __future__ import annotations

import io
import logging
import re

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import VIEW_PATIENT
from ivig.audit.events import record
from ivig.lib.pdf import PdfUnavailable, write_pdf
from ivig.patients.models import Patient

logger = logging.getLogger(__name__)

# A common adult wristband label insert, 1 x 10 inches; the label prints twice so one can be kept spare.
LABEL_PAGE_CSS = "@page { size: 254mm 25.4mm; margin: 1.5mm 4mm; }"
_PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)


def code128_svg(text: str) -> SafeString:
    """The Code 128 barcode of `text` as an inline <svg> element (no text under it: the label prints it)."""
    import barcode
    from barcode.writer import SVGWriter

    out = io.BytesIO()
    barcode.get("code128", text, writer=SVGWriter()).write(
        out,
        options={"write_text": False, "module_height": 9.0, "module_width": 0.33, "quiet_zone": 3.0},
    )
    svg = _PROLOG.sub("", out.getvalue().decode("utf-8"), count=1)
    label = f'<svg role="img" aria-label="Barcode of MRN {text}" '
    return mark_safe(svg.replace("<svg ", label, 1))  # noqa: S308 - generated here from the MRN's characters


@requires(VIEW_PATIENT)
def wristband_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    """Staff who see the patient print the band; the patient's own portal account cannot."""
    patient = Patient.objects.visible_or_404(request.user, pk)
    context = {"patient": patient, "barcode": code128_svg(patient.mrn), "printed_at": clock.now()}
    html = render_to_string("patients/wristband_pdf.html", context, request=request)
    try:
        pdf = write_pdf(html, base_url=request.build_absolute_uri("/"), page_css=LABEL_PAGE_CSS)
    except PdfUnavailable as error:
        logger.warning("Wristband PDF unavailable: %s", error)
        return render(request, "patients/wristband_unavailable.html", {"patient": patient}, status=503)
    record(
        action="patient.wristband_print",
        by=request.user,
        target=patient,
        patient=patient,
        summary=f"Wristband label printed for MRN {patient.mrn}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="wristband-{patient.mrn}.pdf"'
    return response

"""Recall lookback pages: search a lot, see every recipient, export CSV, print draft letters, and hold the
lot's remaining stock everywhere in one action."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import HOLD_LOT, RUN_LOOKBACK
from ivig.audit.reads import record_read
from ivig.hemovigilance.forms import LetterForm, LookbackForm, QuarantineForm
from ivig.hemovigilance.lookback import Lookback, lookback_by_number
from ivig.inventory.actions import StockError, quarantine_lots
from ivig.inventory.models import LotBalance
from ivig.lib.csvcells import cell as _cell
from ivig.siteconfig.models import SiteSettings

RECIPIENTS_PER_PAGE = 25

CSV_COLUMNS = (
    "MRN",
    "Family name",
    "Given name",
    "Date of birth",
    "Care site",
    "Site phone",
    "Source",
    "Setting",
    "Date",
    "Product",
    "Lot",
    "GTIN",
    "Vials",
    "Grams",
    "Grams opened",
    "Reference",
    "Status",
    "Note",
)


def _search(request: HttpRequest) -> tuple[LookbackForm, Lookback | None]:
    form = LookbackForm(request.GET if request.GET else None)
    if not form.is_bound or not form.is_valid():
        return form, None
    return form, lookback_by_number(form.cleaned_data["lot"], form.cleaned_data["gtin"] or None)


def _query(form: LookbackForm) -> str:
    return urlencode({"lot": form.cleaned_data["lot"], "gtin": form.cleaned_data["gtin"] or ""})


@requires(RUN_LOOKBACK)
def lookback_page(request: HttpRequest) -> HttpResponse:
    form, found = _search(request)
    context: dict[str, Any] = {"form": form, "found": found}
    if found is not None:
        letter_form = LetterForm(request.GET)
        context.update(
            query=_query(form),
            stock=LotBalance.objects.filter(lot__in=found.lots, on_hand_vials__gt=0)
            .select_related("lot__product", "location")
            .order_by("lot__pk", "location__name"),
            holdable=[lot for lot in found.lots if lot.status == lot.Status.AVAILABLE],
            quarantine_form=QuarantineForm(
                initial={"lot": form.cleaned_data["lot"], "gtin": form.cleaned_data["gtin"]}
            ),
            letter_form=letter_form,
            notice=letter_form.cleaned_data["notice"] if letter_form.is_valid() else "",
            can_hold=request.user.has_perm(HOLD_LOT),
            **_recipient_page(request, found),
        )
    return render(request, "hemovigilance/lookback.html", context, status=400 if form.errors else 200)


def _url_for(name: str) -> Callable[[int], str]:
    """Make links for many rows from one `reverse` (a lookback page can hold thousands of links)."""
    pattern = reverse(name, args=[987654321]).replace("987654321", "{}")
    return pattern.format


def _recipient_page(request: HttpRequest, found: Lookback) -> dict[str, Any]:
    """One page of recipients: a recalled lot can reach hundreds of patients, and the page must stay quick
    for the nurse or quality officer working through them; the CSV holds every one."""
    page = Paginator(found.patients, RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
    return {"page": page, "rows": _page_rows(page.object_list)}


def _page_rows(patients: Iterable[Any]) -> list[dict[str, Any]]:
    patient_url, order_url = _url_for("patients:detail"), _url_for("orders:detail")
    letter_url = _url_for("hemovigilance:letter")
    return [
        {
            "patient": patient,
            "url": patient_url(patient.first.patient_id),
            "letter": letter_url(patient.first.patient_id),
            "receipts": [
                _receipt_line(receipt, order_url(receipt.order_id) if receipt.order_id else "")
                for receipt in patient.receipts
            ],
        }
        for patient in patients
    ]


def _receipt_line(receipt: Any, order_link: str) -> SafeString:
    """One receipt as the page lists it, made here rather than in the template: a page of 25 patients holds
    hundreds of receipts, and the template language took half the page's time drawing them."""
    when = timezone.localtime(receipt.when).strftime("%Y-%m-%d") if receipt.when else ""
    vials = f"{receipt.vials} vial{'' if receipt.vials == 1 else 's'}"
    reference = (
        format_html('<a href="{}">{}</a>', order_link, receipt.reference) if order_link else receipt.reference
    )
    return format_html(
        "{}: {} ({} g) — {}{} {}, {}{}",
        when,
        vials,
        format(receipt.grams.normalize(), "f"),
        receipt.source,
        f", {receipt.setting}" if receipt.setting else "",
        reference,
        receipt.status.lower(),
        format_html(' <span class="muted">({})</span>', receipt.note) if receipt.note else "",
    )


@requires(RUN_LOOKBACK)
def lookback_csv(request: HttpRequest) -> HttpResponse:
    form, found = _search(request)
    if found is None:
        return HttpResponse("Give a lot number (lot=...) or a scan (scan=...).", status=400)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = clock.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="lookback-{form.cleaned_data["lot"]}-{stamp}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in found.recipients:
        lot = found.lot(row.lot_id)
        when = timezone.localtime(row.when).strftime("%Y-%m-%d %H:%M") if row.when else ""
        writer.writerow(
            [
                _cell(value)
                for value in (
                    row.mrn,
                    row.family_name,
                    row.given_name,
                    row.date_of_birth.isoformat(),
                    row.care_site,
                    row.site_phone,
                    row.source,
                    row.setting,
                    when,
                    lot.product,
                    lot.lot_number,
                    lot.gtin or "",
                    row.vials,
                    f"{row.grams.normalize():f}",
                    f"{row.grams_opened.normalize():f}" if row.grams_opened is not None else "",
                    row.reference,
                    row.status,
                    row.note,
                )
            ]
        )
    lot_number = form.cleaned_data["lot"]
    record_read(
        action="hemovigilance.lookback_export",
        by=request.user,  # type: ignore[arg-type]
        request=request,
        target_type="hemovigilance.Lookback",
        target_id=str(lot_number),
        patients=[(row.patient_id, row.mrn) for row in found.recipients],
        summary=f"Recall lookback of lot {lot_number} exported as CSV with names "
        f"({len(found.patients)} patients)",
        details={"lot": str(lot_number), "rows": len(found.recipients), "patients": len(found.patients)},
    )
    return response


@requires(RUN_LOOKBACK)
def letter(request: HttpRequest, patient_id: int) -> HttpResponse:
    """A draft letter to one recipient (or their parent or guardian), to print and edit before sending."""
    form, found = _search(request)
    if found is None:
        raise Http404("No lot given")
    patient = next((p for p in found.patients if p.first.patient_id == patient_id), None)
    if patient is None:
        raise Http404("This patient did not receive the lot")
    letter_form = LetterForm(request.GET)
    notice = letter_form.cleaned_data["notice"] if letter_form.is_valid() else ""
    today = clock.localdate()
    first = patient.first
    age_years = (today - first.date_of_birth).days // 365
    context = {
        "patient": patient,
        "first": first,
        "lots": [found.lot(lot_id) for lot_id in dict.fromkeys(r.lot_id for r in patient.receipts)],
        "to_guardian": age_years < 18,
        "notice": notice,
        "today": today,
        "site": SiteSettings.load(),
        "back": reverse("hemovigilance:lookback") + "?" + _query(form),
    }
    return render(request, "hemovigilance/letter.html", context)


@requires(HOLD_LOT)
@require_POST
def quarantine(request: SignedInRequest) -> HttpResponse:
    """Hold all remaining stock of the searched lots, at every location, in one transaction."""
    form = QuarantineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason to quarantine the lot.")
        return redirect(
            reverse("hemovigilance:lookback") + "?" + urlencode({"lot": request.POST.get("lot", "")})
        )
    found = lookback_by_number(form.cleaned_data["lot"], form.cleaned_data["gtin"] or None)
    query = urlencode({"lot": form.cleaned_data["lot"], "gtin": form.cleaned_data["gtin"] or ""})
    if not found.lots:
        messages.error(request, f"No lot {form.cleaned_data['lot']} is recorded.")
    else:
        try:
            held = quarantine_lots(by=request.user, lots=found.lots, reason=form.cleaned_data["reason"])
        except StockError as error:
            messages.error(request, str(error))
        else:
            if held:
                numbers = ", ".join(f"{lot.product} lot {lot.lot_number}" for lot in held)
                messages.success(request, f"Quarantined at every location: {numbers}.")
            else:
                messages.info(request, "The lot was already held; nothing changed.")
    return redirect(reverse("hemovigilance:lookback") + "?" + query)

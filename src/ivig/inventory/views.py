"""Stock pages for the pharmacy: stock by product, lot and location with expiry alerts, receiving, a lot's
ledger, holds and recalls. Locations, transfers, wastage and counts are in `views_locations`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import HOLD_LOT, RECEIVE_STOCK, TRANSFER_STOCK, VIEW_STOCK, WASTE_STOCK
from ivig.inventory import actions
from ivig.inventory.filters import StockFilter
from ivig.inventory.forms import HoldForm, ReceiveForm, TransferForm, WasteForm
from ivig.inventory.models import Location, Lot, LotBalance, StockProduct
from ivig.inventory.queries import expiry_alerts
from ivig.lib.paging import filter_errors
from ivig.lib.refusals import refusals_to

# Lots this close to expiry are flagged so they are used first or returned in time.
NEAR_EXPIRY_DAYS = 30

# Status changes a lot can go through from its page: URL word -> (action, past tense for the message).
STATUS_CHANGES: dict[str, tuple[Callable[..., Lot], str]] = {
    "quarantine": (actions.quarantine_lot, "quarantined"),
    "release": (actions.release_lot, "released"),
    "recall": (actions.recall_lot, "recalled"),
}


@requires(VIEW_STOCK)
def stock_list(request: HttpRequest) -> HttpResponse:
    filters = StockFilter(request.GET)
    chosen = filters.chosen
    context: dict[str, Any] = {
        "filters": filters,
        "show_empty": filters.show_empty,
        "locations": list(Location.objects.all()),
        "chosen": chosen,
    }
    if not filters.is_valid():
        # A location that is not one (or not a number) shows nothing but why, as the other filtered lists do.
        messages.error(request, f"Check the filters: {filter_errors(filters)}")
        return render(
            request, "inventory/stock.html", context | {"rows": [], "empty_products": []}, status=400
        )
    held = LotBalance.objects.filter(on_hand_vials__gt=0).select_related("location")
    if chosen is not None:
        held = held.filter(location=chosen)
    lots = filters.qs.prefetch_related(Prefetch("balances", queryset=held, to_attr="held"))
    products = StockProduct.objects.prefetch_related(Prefetch("lots", queryset=lots, to_attr="shown_lots"))
    today = clock.localdate()
    rows = []
    for product in products:
        lot_rows = [_lot_row(lot, lot.on_hand_vials, today) for lot in product.shown_lots]
        usable = [row for row in lot_rows if row["usable"]]
        rows.append(
            {"product": product, "usable_vials": sum(row["on_hand"] for row in usable), "lots": lot_rows}
        )
    context |= {
        # A product with no lot to show is a name under a disclosure, not a card: on a phone twelve empty
        # cards pushed the lots that matter several screens down.
        "rows": [row for row in rows if row["lots"]],
        "empty_products": [row["product"] for row in rows if not row["lots"]],
        "alerts": [band for band in expiry_alerts(today, location=chosen) if band.lots],
    }
    return render(request, "inventory/stock.html", context)


def _lot_row(lot: Lot, on_hand_vials: int, today: date) -> dict[str, Any]:
    days_left = (lot.expiry_date - today).days
    return {
        "lot": lot,
        "on_hand": on_hand_vials,
        "days_left": days_left,
        "expired": lot.expired_on(today),
        "near_expiry": 0 <= days_left <= NEAR_EXPIRY_DAYS,
        "places": getattr(lot, "held", None),
        "usable": lot.dispensable_on(today),
    }


@requires(RECEIVE_STOCK)
def receive(request: SignedInRequest) -> HttpResponse:
    form = ReceiveForm(request.POST or None)
    with refusals_to(form) as outcome:
        if form.is_bound and form.is_valid():
            movement = actions.receive_stock(by=request.user, **form.action_arguments())
            messages.success(request, f"Received {movement.quantity_vials} vials of {movement.lot}.")
            return redirect("inventory:lot", pk=movement.lot_id)
    return render(request, "inventory/receive.html", {"form": form}, status=outcome.status)


@requires(VIEW_STOCK)
def lot_detail(request: HttpRequest, pk: int, forms: dict[str, Any] | None = None) -> HttpResponse:
    lot = get_object_or_404(Lot.objects.select_related("product"), pk=pk)
    forms = forms or {}
    context = {
        "lot": lot,
        "row": _lot_row(lot, lot.on_hand_vials, clock.localdate()),
        "places": lot.balances.select_related("location").filter(on_hand_vials__gt=0),
        "movements": lot.movements.select_related("recorded_by", "location")[:200],
        "can_hold": request.user.has_perm(HOLD_LOT),
        "can_transfer": request.user.has_perm(TRANSFER_STOCK),
        "can_waste": request.user.has_perm(WASTE_STOCK),
        "hold_form": forms.get("hold") or HoldForm(),
        "transfer_form": forms.get("transfer") or TransferForm(lot=lot),
        "waste_form": forms.get("waste") or WasteForm(lot=lot),
    }
    # A lot page shown again with one of its forms is a refused or invalid form: 422.
    return render(request, "inventory/lot.html", context, status=422 if forms else 200)


@requires(HOLD_LOT)
@require_POST
def lot_status(request: HttpRequest, pk: int, change: str) -> HttpResponse:
    if change not in STATUS_CHANGES:
        raise Http404("No such change")
    action, done = STATUS_CHANGES[change]
    lot = get_object_or_404(Lot, pk=pk)
    form = HoldForm(request.POST)
    if form.is_valid():
        with refusals_to(form):
            action(by=request.user, lot=lot, reason=form.cleaned_data["reason"])
            messages.success(request, f"Lot {lot.lot_number} {done}.")
            return redirect("inventory:lot", pk=lot.pk)
    return lot_detail(request, pk, forms={"hold": form})

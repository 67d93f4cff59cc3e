"""Stock pages for the pharmacy: stock by product and lot, receiving, a lot's ledger, holds and recalls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ivig.accounts.access import requires
from ivig.accounts.roles import HOLD_LOT, RECEIVE_STOCK, VIEW_STOCK
from ivig.inventory import actions
from ivig.inventory.forms import HoldForm, ReceiveForm
from ivig.inventory.models import Lot, StockProduct

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
    show_empty = request.GET.get("empty") == "1"
    lots = Lot.objects.with_stock(in_stock_only=not show_empty).order_by("expiry_date", "lot_number")
    products = StockProduct.objects.prefetch_related(Prefetch("lots", queryset=lots, to_attr="shown_lots"))
    today = timezone.localdate()
    rows = []
    for product in products:
        lot_rows = [_lot_row(lot, lot.on_hand_vials, today) for lot in product.shown_lots]
        usable = [row for row in lot_rows if row["usable"]]
        rows.append(
            {"product": product, "usable_vials": sum(row["on_hand"] for row in usable), "lots": lot_rows}
        )
    return render(request, "inventory/stock.html", {"rows": rows, "show_empty": show_empty})


def _lot_row(lot: Lot, on_hand_vials: int, today: date) -> dict[str, Any]:
    days_left = (lot.expiry_date - today).days
    return {
        "lot": lot,
        "on_hand": on_hand_vials,
        "days_left": days_left,
        "expired": lot.expired_on(today),
        "near_expiry": 0 <= days_left <= NEAR_EXPIRY_DAYS,
        "usable": lot.dispensable_on(today),
    }


@requires(RECEIVE_STOCK)
def receive(request: HttpRequest) -> HttpResponse:
    form = ReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            movement = actions.receive_stock(by=request.user, **form.action_arguments())
        except actions.StockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Received {movement.quantity_vials} vials of {movement.lot}.")
            return redirect("inventory:lot", pk=movement.lot_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "inventory/receive.html", {"form": form}, status=status)


@requires(VIEW_STOCK)
def lot_detail(request: HttpRequest, pk: int, hold_form: HoldForm | None = None) -> HttpResponse:
    lot = get_object_or_404(Lot.objects.select_related("product"), pk=pk)
    context = {
        "lot": lot,
        "row": _lot_row(lot, lot.on_hand_vials, timezone.localdate()),
        "movements": lot.movements.select_related("recorded_by")[:200],
        "can_hold": request.user.has_perm(HOLD_LOT),
        "hold_form": hold_form or HoldForm(),
    }
    return render(request, "inventory/lot.html", context, status=400 if hold_form else 200)


@requires(HOLD_LOT)
@require_POST
def lot_status(request: HttpRequest, pk: int, change: str) -> HttpResponse:
    if change not in STATUS_CHANGES:
        raise Http404("No such change")
    action, done = STATUS_CHANGES[change]
    lot = get_object_or_404(Lot, pk=pk)
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            action(by=request.user, lot=lot, reason=form.cleaned_data["reason"])
        except actions.StockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Lot {lot.lot_number} {done}.")
            return redirect("inventory:lot", pk=lot.pk)
    return lot_detail(request, pk, hold_form=form)

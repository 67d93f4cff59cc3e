"""Stock pages by location: the list of locations, adding and changing one, a location's count sheet, and the
transfer and wastage forms posted from a lot's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import COUNT_STOCK, MANAGE_LOCATIONS, TRANSFER_STOCK, VIEW_STOCK, WASTE_STOCK
from ivig.inventory.forms import CountForm, LocationForm, TransferForm, WasteForm
from ivig.inventory.location_actions import reconcile_count, save_location, transfer_stock, waste_stock
from ivig.inventory.models import Location, Lot, LotBalance, StockCount
from ivig.inventory.views import lot_detail
from ivig.lib.refusals import refusals_to


@requires(VIEW_STOCK)
def location_list(request: SignedInRequest) -> HttpResponse:
    locations = Location.objects.select_related("nurse").annotate(
        vials=Sum("balances__on_hand_vials"), lots=Count("balances", filter=Q(balances__on_hand_vials__gt=0))
    )
    form = LocationForm()
    can_manage = request.user.has_perm(MANAGE_LOCATIONS)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Adding a location needs the stock locations permission.")
        form = LocationForm(request.POST)
        if form.is_valid():
            with refusals_to(form):
                location = save_location(by=request.user, **form.cleaned_data)
                messages.success(request, f"Location {location} added.")
                return redirect("inventory:locations")
    context = {"locations": locations, "form": form, "can_manage": can_manage}
    return render(request, "inventory/locations.html", context, status=422 if form.errors else 200)


@requires(MANAGE_LOCATIONS)
def location_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    location = get_object_or_404(Location, pk=pk)
    initial = {
        "name": location.name,
        "kind": location.kind,
        "nurse": location.nurse,
        "active": location.active,
    }
    form = LocationForm(request.POST or None, initial=initial)
    with refusals_to(form) as outcome:
        if form.is_bound and form.is_valid():
            save_location(by=request.user, location=location, **form.cleaned_data)
            messages.success(request, f"Location {form.cleaned_data['name']} saved.")
            return redirect("inventory:locations")
    context = {"location": location, "form": form}
    return render(request, "inventory/location_edit.html", context, status=outcome.status)


@requires(COUNT_STOCK)
def location_count(request: SignedInRequest, pk: int) -> HttpResponse:
    """The count sheet: every lot the ledger has here (or had), a box for the vials counted."""
    location = get_object_or_404(Location, pk=pk)
    balances = list(
        LotBalance.objects.filter(location=location)
        .filter(Q(on_hand_vials__gt=0) | Q(lot__status=Lot.Status.AVAILABLE))
        .select_related("lot__product")
        .order_by("lot__product__catalog_slug", "lot__product__vial_size_g", "lot__expiry_date")
    )
    form = CountForm(request.POST or None, balances=balances)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form):
            counts = reconcile_count(
                by=request.user, location=location, lines=form.lines(), reason=form.cleaned_data["reason"]
            )
            differing = sum(1 for count in counts if count.difference_vials)
            messages.success(
                request,
                f"Count saved: {len(counts)} lot{'s' if len(counts) != 1 else ''}, "
                f"{differing} adjusted to the count.",
            )
            return redirect("inventory:location_count", pk=location.pk)
    recent = StockCount.objects.filter(location=location).select_related("lot", "counted_by")[:50]
    context = {"location": location, "form": form, "recent": recent}
    return render(request, "inventory/count.html", context, status=422 if form.errors else 200)


def _lot_form_view(
    permission: str,
    form_class: type[TransferForm] | type[WasteForm],
    key: str,
    act: Callable[..., Any],
    done: Callable[[Any], str],
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A view for one of a lot page's stock forms: act and go back to the lot, or show the page with the
    errors (the form as `key`)."""

    @requires(permission)
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        lot = get_object_or_404(Lot, pk=pk)
        form = form_class(request.POST, lot=lot)
        if form.is_valid():
            with refusals_to(form):
                result = act(by=request.user, lot=lot, **form.cleaned_data)
                messages.success(request, done(result))
                return redirect("inventory:lot", pk=lot.pk)
        return lot_detail(request, pk, forms={key: form})

    return view


lot_transfer = _lot_form_view(
    TRANSFER_STOCK,
    TransferForm,
    "transfer",
    transfer_stock,
    lambda transfer: f"Moved {transfer.quantity_vials} vials to {transfer.to_location}.",
)
lot_waste = _lot_form_view(
    WASTE_STOCK,
    WasteForm,
    "waste",
    waste_stock,
    lambda movement: f"Recorded {-movement.quantity_vials} wasted vials at {movement.location}.",
)

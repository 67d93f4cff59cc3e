"""The pharmacist's pages: the independent double check, and dispensing from lots (first expiry first out)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import DISPENSE_STOCK, VERIFY_ORDER
from ivig.inventory.models import Lot
from ivig.lib.refusals import refusals_to
from ivig.orders.actions import OrderError
from ivig.orders.findings import Caution, cautions, stop_problems
from ivig.orders.models import TherapyOrder
from ivig.orders.pharmacy import dispense_order, suggested_picks, verify_order, vial_needs
from ivig.orders.planning import OrderInput, compute_plan, product_name, ranked_slugs
from ivig.orders.views import get_order
from ivig.patients.forms import number_field


class VerifyForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        product_choices: list[tuple[str, str]] | None = None,
        cautions: list[Caution] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.cautions = list(cautions or [])
        self.fields["weight_kg"] = number_field("Weight you checked (kg)", required=True, example="25.0")
        self.fields["weight_kg"].help_text = "Type it from the chart or today's scale, not from the order."
        if product_choices is not None:
            self.fields["product_slug"] = forms.ChoiceField(label="Product", choices=product_choices)
        self.fields["dose_confirmed"] = forms.BooleanField(
            label="I have recalculated the dose and the vials and they agree", required=True
        )
        self.fields["dose_confirmed"].error_messages["required"] = "Confirm that you checked the dose."
        # One box per caution: the pharmacist acknowledges each one and the prescriber's reason for it.
        for caution in self.cautions:
            if not caution.problem:
                self.fields[ack_field(caution.code)] = forms.BooleanField(
                    label=f"I acknowledge: {caution.message}", required=False
                )

    def acknowledged(self) -> list[str]:
        return [c.code for c in self.cautions if self.cleaned_data.get(ack_field(c.code))]

    def caution_rows(self) -> list[dict[str, Any]]:
        return [
            {"caution": c, "box": self[ack_field(c.code)] if ack_field(c.code) in self.fields else None}
            for c in self.cautions
        ]

    def check_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(ACK_PREFIX)]


ACK_PREFIX = "ack-"


def ack_field(code: str) -> str:
    return f"{ACK_PREFIX}{code}"


def _comparison(signed: dict[str, Any] | None, now: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Rows of signed-against-now figures, so a pharmacist sees what changed since signing."""

    def first_day(plan: dict[str, Any] | None, key: str) -> Any:
        days = (plan or {}).get("days") or [{}]
        return days[0].get(key)

    def vials(plan: dict[str, Any] | None) -> str:
        return " + ".join(f"{v['count']} x {v['size_g']} g" for v in first_day(plan, "vials") or [])

    def top_rate(plan: dict[str, Any] | None) -> Any:
        steps = first_day(plan, "steps") or []
        return steps[-1]["rate_ml_per_h"] if steps else None

    rows = [
        ("Product", (signed or {}).get("product_name"), (now or {}).get("product_name")),
        ("Dosing weight (kg)", (signed or {}).get("dosing_weight_kg"), (now or {}).get("dosing_weight_kg")),
        ("Days", len((signed or {}).get("days", [])), len((now or {}).get("days", []))),
        ("Dose a day (g)", first_day(signed, "dispensed_g"), first_day(now, "dispensed_g")),
        ("Vials a day", vials(signed), vials(now)),
        ("Top pump rate (mL/h)", top_rate(signed), top_rate(now)),
        ("Duration (min)", first_day(signed, "duration_min"), first_day(now, "duration_min")),
    ]
    return [{"label": label, "signed": a, "now": b, "differs": a != b} for label, a, b in rows]


@requires(VERIFY_ORDER)
def order_verify(request: SignedInRequest, pk: int) -> HttpResponse:
    order = get_order(request, pk)
    if order.prescriber_id == request.user.pk:
        messages.error(request, "You signed this order: a different pharmacist must verify it.")
        return redirect("orders:detail", pk=order.pk)
    if order.status != TherapyOrder.Status.SIGNED:
        messages.error(
            request, f"{order.reference} is {order.get_status_display().lower()}, not ready to verify."
        )
        return redirect("orders:detail", pk=order.pk)
    today = clock.localdate()
    choices = None
    if not order.product_slug:
        choices = [(slug, product_name(slug)) for slug in ranked_slugs(OrderInput.from_order(order), today)]
    posted = request.POST.get("product_slug") if request.method == "POST" else None
    chosen = order.product_slug or posted or (choices[0][0] if choices else "")
    now = compute_plan(OrderInput.from_order(order, product_slug=chosen or None), today)
    items = cautions(now.plan, order.caution_reasons or {}) if now.plan else []
    form = VerifyForm(request.POST or None, product_choices=choices, cautions=items)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusals_to(form):
                verify_order(
                    by=request.user,
                    order=order,
                    weight_kg=form.cleaned_data["weight_kg"],
                    dose_confirmed=form.cleaned_data["dose_confirmed"],
                    product_slug=form.cleaned_data.get("product_slug", ""),
                    acknowledged=form.acknowledged(),
                )
                messages.success(request, f"{order.reference} verified.")
                return redirect("orders:detail", pk=order.pk)
        status = 422
    latest = order.patient.latest_weight()
    context = {
        "order": order,
        "patient": order.patient,
        "form": form,
        "latest_weight": latest,
        "weight_differs": latest is not None and latest.weight_kg != order.weight_kg,
        "comparison": _comparison(order.signed_plan, now.plan.to_dict() if now.plan else None),
        "now_error": now.error,
        "stops": stop_problems(now.plan) if now.plan else [],
        "plan": order.signed_plan,
    }
    return render(request, "orders/verify.html", context, status=status)


def _picks_from(request: HttpRequest, lots: dict[int, Lot]) -> tuple[list[tuple[Lot, int]], list[str]]:
    picks, errors = [], []
    for key in request.POST:
        raw = request.POST.get(key, "")
        if not key.startswith("lot-") or not raw.strip():
            continue
        try:
            lot = lots[int(key.removeprefix("lot-"))]
            vials = int(Decimal(raw.strip()))
        except (KeyError, ValueError, InvalidOperation):
            errors.append(f"{raw!r} is not a vial count for a lot of this product.")
            continue
        if vials < 0:
            errors.append(f"Lot {lot.lot_number}: the vial count cannot be negative.")
        elif vials:
            picks.append((lot, vials))
    return picks, errors


@requires(DISPENSE_STOCK)
def order_dispense(request: SignedInRequest, pk: int) -> HttpResponse:
    order = get_order(request, pk)
    if order.status != TherapyOrder.Status.VERIFIED:
        messages.error(
            request, f"{order.reference} is {order.get_status_display().lower()}, not ready to dispense."
        )
        return redirect("orders:detail", pk=order.pk)
    today = clock.localdate()
    # Orders are dispensed from the default pharmacy: its stock is what can be picked.
    all_lots = Lot.objects.with_stock(at_default=True).select_related("product")
    lots = {lot.pk: lot for lot in all_lots.filter(product__catalog_slug=order.verified_product_slug)}
    errors: list[str] = []
    entered: dict[str, str] = {}
    if request.method == "POST":
        entered = {key: request.POST.get(key, "") for key in request.POST if key.startswith("lot-")}
        picks, errors = _picks_from(request, lots)
        if not errors:
            try:
                dispense_order(by=request.user, order=order, picks=picks, today=today)
            except OrderError as error:
                errors.append(str(error))
            else:
                messages.success(request, f"{order.reference} dispensed.")
                return redirect("orders:detail", pk=order.pk)
    suggestions = suggested_picks(order, today)
    sections = []
    for need in vial_needs(order):
        suggested = {pick.lot.pk: pick.vials for pick in suggestions.get(need.size_g, [])}
        size_lots = sorted(
            (lot for lot in lots.values() if lot.product_id == getattr(need.stock_product, "pk", None)),
            key=lambda lot: (lot.expiry_date, lot.pk),
        )
        rows = [
            {
                "lot": lot,
                "usable": lot.dispensable_on(today) and lot.on_hand_vials > 0,
                "why_not": _why_not(lot, today),
                "value": entered.get(f"lot-{lot.pk}", suggested.get(lot.pk, "")),
            }
            for lot in size_lots
        ]
        short = need.count - sum(suggested.values())
        sections.append({"need": need, "rows": rows, "short": max(short, 0)})
    context = {"order": order, "patient": order.patient, "sections": sections, "errors": errors}
    return render(request, "orders/dispense.html", context, status=422 if errors else 200)


def _why_not(lot: Lot, today: Any) -> str:
    if lot.status != Lot.Status.AVAILABLE:
        return lot.get_status_display()
    if lot.expired_on(today):
        return f"Expired {lot.expiry_date:%Y-%m-%d}"
    if lot.on_hand_vials <= 0:
        return "No stock"
    return ""

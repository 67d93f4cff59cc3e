"""The prescriber's order form: regimen, weight, risk screening with dated labs, reasons.

Weight is entered in kg or lb and stored in kg; everything else is already in stored units.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings

from ivig import clock
from ivig.orders.models import TherapyOrder, regimen_choices
from ivig.orders.planning import (
    BLOOD_GROUP_CHOICES,
    GLUCOSE_METER_CHOICES,
    RISK_FLAGS,
    THROMBOSIS_CHOICES,
    OrderInput,
    product_choices,
)
from ivig.patients.forms import BodySizeFields, number_field
from ivig.patients.models import MAX_WEIGHT_KG, MIN_WEIGHT_KG, LabResult, Patient

REASON_PREFIX = "reason-"
REASON_MAX = 500
CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


def reason_field(code: str) -> str:
    """The name of the box for the prescriber's reason for one caution."""
    return f"{REASON_PREFIX}{code}"


PHARMACY_CHOOSES = ("", "Pharmacy chooses (best-suited product for this patient)")


def _lab_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for kind, label in LabResult.Kind.choices:
        fields[f"lab_{kind}"] = number_field(label, required=False, example="7.5")
        fields[f"lab_{kind}_on"] = forms.DateField(
            label=f"{label.split(' (')[0]} taken on",
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
    return fields


class OrderForm(BodySizeFields):
    """Everything an order says. `draft_fields()` gives what `actions.save_draft` stores."""

    def __init__(
        self, *args: Any, patient: Patient, order: TherapyOrder | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.order = order
        self.fields["weight"].label = "Weight today"
        self.fields["weight"].help_text = "The dose is planned on this weight."
        self.fields["height"].help_text = "Needed for ideal or adjusted body weight."
        self.fields["confirm_weight_change"] = forms.BooleanField(
            label="I have checked this weight against the last recorded one", required=False
        )
        f = self.fields
        f["regimen"] = forms.ChoiceField(label="Indication and regimen", choices=regimen_choices())
        f["route"] = forms.ChoiceField(label="Route", choices=TherapyOrder.Route.choices, initial="iv")
        f["product_slug"] = forms.ChoiceField(
            label="Product", choices=[PHARMACY_CHOOSES, *product_choices()], required=False
        )
        f["dose_g_per_kg"] = number_field("Dose (g/kg)", required=False, example="0.4")
        f["dose_g_per_kg"].help_text = "Per day or per course, as the regimen states. Blank: the usual dose."
        f["sc_dose_g"] = number_field("SC dose per infusion (g)", required=False, example="10")
        f["days"] = forms.IntegerField(
            label="Days",
            required=False,
            min_value=1,
            max_value=10,
            help_text="Blank: the regimen's usual days.",
        )
        f["repeat_interval_weeks"] = forms.IntegerField(
            label="Repeat every (weeks)", required=False, min_value=1, max_value=52
        )
        f["cycles"] = forms.IntegerField(label="Number of cycles", required=False, min_value=1, max_value=52)
        f["review_date"] = forms.DateField(
            label="Review by",
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
        f["weight_basis"] = forms.ChoiceField(
            label="Dosing weight", choices=TherapyOrder.WeightBasis.choices, required=False
        )
        f["weight_basis_reason"] = forms.CharField(
            label="Reason for a dosing weight other than the site policy", required=False, max_length=300
        )
        f["max_rate_mg_per_kg_per_min"] = number_field(
            "Maximum rate for this order (mg/kg/min)", required=False, example="4"
        )
        f["max_rate_mg_per_kg_per_min"].help_text = "Blank: the label's. It can only lower the label's rate."
        f["accept_rounded_dose"] = forms.BooleanField(
            label="Infuse the rounded (whole-vial) dose", required=False
        )
        f["pre_pregnancy_weight_kg"] = number_field("Pre-pregnancy weight (kg)", required=False, example="62")
        f["pre_pregnancy_weight_kg"].help_text = "When pregnant: the site policy may dose on it."
        for flag, label in RISK_FLAGS:
            f[flag] = forms.BooleanField(label=label, required=False)
        f["thrombosis_risks"] = forms.MultipleChoiceField(
            label="Thrombosis risk factors",
            choices=THROMBOSIS_CHOICES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        f["glucose_meter"] = forms.ChoiceField(
            label="Blood glucose meter", choices=GLUCOSE_METER_CHOICES, required=False
        )
        f["blood_group"] = forms.ChoiceField(label="Blood group", choices=BLOOD_GROUP_CHOICES, required=False)
        f["previous_reactions"] = forms.MultipleChoiceField(
            label="Products the patient reacted to before",
            choices=product_choices(),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 4}),
        )
        f["weeks_since_last_infusion"] = number_field(
            "Weeks since the last infusion", required=False, example="4"
        )
        f.update(_lab_fields())
        f["premedication"] = forms.CharField(
            label="Premedication", required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        f["justification"] = forms.CharField(
            label="Clinical justification", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
        )
        f["justification"].error_messages["required"] = "Give the clinical justification."
        f["acknowledge_overlap"] = forms.BooleanField(
            label="I know this patient has the active order(s) listed, and I mean both to be given",
            required=False,
        )

    @classmethod
    def initial_for(cls, patient: Patient, order: TherapyOrder | None = None) -> dict[str, Any]:
        """Start from the order being edited, or from the patient's latest weight, height and labs."""
        if order is not None:
            data: dict[str, Any] = {
                name: getattr(order, name)
                for name in (
                    "regimen", "route", "product_slug", "dose_g_per_kg", "sc_dose_g", "days",
                    "repeat_interval_weeks", "cycles", "review_date", "weight_basis", "weight_basis_reason",
                    "max_rate_mg_per_kg_per_min", "accept_rounded_dose", "pre_pregnancy_weight_kg",
                    "premedication", "justification",
                )
            }  # fmt: skip
            data |= {"weight": order.weight_kg, "height": order.height_cm, **(order.screening or {})}
            data |= {reason_field(code): text for code, text in (order.caution_reasons or {}).items()}
            for kind, entry in (order.labs or {}).items():
                data[f"lab_{kind}"], data[f"lab_{kind}_on"] = entry.get("value"), entry.get("taken_on")
            return data
        weight, height = patient.latest_weight(), patient.latest_height()
        data = {
            "weight": weight.weight_kg if weight else None,
            "height": height.height_cm if height else None,
        }
        for result in patient.lab_results.order_by("kind", "-taken_on", "-id"):
            data.setdefault(f"lab_{result.kind}", result.value)
            data.setdefault(f"lab_{result.kind}_on", result.taken_on)
        return data

    def screening_fields(self) -> list[forms.BoundField]:
        names = [flag for flag, _label in RISK_FLAGS]
        names += ["thrombosis_risks", "glucose_meter", "blood_group", "previous_reactions"]
        names.append("weeks_since_last_infusion")
        return [self[name] for name in names]

    def lab_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"lab_{kind}"], self[f"lab_{kind}_on"]) for kind, _label in LabResult.Kind.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_body_size(data)
        self._check_weight_change(data)
        self._check_labs(data)
        review = data.get("review_date")
        if review is not None and review < clock.localdate():
            self.add_error("review_date", "The review date is in the past.")
        if data.get("weight_basis") and not (data.get("weight_basis_reason") or "").strip():
            self.add_error("weight_basis_reason", "Say why the dosing weight differs from the site policy.")
        rate = data.get("max_rate_mg_per_kg_per_min")
        if rate is not None and rate <= 0:
            self.add_error("max_rate_mg_per_kg_per_min", "The maximum rate must be above 0.")
        before = data.get("pre_pregnancy_weight_kg")
        if before is not None and not MIN_WEIGHT_KG <= before <= MAX_WEIGHT_KG:
            self.add_error(
                "pre_pregnancy_weight_kg", f"Give a weight between {MIN_WEIGHT_KG} and {MAX_WEIGHT_KG} kg."
            )
        return data

    def _check_weight_change(self, data: dict[str, Any]) -> None:
        """Stop a weight far from the last recorded one (a unit slip, a typo) until it is confirmed."""
        entered, latest = data.get("weight_kg"), self.patient.latest_weight()
        if entered is None or latest is None or latest.weight_kg is None or data.get("confirm_weight_change"):
            return
        ratio = Decimal(entered) / latest.weight_kg
        limit = Decimal(str(settings.IVIG_WEIGHT_CHANGE_CONFIRM_RATIO))
        if ratio > limit or ratio < 1 / limit:
            self.add_error(
                "weight",
                f"{entered} kg is {ratio:.1f} times the last recorded weight "
                f"({latest.weight_kg} kg on {latest.measured_at:%Y-%m-%d}). Check the number and the unit; "
                "if it is right, tick the box to confirm it.",
            )

    def _check_labs(self, data: dict[str, Any]) -> None:
        today = clock.localdate()
        for kind, label in LabResult.Kind.choices:
            value, taken_on = data.get(f"lab_{kind}"), data.get(f"lab_{kind}_on")
            if value is None and taken_on is None:
                continue
            if value is None:
                self.add_error(f"lab_{kind}", f"Enter the {label} value, or clear its date.")
                continue
            low, high = LabResult.PLAUSIBLE[LabResult.Kind(kind)]
            if not low <= value <= high:
                self.add_error(f"lab_{kind}", f"{label} must be between {low} and {high}.")
            if taken_on is None:
                self.add_error(f"lab_{kind}_on", f"Give the date the {label.split(' (')[0]} was taken.")
            elif taken_on > today:
                self.add_error(f"lab_{kind}_on", "A lab date cannot be in the future.")

    def draft_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        screening: dict[str, Any] = {flag: bool(data.get(flag)) for flag, _label in RISK_FLAGS}
        screening |= {
            "thrombosis_risks": list(data.get("thrombosis_risks") or []),
            "glucose_meter": data.get("glucose_meter") or "unknown",
            "blood_group": data.get("blood_group") or "unknown",
            "previous_reactions": list(data.get("previous_reactions") or []),
            "weeks_since_last_infusion": _text(data.get("weeks_since_last_infusion")),
        }
        labs = {
            kind: {"value": _text(data[f"lab_{kind}"]), "taken_on": _date(data[f"lab_{kind}_on"])}
            for kind, _label in LabResult.Kind.choices
            if data.get(f"lab_{kind}") is not None
        }
        return {
            "regimen": data["regimen"],
            "route": data["route"],
            "product_slug": data.get("product_slug") or "",
            "dose_g_per_kg": data.get("dose_g_per_kg"),
            "sc_dose_g": data.get("sc_dose_g"),
            "days": data.get("days"),
            "repeat_interval_weeks": data.get("repeat_interval_weeks"),
            "cycles": data.get("cycles"),
            "review_date": data.get("review_date"),
            "weight_kg": data["weight_kg"],
            "height_cm": data.get("height_cm"),
            "weight_basis": data.get("weight_basis") or "",
            "weight_basis_reason": (data.get("weight_basis_reason") or "").strip(),
            "max_rate_mg_per_kg_per_min": data.get("max_rate_mg_per_kg_per_min"),
            "accept_rounded_dose": bool(data.get("accept_rounded_dose")),
            "pre_pregnancy_weight_kg": data.get("pre_pregnancy_weight_kg") if data.get("pregnant") else None,
            "caution_reasons": self.caution_reasons(),
            "screening": screening,
            "labs": labs,
            "premedication": data.get("premedication", "").strip(),
            "justification": data.get("justification", "").strip(),
        }

    def caution_reasons(self) -> dict[str, str]:
        """The reason typed in each caution's box. The boxes come and go with the plan, so they are read
        from the submitted data rather than declared as fields."""
        source = self.data if self.is_bound else self.initial
        reasons = {}
        for key in source:
            code = key.removeprefix(REASON_PREFIX)
            if key.startswith(REASON_PREFIX) and CODE.fullmatch(code):
                text = str(source.get(key) or "").strip()[:REASON_MAX]
                if text:
                    reasons[code] = text
        return reasons

    def order_input(self) -> OrderInput:
        fields = self.draft_fields()
        names = [name for name in OrderInput.__dataclass_fields__ if name in fields]
        return OrderInput(
            patient=self.patient,
            order_id=None if self.order is None else self.order.pk,
            series_id=None if self.order is None else self.order.series_id or self.order.pk,
            **{name: fields[name] for name in names},
        )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()

"""Reactions per 100 infusions by product, and vials wasted by reason and product (the stock ledger)."""

from __future__ import annotations

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf

from ivig.clinical.infusion.reactions import Grade
from ivig.infusions.models import InfusionSession
from ivig.inventory.models import StockMovement, catalog_product
from ivig.reports.period import Period
from ivig.reports.tables import Table, grams, per_100

SERIOUS_GRADE = int(Grade.SEVERE)  # the flowsheet calls grade 3 or more serious (infusions.reaction_actions)


def _product_name(slug: str) -> str:
    product = catalog_product(slug)
    return product.name if product else (slug or "Not recorded")


def reactions_by_product(period: Period) -> Table:
    """Infusions started in the period by the product given, with their flowsheet reactions."""
    sessions = InfusionSession.objects.filter(
        started_at__gte=period.start_at, started_at__lt=period.end_before
    ).exclude(status=InfusionSession.Status.SENT_BACK)
    product = Coalesce(NullIf("order__verified_product_slug", Value("")), "order__product_slug")
    counts = {
        "n_infusions": Count("id", distinct=True),
        "n_with_reaction": Count("id", distinct=True, filter=Q(reactions__isnull=False)),
        "n_reactions": Count("reactions", distinct=True),
        "n_serious": Count("reactions", distinct=True, filter=Q(reactions__grade__gte=SERIOUS_GRADE)),
    }
    rows = list(sessions.annotate(product=product).values("product").annotate(**counts).order_by("product"))
    total = sessions.aggregate(**counts)

    def cells(r: dict[str, int]) -> tuple[int | float | None, ...]:
        return (
            r["n_infusions"],
            r["n_reactions"],
            r["n_with_reaction"],
            r["n_serious"],
            per_100(r["n_reactions"], r["n_infusions"]),
        )

    lines = [(_product_name(r["product"]), *cells(r)) for r in rows]
    return Table(
        (
            "Product",
            "Infusions",
            "Reactions",
            "Infusions with a reaction",
            "Grade 3 or more",
            "Reactions per 100",
        ),
        sorted(lines, key=lambda line: str(line[0])),
        ("All products", *cells(total)),
    )


WASTE_GRAMS = Sum(
    -F("quantity_vials") * F("lot__product__vial_size_g"),
    output_field=DecimalField(max_digits=14, decimal_places=2),
)


def wastage(period: Period) -> Table:
    """Vials recorded as wasted in the ledger, by reason and product (count differences are not waste)."""
    wasted = StockMovement.objects.filter(
        kind=StockMovement.Kind.WASTE, recorded_at__gte=period.start_at, recorded_at__lt=period.end_before
    )
    rows = list(
        wasted.values("reason_code", "lot__product__catalog_slug")
        .annotate(vials=Sum(-F("quantity_vials")), grams=WASTE_GRAMS)
        .order_by("reason_code", "lot__product__catalog_slug")
    )
    total = wasted.aggregate(vials=Sum(-F("quantity_vials")), grams=WASTE_GRAMS)
    reasons = dict(StockMovement.ReasonCode.choices)
    lines = [
        (
            reasons.get(r["reason_code"], r["reason_code"]) if r["reason_code"] else "No reason code",
            _product_name(r["lot__product__catalog_slug"]),
            r["vials"] or 0,
            grams(r["grams"]),
        )
        for r in rows
    ]
    return Table(
        ("Reason", "Product", "Vials", "Grams"),
        lines,
        ("Total", "", total["vials"] or 0, grams(total["grams"])),
    )

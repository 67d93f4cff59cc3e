"""Medication: one per inventory Lot (id = the Lot's pk): the product, its strength, the batch and expiry."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ivig.accounts.roles import VIEW_ORDER
from ivig.fhir.codes import ACTIVE_INGREDIENT, GTIN, catalog_product, compact, day, quantity
from ivig.fhir.registry import Source, register
from ivig.fhir.search import by_lot
from ivig.inventory.models import Lot

STATUS: dict[str, str] = {
    Lot.Status.AVAILABLE: "active",
    Lot.Status.QUARANTINED: "inactive",
    Lot.Status.RECALLED: "inactive",
}
MAKER_ID = "manufacturer"


def to_fhir(lot: Lot) -> dict[str, Any]:
    stock = lot.product
    product = catalog_product(stock.catalog_slug)
    name = product.name if product else stock.catalog_slug
    gtin = lot.gtin or stock.gtin
    grams = stock.vial_size_g
    coding = [{"system": GTIN, "code": gtin}] if gtin else []
    resource: dict[str, Any] = {
        "resourceType": "Medication",
        "id": str(lot.pk),
        "code": compact({"coding": coding, "text": f"{name} {grams.normalize():f} g vial"}),
        "status": STATUS.get(lot.status, "active"),
    }
    if product is not None:
        resource["contained"] = [{"resourceType": "Organization", "id": MAKER_ID, "name": product.maker}]
        resource["manufacturer"] = {"reference": f"#{MAKER_ID}", "display": product.maker}
        routes = {str(route) for route in product.routes}
        resource["form"] = {"text": "Solution for infusion" if "iv" in routes else "Solution for injection"}
        volume = next((v.volume_ml for v in product.vial_sizes if abs(v.grams - float(grams)) < 1e-9), None)
        if volume is not None:
            resource["amount"] = {"numerator": quantity(grams, "g"), "denominator": quantity(volume, "mL")}
        ingredient: dict[str, Any] = {"itemCodeableConcept": {"text": ACTIVE_INGREDIENT}, "isActive": True}
        concentration = product.concentration_g_per_100ml
        if concentration.known and concentration.value is not None:
            # The label's concentration (catalog, with its source): g per 100 mL.
            ingredient["strength"] = {
                "numerator": quantity(concentration.value, "g"),
                "denominator": quantity(100, "mL"),
            }
        resource["ingredient"] = [ingredient]
    resource["batch"] = {"lotNumber": lot.lot_number, "expirationDate": day(lot.expiry_date)}
    return resource


def _for_patients(queryset: QuerySet[Any], patients: QuerySet[Any]) -> QuerySet[Any]:
    """A patient sees the lots dispensed for their own orders."""
    from ivig.orders.models import DispensedLot

    return queryset.filter(pk__in=DispensedLot.objects.filter(order__patient__in=patients).values("lot_id"))


register(
    Source(
        resource_type="Medication",
        model=Lot,
        to_fhir=to_fhir,
        patient_path=None,
        permission=VIEW_ORDER,
        queryset=lambda: Lot.objects.select_related("product"),
        search={"lot-number": by_lot("lot_number")},  # R4 Medication-lot-number
        patient_filter=_for_patients,
    )
)

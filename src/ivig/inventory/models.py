"""Stock of immunoglobulin vials: products, lots, and a ledger of movements with a running balance.

Stock is the sum of a lot's movements. `LotBalance` keeps that sum so a dispense can check and take vials in
one conditional UPDATE; the actions change both in the same transaction, and the database refuses a negative
balance. The balance is keyed by lot alone for now; the traceability issue adds a location to that key.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ivig.clinical.catalog import Product, default_catalog


def catalog_product(slug: str) -> Product | None:
    """Return the clinical catalog's product with this slug, or None."""
    return next((p for p in default_catalog().all() if p.slug == slug), None)


def catalog_vial_sizes_g(slug: str) -> tuple[Decimal, ...]:
    """Return the vial sizes the label gives for the product, in grams."""
    product = catalog_product(slug)
    if product is None:
        return ()
    return tuple(Decimal(str(vial.grams)) for vial in product.vial_sizes)


class StockProduct(models.Model):
    """One vial size of one catalog product, as the pharmacy stocks it."""

    catalog_slug = models.CharField("catalog product", max_length=60)
    vial_size_g = models.DecimalField("vial size (g)", max_digits=5, decimal_places=2)
    gtin = models.CharField("GTIN", max_length=14, null=True, blank=True, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["catalog_slug", "vial_size_g"]
        constraints = [
            models.UniqueConstraint(fields=["catalog_slug", "vial_size_g"], name="stockproduct_one_per_size"),
            models.CheckConstraint(condition=Q(vial_size_g__gt=0), name="stockproduct_vial_size_positive"),
            models.CheckConstraint(
                condition=Q(gtin__isnull=True) | Q(gtin__regex=r"^[0-9]{14}$"), name="stockproduct_gtin_14"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} {self.vial_size_g.normalize():f} g"

    @property
    def product_name(self) -> str:
        product = catalog_product(self.catalog_slug)
        return product.name if product else self.catalog_slug

    def clean(self) -> None:
        super().clean()
        if catalog_product(self.catalog_slug) is None:
            raise ValidationError({"catalog_slug": f"{self.catalog_slug!r} is not in the product catalog."})
        sizes = catalog_vial_sizes_g(self.catalog_slug)
        if self.vial_size_g is not None and Decimal(self.vial_size_g) not in sizes:
            listed = ", ".join(f"{size.normalize():f}" for size in sizes)
            raise ValidationError(
                {"vial_size_g": f"{self.product_name} comes in {listed} g vials, not {self.vial_size_g} g."}
            )


class LotQuerySet(models.QuerySet["Lot"]):
    def with_stock(self, *, in_stock_only: bool = False) -> LotQuerySet:
        """Count each lot's vials on hand in the same query, for `Lot.on_hand_vials`."""
        lots = self.annotate(stock_vials=Coalesce(Sum("balances__on_hand_vials"), 0))
        return lots.filter(stock_vials__gt=0) if in_stock_only else lots

    def usable_on(self, day: date) -> LotQuerySet:
        """Lots that may be dispensed on `day`: available, not expired, with vials on hand (`stock_vials`)."""
        return (
            self.with_stock(in_stock_only=True)
            .filter(status=Lot.Status.AVAILABLE, expiry_date__gte=day)
            .order_by("expiry_date", "received_at", "pk")
        )


class Lot(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        QUARANTINED = "quarantined", "Quarantined"
        RECALLED = "recalled", "Recalled"

    product = models.ForeignKey(StockProduct, on_delete=models.PROTECT, related_name="lots")
    # The GTIN printed on these vials; kept on the lot because a product's GTIN can change over the years.
    # NULL rather than "" when unknown, so the (GTIN, lot) uniqueness below skips typed-in lots.
    gtin = models.CharField("GTIN", max_length=14, null=True, blank=True)  # noqa: DJ001
    lot_number = models.CharField(max_length=20)  # GS1 AI (10) holds at most 20 characters
    expiry_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.AVAILABLE)
    status_reason = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = LotQuerySet.as_manager()

    class Meta:
        ordering = ["product", "expiry_date", "lot_number"]
        permissions = [
            ("receive_stock", "Can receive stock"),
            ("dispense_stock", "Can dispense stock"),
            ("hold_lot", "Can quarantine, release or recall a lot"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["product", "lot_number"], name="lot_unique_per_product"),
            models.UniqueConstraint(
                fields=["gtin", "lot_number"], condition=Q(gtin__isnull=False), name="lot_unique_per_gtin"
            ),
            models.CheckConstraint(condition=~Q(lot_number=""), name="lot_number_not_blank"),
        ]
        indexes = [models.Index(fields=["lot_number"])]

    def __str__(self) -> str:
        return f"{self.product} lot {self.lot_number}"

    @property
    def vial_size_g(self) -> Decimal:
        return self.product.vial_size_g

    @property
    def on_hand_vials(self) -> int:
        annotated = self.__dict__.get("stock_vials")  # set by LotQuerySet.with_stock: no extra query
        if annotated is not None:
            return int(annotated)
        total = self.balances.aggregate(total=models.Sum("on_hand_vials"))["total"]
        return int(total or 0)

    def expired_on(self, day: date) -> bool:
        # The expiry date is the last day of use.
        return self.expiry_date < day

    def dispensable_on(self, day: date) -> bool:
        """Say whether the lot's status and expiry allow dispensing on `day` (stock aside)."""
        return self.status == Lot.Status.AVAILABLE and not self.expired_on(day)


class LotBalance(models.Model):
    """The running sum of a lot's movements, changed only by the actions together with a movement."""

    # A foreign key, not one-to-one: a location joins the lot in this key when stock moves between places.
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="balances")
    on_hand_vials = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lot"], name="lotbalance_one_per_lot"),
            models.CheckConstraint(condition=Q(on_hand_vials__gte=0), name="lotbalance_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.lot}: {self.on_hand_vials} vials"


class StockMovement(models.Model):
    """One row of the ledger: vials in (positive) or out (negative) of a lot. Never changed or deleted."""

    class Kind(models.TextChoices):
        RECEIVE = "receive", "Received"
        DISPENSE = "dispense", "Dispensed"
        RETURN = "return", "Returned"
        WASTE = "waste", "Wasted"
        ADJUST = "adjust", "Adjusted"

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    quantity_vials = models.IntegerField()
    reason = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=100, blank=True)  # an order id, a delivery note
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            # The sign follows the kind, so a ledger read never has to guess what a number means.
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["receive", "return"], quantity_vials__gt=0)
                    | Q(kind__in=["dispense", "waste"], quantity_vials__lt=0)
                    | (Q(kind="adjust") & ~Q(quantity_vials=0))
                ),
                name="stockmovement_sign_follows_kind",
            ),
            # An adjustment or wastage must say why.
            models.CheckConstraint(
                condition=Q(kind__in=["receive", "dispense", "return"]) | ~Q(reason=""),
                name="stockmovement_reason_for_corrections",
            ),
        ]
        indexes = [models.Index(fields=["lot", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity_vials:+d} vials of {self.lot}"

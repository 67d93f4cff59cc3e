"""Stock of immunoglobulin vials: products, lots, and a ledger of movements with a running balance.

Stock is the sum of a lot's movements at a location (the pharmacy, a centre fridge, a home-infusion
nurse's bag). `LotBalance` keeps that sum per (lot, location) so a dispense or transfer can check and take
vials in one conditional UPDATE; the actions change both in the same transaction, and the database refuses
a negative balance.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from ivig import clock
from ivig.clinical.catalog import Product, default_catalog
from ivig.lib.models import LastUpdated


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


DEFAULT_LOCATION_NAME = "Pharmacy"


class Location(models.Model):
    """A place that holds stock. Exactly one pharmacy is the default: orders are dispensed from it."""

    class Kind(models.TextChoices):
        PHARMACY = "pharmacy", "Pharmacy"
        FRIDGE = "fridge", "Centre fridge"
        HOME_NURSE = "home_nurse", "Home-infusion nurse"

    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # The nurse who carries this stock to patients' homes; only for home-infusion locations.
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_default = models.BooleanField("default for dispensing", default=False)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_default", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="home_nurse") & Q(nurse__isnull=False))
                | (~Q(kind="home_nurse") & Q(nurse__isnull=True)),
                name="location_nurse_for_home_only",
            ),
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="location_one_default"
            ),
            models.CheckConstraint(
                condition=Q(is_default=False) | Q(kind="pharmacy", active=True),
                name="location_default_is_active_pharmacy",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="location_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def default(cls) -> Location:
        """The pharmacy that orders are dispensed from.

        Migration 0004 seeds it; it is made again here if the table was emptied (a flushed test database).
        """
        location, _ = cls.objects.get_or_create(
            is_default=True, defaults={"name": DEFAULT_LOCATION_NAME, "kind": cls.Kind.PHARMACY}
        )
        return location


class LotQuerySet(models.QuerySet["Lot"]):
    def with_stock(
        self, *, in_stock_only: bool = False, location: Location | None = None, at_default: bool = False
    ) -> LotQuerySet:
        """Count each lot's vials on hand in the same query: everywhere, at one location, or at the default
        pharmacy (`at_default`, without looking it up first).

        The count is what `Lot.on_hand_vials` then returns without another query.
        """
        at = None
        if location is not None:
            at = Q(balances__location=location)
        elif at_default:
            at = Q(balances__location__is_default=True)
        lots = self.annotate(stock_vials=Coalesce(Sum("balances__on_hand_vials", filter=at), 0))
        return lots.filter(stock_vials__gt=0) if in_stock_only else lots

    def usable_on(self, day: date, *, location: Location | None = None) -> LotQuerySet:
        """Lots that may be dispensed on `day` from the location (the default pharmacy unless told):
        available, not expired, with vials on hand there (`stock_vials`)."""
        return (
            self.with_stock(in_stock_only=True, location=location, at_default=location is None)
            .filter(status=Lot.Status.AVAILABLE, expiry_date__gte=day)
            .order_by("expiry_date", "received_at", "pk")
        )


class Lot(LastUpdated):
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
    received_at = models.DateTimeField(default=clock.now)
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
    """The running sum of a lot's movements at one location, changed only by the actions with a movement."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="balances")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="balances")
    on_hand_vials = models.IntegerField(default=0)

    class Meta:
        ordering = ["location", "lot"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "location"], name="lotbalance_one_per_lot_and_location"),
            models.CheckConstraint(condition=Q(on_hand_vials__gte=0), name="lotbalance_never_negative"),
        ]
        indexes = [models.Index(fields=["location", "lot"])]

    def __str__(self) -> str:
        return f"{self.lot} at {self.location}: {self.on_hand_vials} vials"


class StockTransfer(models.Model):
    """Vials of a lot moved from one location to another: two ledger rows, out of one and into the other."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="transfers")
    from_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    to_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    quantity_vials = models.PositiveIntegerField()
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        permissions = [("transfer_stock", "Can move stock between locations")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_location=F("to_location")), name="stocktransfer_between_two_places"
            ),
            models.CheckConstraint(condition=Q(quantity_vials__gte=1), name="stocktransfer_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity_vials} vials of {self.lot}: {self.from_location} to {self.to_location}"


class StockMovement(models.Model):
    """One row of the ledger: vials in (positive) or out (negative) of a lot at a location. Never changed."""

    class Kind(models.TextChoices):
        RECEIVE = "receive", "Received"
        DISPENSE = "dispense", "Dispensed"
        RETURN = "return", "Returned"
        WASTE = "waste", "Wasted"
        ADJUST = "adjust", "Adjusted"
        TRANSFER_OUT = "transfer_out", "Sent to another location"
        TRANSFER_IN = "transfer_in", "Came from another location"

    class ReasonCode(models.TextChoices):
        """Why vials were wasted or a count differed, in categories the wastage report can add up."""

        NONE = "", "—"
        EXPIRED = "expired", "Expired"
        DAMAGED = "damaged", "Vial broken, leaking or damaged"
        COLD_CHAIN = "cold_chain", "Temperature excursion (cold chain)"
        NOT_GIVEN = "not_given", "Prepared or opened, not given"
        RECALLED = "recalled", "Destroyed after a recall or quarantine"
        COUNT = "count", "Stock count difference"
        OTHER = "other", "Other"

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    quantity_vials = models.IntegerField()
    reason_code = models.CharField(max_length=12, choices=ReasonCode.choices, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=100, blank=True)  # an order id, a delivery note
    transfer = models.ForeignKey(
        StockTransfer, null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        permissions = [("waste_stock", "Can record wasted vials")]
        constraints = [
            # The sign follows the kind, so a ledger read never has to guess what a number means.
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["receive", "return", "transfer_in"], quantity_vials__gt=0)
                    | Q(kind__in=["dispense", "waste", "transfer_out"], quantity_vials__lt=0)
                    | (Q(kind="adjust") & ~Q(quantity_vials=0))
                ),
                name="stockmovement_sign_follows_kind",
            ),
            # An adjustment or wastage must say why.
            models.CheckConstraint(
                condition=Q(kind__in=["receive", "dispense", "return", "transfer_out", "transfer_in"])
                | ~Q(reason=""),
                name="stockmovement_reason_for_corrections",
            ),
            # A transfer's two rows, and only they, point at the transfer.
            models.CheckConstraint(
                condition=(Q(kind__in=["transfer_out", "transfer_in"]) & Q(transfer__isnull=False))
                | (~Q(kind__in=["transfer_out", "transfer_in"]) & Q(transfer__isnull=True)),
                name="stockmovement_transfer_rows_linked",
            ),
        ]
        indexes = [
            models.Index(fields=["lot", "recorded_at"]),
            models.Index(fields=["location", "recorded_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity_vials:+d} vials of {self.lot} at {self.location}"


class StockCount(models.Model):
    """A counted number of vials of a lot at a location; a difference from the ledger became an adjustment."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="counts")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="counts")
    expected_vials = models.IntegerField()  # the ledger's balance when the count was entered
    counted_vials = models.IntegerField()
    reason = models.CharField(max_length=200, blank=True)
    adjustment = models.OneToOneField(
        StockMovement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    counted_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-counted_at", "-id"]
        permissions = [("count_stock", "Can enter stock counts and reconcile them")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_vials__gte=0, counted_vials__gte=0), name="stockcount_not_negative"
            ),
            # A difference is always an adjustment row with a reason; an exact count is not.
            models.CheckConstraint(
                condition=(Q(counted_vials=F("expected_vials")) & Q(adjustment__isnull=True))
                | (~Q(counted_vials=F("expected_vials")) & Q(adjustment__isnull=False) & ~Q(reason="")),
                name="stockcount_difference_is_adjusted",
            ),
        ]

    def __str__(self) -> str:
        return f"Count of {self.lot} at {self.location}: {self.counted_vials} (ledger {self.expected_vials})"

    @property
    def difference_vials(self) -> int:
        return self.counted_vials - self.expected_vials

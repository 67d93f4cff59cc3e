"""Demo data: a fictional centre, a user per role, 20 patients from infants to the elderly; safe to reload."""

from __future__ import annotations

from django.utils import timezone

from ivig.accounts.models import User
from ivig.accounts.roles import ROLES
from ivig.demo.history import WASTE
from ivig.demo.load import DEMO_LOTS, PORTAL_PATIENT_MRN, demo_logins, load_demo
from ivig.demo.orders import DEMO_ORDERS
from ivig.patients.models import Patient
from ivig.siteconfig.models import SiteSettings


def test_it_loads_once_and_is_idempotent(db):
    first = load_demo()
    second = load_demo()

    assert first == {
        "users": len(ROLES),
        "patients": 20,
        "lots": len(DEMO_LOTS),
        "criteria": 2,
        "priority_categories": 8,
        "orders": len(DEMO_ORDERS),
        "history_orders": first["history_orders"],
    }
    assert first["history_orders"] >= 100
    assert second == {
        "users": 0,
        "patients": 0,
        "lots": 0,
        "criteria": 0,
        "priority_categories": 0,
        "orders": 0,
        "history_orders": 0,
    }
    assert Patient.objects.count() == 20
    assert "(demo)" in SiteSettings.load().centre_name


def test_it_spans_infants_to_the_elderly_with_plausible_sizes(db):
    load_demo()
    today = timezone.localdate()
    ages = []
    for patient in Patient.objects.all():
        years, _ = patient.age_on(today)
        weight, height = patient.latest_weight().weight_kg, patient.latest_height().height_cm
        bmi = float(weight) / (float(height) / 100) ** 2
        assert 10 <= bmi <= 45, (patient, bmi)
        ages.append(years)
    assert min(ages) == 0
    assert max(ages) >= 80


def test_it_makes_working_logins_for_every_role(db, client):
    load_demo()

    for role, username, password in demo_logins():
        assert User.objects.get(username=username).groups.filter(name=role).exists()
        assert client.login(username=username, password=password), role
        client.logout()
    assert Patient.objects.get(mrn=PORTAL_PATIENT_MRN).portal_user.username == "patient"


def test_it_stocks_lots_near_expiry_expired_and_quarantined(db):
    from ivig.inventory.models import Lot, StockMovement

    load_demo()
    today = timezone.localdate()
    lots = Lot.objects.all()

    assert {lot.product.catalog_slug for lot in lots} >= {"privigen", "gamunex-c", "gammagard-liquid"}
    assert any(lot.expiry_date < today for lot in lots)
    assert any(0 <= (lot.expiry_date - today).days <= 30 for lot in lots)
    assert lots.filter(status="quarantined").exists()
    for lot in lots:
        assert lot.on_hand_vials == sum(
            StockMovement.objects.filter(lot=lot).values_list("quantity_vials", flat=True)
        )


def test_it_puts_demo_orders_on_every_worklist(db):
    from ivig.orders.models import TherapyOrder

    load_demo()

    statuses = set(TherapyOrder.objects.values_list("status", flat=True))
    assert {"draft", "awaiting_approval", "signed", "verified", "dispensed"} <= statuses
    dispensed = TherapyOrder.objects.get(status="dispensed")
    assert dispensed.dispensed_lots.exists()
    assert dispensed.prescriber != dispensed.verified_by


def test_it_switches_on_approval_for_cidp_and_mmn_only(db):
    from ivig.orders.models import IndicationCriteria

    load_demo()
    today = timezone.localdate()

    needing = {
        code
        for code in ("pi", "sid", "itp", "kawasaki", "cidp", "gbs", "mmn", "dm")
        if (current := IndicationCriteria.current(code, today)) and current.approval_required
    }
    assert needing == {"cidp", "mmn"}
    assert IndicationCriteria.objects.get(indication="cidp", version=1).approval_required is False


def test_it_spreads_demo_stock_across_locations_and_expiry_bands(db):
    from django.db.models import Sum

    from ivig.inventory.models import Location, LotBalance, StockMovement
    from ivig.inventory.queries import expiry_alerts

    load_demo()
    load_demo()

    places = {balance.location.kind for balance in LotBalance.objects.filter(on_hand_vials__gt=0)}
    assert places == {"pharmacy", "fridge", "home_nurse"}
    assert Location.objects.get(kind="home_nurse").nurse.username == "nurse"
    for balance in LotBalance.objects.all():
        ledger = StockMovement.objects.filter(lot=balance.lot, location=balance.location).aggregate(
            total=Sum("quantity_vials")
        )["total"]
        assert balance.on_hand_vials == ledger
    assert StockMovement.objects.filter(kind="waste").exclude(reason_code="").count() == 2 + len(WASTE)
    bands = {band.within_days: band.lots for band in expiry_alerts(timezone.localdate())}
    assert all(bands[days] for days in (None, 30, 60, 90)), "every expiry band has a lot to show"


def test_it_gives_the_reports_a_year_of_history(db):
    from django.db.models import Count

    from ivig.infusions.models import AdverseEvent, InfusionSession, Reaction
    from ivig.inventory.models import StockMovement
    from ivig.orders.models import TherapyOrder
    from ivig.orders.worklists import renewals_due
    from ivig.reports.catalog import BY_SLUG
    from ivig.reports.period import Period

    load_demo()
    orders_after_first = TherapyOrder.objects.count()
    load_demo()
    today = timezone.localdate()
    assert_receipts_in_step()  # every demo dispensing and scan is in the recall lookback's register
    period = Period.last_12_months(today)

    assert TherapyOrder.objects.count() == orders_after_first
    months = BY_SLUG["grams-by-month"].build(period, today).table.rows
    assert all(row[4] > 0 for row in months[1:-1]), "every full month in the year has grams dispensed"
    by = {slug: BY_SLUG[slug].build(period, today).table for slug in BY_SLUG}
    assert len(by["grams-by-indication"].rows) >= 6
    assert len(by["grams-by-product"].rows) >= 4
    assert len(by["grams-by-prescriber"].rows) >= 3
    infusions = by["infusions-per-day"].total
    assert infusions[1] > 100 and infusions[2] > 10  # centre and home
    assert Reaction.objects.count() == AdverseEvent.objects.count() > 0  # through the flowsheet's action
    assert by["reactions"].total[2] > 0
    assert {row[0] for row in by["wastage"].rows} >= {"Expired", "Temperature excursion (cold chain)"}
    savings = by["savings"].total
    assert savings[5] > 0  # the weight policy saved grams
    assert [count for _label, count in _buckets(by["authorisations"])] == [1, 1, 2]
    renewals = renewals_due(User.objects.get(username="prescriber"), today)
    assert "RB100013" in {order.patient.mrn for order in renewals}  # the approval ending in 20 days
    compliance = by["compliance"].total
    assert 0 < compliance[2] < compliance[1]  # some reviews recorded, some outstanding
    # Every completed course has its flowsheets; no lot was ever overdrawn, movement by movement.
    assert (
        not TherapyOrder.objects.filter(status="completed").annotate(n=Count("infusion_sessions")).filter(n=0)
    )
    assert InfusionSession.objects.filter(status="completed", segments__isnull=True).count() == 0
    running: dict[tuple[int, int], int] = {}
    for lot, location, vials in StockMovement.objects.order_by("recorded_at", "id").values_list(
        "lot", "location", "quantity_vials"
    ):
        running[(lot, location)] = running.get((lot, location), 0) + vials
        assert running[(lot, location)] >= 0


def _buckets(table):
    from ivig.reports.reviews import bucket_counts

    return bucket_counts(table)


def test_it_shows_adverse_event_reports_in_every_review_state(db):
    from ivig.hemovigilance.models import AdverseEventReport
    from ivig.infusions.models import AdverseEvent

    load_demo()
    states_after_first = dict(AdverseEventReport.objects.values_list("pk", "status"))
    load_demo()

    assert AdverseEventReport.objects.count() >= AdverseEvent.objects.count() > 0
    assert dict(AdverseEventReport.objects.values_list("pk", "status")) == states_after_first
    statuses = set(states_after_first.values())
    assert {"new", "in_review", "reported", "closed"} <= statuses, statuses
    reported = AdverseEventReport.objects.get(status="reported")
    assert reported.regulator_reference == "DEMO-AE-0001" and reported.causality == "probable"


def assert_receipts_in_step():
    from ivig.hemovigilance.models import LotReceipt
    from ivig.hemovigilance.receipts import refresh
    from ivig.infusions.models import VialScan
    from ivig.orders.models import DispensedLot

    columns = ("lot_id", "patient_id", "session_id", "vials", "status", "grams_before_g")
    held = sorted(LotReceipt.objects.values_list(*columns), key=repr)
    refresh()
    assert held == sorted(LotReceipt.objects.values_list(*columns), key=repr)
    scans = VialScan.objects.filter(accepted=True).count()
    assert len(held) == DispensedLot.objects.count() + scans > 100

"""Demo data: a fictional centre, one user per role, 20 patients from infants to the elderly, stock, and
approval switched on for CIDP and MMN (so the approver has a queue once such orders are signed).

Loading is idempotent: existing users, patients and lots (matched by username, MRN and lot number) are
left alone, and the criteria versions are added only while no version of the indication needs approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ivig import clock
from ivig.accounts.models import User
from ivig.accounts.roles import ROLES, sync_role_groups
from ivig.demo.hemovigilance import review_demo_reports
from ivig.demo.history import load_demo_history
from ivig.demo.orders import load_demo_orders
from ivig.demo.schedule import load_demo_schedule
from ivig.demo.supply import load_demo_categories
from ivig.demo.users import role_user
from ivig.hemovigilance.receipts import refresh as refresh_receipts
from ivig.inventory import actions as stock
from ivig.inventory.location_actions import save_location, transfer_stock, waste_stock
from ivig.inventory.models import Location, Lot, StockProduct
from ivig.orders.criteria_actions import add_criteria_version
from ivig.orders.models import IndicationCriteria
from ivig.patients import actions
from ivig.patients.models import Patient
from ivig.siteconfig.models import CareSite, SiteSettings

DEMO_PASSWORD_SUFFIX = "-demo-2026"  # noqa: S105  (published demo logins)
DEMO_CENTRE = {
    "centre_name": "Riverbend Immunoglobulin Centre (demo)",
    "phone_appointments": "555-0100",
    "phone_nurse_line": "555-0101",
    "phone_after_hours": "555-0199",
    "address": "Level 2, Riverbend General Hospital (fictional)\n100 Example Road, Springfield",
}


@dataclass(frozen=True)
class DemoPatient:
    mrn: str
    given: str
    family: str
    age_days: int
    sex: str
    weight_kg: str
    height_cm: str
    site: str = "centre"
    allergy: str = ""


# Weights and heights follow typical growth for age (roughly the 25th-75th centile for children) plus some
# adults with obesity or short stature, so the weight policies have something to decide.
DEMO_PATIENTS = (
    DemoPatient("RB100001", "Amara", "Okafor", 122, "female", "6.4", "62.0"),
    DemoPatient("RB100002", "Leo", "Nguyen", 335, "male", "9.6", "75.0"),
    DemoPatient("RB100003", "Sofia", "Rossi", 2 * 365 + 40, "female", "12.2", "87.0", "home"),
    DemoPatient("RB100004", "Noah", "Tremblay", 4 * 365 + 100, "male", "16.5", "103.0"),
    DemoPatient("RB100005", "Maya", "Singh", 6 * 365 + 20, "female", "20.5", "116.0", allergy="Amoxicillin"),
    DemoPatient("RB100006", "Ethan", "Kowalski", 8 * 365 + 200, "male", "26.0", "128.0"),
    DemoPatient("RB100007", "Zoë", "Martin", 10 * 365 + 90, "female", "32.0", "139.0", "home"),
    DemoPatient("RB100008", "Kai", "Yamamoto", 13 * 365 + 10, "male", "45.0", "158.0"),
    DemoPatient("RB100009", "Layla", "Haddad", 15 * 365 + 150, "female", "54.0", "163.0"),
    DemoPatient("RB100010", "Liam", "O'Brien", 17 * 365 + 60, "male", "68.0", "176.0"),
    DemoPatient("RB100011", "Grace", "Mensah", 22 * 365 + 30, "female", "61.0", "166.0"),
    DemoPatient("RB100012", "Mateo", "García", 29 * 365 + 250, "male", "82.0", "180.0", allergy="Latex"),
    DemoPatient("RB100013", "Hannah", "Fischer", 34 * 365 + 70, "female", "104.0", "162.0"),
    DemoPatient("RB100014", "Omar", "Farouk", 41 * 365 + 300, "male", "95.0", "178.0", "home"),
    DemoPatient("RB100015", "Mei", "Chen", 47 * 365 + 15, "female", "58.0", "150.0"),
    DemoPatient("RB100016", "Daniel", "Cohen", 53 * 365 + 180, "male", "122.0", "183.0"),
    DemoPatient(
        "RB100017", "Priya", "Patel", 60 * 365 + 45, "female", "74.0", "160.0", allergy="Sulfonamides"
    ),
    DemoPatient("RB100018", "Walter", "Schmidt", 67 * 365 + 220, "male", "88.0", "172.0"),
    DemoPatient("RB100019", "Rosa", "Silva", 74 * 365 + 100, "female", "63.0", "155.0", "home"),
    DemoPatient("RB100020", "Arthur", "Lindqvist", 82 * 365 + 5, "male", "70.0", "168.0"),
)
PORTAL_PATIENT_MRN = "RB100011"


@dataclass(frozen=True)
class DemoLot:
    catalog_slug: str
    vial_size_g: str
    gtin: str  # GS1 prefix 02: restricted circulation, so no real product has these
    lot_number: str
    expires_in_days: int
    vials: int
    dispensed_vials: int = 0
    status: str = "available"
    # Vials sent on to other demo locations after delivery: (location key, vials).
    placed: tuple[tuple[str, int], ...] = ()
    # Vials wasted at a location: (location key, vials, reason code, details).
    wasted: tuple[tuple[str, int, str, str], ...] = ()


# Where the demo centre keeps stock besides the pharmacy (the default location the migration seeds).
DEMO_LOCATIONS = {
    "fridge": ("Day unit fridge", "fridge"),
    "home": ("Home round: Demo Nurse", "home_nurse"),
}

# Lots relative to the day of loading, across the locations: some close to expiry (within 30, 60 and 90
# days), one expired, one in quarantine, SC product with the home-infusion nurse, a few wasted vials.
DEMO_LOTS = (
    DemoLot(
        "privigen", "10", "02000000000015", "RB-PV2201", 300, 24, dispensed_vials=4, placed=(("fridge", 6),)
    ),
    DemoLot("privigen", "10", "02000000000015", "RB-PV2107", 20, 6),
    DemoLot(
        "privigen",
        "20",
        "02000000000046",
        "RB-PV2240",
        330,
        30,
        placed=(("fridge", 8),),
        wasted=(("fridge", 1, "damaged", "vial cracked when unpacked"),),
    ),
    DemoLot("privigen", "20", "02000000000046", "RB-PV2188", 75, 12),
    DemoLot("privigen", "5", "02000000000053", "RB-PV0512", 280, 24, placed=(("fridge", 4),)),
    DemoLot("gamunex-c", "5", "02000000000022", "RB-GX1150", 420, 18, dispensed_vials=2),
    DemoLot("gamunex-c", "5", "02000000000022", "RB-GX0990", 200, 4, status="quarantined"),
    DemoLot("gamunex-c", "10", "02000000000060", "RB-GX1021", 50, 10, placed=(("fridge", 2),)),
    DemoLot("gammagard-liquid", "10", "02000000000039", "RB-GG0412", -5, 10),
    DemoLot(
        "hizentra",
        "4",
        "",
        "RB-HZ0307",
        250,
        30,
        dispensed_vials=6,
        placed=(("home", 12),),
        wasted=(("home", 1, "cold_chain", "cool bag left in a warm car"),),
    ),
    DemoLot("hizentra", "10", "02000000000077", "RB-HZ1044", 160, 16, placed=(("home", 6),)),
)


# Long-term neurological indications that the demo site approves case by case (a national panel's practice).
DEMO_APPROVAL_INDICATIONS = ("cidp", "mmn")
DEMO_APPROVAL_SOURCE = "demo site decision: immunoglobulin panel approves CIDP and MMN courses"


def demo_logins() -> list[tuple[str, str, str]]:
    """Return (role, username, password) for every demo user."""
    return [(role.name, role.name.lower(), role.name.lower() + DEMO_PASSWORD_SUFFIX) for role in ROLES]


@transaction.atomic
def load_demo() -> dict[str, int]:
    sync_role_groups()
    settings = SiteSettings.load()
    if settings.centre_name == SiteSettings._meta.get_field("centre_name").default:
        for name, value in DEMO_CENTRE.items():
            setattr(settings, name, value)
        settings.save()
    sites = {
        "centre": CareSite.objects.get_or_create(
            name="Riverbend Infusion Centre", defaults={"kind": "centre"}
        )[0],
        "home": CareSite.objects.get_or_create(
            name="Riverbend Home Infusion Team", defaults={"kind": "home"}
        )[0],
    }
    created_users = 0
    users: dict[str, User] = {}
    for role_name, username, password in demo_logins():
        user, created = role_user(
            username, role_name, first_name="Demo", last_name=role_name, password=password
        )
        created_users += created
        users[role_name] = user
    created_patients = 0
    today = clock.localdate()
    for demo in DEMO_PATIENTS:
        if Patient.objects.filter(mrn=demo.mrn).exists():
            continue
        weighed = datetime.combine(today - timedelta(days=14), time(10, 0), timezone.get_current_timezone())
        patient = actions.create_patient(
            by=users["Nurse"],
            mrn=demo.mrn,
            given_name=demo.given,
            family_name=demo.family,
            date_of_birth=today - timedelta(days=demo.age_days),
            sex_at_birth=demo.sex,
            care_site=sites[demo.site],
            weight_kg=Decimal(demo.weight_kg),
            height_cm=Decimal(demo.height_cm),
            measured_at=weighed,
        )
        if demo.allergy:
            actions.add_allergy(
                by=users["Nurse"], patient=patient, substance=demo.allergy, severity="moderate"
            )
        if demo.mrn == PORTAL_PATIENT_MRN:
            actions.link_portal_user(by=users["Admin"], patient=patient, user=users["Patient"])
        created_patients += 1
    created_lots = _load_stock(users["Pharmacist"], today, users["Nurse"])
    created_criteria = _load_criteria(users["Quality"], today)
    created_orders = load_demo_orders(users, today)
    created_history = load_demo_history(users, today)  # after the orders: those skip patients with orders
    refresh_receipts()  # the history is bulk-inserted, past the receivers that keep the lot receipt register
    load_demo_schedule(users, today)
    review_demo_reports(users, today)
    # After the orders: the demo's orders were written before any category (Green, no gate).
    created_categories = load_demo_categories(users["Admin"])
    return {
        "users": created_users,
        "patients": created_patients,
        "lots": created_lots,
        "criteria": created_criteria,
        "priority_categories": created_categories,
        "orders": created_orders,
        "history_orders": created_history,
    }


def _load_criteria(by: User, today: date) -> int:
    """Add a version that needs approval for each demo indication, copying the rest from the latest one."""
    created = 0
    for indication in DEMO_APPROVAL_INDICATIONS:
        if IndicationCriteria.objects.filter(indication=indication, approval_required=True).exists():
            continue
        latest = IndicationCriteria.objects.filter(indication=indication).order_by("-version").first()
        add_criteria_version(
            by=by,
            indication=indication,
            required_labs=list(latest.required_labs) if latest else [],
            baseline_max_age_days=latest.baseline_max_age_days if latest else 90,
            review_interval_days=latest.review_interval_days if latest else 182,
            approval_required=True,
            approval_days=182,
            source=DEMO_APPROVAL_SOURCE,
            effective_from=max(today, latest.effective_from) if latest else today,
            today=today,
        )
        created += 1
    return created


def _demo_locations(pharmacist: User, nurse: User) -> dict[str, Location]:
    places = {"pharmacy": Location.default()}
    for key, (name, kind) in DEMO_LOCATIONS.items():
        places[key] = Location.objects.filter(name=name).first() or save_location(
            by=pharmacist, name=name, kind=kind, nurse=nurse if kind == "home_nurse" else None
        )
    return places


def _load_stock(pharmacist: User, today: date, nurse: User) -> int:
    places = _demo_locations(pharmacist, nurse)
    created = 0
    for demo in DEMO_LOTS:
        if Lot.objects.filter(lot_number=demo.lot_number).exists():
            continue
        product = StockProduct.objects.filter(
            catalog_slug=demo.catalog_slug, vial_size_g=Decimal(demo.vial_size_g)
        ).first() or stock.register_product(
            by=pharmacist,
            catalog_slug=demo.catalog_slug,
            vial_size_g=Decimal(demo.vial_size_g),
            gtin=demo.gtin or None,
        )
        expiry = today + timedelta(days=demo.expires_in_days)
        # Received 60 days ago, so the lot that has expired since was still good on delivery.
        received = min(today, expiry) - timedelta(days=60)
        lot = stock.receive_stock(
            by=pharmacist,
            product=product,
            gtin=demo.gtin or None,
            lot_number=demo.lot_number,
            expiry_date=expiry,
            quantity_vials=demo.vials,
            reference="Demo delivery",
            today=received,
        ).lot
        for key, vials in demo.placed:
            transfer_stock(
                by=pharmacist,
                lot=lot,
                from_location=places["pharmacy"],
                to_location=places[key],
                quantity_vials=vials,
                note="Demo round",
                today=received,
            )
        for key, vials, reason_code, details in demo.wasted:
            waste_stock(
                by=pharmacist,
                lot=lot,
                location=places[key],
                quantity_vials=vials,
                reason_code=reason_code,
                details=details,
            )
        if demo.dispensed_vials:
            stock.dispense(
                by=pharmacist,
                lot=lot,
                quantity_vials=demo.dispensed_vials,
                reference="Demo order",
                today=today,
            )
        if demo.status == Lot.Status.QUARANTINED:
            stock.quarantine_lot(
                by=pharmacist, lot=lot, reason="Fridge excursion: awaiting manufacturer advice"
            )
        created += 1
    return created

"""Issue 20: the Supply page for Pharmacist, Quality and Admin: days of stock (chart and table), the phase and
its declarations, the patients a phase affects, the reports and the region's CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.siteconfig.models import SiteSettings
from ivig.siteconfig.shortage import PriorityCategoryAssignment, ShortagePhaseDeclaration
from ivig.siteconfig.shortage_actions import assign_category, declare_phase

pytestmark = pytest.mark.django_db

WHY = "Supplier cut our allocation by half for six weeks"
PAGE = "supply:page"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("Pharmacist", 200),
        ("Quality", 200),
        ("Admin", 200),
        ("Prescriber", 403),
        ("Nurse", 403),
        ("Scheduler", 403),
        ("Approver", 403),
        ("Patient", 403),
    ],
)
def test_it_shows_the_supply_page_to_the_stewardship_roles_only(client, make_user, role, status):
    client.force_login(make_user(role))
    assert client.get(reverse(PAGE)).status_code == status
    assert client.get(reverse("supply:region_csv")).status_code == status
    navigation = client.get(reverse("web:home")).content if status == 200 else b""
    assert (b'href="/supply/"' in navigation) == (status == 200)


def test_it_draws_days_of_stock_per_product_and_overall(client, make_user, make_lot, make_order):
    pharmacist, prescriber = make_user("Pharmacist"), make_user("Prescriber")
    make_lot(pharmacist, vials=10)  # 100 g of Privigen
    make_order(prescriber)  # ITP 1 g/kg x 2 days for 25 kg: 50 g to give
    client.force_login(pharmacist)
    page = client.get(reverse(PAGE))
    text = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in text and 'id="supply-days"' in text
    assert "privigen" in text and "all products" in text
    assert 'data-testid="days-of-stock"' in text


def test_it_declares_a_phase_with_a_real_reason_and_keeps_the_history(client, make_user):
    pharmacist = make_user("Pharmacist")
    client.force_login(pharmacist)
    junk = client.post(reverse("supply:declare"), {"phase": "amber", "scope": "site", "reason": "ok"})
    assert junk.status_code == 422
    assert not ShortagePhaseDeclaration.objects.exists()
    done = client.post(reverse("supply:declare"), {"phase": "amber", "scope": "site", "reason": WHY})
    assert done.status_code == 302
    page = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="phase">Amber' in page
    assert WHY in page
    event = AuditEvent.objects.get(action="shortage.declare_phase")
    assert event.after["phase"] == "amber"


@pytest.mark.parametrize("role", ["Prescriber", "Nurse", "Approver"])
def test_it_refuses_a_declaration_from_other_roles(client, make_user, role):
    client.force_login(make_user(role))
    answer = client.post(reverse("supply:declare"), {"phase": "red", "scope": "site", "reason": WHY})
    assert answer.status_code == 403
    assert not ShortagePhaseDeclaration.objects.exists()


def test_it_lists_the_patients_a_phase_affects_with_their_options(client, make_user, make_order):
    admin, prescriber, pharmacist = make_user("Admin"), make_user("Prescriber"), make_user("Pharmacist")
    assign_category(by=admin, indication="itp", category="blue", source="site demo, not a national list")
    order = make_order(prescriber)  # signed in Green
    client.force_login(pharmacist)
    assert b'data-testid="affected"' not in client.get(reverse(PAGE)).content  # Green: no list
    declare_phase(by=admin, phase="amber", reason=WHY)
    page = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="affected"' in page
    assert order.patient.mrn in page
    assert "Blue (medium priority)" in page
    assert "Needs approval" in page
    assert reverse("orders:detail", args=[order.pk]) in page


def test_it_leaves_red_category_patients_off_the_list(client, make_user, make_order):
    admin, prescriber, pharmacist = make_user("Admin"), make_user("Prescriber"), make_user("Pharmacist")
    assign_category(by=admin, indication="itp", category="red", source="site demo, not a national list")
    order = make_order(prescriber)
    declare_phase(by=admin, phase="red", reason=WHY)
    client.force_login(pharmacist)
    page = client.get(reverse(PAGE)).content.decode()
    assert "No patient&#x27;s next dose is affected" in page or "No patient's next dose is affected" in page
    assert order.patient.mrn not in page


def test_it_suggests_a_phase_when_days_of_stock_fall_below_the_thresholds(
    client, make_user, make_lot, make_order
):
    pharmacist, prescriber = make_user("Pharmacist"), make_user("Prescriber")
    make_lot(pharmacist, vials=1)  # 10 g against a 50 g course booked to start now
    make_order(prescriber)
    client.force_login(pharmacist)
    page = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="phase-suggestion"' in page


def test_it_says_savings_are_not_counted_without_the_conservation_app(client, make_user, monkeypatch):
    # ivig.conservation registers its provider when installed; the page without one says so.
    monkeypatch.setattr("ivig.supply.savings._PROVIDERS", [])
    client.force_login(make_user("Quality"))
    assert b'data-testid="savings-none"' in client.get(reverse(PAGE)).content


def test_it_writes_the_region_csv_without_formulas_or_patient_names(client, make_user, make_lot, make_order):
    pharmacist, prescriber, admin = make_user("Pharmacist"), make_user("Prescriber"), make_user("Admin")
    settings = SiteSettings.load()
    settings.centre_name = '=HYPERLINK("x")'
    settings.save()
    make_lot(pharmacist, vials=10)
    order = make_order(prescriber)
    declare_phase(by=admin, phase="amber", reason="-2 weeks of stock: " + WHY)
    client.force_login(pharmacist)
    answer = client.get(reverse("supply:region_csv"))
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0] == ["site", "as_of", "section", "item", "grams", "days", "count", "note"]
    assert all(row[0] == '\'=HYPERLINK("x")' for row in rows[1:])
    sections = {row[2] for row in rows[1:]}
    assert {"phase", "days_of_stock", "grams_by_category", "grams_saved"} <= sections
    phase = next(row for row in rows if row[2] == "phase")
    assert phase[3] == "Amber" and phase[7].startswith("declared ")
    assert order.patient.family_name not in answer.content.decode()


def test_its_query_count_does_not_grow_with_the_patients(client, make_user, make_lot, make_order):
    admin, prescriber, pharmacist = make_user("Admin"), make_user("Prescriber"), make_user("Pharmacist")
    make_lot(pharmacist, vials=50)
    assign_category(by=admin, indication="itp", category="blue", source="site demo, not a national list")
    declare_phase(by=admin, phase="amber", reason=WHY)
    client.force_login(pharmacist)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(PAGE)).status_code == 200
        return len(queries)

    make_order(prescriber)
    one = count()
    for _ in range(4):
        make_order(prescriber)
    assert count() <= one


def test_it_shows_the_demo_with_categories_days_of_stock_and_a_backtest(client, db):
    from ivig.accounts.models import User
    from ivig.demo.load import load_demo

    load_demo()
    assert PriorityCategoryAssignment.objects.filter(source="site demo, not a national list").count() == 8
    client.force_login(User.objects.get(username="pharmacist"))
    page = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="backtest"' in page
    assert 'id="supply-days"' in page
    declare_phase(by=User.objects.get(username="admin"), phase="amber", reason=WHY)
    page = client.get(reverse(PAGE)).content.decode()
    assert 'data-testid="affected"' in page
    assert "Blue (medium priority)" in page

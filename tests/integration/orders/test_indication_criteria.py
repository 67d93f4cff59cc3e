"""A change to an indication's criteria is a new version: the old one stays, new orders sign under the new."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.orders.criteria_actions import CriteriaError, add_criteria_version, criteria_values
from ivig.orders.models import IndicationCriteria, TherapyOrder

pytestmark = pytest.mark.django_db


def _add(by, **overrides):
    values = {
        "indication": "itp",
        "required_labs": ["platelets", "haemoglobin"],
        "baseline_max_age_days": 30,
        "review_interval_days": None,
        "approval_required": True,
        "approval_days": 60,
        "source": "site decision 2026-11",
        "effective_from": date.today(),
    }
    return add_criteria_version(by=by, **(values | overrides))


def test_it_adds_a_version_and_leaves_the_old_one_untouched(make_user):
    quality = make_user("Quality")
    old = IndicationCriteria.objects.get(indication="itp", version=1)
    before = criteria_values(old)

    new = _add(quality)

    old.refresh_from_db()
    assert criteria_values(old) == before
    assert (new.version, new.created_by, new.required_labs) == (2, quality, ["platelets", "haemoglobin"])
    assert IndicationCriteria.current("itp", date.today()) == new
    event = AuditEvent.objects.get(action="criteria.add_version", target_id=str(new.pk))
    assert event.before["version"] == 1
    assert event.after["approval_required"] is True


def test_it_signs_new_orders_under_the_new_version_and_keeps_old_orders_on_theirs(make_user, make_order):
    prescriber = make_user("Prescriber")
    earlier = make_order(prescriber)
    assert earlier.criteria.version == 1

    new = _add(make_user("Quality"), required_labs=["platelets"])
    later = make_order(prescriber)

    earlier.refresh_from_db()
    assert (earlier.criteria.version, earlier.status) == (1, TherapyOrder.Status.SIGNED)
    assert later.criteria == new
    assert (later.approval_required, later.status) == (True, TherapyOrder.Status.AWAITING_APPROVAL)


def test_it_waits_for_the_effective_date(make_user, make_order):
    prescriber = make_user("Prescriber")
    _add(make_user("Quality"), required_labs=["platelets"], effective_from=date.today() + timedelta(days=7))

    order = make_order(prescriber)

    assert (order.criteria.version, order.status) == (1, TherapyOrder.Status.SIGNED)


def test_it_asks_for_the_new_baseline_labs(make_user, make_order):
    from ivig.orders.actions import OrderError

    _add(make_user("Quality"))  # haemoglobin now required too

    with pytest.raises(OrderError, match="Haemoglobin"):
        make_order(make_user("Prescriber"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"effective_from": date.today() - timedelta(days=1)}, "in the past"),
        ({"required_labs": ["cholesterol"]}, "Unknown laboratory measure"),
        ({"source": "  "}, "where the rule comes from"),
        ({"indication": "flu"}, "Unknown indication"),
        ({"approval_days": 0}, "between 1 and"),
        ({"review_interval_days": 0}, "between 1 and"),
    ],
)
def test_it_refuses_a_bad_version(make_user, overrides, message):
    with pytest.raises(CriteriaError, match=message):
        _add(make_user("Quality"), **overrides)
    assert IndicationCriteria.objects.filter(indication="itp").count() == 1


def test_it_lists_the_current_version_and_the_history(client, make_user):
    _add(make_user("Quality"))
    client.force_login(make_user("Pharmacist"))

    response = client.get(reverse("orders:criteria"))

    page = response.content.decode()
    assert response.status_code == 200
    itp = next(row for row in response.context["rows"] if row["code"] == "itp")
    assert itp["current"].version == 2
    assert [c.version for c in itp["history"]] == [2, 1]
    assert "site decision 2026-11" in page
    assert "New version" not in page  # pharmacists read the criteria but do not change them


def test_it_adds_a_version_through_the_page(client, make_user):
    client.force_login(make_user("Quality"))
    url = reverse("orders:criteria_new", args=["cidp"])

    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "required_labs": ["igg", "creatinine"],
            "baseline_max_age_days": "60",
            "review_interval_days": "",
            "approval_required": "on",
            "approval_days": "120",
            "source": "site decision 2026-11",
            "effective_from": date.today().isoformat(),
        },
    )

    assert form["review_interval_days"].value() == 182  # prefilled from version 1
    assert response.status_code == 302
    new = IndicationCriteria.objects.get(indication="cidp", version=2)
    assert new.required_labs == ["igg", "creatinine"]
    assert (new.review_interval_days, new.approval_required, new.approval_days) == (None, True, 120)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("baseline_max_age_days", "abc", "whole number"),
        ("baseline_max_age_days", "-3", "at least 1"),
        ("approval_days", "", "Enter the approval length"),
        ("review_interval_days", "99999", "at most"),
        ("source", "", "where the rule comes from"),
        ("effective_from", "yesterday", "YYYY-MM-DD"),
        ("effective_from", (date.today() - timedelta(days=1)).isoformat(), "in the past"),
        ("required_labs", "cholesterol", "Select a valid choice"),
    ],
)
def test_it_gives_form_errors_for_bad_input(client, make_user, field, value, message):
    client.force_login(make_user("Quality"))
    data = {
        "required_labs": ["igg"],
        "baseline_max_age_days": "60",
        "approval_days": "120",
        "source": "site decision",
        "effective_from": date.today().isoformat(),
    } | {field: value}

    response = client.post(reverse("orders:criteria_new", args=["pi"]), data)

    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert IndicationCriteria.objects.filter(indication="pi").count() == 1


def test_it_gives_404_for_an_unknown_indication(client, make_user):
    client.force_login(make_user("Quality"))

    assert client.get(reverse("orders:criteria_new", args=["flu"])).status_code == 404

"""The register's pages: only Quality and Admin; the worklist order and filters; review forms."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ivig.hemovigilance import actions
from ivig.hemovigilance.models import AdverseEventReport
from tests.drivers.queries import page_queries
from tests.plugins.adverse_events import reviewed


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("Quality", 200),
        ("Admin", 200),
        ("Nurse", 403),
        ("Prescriber", 403),
        ("Pharmacist", 403),
        ("Approver", 403),
        ("Patient", 403),
    ],
)
def test_it_lets_only_quality_and_admin_see_the_register(client, make_user, flowsheet_reaction, role, status):
    report = flowsheet_reaction().adverse_event.report
    client.force_login(make_user(role, username=f"u-{role.lower()}"))

    for url in (
        reverse("hemovigilance:ae_worklist"),
        reverse("hemovigilance:ae_detail", args=[report.pk]),
        reverse("hemovigilance:ae_edit", args=[report.pk]),
        reverse("hemovigilance:ae_medwatch_csv"),
        reverse("ae_fhir_json"),
    ):
        assert client.get(url).status_code == status, url
    response = client.post(reverse("hemovigilance:ae_start", args=[report.pk]))
    assert response.status_code == (302 if status == 200 else 403)
    assert AdverseEventReport.objects.get(pk=report.pk).status == ("in_review" if status == 200 else "new")


def test_anonymous_users_are_sent_to_sign_in(client, flowsheet_reaction):
    flowsheet_reaction()

    response = client.get(reverse("hemovigilance:ae_worklist"))

    assert response.status_code in (302, 403)
    assert client.get(reverse("hemovigilance:ae_medwatch_csv")).status_code in (302, 403)


def test_it_lists_new_reports_first_and_serious_ones_first(
    client, flowsheet_reaction, diary_reaction, quality
):
    done = reviewed(diary_reaction(grade=4).reaction.report, quality)
    mild = diary_reaction(grade=1).reaction.report
    severe = flowsheet_reaction(grade=3).adverse_event.report
    client.force_login(quality)

    response = client.get(reverse("hemovigilance:ae_worklist"))

    assert [r.pk for r in response.context["page"]] == [severe.pk, mild.pk, done.pk]
    html = response.content.decode()
    assert "Download FHIR JSON" in html and "Download MedWatch CSV" in html


def test_it_filters_by_status_product_lot_and_date(client, flowsheet_reaction, diary_reaction, quality):
    flowsheet = flowsheet_reaction().adverse_event.report  # lots G20A, F05A
    diary = diary_reaction().reaction.report
    client.force_login(quality)
    url = reverse("hemovigilance:ae_worklist")
    today = timezone.localdate(flowsheet.onset_at)

    def shown(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return {r.pk for r in response.context["page"]}

    assert shown(lot="g20a") == {flowsheet.pk}
    choices = client.get(url).context["form"].fields["product"].choices
    assert choices == [("", "Any product"), ("privigen", "Privigen")]  # each product once
    assert shown(product="privigen") == {flowsheet.pk, diary.pk}
    assert shown(status="new") == {flowsheet.pk, diary.pk}
    assert shown(status="reviewed") == set()
    assert shown(date_from=today.isoformat(), date_to=today.isoformat()) >= {flowsheet.pk}
    assert shown(date_to=(today.replace(year=today.year - 1)).isoformat()) == set()
    assert shown(serious="on") == set()


def test_it_answers_bad_filters_with_form_errors(client, flowsheet_reaction, quality):
    flowsheet_reaction()
    client.force_login(quality)

    bad = {"date_from": "31/02/2026", "status": "bogus"}
    response = client.get(reverse("hemovigilance:ae_worklist"), bad)
    assert response.status_code == 400
    assert "date_from" in response.context["form"].errors and "status" in response.context["form"].errors
    assert client.get(reverse("hemovigilance:ae_medwatch_csv"), {"date_from": "x"}).status_code == 400
    assert client.get(reverse("ae_fhir_json"), {"date_to": "2026-13-01"}).status_code == 400


def test_the_detail_page_links_to_the_source(client, flowsheet_reaction, diary_reaction, quality):
    reaction = flowsheet_reaction()
    diary = diary_reaction().reaction
    client.force_login(quality)

    page = client.get(reverse("hemovigilance:ae_detail", args=[reaction.adverse_event.report.pk]))
    record = reverse("infusions:record", args=[reaction.session_id])
    assert record in page.content.decode() and client.get(record).status_code == 200
    page = client.get(reverse("hemovigilance:ae_detail", args=[diary.report.pk]))
    follow_up = reverse("followup:diary", args=[diary.follow_up_id])
    assert follow_up in page.content.decode() and client.get(follow_up).status_code == 200
    assert client.get(reverse("hemovigilance:ae_detail", args=[99999])).status_code == 404


def test_the_review_form_saves_and_refuses_bad_input(client, flowsheet_reaction, quality):
    report = flowsheet_reaction().adverse_event.report
    client.force_login(quality)
    url = reverse("hemovigilance:ae_edit", args=[report.pk])
    form = {
        "description": "Fever and chills 20 min into the infusion",
        "grade": "2",
        "outcome": "recovered",
        "causality": "probable",
        "dechallenge": "yes",
        "rechallenge": "na",
        "reviewer_notes": "",
        "version": str(report.version),
    }

    bad = client.post(url, form | {"grade": "7"})
    assert bad.status_code == 422 and "grade" in bad.context["form"].errors
    fatal = client.post(url, form | {"outcome": "fatal"})
    assert fatal.status_code == 422 and "Death" in fatal.content.decode()
    assert AdverseEventReport.objects.get(pk=report.pk).status == "new"

    assert client.post(url, form | {"serious_other": "on"}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.causality, report.dechallenge, report.serious) == (
        "in_review",
        "probable",
        "yes",
        True,
    )
    stale = client.post(url, form)
    assert stale.status_code == 409 and "Someone else" in stale.content.decode()


def test_the_decision_forms_refuse_bad_input_and_change_nothing(client, flowsheet_reaction, quality):
    report = flowsheet_reaction().adverse_event.report
    client.force_login(quality)

    early = client.post(reverse("hemovigilance:ae_reported", args=[report.pk]), {"reported_on": "2026-01-01"})
    assert early.status_code == 422
    refused = client.post(reverse("hemovigilance:ae_complete", args=[report.pk]))
    assert refused.status_code == 422 and "Only a report in review" in refused.content.decode()
    report = reviewed(report, quality)
    no_reference = client.post(
        reverse("hemovigilance:ae_reported", args=[report.pk]), {"reported_on": "not a date", "reference": ""}
    )
    assert no_reference.status_code == 422 and no_reference.context["reported_form"].errors
    no_reason = client.post(reverse("hemovigilance:ae_close", args=[report.pk]), {"reason": ""})
    assert no_reason.status_code == 422
    assert AdverseEventReport.objects.get(pk=report.pk).status == "reviewed"

    done = client.post(
        reverse("hemovigilance:ae_reported", args=[report.pk]),
        {"reported_on": timezone.localdate().isoformat(), "reference": "MW-77"},
    )
    assert done.status_code == 302
    assert AdverseEventReport.objects.get(pk=report.pk).regulator_reference == "MW-77"


def test_the_worklist_takes_the_same_queries_for_more_reports(
    client, flowsheet_reaction, diary_reaction, quality
):
    client.force_login(quality)
    url = reverse("hemovigilance:ae_worklist")
    diary_reaction()
    client.get(url)  # warm the session and the site settings
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    flowsheet_reaction(grade=3)
    for _ in range(3):
        diary_reaction()
    report = AdverseEventReport.objects.first()
    assert report is not None
    actions.start_review(by=quality, report=report)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(response.context["page"]) == 5
    assert page_queries(many) == page_queries(few)

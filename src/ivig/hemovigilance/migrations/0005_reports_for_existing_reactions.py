"""Open an adverse-event report for every flowsheet adverse event and confirmed diary reaction that has none.

From now on the recording actions open the reports themselves; this covers the rows made before.
Seriousness starts from the grade as in ivig.clinical.adverse_events.initial_criteria.
"""

from django.db import migrations

CRITERIA = (
    "serious_death",
    "serious_life_threatening",
    "serious_hospitalisation",
    "serious_disability",
    "serious_congenital_anomaly",
    "serious_intervention",
    "serious_other",
)


def _criteria(grade, flagged):
    from ivig.clinical.adverse_events import initial_criteria

    chosen = {f"serious_{c.value}" for c in initial_criteria(grade, flagged_serious=flagged)}
    return {name: name in chosen for name in CRITERIA}


def _open(Report, *, source, lots, order, patient, onset_at, description, grade, flagged, by_id, at):
    criteria = _criteria(grade, flagged)
    product = lots[0].product.catalog_slug if lots else (order.verified_product_slug or order.product_slug)
    report = Report.objects.create(
        **source,
        **criteria,
        serious=any(criteria.values()),
        patient=patient,
        order=order,
        product_slug=product,
        onset_at=onset_at,
        description=description[:500],
        grade=grade,
        outcome="unknown",
        recorded_by_id=by_id,
        recorded_at=at,
    )
    report.lots.set(lots)


def forwards(apps, schema_editor):
    Report = apps.get_model("hemovigilance", "AdverseEventReport")
    AdverseEvent = apps.get_model("infusions", "AdverseEvent")
    DiaryReaction = apps.get_model("followup", "DiaryReaction")
    Lot = apps.get_model("inventory", "Lot")
    events = AdverseEvent.objects.filter(report__isnull=True).select_related("order", "patient")
    for event in events.order_by("pk").iterator():
        _open(
            Report,
            source={"flowsheet_event": event},
            lots=list(event.lots.select_related("product").order_by("pk")),
            order=event.order,
            patient=event.patient,
            onset_at=event.onset_at,
            description=event.description,
            grade=event.grade,
            flagged=event.serious,
            by_id=event.reported_by_id,
            at=event.reported_at,
        )
    reactions = DiaryReaction.objects.filter(report__isnull=True).select_related(
        "order", "follow_up__patient"
    )
    for reaction in reactions.order_by("pk").iterator():
        lots = Lot.objects.filter(dispensed_for__diary_reactions=reaction).select_related("product")
        _open(
            Report,
            source={"diary_reaction": reaction},
            lots=list(lots.distinct().order_by("pk")),
            order=reaction.order,
            patient=reaction.follow_up.patient,
            onset_at=reaction.onset_at,
            description=reaction.description,
            grade=reaction.grade,
            flagged=False,
            by_id=reaction.confirmed_by_id,
            at=reaction.confirmed_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("hemovigilance", "0004_adverse_event_roles"),
        ("infusions", "0002_roles"),
        ("followup", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

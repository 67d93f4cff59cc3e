"""Store every MRN normalised (no blanks at the ends, ASCII letters upper-case) before the next migration
makes MRNs unique whatever their case.

Two patients whose MRNs differ only by case (`rb100001` and `RB100001`) cannot be resolved by a program:
they may be one person registered twice or two people. The migration stops and lists them; merge or
renumber them by hand, then migrate again. Nothing is changed when it stops.
"""

from collections import defaultdict

from django.db import migrations

_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def normalised(mrn):
    # A copy of ivig.clinical.identity.normalise_mrn as it is today: a migration must not change later.
    return mrn.strip().translate(_ASCII_UPPER)


def plan(rows):
    """(pk -> new MRN for the rows that change, [sorted MRNs of each group that would collide])."""
    groups = defaultdict(list)
    for pk, mrn in rows:
        groups[normalised(mrn)].append((pk, mrn))
    collisions = [sorted(mrn for _pk, mrn in group) for group in groups.values() if len(group) > 1]
    changes = {pk: new for new, group in groups.items() for pk, mrn in group if mrn != new}
    return changes, sorted(collisions)


def normalise_mrns(apps, schema_editor):
    patient_model = apps.get_model("patients", "Patient")
    changes, collisions = plan(patient_model.objects.values_list("pk", "mrn"))
    if collisions:
        listed = "; ".join(" / ".join(group) for group in collisions)
        raise RuntimeError(
            f"Patients whose MRNs differ only by case or blanks: {listed}. Each is one person twice or two "
            "people under one number: merge or renumber them by hand, then migrate again."
        )
    for pk, mrn in changes.items():
        patient_model.objects.filter(pk=pk).update(mrn=mrn)


class Migration(migrations.Migration):
    dependencies = [("patients", "0003_patient_lookback_index")]

    operations = [migrations.RunPython(normalise_mrns, migrations.RunPython.noop)]

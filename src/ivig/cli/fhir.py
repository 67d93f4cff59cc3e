"""`ivig fhir import FILE.json --user NAME`: import a FHIR transaction Bundle of patients and lab results.

All entries or none: on any problem nothing is written and each failing entry is listed. Loads Django
(imported inside the command, so the clinical commands start without it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ivig.cli.app import app, fail

fhir_app = typer.Typer(help="FHIR R4: import a transaction Bundle from an EHR.", no_args_is_help=True)
app.add_typer(fhir_app, name="fhir")


@fhir_app.command("import")
def import_command(
    bundle_file: Annotated[
        Path, typer.Argument(metavar="FILE.json", help="A FHIR transaction Bundle (JSON).")
    ],
    user: Annotated[str, typer.Option("--user", help="The user the import is recorded as (audit trail).")],
) -> None:
    """Import Patients and lab Observations: all of them, or nothing with one message per failing entry."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivig.config.settings")
    import django

    django.setup()
    from ivig.accounts.models import User
    from ivig.fhir.importing import import_json

    try:
        text = bundle_file.read_bytes()
    except OSError as error:
        fail(f"cannot read {bundle_file}: {error.strerror or error}")
    by = User.objects.filter(username=user, is_active=True).first()
    if by is None:
        fail(f"no active user {user!r}")
    result = import_json(text, by=by)
    if not result.ok:
        for issue in result.resource["issue"]:
            where = ", ".join(issue.get("expression", [])) or "Bundle"
            typer.echo(f"{where}: {issue['diagnostics']}", err=True)
        fail("nothing was imported")
    typer.echo(
        f"Imported {result.patients_created} patient(s) and {result.results_created} lab result(s)"
        f" ({result.results_already_on_file} already on file)."
    )

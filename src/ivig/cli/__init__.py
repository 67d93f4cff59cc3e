"""The `ivig` command line (typer + rich). Clinical commands never import Django."""

from __future__ import annotations

from ivig.cli import fhir, jobs, pk, plan, products, schedule, supply  # noqa: F401  (each registers its commands on `app`)
from ivig.cli.app import app


def main() -> None:
    app()

"""The root typer application; commands register themselves on it."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="ivig",
    help="Immunoglobulin therapy: product catalog, dosing and rate plans.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

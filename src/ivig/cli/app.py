"""The root typer application; commands register themselves on it."""

from __future__ import annotations

from typing import NoReturn

import typer

app = typer.Typer(
    name="ivig",
    help="Immunoglobulin therapy: product catalog, dosing and rate plans.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str) -> NoReturn:
    """Print a clear error and exit with code 2 (bad input), never a traceback."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(2)

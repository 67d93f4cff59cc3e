"""Fixtures for the integration tests that lay out PDFs."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def weasyprint_available() -> None:
    """Skip without WeasyPrint or Pango (`make test` installs Pango), except in CI, where it must be there."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"WeasyPrint cannot run here: {error}")


def laid_out_text(page: Any) -> str:
    """Every piece of text WeasyPrint laid out on a page, margin boxes included."""
    found: list[str] = []

    def walk(box: Any) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            found.append(text)
        for child in getattr(box, "children", None) or ():
            walk(child)

    walk(page._page_box)
    return " ".join(found)


@pytest.fixture
def page_text() -> Callable[[Any], str]:
    return laid_out_text

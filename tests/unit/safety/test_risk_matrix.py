"""The DCB0129 5 x 5 matrix: the code's copy, its shape, and the copy shown in docs/safety/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivig.safety.hazard_log import LIKELIHOODS, RISK_MATRIX, SEVERITIES, rating

README = Path(__file__).resolve().parents[3] / "docs/safety/README.md"


@pytest.mark.parametrize(
    ("severity", "likelihood", "expected"),
    [
        ("minor", "very-low", 1),
        ("catastrophic", "very-low", 3),
        ("minor", "very-high", 3),
        ("catastrophic", "very-high", 5),
        ("major", "medium", 3),
        ("considerable", "low", 2),
        ("catastrophic", "medium", 4),
    ],
)
def test_it_rates_by_the_dcb0129_matrix(severity: str, likelihood: str, expected: int) -> None:
    assert rating(severity, likelihood) == expected


def test_it_never_rates_a_worse_harm_or_a_likelier_one_lower() -> None:
    for likelihood in LIKELIHOODS:
        row = [rating(s, likelihood) for s in SEVERITIES]
        assert row == sorted(row)
    for severity in SEVERITIES:
        column = [rating(severity, likelihood) for likelihood in LIKELIHOODS]
        assert column == sorted(column)


def test_it_shows_the_same_matrix_in_the_safety_readme() -> None:
    shown = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in LIKELIHOODS and len(cells) == 6:
            shown[cells[0]] = tuple(int(c) for c in cells[1:])
    assert shown == RISK_MATRIX

"""Server-made SVG bar charts (web.charts.BarChart): bars scaled to the axis, negatives below zero."""

from __future__ import annotations

import re

import pytest

from ivig.lib.charts import HEIGHT, BarChart, BarSeries


def _bars(svg: str) -> list[tuple[float, float]]:
    return [
        (float(y), float(h))
        for y, h in re.findall(
            r'<rect class="chart-bar[^"]*" x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)"', svg
        )
    ]


def test_it_draws_one_bar_per_value_scaled_to_the_largest():
    svg = BarChart(["A", "B"], [BarSeries("Grams", "chart-bar", [50, 25])], "grams").render("T", "D", "c1")

    (y_a, h_a), (y_b, h_b) = _bars(svg)
    assert h_a == pytest.approx(2 * h_b, abs=0.2)
    assert y_a + h_a == pytest.approx(y_b + h_b)  # both stand on the zero line
    assert 'role="img"' in svg and '<title id="c1-title">T</title>' in svg and "style=" not in svg


def test_it_stacks_series_and_puts_negative_values_below_zero():
    stacked = BarChart(
        ["Mon"],
        [BarSeries("Centre", "chart-bar s0", [3]), BarSeries("Home", "chart-bar s1", [1])],
        "n",
        stacked=True,
    ).render("T", "D", "c2")
    (y_centre, _h_centre), (y_home, h_home) = _bars(stacked)
    assert y_home + h_home == pytest.approx(y_centre)  # home sits on top of centre

    signed = BarChart(
        ["X"], [BarSeries("Saved", "chart-bar", [-2]), BarSeries("More", "chart-bar s2", [4])], "g"
    )
    svg = signed.render("T", "D", "c3")
    (y_neg, _h_neg), (y_pos, h_pos) = _bars(svg)
    assert 'class="chart-zero"' in svg
    assert y_neg == pytest.approx(
        y_pos + h_pos
    )  # the negative bar starts where the positive one ends: at zero
    assert y_neg < HEIGHT


def test_it_refuses_a_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="2 values, not 1"):
        BarChart(["A"], [BarSeries("S", "chart-bar", [1, 2])], "n").render("T", "D", "c4")

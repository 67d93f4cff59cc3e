"""How long the drip takes on the education page: one figure when the days agree, hours past an hour."""

from __future__ import annotations

from django.utils import translation

from ivig.portal.education import Personal


def _personal(low: float | None, high: float | None) -> Personal:
    return Personal(None, None, None, "iv", 2, low, high, None, False)


def test_it_says_one_duration_when_the_days_agree():
    assert _personal(314.2, 313.8).duration_text == "5 h 14 min"


def test_it_gives_a_range_in_hours_and_minutes_when_the_days_differ():
    assert _personal(270, 314).duration_text == "4 h 30 min to 5 h 14 min"


def test_it_keeps_short_and_whole_hour_durations_plain():
    assert (_personal(45, 45).duration_text, _personal(180, 180).duration_text) == ("45 min", "3 h")


def test_it_says_the_range_in_spanish():
    with translation.override("es"):
        assert _personal(270, 314).duration_text == "4 h 30 min a 5 h 14 min"


def test_it_says_nothing_when_not_known():
    assert _personal(None, None).duration_text == ""

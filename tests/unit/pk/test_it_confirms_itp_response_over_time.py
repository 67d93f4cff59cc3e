"""IWG confirmation: CR/R on 2 occasions >= 7 days apart; NR or loss of response >= 1 day apart."""

from __future__ import annotations

from datetime import date, timedelta

from ivig.clinical.outcomes.itp import ItpResponse, PlateletCount, assess_itp_response

D0 = date(2025, 3, 1)
CR, R, NR, PENDING = (
    ItpResponse.COMPLETE,
    ItpResponse.RESPONSE,
    ItpResponse.NO_RESPONSE,
    ItpResponse.PENDING,
)


def _counts(*points: tuple[int, float] | tuple[int, float, bool]) -> list[PlateletCount]:
    return [
        PlateletCount(D0 + timedelta(days=p[0]), p[1], bool(p[2]) if len(p) > 2 else False) for p in points
    ]


def test_it_confirms_a_complete_response_7_days_apart_not_6() -> None:
    six = assess_itp_response(10.0, _counts((0, 120.0), (6, 130.0)))
    seven = assess_itp_response(10.0, _counts((0, 120.0), (7, 130.0)))
    assert six.status is PENDING and six.unconfirmed_change
    assert seven.statuses == (PENDING, CR)


def test_it_confirms_a_response_and_upgrades_to_complete() -> None:
    result = assess_itp_response(10.0, _counts((0, 40.0), (7, 50.0), (10, 110.0), (17, 120.0)))
    assert result.statuses == (PENDING, R, R, CR)


def test_it_restarts_the_window_after_a_count_below_the_level() -> None:
    result = assess_itp_response(10.0, _counts((0, 120.0), (3, 20.0), (7, 120.0), (13, 120.0), (14, 130.0)))
    assert result.statuses[-2:] == (PENDING, CR)


def test_it_confirms_no_response_1_day_apart() -> None:
    same_day = assess_itp_response(10.0, _counts((0, 15.0), (0, 18.0)))
    next_day = assess_itp_response(10.0, _counts((0, 15.0), (1, 18.0)))
    assert same_day.status is PENDING
    assert next_day.statuses == (PENDING, NR)


def test_it_confirms_loss_of_response_1_day_apart_and_ignores_a_single_dip() -> None:
    base = [(0, 120.0), (7, 120.0)]
    dip = assess_itp_response(10.0, _counts(*base, (10, 20.0), (10, 25.0), (11, 120.0)))
    assert dip.statuses == (PENDING, CR, CR, CR, CR)
    lost = assess_itp_response(10.0, _counts(*base, (10, 20.0), (11, 25.0)))
    assert lost.statuses == (PENDING, CR, CR, NR) and not lost.unconfirmed_change


def test_it_steps_down_from_complete_to_response_when_counts_stay_in_response() -> None:
    result = assess_itp_response(10.0, _counts((0, 120.0), (7, 120.0), (9, 60.0), (10, 70.0)))
    assert result.statuses == (PENDING, CR, CR, R)


def test_it_counts_bleeding_as_no_response() -> None:
    result = assess_itp_response(10.0, _counts((0, 120.0), (7, 120.0), (8, 150.0, True), (9, 140.0, True)))
    assert result.status is NR
    assert result.classes[2] is NR


def test_it_sorts_counts_by_date() -> None:
    result = assess_itp_response(10.0, _counts((7, 130.0), (0, 120.0)))
    assert [c.on for c in result.counts] == [D0, D0 + timedelta(days=7)] and result.status is CR

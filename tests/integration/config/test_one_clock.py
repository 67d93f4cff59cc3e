"""One clock: moving ivig.clock moves the sign-in throttle and a page's "today" together (live server)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from django.urls import reverse

from ivig import clock
from ivig.accounts.models import LoginFailure

# A live server flushes the database after the test: marked transactional, pytest-django runs it after the
# tests that rely on the migrations' rows (the indication criteria), as it does the other transactional tests.
pytestmark = pytest.mark.django_db(transaction=True)

# Far from the real date, so nothing can pass by reading the real clock.
MOMENT = datetime(2031, 3, 10, 9, 0, tzinfo=ZoneInfo("America/Toronto"))


@pytest.fixture
def moved_clock():
    clock.set_now(MOMENT)
    yield
    clock.reset()


def _sign_in(browser: requests.Session, base: str, password: str) -> requests.Response:
    page = browser.get(f"{base}{reverse('accounts:login')}", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None
    return browser.post(
        f"{base}{reverse('accounts:login')}",
        data={"username": "scheduler", "password": password, "csrfmiddlewaretoken": token.group(1)},
        allow_redirects=False,
        timeout=30,
    )


def test_it_moves_the_sign_in_throttle_and_the_pages_today_together(
    live_server, make_user, settings, moved_clock
):
    settings.IVIG_LOGIN_MAX_FAILURES, settings.IVIG_LOGIN_WINDOW_MINUTES = 2, 15
    make_user("Scheduler")
    browser = requests.Session()
    _sign_in(browser, live_server.url, "wrong")
    _sign_in(browser, live_server.url, "wrong")

    locked = _sign_in(browser, live_server.url, "correct-horse-battery")
    assert "Too many failed sign-in attempts" in locked.text
    assert {failure.at for failure in LoginFailure.objects.all()} == {MOMENT}  # stamped by the same clock

    clock.advance(minutes=16)  # past the window on the app's clock; no real time has passed
    assert _sign_in(browser, live_server.url, "correct-horse-battery").status_code == 302

    day = browser.get(f"{live_server.url}{reverse('scheduling:day')}", timeout=30)
    assert "Centre day Monday 10 March 2031" in day.text

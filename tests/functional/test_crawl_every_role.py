"""Issue 17 items 8 and 10: every page of every demo role fits a 360 px phone and a 1280 px desktop.

The URL set is the client crawl's (tests/crawl.py) over one loaded demo; each page opens in Chromium at both
widths and must be no wider than the window and answer without a 5xx."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from ivig.demo.load import demo_logins, load_demo
from tests.crawl import crawl

WIDTHS = (360, 1280)


def test_it_fits_every_page_of_every_role_in_the_window(live_server, browser, db):
    load_demo()
    today = timezone.localdate()
    wide: list[str] = []
    errors: list[str] = []
    visited: dict[str, int] = {}
    for role, username, password in demo_logins():
        client = Client()
        assert client.login(username=username, password=password)
        urls = crawl(client, today, downloads=False).pages
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 740})
            page = context.new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            for url in urls:
                response = page.goto(f"{live_server.url}{url}")
                if response is None or response.status >= 500:
                    errors.append(f"{role} {url}: HTTP {response and response.status}")
                    continue
                scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                if scroll > inner:
                    wide.append(f"{role} at {width} px: {url} is {scroll} px wide")
            context.close()
        visited[role] = len(urls)

    print(f"pages visited per role (each at {' and '.join(map(str, WIDTHS))} px): {visited}")
    print(f"{sum(visited.values())} pages, {sum(visited.values()) * len(WIDTHS)} visits")
    assert errors == [], "\n".join(errors)
    assert wide == [], "\n".join(wide)

"""Issue 19 item 6: the role guides' screenshots, taken here on the demo data.

Each demo role signs in, its home page must load (no error, a heading), and the visible window at 1280 px is
saved as <role>.png, in 64 colours to keep the committed files small (about 30 kB each). With
IVIG_UPDATE_SCREENSHOTS=1 they go to docs/guides/img/ for the guide of each role (docs/guides/<role>.md);
otherwise to a temporary folder, so a test run leaves the committed pictures as they are."""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

from ivig.demo.load import demo_logins, load_demo
from tests.drivers.browser import sign_in

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "guides" / "img"
VIEWPORT = {"width": 1280, "height": 800}


def test_it_screenshots_the_home_page_of_every_demo_role(live_server, browser, tmp_path):
    load_demo()
    images = IMAGES if os.environ.get("IVIG_UPDATE_SCREENSHOTS") == "1" else tmp_path
    images.mkdir(parents=True, exist_ok=True)
    saved = []
    for role, username, password in demo_logins():
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        sign_in(page, live_server.url, username, password)
        response = page.goto(f"{live_server.url}/")
        assert response is not None and response.status == 200, (role, response and response.status)
        assert "/accounts/login/" not in page.url, f"{role} was not signed in"
        assert page.locator("h1").first.is_visible(), f"{role}'s home page has no heading"
        path = images / f"{role.lower()}.png"
        shot = Image.open(io.BytesIO(page.screenshot(full_page=False))).convert("RGB")
        assert shot.size == (VIEWPORT["width"], VIEWPORT["height"])
        shot.quantize(colors=64).save(path, "PNG", optimize=True)
        saved.append(path.name)
        context.close()
    assert sorted(saved) == sorted(f"{role.lower()}.png" for role, _, _ in demo_logins())
    # Every role the demo signs in with has its picture in the guides.
    assert all((IMAGES / name).is_file() for name in saved)

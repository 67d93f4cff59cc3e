"""Every page links an SVG favicon served from our own static files (no inline style, allowed by the CSP)."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_every_page_links_the_svg_favicon(client, make_user):
    client.force_login(make_user("Nurse"))

    html = client.get(reverse("web:home")).content.decode()

    assert re.search(r'<link rel="icon" href="[^"]*ivig/img/favicon[^"]*\.svg" type="image/svg\+xml">', html)


def test_the_favicon_is_a_plain_svg_without_inline_style_or_script():
    path = finders.find("ivig/img/favicon.svg")
    assert path is not None
    svg = Path(path).read_text(encoding="utf-8")

    assert svg.startswith("<svg") and "viewBox" in svg
    assert "style" not in svg.lower() and "<script" not in svg.lower()

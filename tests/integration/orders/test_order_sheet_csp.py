"""The sheet obeys the Content-Security-Policy: no inline styles or scripts in the page served to browsers."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sign", [True, False])
def test_it_has_no_inline_style_or_script(client, make_user, make_order, sign):
    prescriber = make_user("Prescriber")
    order = make_order(prescriber, sign=sign)
    client.force_login(prescriber)
    response = client.get(reverse("orders:sheet", args=[order.pk]))
    html = response.content.decode()
    assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE)
    assert "<style" not in html.lower()
    assert not re.search(r"<script(?![^>]*\ssrc=)", html, re.IGNORECASE)
    assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE)
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert "ivig/css/sheet.css" in html

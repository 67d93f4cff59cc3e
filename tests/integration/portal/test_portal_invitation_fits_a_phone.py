"""Issue 17 journey: the invitation page a nurse opens on a phone breaks the long link and scrolls its table
inside a box, so the page is no wider than the screen (the browser journey measures it at 360 px)."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

import ivig

CSS = Path(ivig.__file__).parent / "web" / "static" / "ivig" / "css" / "app.css"


def test_it_lets_the_invitation_link_wrap_and_scrolls_the_table_in_its_box(client, make_user, make_patient):
    nurse = make_user("Nurse")
    child = make_patient(nurse, given_name="Mia", family_name="Chen")
    client.force_login(nurse)

    page = client.post(
        reverse("portal:invite", args=[child.pk]), {"email": "parent@example.org", "relationship": "parent"}
    ).content.decode()

    assert re.search(r'<code id="invitation-link" class="long-link">http://[^<]+/portal/join/', page)
    assert re.search(r'<div class="table-wrap"><table class="data">.*parent@example.org', page, re.S)
    assert ".long-link { overflow-wrap: anywhere; }" in CSS.read_text()

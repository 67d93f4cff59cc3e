"""Read what a page's forms carry, as the browser would send it back."""

from __future__ import annotations

import re
from datetime import date


def token_of(html: str, form_id: str = "") -> str:
    """The one-time token of the form with `form_id` (or of the page's first form carrying one)."""
    start = html.index(f'id="{form_id}"') if form_id else 0
    found = re.search(r'name="form_token" value="([A-Za-z0-9_-]+)"', html[start:])
    assert found, f"no form token in {form_id or 'the page'}"
    return found.group(1)


def order_data(patient, **changes):
    data = {
        "patient": patient.pk,
        "regimen": "itp",
        "route": "iv",
        "product_slug": "privigen",
        "dose_g_per_kg": "1",
        "days": "2",
        "weight": "25",
        "weight_unit": "kg",
        "height_unit": "cm",
        "first_infusion": "on",
        "lab_platelets": "12",
        "lab_platelets_on": date.today().isoformat(),
        "justification": "ITP with mucosal bleeding",
    }
    return data | changes


def with_reasons(client, data):
    """Give a real reason in each caution box the live preview shows, as a prescriber would."""
    from django.urls import reverse

    preview = client.post(reverse("orders:preview"), data).content.decode()
    for code in re.findall(r'name="reason-([a-z0-9-]+)"', preview):
        data[f"reason-{code}"] = f"Considered for {code}: the treating team agreed this plan"
    return data

"""Demo priority categories, so the Supply page has something to show. Not a national list: a site sets its
own from its national or regional guideline (reference s15)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivig.siteconfig.shortage import PriorityCategoryAssignment
from ivig.siteconfig.shortage_actions import assign_category

if TYPE_CHECKING:
    from ivig.accounts.models import User

DEMO_CATEGORY_SOURCE = "site demo, not a national list"

# A mix of colours for the demo's indications; each real site replaces them with its guideline's.
DEMO_CATEGORIES = {
    "pi": "red",
    "kawasaki": "red",
    "gbs": "red",
    "sid": "blue",
    "itp": "blue",
    "cidp": "blue",
    "mmn": "blue",
    "dm": "grey",
}


def load_demo_categories(by: User) -> int:
    """Assign the demo categories once (nothing when any assignment exists already)."""
    if PriorityCategoryAssignment.objects.exists():
        return 0
    for indication, category in DEMO_CATEGORIES.items():
        assign_category(by=by, indication=indication, category=category, source=DEMO_CATEGORY_SOURCE)
    return len(DEMO_CATEGORIES)

"""Pages and forms as the browser sends them: read a page, take a form's one-time token, send twice."""

from __future__ import annotations

import re
from typing import Any


def page(client: Any, url: str, **params: Any) -> str:
    """GET the page as the signed-in client; its HTML."""
    return client.get(url, params).content.decode()


def token_of(html: str, form_id: str = "") -> str:
    """The one-time token of the form with `form_id` (or of the page's first form carrying one)."""
    start = html.index(f'id="{form_id}"') if form_id else 0
    found = re.search(r'name="form_token" value="([A-Za-z0-9_-]+)"', html[start:])
    assert found, f"no form token in {form_id or 'the page'}"
    return found.group(1)


def form_token(client: Any, url: str, form_id: str = "") -> str:
    """Open the page at `url` and take the token of its form (`form_id`, or its first)."""
    return token_of(page(client, url), form_id)


def twice(client: Any, url: str, data: dict[str, Any]) -> tuple[Any, Any]:
    """A double click: the same form sent twice; the second follows its redirect."""
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    return first, second

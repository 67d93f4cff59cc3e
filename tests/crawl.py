"""The crawl of issue 17: every role's pages from the home page, shared by the client and browser tests.

From the home page the crawl follows links two levels deep and then visits every link on those pages without
following them further (depth 3). Only same-origin GET links are followed. Pages of one kind (the same path
with numbers replaced, the same query keys) are visited once: one patient, one order, one lot stand for all,
which keeps the browser run to minutes on a small machine while every page template is still reached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlsplit

MAX_DEPTH = 3  # home is 0; links on pages at depth 2 are visited but not followed

# Paths never visited: signing out ends the crawl, the language switch and the FHIR API are not pages, and
# Django's own admin is checked at its index only (each model's change list is Django's code, not ours).
SKIP_PREFIXES = ("/accounts/logout", "/i18n/", "/fhir/", "/static/", "/media/")
ADMIN_INDEX = "/admin/"


def kind_of(url: str) -> str:
    """The kind of page a URL shows: numbers and ids replaced, query values dropped."""
    parts = urlsplit(url)
    path = re.sub(r"/[0-9]+(?=/|$)", "/<n>", parts.path)
    path = re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27,}(?=/|$)", "/<uuid>", path)
    path = re.sub(r"/\d{4}-\d{2}-\d{2}(?=/|$)", "/<date>", path)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def skipped(url: str) -> str:
    """Why a URL is not visited, or ""."""
    parts = urlsplit(url)
    if parts.path.startswith(SKIP_PREFIXES):
        return "not a page"
    if parts.path.startswith(ADMIN_INDEX) and parts.path != ADMIN_INDEX:
        return "Django admin beyond its index"
    return ""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        found = dict(attrs)
        href = found.get("href")
        if href and "download" not in found:
            self.hrefs.append(href)


def links_in(html: str, base_path: str) -> list[str]:
    """Same-origin links of a page, as paths with their query."""
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.hrefs:
        href = urldefrag(href).url
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            if parts.netloc not in ("testserver", "localhost"):
                continue
            href = parts.path + (f"?{parts.query}" if parts.query else "")
        elif not href.startswith("/"):
            parent = base_path if href.startswith("?") else base_path.rsplit("/", 1)[0] + "/"
            href = parent + href
        out.append(href)
    return out


@dataclass
class Crawl:
    pages: list[str] = field(default_factory=list)  # HTML pages visited, in order
    failures: list[str] = field(default_factory=list)  # "url: what went wrong"
    others: list[str] = field(default_factory=list)  # visited but not HTML (CSV, PDF, ...)
    refused: list[str] = field(default_factory=list)  # "url: 403" - a link shown that the role cannot open


def crawl(client: Any, today: date, start: str = "/", downloads: bool = True) -> Crawl:
    """Visit a signed-in user's pages with Django's test client; report 5xx and traceback text.

    Without `downloads`, links to PDF and CSV files are not fetched (the browser test needs pages only)."""
    result = Crawl()
    seen_kinds: set[str] = set()
    queue: list[tuple[str, int]] = [(start, 0)]
    seen_kinds.add(kind_of(start))
    while queue:
        url, depth = queue.pop(0)
        response = client.get(url)
        status = response.status_code
        content_type = response.get("Content-Type", "")
        streamed = getattr(response, "streaming", False)
        body = b"" if streamed else response.content
        if status >= 500:
            result.failures.append(f"{url}: HTTP {status}")
            continue
        if b"Traceback" in body:
            result.failures.append(f"{url}: traceback text in the page")
        if status in (301, 302, 303, 307, 308):
            target = response["Location"]
            follow = depth < MAX_DEPTH and target.startswith("/") and not skipped(target)
            if follow and kind_of(target) not in seen_kinds:
                seen_kinds.add(kind_of(target))
                queue.append((target, depth))
            continue
        if status != 200:
            result.refused.append(f"{url}: HTTP {status}")
            continue
        if "text/html" not in content_type:
            result.others.append(url)
            continue
        result.pages.append(url)
        if depth >= MAX_DEPTH:
            continue
        for link in links_in(body.decode("utf-8", "replace"), urlsplit(url).path):
            kind = kind_of(link)
            if kind in seen_kinds or skipped(link):
                continue
            if not downloads and urlsplit(link).path.endswith((".pdf", ".csv", "/csv/", "/pdf/")):
                continue
            seen_kinds.add(kind)
            queue.append((link, depth + 1))
    return result

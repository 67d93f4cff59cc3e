"""PDFs of our own pages with WeasyPrint, which may load our static files only: never the network or the disk.

WeasyPrint is imported only when a PDF is asked for; when it (or Pango under it) is missing, PdfUnavailable
lets the page say to print from the browser instead.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) cannot be loaded here."""


class RefusedURL(ValueError):
    """The PDF asked for something that is not one of our static files."""


def static_file_for(url: str, base_url: str) -> tuple[Path, str]:
    """The static file behind `url` (made absolute against `base_url`) and its media type.

    Only URLs under our STATIC_URL are served: from the staticfiles finders, or from the files collected in
    STATIC_ROOT (production's hashed names). Anything else (other hosts, other schemes, file:, data:, paths
    outside static) raises RefusedURL, so making a PDF never touches the network or the rest of the disk.
    """
    absolute, static_root = urlsplit(urljoin(base_url, url)), urlsplit(urljoin(base_url, settings.STATIC_URL))
    if absolute.scheme not in ("http", "https") or (absolute.scheme, absolute.netloc) != (
        static_root.scheme,
        static_root.netloc,
    ):
        raise RefusedURL(f"not our static file: {url}")
    if not absolute.path.startswith(static_root.path):
        raise RefusedURL(f"not under {static_root.path}: {url}")
    relative = unquote(absolute.path[len(static_root.path) :])
    if not relative or relative.startswith("/") or ".." in relative.split("/") or "\\" in relative:
        raise RefusedURL(f"not a static file: {url}")
    found = finders.find(relative)
    path = Path(found) if isinstance(found, str) else _collected(relative)
    if path is None or not path.is_file():
        raise RefusedURL(f"no such static file: {url}")
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return path, media_type


def _collected(relative: str) -> Path | None:
    """A file collected into STATIC_ROOT (hashed names in production), if the storage is on this disk."""
    try:
        return Path(staticfiles_storage.path(relative))
    except (NotImplementedError, SuspiciousFileOperation):
        return None


def static_only_fetcher(urls: Any, base_url: str) -> Any:
    """A WeasyPrint URL fetcher (for its `urls` module) that serves our static files and refuses the rest."""

    def lookup(url: str) -> tuple[bytes, str]:
        path, media_type = static_file_for(url, base_url)
        return path.read_bytes(), media_type

    base_class = getattr(urls, "URLFetcher", None)
    if base_class is None:  # WeasyPrint before the URLFetcher class: a function returning a dict

        def fetch_dict(url: str) -> dict[str, Any]:
            body, media_type = lookup(url)
            return {"string": body, "mime_type": media_type, "redirected_url": url}

        return fetch_dict

    class StaticOnlyFetcher(base_class):  # type: ignore[misc, valid-type]
        def fetch(self, url: str, headers: Any = None) -> Any:
            body, media_type = lookup(url)
            return urls.URLFetcherResponse(url, body, {"Content-Type": media_type})

    return StaticOnlyFetcher()


def render_document(html: str, *, base_url: str, page_css: str) -> Any:
    """Lay `html` out as WeasyPrint pages with `page_css` (paper size, margins); raise PdfUnavailable when
    WeasyPrint cannot run here."""
    try:
        # Imported here, not at the top: WeasyPrint loads Pango, and only a PDF needs it.
        import weasyprint
        from weasyprint import urls
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    fetcher = static_only_fetcher(urls, base_url)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher, media_type="print")
    stylesheet = weasyprint.CSS(string=page_css, url_fetcher=fetcher, base_url=base_url)
    return document.render(stylesheets=[stylesheet])


def write_pdf(html: str, *, base_url: str, page_css: str) -> bytes:
    """`html` as PDF bytes (see render_document)."""
    return bytes(render_document(html, base_url=base_url, page_css=page_css).write_pdf())

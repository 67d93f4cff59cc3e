"""What a PDF of our own pages may load: our static files only, never the network or the rest of the disk."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation


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

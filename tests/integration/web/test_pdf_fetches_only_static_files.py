"""WeasyPrint never fetches over the network: it is served our static files and refused everything else."""

from __future__ import annotations

from typing import Any

import pytest

from ivig.lib import pdf
from ivig.lib.pdf import RefusedURL, static_file_for
from ivig.orders.sheet import pdf_page_css

BASE = "http://testserver/"


def test_it_fetches_only_our_static_files(settings):
    path, media_type = static_file_for("/static/ivig/css/print.css", BASE)
    assert path.name == "print.css" and media_type == "text/css"
    for url in (
        "https://example.org/static/ivig/css/print.css",  # another host: never the network
        "file:///etc/passwd",
        "data:text/css,body{}",
        "/static/../settings.py",
        "/static/ivig/css/missing.css",
        "/admin/",
        "/static/",
        "/static//etc/passwd",
        "/static/%2e%2e/settings.py",
    ):
        with pytest.raises(RefusedURL):
            static_file_for(url, BASE)


def test_it_serves_collected_files_with_hashed_names(settings, tmp_path):
    hashed = tmp_path / "ivig" / "css" / "print.0123abcd.css"
    hashed.parent.mkdir(parents=True)
    hashed.write_text("body { color: #000; }")
    settings.STATIC_ROOT = tmp_path  # production serves collected, hashed names
    path, _media_type = static_file_for("/static/ivig/css/print.0123abcd.css", BASE)
    assert path == hashed


def test_it_renders_without_fetching_other_urls(weasyprint_available, page_text, monkeypatch):
    asked: list[str] = []
    real = pdf.static_file_for

    def spy(url: str, base_url: str) -> Any:
        asked.append(url)
        return real(url, base_url)

    monkeypatch.setattr(pdf, "static_file_for", spy)
    html = (
        '<html><head><link rel="stylesheet" href="https://example.org/evil.css">'
        '<link rel="stylesheet" href="/static/ivig/css/sheet.css"></head>'
        '<body><img src="http://example.org/pixel.png" alt="">Hello</body></html>'
    )
    document = pdf.render_document(html, base_url=BASE, page_css=pdf_page_css("a4"))
    assert "Hello" in " ".join(page_text(page) for page in document.pages)
    assert set(asked) == {
        "https://example.org/evil.css",
        "http://testserver/static/ivig/css/sheet.css",
        "http://example.org/pixel.png",
    }  # all went through our fetcher, and only the static file was served

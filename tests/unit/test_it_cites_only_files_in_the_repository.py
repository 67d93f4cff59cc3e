"""Issue 19: the code cites its clinical facts from the repository, never from a file outside it.

Sources used to name "ivig-reference.md sN" (or ../shared/reference/...), a file no reader of the repository
has. They now name the primary source and/or a page of docs/reference/ with the same section number, and each
cited page and section must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "src" / "ivig"
REFERENCE = ROOT / "docs" / "reference"
OUTSIDE = re.compile(r"ivig-reference\.md|shared/reference")
CITATION = re.compile(r"docs/reference/([\w-]+)\.md s(\d+)")


def source_files() -> list[Path]:
    return [
        path
        for path in SOURCES.rglob("*")
        if path.is_file() and path.suffix not in {".mo", ".pyc", ".png", ".ico", ".gz", ".woff2"}
    ]


def test_it_cites_no_reference_file_outside_the_repository() -> None:
    outside = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in source_files()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert outside == [], "cite the primary source or docs/reference/<page>.md sN:\n" + "\n".join(outside)


def test_every_cited_reference_page_has_the_cited_section() -> None:
    cited = {
        match.groups()
        for path in source_files()
        for match in CITATION.finditer(path.read_text(errors="replace"))
    }
    assert cited, "the code cites docs/reference pages"
    missing = []
    for page, section in sorted(cited):
        path = REFERENCE / f"{page}.md"
        if not path.exists() or f"{{#s{section}}}" not in path.read_text():
            missing.append(f"docs/reference/{page}.md s{section}")
    assert missing == [], "\n".join(missing)

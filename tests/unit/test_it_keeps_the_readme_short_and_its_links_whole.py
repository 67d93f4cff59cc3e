"""Issue 19: README.md is a short front page (at most 6,000 characters) that links into the docs site.

Every relative link in README.md, CHANGELOG.md and docs/ must reach a file of the repository (mkdocs build
--strict checks the links between docs pages again, with their anchors)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)\s]+)\)")
FENCE = re.compile(r"```.*?```", re.DOTALL)


def pages() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").rglob("*.md"))]


def relative_links(page: Path) -> list[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return [
        target
        for target in LINK.findall(text)
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target) and not target.startswith("#")
    ]


def test_it_keeps_the_readme_at_most_6000_characters() -> None:
    length = len((ROOT / "README.md").read_text(encoding="utf-8"))
    assert length <= 6000, f"README.md is {length} characters: move detail into docs/"


def test_it_links_the_readme_to_the_docs_site() -> None:
    targets = set(relative_links(ROOT / "README.md"))
    for page in ("docs/getting-started.md", "docs/guides/index.md", "docs/configuration.md", "docs/cli.md"):
        assert page in targets, page
    assert "CHANGELOG.md" in targets


def test_every_relative_link_reaches_a_file() -> None:
    broken = []
    for page in pages():
        for target in relative_links(page):
            path = (page.parent / target.split("#", 1)[0]).resolve()
            if not path.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert broken == [], "\n".join(broken)

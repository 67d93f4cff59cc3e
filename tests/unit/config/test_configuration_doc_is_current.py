"""docs/configuration.md is generated from the variables' registry and must not fall behind it."""

from __future__ import annotations

import re
from pathlib import Path

from ivig.config import env

ROOT = Path(__file__).resolve().parents[3]


def test_it_matches_the_registry():
    assert env.DOC_PATH.read_text(encoding="utf-8") == env.markdown(), (
        "docs/configuration.md is stale: run `python -m ivig.config.env markdown`"
    )


def test_it_lists_every_variable():
    text = env.markdown()

    for name in env.registry():
        assert f"| `{name}` |" in text


def test_it_is_the_only_reader_of_the_environment_in_src():
    # A variable read anywhere else would escape validation and the generated table (lib/process.py reads
    # only markers other programs set: the autoreloader's, gunicorn's metrics directory).
    reads = re.compile(r"os\.environ(?:\.get\(|\[)|os\.getenv\(")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src" / "ivig").rglob("*.py")
        if path.name not in ("env.py", "process.py") and reads.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []

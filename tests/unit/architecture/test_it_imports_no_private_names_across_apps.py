"""Apps use each other's public API (e.g. `Patient.objects.visible_or_404`), never a `_private` name."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src" / "ivig"


def test_no_module_imports_another_apps_private_name() -> None:
    found = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        app = path.relative_to(SRC).parts[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ivig."):
                other = (node.module or "").split(".")[1]
                found += [
                    f"{path.relative_to(SRC)}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and other != app
                ]
    assert found == []

"""`lint-imports` passes on the project's contracts, and the contracts say what the architecture is."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def test_it_keeps_every_contract() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(linter), "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_core_is_forbidden_django_and_every_app() -> None:
    core = _contracts()["pure-core"]
    packages = {path.name for path in (ROOT / "src" / "ivig").iterdir() if (path / "__init__.py").exists()}
    assert core["type"] == "forbidden" and core["source_modules"] == ["ivig.clinical"]
    assert "django" in core["forbidden_modules"]
    assert {f"ivig.{name}" for name in packages - {"clinical"}} <= set(core["forbidden_modules"])


def test_the_layers_run_from_config_down_to_the_core() -> None:
    layers = _contracts()["layers"]["layers"]
    assert layers[0] == "ivig.config" and layers[-1] == "ivig.clinical"
    assert layers[-2].startswith("ivig.lib") and "ivig.patients : ivig.inventory : ivig.siteconfig" in layers
    assert _contracts()["no-cycles"]["type"] == "acyclic_siblings"

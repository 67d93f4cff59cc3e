"""IVIG_ENV=production demands secrets from the environment and passes check --deploy cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env={**base, **env},
        cwd=ROOT,
        timeout=120,
    )


def test_it_requires_a_secret_key_in_production():
    result = _manage("check", IVIG_ENV="production", ALLOWED_HOSTS="ivig.example.org")

    assert result.returncode != 0
    assert "needs SECRET_KEY" in result.stderr


def test_it_requires_allowed_hosts_in_production():
    result = _manage("check", IVIG_ENV="production", SECRET_KEY="x" * 60)

    assert result.returncode != 0
    assert "needs ALLOWED_HOSTS" in result.stderr


def test_it_passes_check_deploy_with_no_warnings(tmp_path):
    key = "k3y-" + "a1B2c3D4e5F6g7H8i9J0" * 3
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        IVIG_ENV="production",
        SECRET_KEY=key,
        ALLOWED_HOSTS="ivig.example.org",
        IVIG_VAR_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

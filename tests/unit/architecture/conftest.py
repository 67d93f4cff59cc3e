from __future__ import annotations

import grimp
import pytest


@pytest.fixture(scope="session")
def import_graph() -> grimp.ImportGraph:
    """ivig's imports (in functions and TYPE_CHECKING blocks too), with the outside packages it reaches."""
    return grimp.build_graph("ivig", include_external_packages=True, cache_dir=None)

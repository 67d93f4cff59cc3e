"""Values other programs set for this process (Django's autoreloader, gunicorn's metrics directory).

Not settings, so not in ivig.config.variables: the only reads of the environment besides ivig.config.env.
"""

from __future__ import annotations

import os


def process_marker(name: str) -> str:
    return os.environ.get(name, "")

"""Count a page's own queries: the once-a-minute move of the session's expiry (ivig.accounts.sessions) is
bookkeeping that lands on whichever request comes a minute later, not a cost of the page."""

from __future__ import annotations

from django.test.utils import CaptureQueriesContext


def page_queries(captured: CaptureQueriesContext) -> int:
    sql = [query["sql"] for query in captured.captured_queries]
    session_write = any(s.startswith("UPDATE") and '"django_session"' in s for s in sql)
    if not session_write:
        return len(sql)
    # The session's save: its UPDATE inside a savepoint (SAVEPOINT, UPDATE, RELEASE).
    return len(sql) - 3

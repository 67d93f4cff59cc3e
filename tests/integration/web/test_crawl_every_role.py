"""Issue 17 item 10: every demo role's pages, crawled from the home page: no 5xx and no traceback."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ivig.demo.load import demo_logins, load_demo
from tests.crawl import crawl

LOGINS = {role: (username, password) for role, username, password in demo_logins()}


@pytest.mark.parametrize("role", sorted(LOGINS))
def test_it_crawls_every_page_of_a_role_without_a_server_error(db, client, role):
    load_demo()
    username, password = LOGINS[role]
    assert client.login(username=username, password=password)

    result = crawl(client, timezone.localdate())

    print(f"{role}: {len(result.pages)} pages, {len(result.others)} downloads, refused {result.refused}")
    assert len(result.pages) > 3, result.pages
    assert result.failures == []

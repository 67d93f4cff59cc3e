"""Placeholder until the worklists land (being written now)."""

from django.http import Http404, HttpRequest, HttpResponse

from ivig.accounts.access import requires
from ivig.accounts.roles import VIEW_ORDER


@requires(VIEW_ORDER)
def worklist(request: HttpRequest) -> HttpResponse:
    raise Http404

"""Placeholder until the order sheet lands (being written now)."""

from django.http import Http404, HttpRequest, HttpResponse

from ivig.accounts.access import requires
from ivig.accounts.roles import VIEW_ORDER


@requires(VIEW_ORDER)
def order_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires(VIEW_ORDER)
def order_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404

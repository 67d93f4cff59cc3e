"""Placeholder (being written now)."""

from django.http import Http404, HttpRequest, HttpResponse

from ivig.accounts.access import requires
from ivig.accounts.roles import PRESCRIBE, VERIFY_ORDER, VIEW_ORDER


@requires(VERIFY_ORDER)
def order_verify(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires(VERIFY_ORDER)
def order_dispense(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


"""Placeholder until the approval pages land (being written now)."""

from django.http import Http404, HttpRequest, HttpResponse

from ivig.accounts.access import requires
from ivig.accounts.roles import APPROVE_ORDER, MANAGE_CRITERIA, VIEW_CRITERIA


@requires(APPROVE_ORDER)
def order_decide(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires(VIEW_CRITERIA)
def criteria_list(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires(MANAGE_CRITERIA)
def criteria_new(request: HttpRequest, indication: str) -> HttpResponse:
    raise Http404

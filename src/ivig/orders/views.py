"""Placeholder (being written now)."""

from django.http import Http404, HttpRequest, HttpResponse

from ivig.accounts.access import requires
from ivig.accounts.roles import PRESCRIBE, VERIFY_ORDER, VIEW_ORDER


@requires(PRESCRIBE)
def order_new(request: HttpRequest, patient_pk: int) -> HttpResponse:
    raise Http404


@requires(PRESCRIBE)
def order_preview(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires(VIEW_ORDER)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires(PRESCRIBE)
def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires(PRESCRIBE)
def order_sign(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires(PRESCRIBE)
def order_revise(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires(PRESCRIBE)
def order_repeat(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires(PRESCRIBE)
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


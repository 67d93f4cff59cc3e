"""Filtered, paged list pages: django-filter's FilterView with the forgiving paging the lists always had."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django_filters.views import FilterView


class CheckboxFilter(django_filters.Filter):  # type: ignore[misc]  # django-filter is untyped
    """A tick box: unticked filters nothing (django-filter's BooleanFilter offers yes, no and unknown)."""

    field_class = forms.BooleanField


def filter_errors(filters: django_filters.FilterSet) -> str:
    """A FilterSet's errors in one line, for an answer that has no form to show them on."""
    return "; ".join(f"{name}: {' '.join(map(str, messages))}" for name, messages in filters.errors.items())


class FilteredListView(FilterView):  # type: ignore[misc]  # django-filter is untyped
    """A list with a FilterSet and pages: a filter that does not validate shows nothing but the form's errors
    (answered with `invalid_status`); a page number out of range or not a number shows the nearest page, as
    Paginator.get_page does, not a 404."""

    invalid_status = 200

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple[Paginator[Any], Page[Any], Any, bool]:
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        if self.filterset.is_bound and self.filterset.errors:
            response_kwargs.setdefault("status", self.invalid_status)
        response: HttpResponse = super().render_to_response(context, **response_kwargs)
        return response

"""The stock page's filters as a FilterSet: one location (or everywhere) and whether empty lots show too."""

from __future__ import annotations

from typing import Any

import django_filters

from ivig.inventory.models import Location, Lot, LotQuerySet
from ivig.lib.paging import CheckboxFilter


class StockFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    """`?location=<pk>` counts and shows the vials at that location only; `?empty=1` shows empty lots too.

    Both decide one annotation (vials on hand where?), so the lots are filtered in `filter_queryset` at once.
    """

    location = django_filters.ModelChoiceFilter(queryset=Location.objects.all(), empty_label="Everywhere")
    empty = CheckboxFilter(label="Show empty lots too")

    class Meta:
        model = Lot
        fields: list[str] = []

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        # Always bound: no parameters is a choice too (everywhere, in stock only), made in filter_queryset.
        kwargs.setdefault("queryset", Lot.objects.order_by("expiry_date", "lot_number"))
        super().__init__({} if data is None else data, **kwargs)

    @property
    def chosen(self) -> Location | None:
        """The location asked for, None for everywhere (or when the filters do not validate)."""
        return self.form.cleaned_data.get("location") if self.is_valid() else None

    @property
    def show_empty(self) -> bool:
        return bool(self.is_valid() and self.form.cleaned_data.get("empty"))

    def filter_queryset(self, lots: LotQuerySet) -> LotQuerySet:
        return lots.with_stock(in_stock_only=not self.show_empty, location=self.chosen)

"""Dates a person may type: bounded to a sane range, so a page never steps off the calendar.

Python's dates run from 0001-01-01 to 9999-12-31: a page that links "the day after" 9999-12-31, or a report
that filters up to "the start of the next day", overflows and answers 500. Every date a form or filter takes
from a person is held to EARLIEST..LATEST instead, and refused with a message outside it.
"""

from __future__ import annotations

from datetime import date, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)
OUT_OF_RANGE = f"Enter a date between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}."


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def validate_sane_date(value: date) -> None:
    """A form validator: refuse a date outside EARLIEST..LATEST with OUT_OF_RANGE."""
    if value is not None and not in_range(value):
        raise ValidationError(OUT_OF_RANGE, code="date_out_of_range")


def next_day(day: date) -> date:
    """The day after `day`, never past the end of the calendar (a sane date always has one)."""
    return day + timedelta(days=1) if day < date.max else day


def previous_day(day: date) -> date:
    return day - timedelta(days=1) if day > date.min else day


class SaneDateField(forms.DateField):
    """A DateField that refuses dates outside EARLIEST..LATEST."""

    default_validators = [validate_sane_date]


class SaneDateFilter(django_filters.DateFilter):  # type: ignore[misc]  # django-filter is untyped
    """A django-filter date filter whose field is a SaneDateField."""

    field_class = SaneDateField

"""`{% form_token %}`: the hidden one-time token every state-changing form carries (see `ivig.audit.once`)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ivig.audit.once import FIELD, new_token

register = template.Library()


@register.simple_tag
def form_token() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())

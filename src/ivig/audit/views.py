"""The audit page: every recorded change, filterable by patient, user and date."""

from __future__ import annotations

from ivig.accounts.access import requires
from ivig.accounts.roles import VIEW_AUDIT
from ivig.audit.filters import AuditEventFilter
from ivig.audit.models import AuditEvent
from ivig.lib.paging import FilteredListView


@requires(VIEW_AUDIT)
class AuditListView(FilteredListView):
    model = AuditEvent
    filterset_class = AuditEventFilter
    paginate_by = 50
    invalid_status = 400  # a filter that does not validate (a date off the calendar) is the asker's error
    template_name = "audit/list.html"

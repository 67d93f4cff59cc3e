"""The adverse-event register's FHIR download: the reports Quality filtered, as a Bundle of AdverseEvent.

The register's page (ivig.hemovigilance) links here; the mapping (ivig.fhir.resources.adverse_event) and this
view live in fhir, which owns every FHIR mapping, so hemovigilance never imports fhir.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

from ivig.accounts.access import requires
from ivig.accounts.roles import VIEW_ADVERSE_EVENTS
from ivig.fhir.resources.adverse_event import bundle
from ivig.hemovigilance.ae_views import export_response


@requires(VIEW_ADVERSE_EVENTS)
def fhir_json(request: HttpRequest) -> HttpResponse:
    """The filtered reports as a FHIR R4 Bundle (type collection) of AdverseEvent resources."""
    reports, response = export_response(request, "application/fhir+json", "json")
    if reports is not None:
        response.write(json.dumps(bundle(reports), indent=1))
    return response

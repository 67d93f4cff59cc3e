"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from ivig.fhir import ae_export
from ivig.fhir.urls import api_urls
from ivig.portal import views as portal_views
from ivig.smart.discovery import configuration as smart_configuration

# Under /fhir/ an error the API did not answer itself is an OperationOutcome; elsewhere Django's 500 page.
handler500 = "ivig.fhir.api.server_error"

urlpatterns = [
    path("", include("ivig.web.urls")),
    path("", include("ivig.ops.urls")),  # /healthz, /readyz, /metrics
    path("accounts/two-factor/", include("ivig.accounts.urls_two_factor")),
    path("accounts/", include("ivig.accounts.urls")),
    path("patients/", include("ivig.patients.urls")),
    path("stock/", include("ivig.inventory.urls")),
    path("orders/", include("ivig.orders.urls")),
    path("outcomes/", include("ivig.outcomes.urls")),
    path("infusions/", include("ivig.infusions.urls")),
    path("schedule/", include("ivig.scheduling.urls")),
    path("supply/", include("ivig.supply.urls")),
    # The register's FHIR download is fhir's (it owns every FHIR mapping), at the register's address.
    path("hemovigilance/adverse-events/fhir.json", ae_export.fhir_json, name="ae_fhir_json"),
    path("hemovigilance/", include("ivig.hemovigilance.urls")),
    path("conservation/", include("ivig.conservation.urls")),
    path("reports/", include("ivig.reports.urls")),
    path("audit/", include("ivig.audit.urls")),
    path("follow-up/", include("ivig.followup.urls")),
    path("portal/", include("ivig.portal.urls")),
    path("i18n/setlang/", portal_views.language, name="set_language"),
    path("settings/", include("ivig.siteconfig.urls")),
    path("api-tokens/", include("ivig.fhir.urls")),
    path("oauth/", include("ivig.smart.urls")),
    # SMART App Launch discovery sits under the FHIR base, ahead of the API's catch-all 404.
    path("fhir/.well-known/smart-configuration", smart_configuration, name="smart-configuration"),
    path("fhir/", api_urls()),
    path("admin/", admin.site.urls),
]

"""The OAuth2 endpoints under /oauth/ and the EHR launch page (discovery is in ivig.config.urls)."""

from django.urls import path

from ivig.smart import views

app_name = "smart"
urlpatterns = [
    path("authorize", views.SmartAuthorizationView.as_view(), name="authorize"),
    path("token", views.token, name="token"),
    path("revoke", views.revoke, name="revoke"),
    path("launch/<int:patient_pk>/", views.launch, name="launch"),
]

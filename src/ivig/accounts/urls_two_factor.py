"""Two-factor sign-in pages, under /accounts/two-factor/ (the middleware exempts enrol and verify)."""

from django.urls import path

from ivig.accounts import views_two_factor as views

app_name = "two_factor"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("enrol/", views.enrol, name="enrol"),
    path("recovery-codes/", views.new_recovery_codes, name="recovery_codes"),
    path("remove/", views.remove, name="remove"),
]

from django.urls import path

from ivig.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.report, name="report"),
    path("<slug:slug>.csv", views.report_csv, name="csv"),
]

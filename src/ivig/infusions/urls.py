"""Infusion pages: today's list, starting a session, the flowsheet and its steps, the record."""

from django.urls import path

from ivig.infusions import views

app_name = "infusions"

urlpatterns = [
    path("", views.infusion_list, name="list"),
    path("start/<int:order_pk>/", views.session_start, name="start"),
    path("<int:pk>/", views.session_flowsheet, name="flowsheet"),
    path("<int:pk>/status/", views.session_status, name="status"),
    path("<int:pk>/identity/", views.identity_check, name="identity"),
    path("<int:pk>/checklist/", views.checklist_save, name="checklist"),
    path("<int:pk>/checklist/confirm/", views.checklist_confirm, name="confirm"),
    path("<int:pk>/scan/", views.vial_scan, name="scan"),
    path("<int:pk>/vitals/", views.vitals_record, name="vitals"),
    path("<int:pk>/pump/start/", views.pump_start, name="pump_start"),
    path("<int:pk>/pump/rate/", views.pump_rate, name="pump_rate"),
    path("<int:pk>/pump/pause/", views.pump_pause, name="pump_pause"),
    path("<int:pk>/pump/resume/", views.pump_resume, name="pump_resume"),
    path("<int:pk>/pump/end/", views.pump_end, name="pump_end"),
    path("<int:pk>/reaction/", views.reaction_new, name="reaction"),
    path("<int:pk>/reaction/<int:reaction_pk>/action/", views.reaction_action, name="reaction_action"),
    path("<int:pk>/reaction/<int:reaction_pk>/settled/", views.reaction_settled, name="reaction_settled"),
    path("<int:pk>/discharge/", views.session_discharge, name="discharge"),
    path("<int:pk>/record/", views.session_record, name="record"),
]

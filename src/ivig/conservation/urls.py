from django.urls import path

from ivig.conservation import views

app_name = "conservation"
urlpatterns = [
    path("", views.site_list, name="list"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/seen/", views.notice_seen, name="notice_seen"),
    path("patients/<int:pk>/", views.patient_proposals, name="patient"),
    path("patients/<int:pk>/generate/", views.generate, name="generate"),
    path("patients/<int:pk>/switch/", views.propose_switch, name="switch"),
    path("proposals/<int:pk>/accept/", views.accept, name="accept"),
    path("proposals/<int:pk>/decline/", views.decline, name="decline"),
]

from django.urls import path

from ivig.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("messages/<int:pk>/read/", views.message_read, name="message_read"),
    path("join/<str:token>/", views.accept, name="accept"),
    path("patients/<int:pk>/learn/", views.education, name="education"),
    path("patients/<int:pk>/handout/", views.handout, name="handout"),
    path("patients/<int:pk>/handout.pdf", views.handout_pdf, name="handout_pdf"),
    path("patients/<int:pk>/invite/", views.invite, name="invite"),
    path("patients/<int:pk>/invitations/<int:invitation_pk>/revoke/", views.revoke, name="revoke_invitation"),
]

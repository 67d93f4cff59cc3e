from django.urls import path

from ivig.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.worklist_view, name="worklist"),
    path("<int:pk>/diary/", views.diary, name="diary"),
    path("<int:pk>/contact/", views.contact, name="contact"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("start/<int:order_pk>/", views.start, name="start"),
]

from django.urls import path

from ivig.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.whoami, name="whoami"),
]

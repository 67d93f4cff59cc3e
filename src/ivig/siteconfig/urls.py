from django.urls import path

from ivig.siteconfig import views

app_name = "siteconfig"
urlpatterns = [path("", views.site_settings, name="settings")]

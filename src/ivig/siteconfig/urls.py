from django.urls import path

from ivig.siteconfig import views, views_shortage

app_name = "siteconfig"
urlpatterns = [
    path("", views.site_settings, name="settings"),
    path("shortage/", views_shortage.shortage_settings, name="shortage"),
    path("shortage/category/", views_shortage.shortage_category, name="shortage_category"),
    path("shortage/policy/", views_shortage.shortage_policy, name="shortage_policy"),
]

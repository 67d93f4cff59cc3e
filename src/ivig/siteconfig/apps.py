from django.apps import AppConfig


class SiteConfigConfig(AppConfig):
    name = "ivig.siteconfig"
    label = "siteconfig"
    verbose_name = "Site settings"

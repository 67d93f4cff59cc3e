"""django.contrib.admin with ivig's admin site (ivig.audit.admin_site): named in INSTALLED_APPS in its place.

Kept apart from admin_site.py: INSTALLED_APPS imports this module before the models exist.
"""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "ivig.audit.admin_site.AuditedAdminSite"

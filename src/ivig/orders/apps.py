from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "ivig.orders"
    verbose_name = "Therapy orders"

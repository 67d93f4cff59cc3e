from django.urls import path

from ivig.inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.stock_list, name="stock"),
    path("receive/", views.receive, name="receive"),
    path("lots/<int:pk>/", views.lot_detail, name="lot"),
    path("lots/<int:pk>/<slug:change>/", views.lot_status, name="lot_status"),
]

from django.urls import path

from ivig.inventory import views, views_locations

app_name = "inventory"
urlpatterns = [
    path("", views.stock_list, name="stock"),
    path("receive/", views.receive, name="receive"),
    path("lots/<int:pk>/", views.lot_detail, name="lot"),
    path("lots/<int:pk>/transfer/", views_locations.lot_transfer, name="lot_transfer"),
    path("lots/<int:pk>/waste/", views_locations.lot_waste, name="lot_waste"),
    path("lots/<int:pk>/<slug:change>/", views.lot_status, name="lot_status"),
    path("locations/", views_locations.location_list, name="locations"),
    path("locations/<int:pk>/", views_locations.location_edit, name="location_edit"),
    path("locations/<int:pk>/count/", views_locations.location_count, name="location_count"),
]

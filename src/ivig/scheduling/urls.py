"""Scheduling pages."""

from django.urls import path

from ivig.scheduling import views, views_optimise, views_routes, views_travel

app_name = "scheduling"

urlpatterns = [
    path("", views.day_view, name="day"),
    path("book/", views.to_book, name="to_book"),
    path("book/<int:order_pk>/", views.book, name="book"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/move/", views.appointment_move, name="move"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="cancel"),
    path("appointments/<int:pk>/status/", views.appointment_status, name="status"),
    path("optimise/", views_optimise.optimise_day, name="optimise"),
    path("home/", views.home_visits, name="home"),
    path("home/day/", views_routes.home_day, name="home_day"),
    path("home/day/optimise/", views_routes.home_day_optimise, name="home_optimise"),
    path("home/visits/<int:pk>/confirm/", views_routes.visit_confirm, name="visit_confirm"),
    path("home/visits/<int:pk>/window/", views_routes.visit_window, name="visit_window"),
    path("home/routes/<str:day>/<int:nurse_pk>/", views_routes.route_view, name="route"),
    path("home/travel/", views_travel.travel_matrix, name="travel"),
]

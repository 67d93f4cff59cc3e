"""Scheduling pages."""

from django.urls import path

from ivig.scheduling import views, views_optimise

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
]

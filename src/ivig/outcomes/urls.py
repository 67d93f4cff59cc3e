from django.urls import path

from ivig.outcomes import views, views_pk

app_name = "outcomes"
urlpatterns = [
    path("patients/<int:pk>/", views.patient_outcomes, name="patient"),
    path("patients/<int:pk>/pk/", views_pk.patient_pk, name="pk"),
    path("patients/<int:pk>/infections/", views.infection_add, name="infection_add"),
    path("patients/<int:pk>/bleeds/", views.bleeding_add, name="bleeding_add"),
    path("patients/<int:pk>/disability/", views.disability_add, name="disability_add"),
    path("patients/<int:pk>/reviews/", views.review_add, name="review_add"),
    path("patients/<int:pk>/trials/", views.trial_start, name="trial_start"),
    path("patients/<int:pk>/trials/<int:trial_pk>/result/", views.trial_result, name="trial_result"),
]

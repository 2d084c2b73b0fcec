"""The review queue of place names. Included by the project under "places/" (see the report)."""

from __future__ import annotations

from django.urls import path

from citydiplo.registry.resolution import views

app_name = "resolution"
urlpatterns = [
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/<int:pk>/decide/", views.review_decide, name="review-decide"),
]

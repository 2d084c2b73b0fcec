"""Ecosystem pages, under /analysis/."""

from __future__ import annotations

from django.urls import path

from citydiplo.analysis import views

app_name = "analysis"
urlpatterns = [
    path("", views.ecosystem, name="ecosystem"),
    path("run/", views.run_request, name="run"),
    path("download/<str:name>", views.download, name="download"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run-progress"),
    path("overlap/", views.overlap, name="overlap"),
    path("graph/", views.graph, name="graph"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("places/<slug:slug>/", views.place, name="place"),
    path("networks/<slug:slug>/", views.network, name="network"),
]

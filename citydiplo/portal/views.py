from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from citydiplo.registry import selectors


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and `make demo`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def home(request: HttpRequest) -> HttpResponse:
    """The front page: the real networks in the registry with their member counts."""
    networks = selectors.network_list(user=request.user)
    return render(
        request,
        "portal/home.html",
        {"networks": networks, "counts": selectors.home_counts(user=request.user)},
    )

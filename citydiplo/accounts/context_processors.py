from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def current_organisation(request: HttpRequest) -> dict[str, Any]:
    """The organisation the signed-in user is working for (their first seat; switchable later)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_organisation": None}
    seat = user.organisation_seats.select_related("organisation").order_by("pk").first()
    return {
        "current_organisation": seat.organisation if seat else None,
        "current_role": seat.role if seat else None,
    }

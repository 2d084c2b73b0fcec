from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from citydiplo.accounts.selectors import seat_of


def current_organisation(request: HttpRequest) -> dict[str, Any]:
    """The organisation the signed-in user is working for: the one chosen in this session, else their
    first seat's (see selectors.seat_of)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_organisation": None}
    seat = seat_of(user=user, session=getattr(request, "session", None))
    return {
        "current_organisation": seat.organisation if seat else None,
        "current_role": seat.role if seat else None,
    }


def site(request: HttpRequest) -> dict[str, Any]:
    """Site-wide facts every page shows (the AGPL source link)."""
    from django.conf import settings

    return {"source_url": settings.CITYDIPLO_SOURCE_URL}

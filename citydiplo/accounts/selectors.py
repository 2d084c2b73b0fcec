"""Reads about organisations and their people."""

from __future__ import annotations

import datetime as dt
from typing import Any

from citydiplo.accounts.models import Organisation, OrganisationMember, TermOfGovernment


def organisation_of(*, user: Any) -> Organisation | None:
    """The organisation a user works for: their first seat (a switcher comes with multi-office users)."""
    if not getattr(user, "is_authenticated", False):
        return None
    seat = OrganisationMember.objects.filter(user_id=user.pk).select_related("organisation").order_by("pk").first()
    return seat.organisation if seat else None


def term_at(*, organisation: Organisation, day: dt.date) -> TermOfGovernment | None:
    """The administration in office on a given day, if recorded."""
    return (
        organisation.terms.filter(start__lte=day)
        .exclude(end__lt=day)
        .order_by("-start")
        .first()
    )

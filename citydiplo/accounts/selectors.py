"""Reads about organisations, their people and a user's own security settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django_otp import user_has_device

from citydiplo.accounts.models import ApiToken, Organisation, OrganisationMember, TermOfGovernment


def organisation_of(*, user: Any) -> Organisation | None:
    """The organisation a user works for: their first seat (a switcher comes with multi-office users)."""
    if not getattr(user, "is_authenticated", False):
        return None
    seat = (
        OrganisationMember.objects.filter(user_id=user.pk)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    return seat.organisation if seat else None


def term_at(*, organisation: Organisation, day: dt.date) -> TermOfGovernment | None:
    """The administration in office on a given day, if recorded."""
    return organisation.terms.filter(start__lte=day).exclude(end__lt=day).order_by("-start").first()


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    """A user's own tokens, newest first, revoked ones included (their last use stays worth seeing)."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk)


def api_token_get(*, user: Any, pk: int) -> ApiToken:
    """One of the user's own tokens; another user's raises DoesNotExist, like a missing one."""
    return api_token_list(user=user).get(pk=pk)


def two_factor_enabled(*, user: Any) -> bool:
    """Does signing in ask this user for a code from an authenticator app?"""
    return bool(getattr(user, "is_authenticated", False)) and user_has_device(user, confirmed=True)

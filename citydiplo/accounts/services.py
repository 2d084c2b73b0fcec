"""Writes to organisations and to a user's own security: terms of government, API tokens, two-step
verification. Invitations and roles come with organisation management."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from citydiplo.accounts.access import access_write
from citydiplo.accounts.models import ApiToken, Organisation, TermOfGovernment, User


def term_create(
    *,
    user: Any,
    organisation: Organisation,
    head_name: str,
    start: dt.date,
    end: dt.date | None = None,
    head_title: str = "",
) -> TermOfGovernment:
    """Record a mayor's or head's term. Terms of one organisation must not overlap: a record's date
    then names exactly one administration."""
    access_write(user, organisation.pk)
    term = TermOfGovernment(
        organisation=organisation, head_name=head_name, head_title=head_title, start=start, end=end
    )
    term.full_clean()
    far_future = dt.date(9999, 12, 31)
    for other in organisation.terms.all():
        if start <= (other.end or far_future) and other.start <= (end or far_future):
            raise ValidationError(_("This term overlaps the term of %(head)s.") % {"head": other.head_name})
    term.save()
    return term


# --- API tokens --------------------------------------------------------------------------------------

TOKEN_PREFIX = "cdp_"  # noqa: S105 (a public marker that makes leaked tokens easy to scan for)
# How often last_used_at is written: a script polling every second should not cost a write per call.
_LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(
    *, user: User | Any, name: str, scope: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for the user's own scripts. Returns the row and the token, which is never stored and
    cannot be shown again: `cdp_<prefix>_<secret>`."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to create API tokens."))
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Choose read or write.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user,
        name=name.strip(),
        scope=scope,
        prefix=prefix,
        secret_hash=_token_hash(raw),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, user: User | Any, token: ApiToken) -> ApiToken:
    """Stop a token from working, at once and for good. Only its owner (or a superuser) may revoke it;
    the row stays, so the list still shows when it was last used."""
    if token.user_id != user.pk and not getattr(user, "is_superuser", False):
        raise PermissionDenied(_("This is not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token matching `raw` (with its user loaded), or None. Marks it as used."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, sep, secret = raw.removeprefix(TOKEN_PREFIX).partition("_")
    if not sep or not secret:
        return None
    token = ApiToken.objects.active().select_related("user").filter(prefix=prefix).first()
    # Compare in constant time, so response times reveal nothing about the hash.
    if token is None or not hmac.compare_digest(token.secret_hash, _token_hash(raw)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# --- Two-step verification (TOTP) -----------------------------------------------------------------------

# django-otp's device names; a user has at most one device of each kind.
TOTP_DEVICE_NAME = "authenticator app"


def totp_enrolment_start(*, user: User | Any) -> TOTPDevice:
    """A fresh, unconfirmed authenticator-app device whose secret the user now copies into the app.
    It does nothing until totp_enrolment_confirm accepts a code from it; starting again replaces it."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to set up two-step verification."))
    if user_has_device(user, confirmed=True):
        raise ValidationError(_("Two-step verification is already on."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_enrolment_pending(*, user: User | Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def totp_enrolment_confirm(*, user: User | Any, token: str) -> TOTPDevice:
    """Turn two-step verification on, once the app shows the right code: proof that it holds the secret."""
    device = totp_enrolment_pending(user=user)
    if device is None:
        raise ValidationError(_("Start the set-up again: no authenticator app is waiting for confirmation."))
    if not _verify(device, token):
        raise ValidationError(
            {"token": _("That code is not right. Check the app's clock and try the next code.")}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def totp_verify(*, user: User | Any, token: str) -> TOTPDevice | None:
    """The user's confirmed device if `token` is its current code, else None. Repeated wrong codes slow
    the device down (1, 2, 4... seconds, django-otp's throttling) and a code is accepted only once."""
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if _verify(device, token):
            return device
    return None


def totp_disable(*, user: User | Any, token: str) -> None:
    """Turn two-step verification off. A current code is asked for, so a session left open on a shared
    computer is not enough; a user who lost the app asks an administrator (admin: TOTP devices)."""
    if totp_verify(user=user, token=token) is None:
        raise ValidationError({"token": _("That code is not right.")})
    TOTPDevice.objects.filter(user=user).delete()


def _verify(device: TOTPDevice, token: str) -> bool:
    token = "".join(token.split())
    if not token.isdigit():
        return False
    # In a transaction with the row locked (on PostgreSQL), so two requests cannot both use one code.
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        verified = bool(locked.verify_token(token))
    device.refresh_from_db()
    return verified

"""Writes to organisations and to a user's own security: terms of government, the organisation's people
(invitations, roles, removal, ownership), API tokens, two-step verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from citydiplo.accounts.access import access_owner, access_write
from citydiplo.accounts.models import (
    ApiToken,
    Invitation,
    Organisation,
    OrganisationMember,
    TermOfGovernment,
    User,
)

logger = logging.getLogger(__name__)
Role = OrganisationMember.Role


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


# --- The organisation's people: invitations, roles, removal, ownership -------------------------------
#
# Every change below runs in a transaction that first locks the organisation's row, so two owners acting
# at once are served one after the other and can never leave the organisation without an owner (two
# owners demoting each other, say). Owner checks run after the lock, on the state they then change.

INVITATION_LIFETIME = dt.timedelta(days=14)


def _locked(organisation_id: int) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation_id)


def _role_label(role: str) -> str:
    return str(Role(role).label)


def _is_last_owner(seat: OrganisationMember) -> bool:
    """Precondition: the organisation's row is locked. An organisation keeps at least one owner, or nobody
    could invite, promote or transfer any more."""
    if seat.role != Role.OWNER:
        return False
    owners = OrganisationMember.objects.filter(organisation_id=seat.organisation_id, role=Role.OWNER)
    return not owners.exclude(pk=seat.pk).exists()


def _refuse_if_last_owner(seat: OrganisationMember, message: str) -> None:
    if _is_last_owner(seat):
        raise ValidationError(message)


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose owner, editor or viewer.")})


def invitation_create(
    *, user: User | Any, organisation: Organisation, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite an e-mail address into the organisation with a role. Returns the invitation and its token,
    which is never stored and cannot be shown again: the link to send is built from it.

    A new invitation for the same address replaces (revokes) the one still pending, so an owner who lost
    the link simply invites again."""
    _check_role(role)
    email = User.objects.normalize_email(email.strip())
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        _locked(organisation.pk)
        access_owner(user, organisation.pk)
        seat = (
            OrganisationMember.objects.filter(organisation=organisation, user__email__iexact=email)
            .select_related("user")
            .first()
        )
        if seat is not None and seat.role == role:
            raise ValidationError(
                {
                    "email": _("%(user)s (%(email)s) already is %(role)s here.")
                    % {"user": seat.user.get_username(), "email": email, "role": _role_label(role)}
                }
            )
        invitation = Invitation(
            organisation=organisation,
            email=email,
            role=role,
            token_hash=Invitation.digest(raw),
            invited_by=user,
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        invitation.full_clean()
        organisation.invitations.pending().filter(email__iexact=email).update(revoked_at=timezone.now())
        invitation.save()
    return invitation, raw


def invitation_send(*, invitation: Invitation, link: str) -> bool:
    """E-mail the link to the invited address if this installation is configured to send mail
    (EMAIL_BACKEND set in the settings); otherwise the owner sends the link themselves. True if sent.

    Written in the organisation's working language: the recipient's own is not known yet."""
    if not settings.is_overridden("EMAIL_BACKEND"):  # type: ignore[misc]
        return False
    organisation = invitation.organisation
    with translation.override(organisation.language):
        subject = _("Invitation to %(organisation)s on citydiplo") % {"organisation": organisation.name}
        body = _(
            "%(inviter)s invites you to join %(organisation)s on citydiplo as %(role)s.\n\n"
            "Open this link to accept, with your account or a new one:\n%(link)s\n\n"
            "The link works once, until %(expires)s. If you did not expect it, ignore this message."
        ) % {
            "inviter": invitation.invited_by.get_username() if invitation.invited_by else organisation.name,
            "organisation": organisation.name,
            "role": _role_label(invitation.role),
            "link": link,
            "expires": f"{timezone.localtime(invitation.expires_at):%Y-%m-%d}",
        }
    try:
        send_mail(subject, body, None, [invitation.email])
    except OSError:  # SMTP errors are OSErrors: the link on the page still works
        logger.warning("Could not e-mail invitation %s", invitation.pk, exc_info=True)
        return False
    return True


def invitation_revoke(*, user: User | Any, invitation: Invitation) -> Invitation:
    """Withdraw an invitation: its link stops working. An accepted one cannot be withdrawn; remove the
    member instead."""
    with transaction.atomic():
        _locked(invitation.organisation_id)
        access_owner(user, invitation.organisation_id)
        invitation.refresh_from_db()
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation was already accepted: remove the member instead."))
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_refusal(invitation: Invitation | None) -> str | None:
    """Why this invitation cannot be accepted, in words for the person holding the link; None if it can."""
    if invitation is None:
        return _("This invitation link is not valid. Check that you copied all of it.")
    organisation = invitation.organisation.name
    match invitation.status:
        case Invitation.Status.ACCEPTED:
            return _("This invitation to %(organisation)s has already been used.") % {
                "organisation": organisation
            }
        case Invitation.Status.REVOKED:
            return _(
                "This invitation to %(organisation)s was withdrawn. Ask one of its owners for a new one."
            ) % {"organisation": organisation}
        case Invitation.Status.EXPIRED:
            return _(
                "This invitation to %(organisation)s has expired. Ask one of its owners for a new one."
            ) % {"organisation": organisation}
    return None


@dataclass(frozen=True)
class Acceptance:
    """What accepting an invitation did, for telling the person."""

    seat: OrganisationMember
    joined: bool  # a new seat
    previous_role: str | None = None  # their role before, when they were already a member
    kept_last_owner: bool = False  # the invitation's lower role was not applied to the last owner

    @property
    def message(self) -> str:
        names = {"organisation": self.seat.organisation.name, "role": _role_label(self.seat.role)}
        if self.joined:
            return _("Welcome to %(organisation)s: you are %(role)s.") % names
        if self.kept_last_owner:
            return (
                _(
                    "You are the last owner of %(organisation)s, so you stay owner: the invitation's role "
                    "was not applied."
                )
                % names
            )
        if self.previous_role is not None and self.previous_role != self.seat.role:
            return _(
                "You already were a member of %(organisation)s; your role is now %(role)s (was %(was)s)."
            ) % {
                **names,
                "was": _role_label(self.previous_role),
            }
        return _("You already are %(role)s in %(organisation)s: nothing changed.") % names


def _accept(invitation: Invitation, user: User) -> Acceptance:
    """Precondition: in a transaction, the organisation locked, the invitation re-read and pending."""
    seat = OrganisationMember.objects.filter(organisation_id=invitation.organisation_id, user=user).first()
    if seat is None:
        seat = OrganisationMember.objects.create(
            organisation_id=invitation.organisation_id, user=user, role=invitation.role
        )
        outcome = Acceptance(seat=seat, joined=True)
    elif seat.role == invitation.role:
        outcome = Acceptance(seat=seat, joined=False, previous_role=seat.role)
    elif invitation.role != Role.OWNER and _is_last_owner(seat):
        outcome = Acceptance(seat=seat, joined=False, previous_role=seat.role, kept_last_owner=True)
    else:
        previous = seat.role
        seat.role = invitation.role
        seat.save(update_fields=["role"])
        outcome = Acceptance(seat=seat, joined=False, previous_role=previous)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return outcome


def _pending_invitation(token: str) -> Invitation:
    """The invitation of this token, its organisation locked; refused unless it can still be accepted.
    Precondition: in a transaction."""
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=Invitation.digest(token)).first()
    )
    if invitation is not None:
        _locked(invitation.organisation_id)
        invitation.refresh_from_db()  # a concurrent accept or revoke landed before our lock
    refusal = invitation_refusal(invitation)
    if refusal is not None:
        raise ValidationError(refusal)
    assert invitation is not None  # noqa: S101 (invitation_refusal refuses a missing one)
    return invitation


def invitation_accept(*, user: User | Any, token: str) -> Acceptance:
    """Seat a signed-in user as the invitation says. Already a member: the role becomes the invitation's,
    unless that would leave the organisation without an owner."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in, or create an account, to accept an invitation."))
    with transaction.atomic():
        return _accept(_pending_invitation(token), user)


def invitation_accept_with_new_account(*, token: str, username: str, email: str, password: str) -> Acceptance:
    """Create an account for someone invited who has none, and seat it: both or neither. The password
    must pass the installation's password validators."""
    with transaction.atomic():
        invitation = _pending_invitation(token)
        user = User(username=username, email=User.objects.normalize_email(email.strip()))
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
        return _accept(invitation, user)


def member_role_change(*, user: User | Any, seat: OrganisationMember, role: str) -> OrganisationMember:
    """An owner gives a member (themselves included) another role; the last owner keeps theirs."""
    _check_role(role)
    with transaction.atomic():
        organisation = _locked(seat.organisation_id)
        access_owner(user, organisation.pk)
        seat = OrganisationMember.objects.select_related("user").get(pk=seat.pk)
        if role != Role.OWNER:
            _refuse_if_last_owner(
                seat,
                _("%(user)s is the last owner of %(organisation)s: make another member owner first.")
                % {"user": seat.user.get_username(), "organisation": organisation.name},
            )
        if seat.role != role:
            seat.role = role
            seat.save(update_fields=["role"])
    return seat


def member_remove(*, user: User | Any, seat: OrganisationMember) -> None:
    """An owner takes a member's seat away. Their records stay: they belong to the organisation."""
    with transaction.atomic():
        organisation = _locked(seat.organisation_id)
        access_owner(user, organisation.pk)
        seat = OrganisationMember.objects.select_related("user").get(pk=seat.pk)
        _refuse_if_last_owner(
            seat,
            _(
                "%(user)s is the last owner of %(organisation)s and cannot be removed: make another member owner first."
            )
            % {"user": seat.user.get_username(), "organisation": organisation.name},
        )
        seat.delete()


def member_leave(*, user: User | Any, organisation: Organisation) -> None:
    """A member gives up their own seat; the last owner first hands ownership to someone else."""
    with transaction.atomic():
        organisation = _locked(organisation.pk)
        seat = OrganisationMember.objects.filter(organisation=organisation, user_id=user.pk).first()
        if seat is None:
            raise ValidationError(
                _("You are not a member of %(organisation)s.") % {"organisation": organisation.name}
            )
        _refuse_if_last_owner(
            seat,
            _(
                "You are the last owner of %(organisation)s: transfer ownership to another member before leaving."
            )
            % {"organisation": organisation.name},
        )
        seat.delete()


def ownership_transfer(
    *, user: User | Any, organisation: Organisation, to: OrganisationMember
) -> OrganisationMember:
    """Hand ownership to another member: they become owner and the current owner becomes editor, both or
    neither. Returns the new owner's seat."""
    with transaction.atomic():
        organisation = _locked(organisation.pk)
        access_owner(user, organisation.pk)
        own = OrganisationMember.objects.get(organisation=organisation, user_id=user.pk)
        target = OrganisationMember.objects.filter(pk=to.pk, organisation=organisation).first()
        if target is None:
            raise ValidationError(
                _("Choose a member of %(organisation)s.") % {"organisation": organisation.name}
            )
        if target.pk == own.pk:
            raise ValidationError(_("Choose another member: you already are an owner."))
        target.role = Role.OWNER
        target.save(update_fields=["role"])
        own.role = Role.EDITOR
        own.save(update_fields=["role"])
    return target


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

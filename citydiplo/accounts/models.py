"""Organisations using the platform, their people and their terms of government.

An organisation is the tenant: every record that is not a shared reference fact belongs to exactly one
organisation, and only that organisation's members may change it (see citydiplo.accounts.access).
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person using the platform. Platform curators are `is_staff` users: they edit reference facts."""

    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)

    @property
    def is_curator(self) -> bool:
        return self.is_active and self.is_staff


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LOCAL_GOVERNMENT_OFFICE = "local_government_office", _("Local government office")
        METROPOLITAN_BODY = "metropolitan_body", _("Metropolitan body")
        NETWORK_SECRETARIAT = "network_secretariat", _("Network secretariat")
        RESEARCH_GROUP = "research_group", _("Research group")

    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    language = models.CharField(_("working language"), max_length=8, default="en")
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    place = models.ForeignKey(
        "registry.Actor",
        verbose_name=_("place it represents"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="represented_by",
        help_text=_("The city, metropolitan area or network this office works for."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("For example the metropolitan area a municipality belongs to."),
    )
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Demo data invented to show the product; never real figures."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class OrganisationMember(models.Model):
    """A user's seat in an organisation. Roles are cumulative: an owner can do what an editor can."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")
        VIEWER = "viewer", _("Viewer")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="organisation_seats")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_seat_per_user")]
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class TermOfGovernment(models.Model):
    """A mayor's (or head's) term, so every record can be read by the administration it belongs to."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="terms")
    head_name = models.CharField(_("mayor or head"), max_length=200)
    head_title = models.CharField(_("title"), max_length=100, blank=True, default="")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("term of government")
        verbose_name_plural = _("terms of government")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="term_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.head_name} ({self.start:%Y}–{self.end:%Y})"
            if self.end
            else f"{self.head_name} ({self.start:%Y}–)"
        )


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        """Tokens that still open the API: not revoked, not expired, of an active user."""
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A personal key for scripts calling the REST API as its user, limited to reading or allowed to write.

    The token itself is shown once, when it is created; only its SHA-256 is kept, so a copy of the
    database does not hand out working tokens. `prefix` (the part after `cdp_`) is stored in clear to find
    the row, and to let people tell their tokens apart. The token's random part carries 256 bits, so a
    fast hash is enough: there is nothing to guess that a slow one would protect.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read: see what I may see")
        WRITE = "write", _("Read and write: also change what I may change")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “weekly report script”.")
    )
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("SHA-256 of the token"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} (cdp_{self.prefix}…, {self.user})"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        """Invitations that can still be accepted: not used, not revoked, not expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An owner's offer of a seat in their organisation, accepted by opening a link.

    The link carries a random token; like API tokens, only its SHA-256 is stored, so a copy of the
    database opens no seat. Whoever holds the link can accept it once, while it is pending: the owner
    sends it to the person invited (by e-mail when the installation has a mail server, otherwise by hand).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=OrganisationMember.Role.choices,
        default=OrganisationMember.Role.VIEWER,
    )
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.role})"

    @staticmethod
    def digest(raw: str) -> str:
        """What is stored of a token. Its random part carries 256 bits: a fast hash is enough."""
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

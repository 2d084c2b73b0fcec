"""The two data layers every app builds on.

Reference facts (places, networks, public memberships and agreements) have no owner: they are shared by
everyone, changed only by platform curators and by reference loads. Organisation-owned records belong to
one organisation and carry a visibility: private (its members only), shared (plus named organisations)
or public. `Record` holds the fields for both, plus provenance and a version number for safe editing.

Reading goes through `RecordQuerySet.visible_to(user)`; writing through citydiplo.accounts.access. No view
filters records by hand, so a new list or export cannot forget the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citydiplo.lib.fields import PartialDateField

if TYPE_CHECKING:
    from citydiplo.accounts.models import User


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: our organisation only")
    SHARED = "shared", _("Shared with named organisations")
    PUBLIC = "public", _("Public")


class Origin(models.TextChoices):
    """How a record came in. A reload never overwrites a record whose origin is a manual edit."""

    REFERENCE_LOAD = "reference_load", _("Reference load")
    IMPORT = "import", _("Import")
    MANUAL = "manual", _("Manual edit")


def organisation_ids_of(user: Any) -> list[int]:
    """The organisations whose private records the user may read. Cached on the user object per request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_citydiplo_org_ids", None)
    if cached is None:
        cached = list(user.organisation_seats.values_list("organisation_id", flat=True))
        user._citydiplo_org_ids = cached
    return cached


class RecordQuerySet(models.QuerySet):
    def visible_to(self, user: User | Any | None) -> Self:
        """Reference facts, public records, the user's organisations' records and those shared with them.

        Curators (staff) get no extra reading rights: an organisation's private records stay private
        even from the platform's own staff.
        """
        visible = Q(owner__isnull=True) | Q(visibility=Visibility.PUBLIC)
        org_ids = organisation_ids_of(user)
        if org_ids:
            through = self.model.shared_with.through
            own_fk = f"{self.model._meta.concrete_model._meta.model_name}_id"
            shared_ids = through.objects.filter(organisation_id__in=org_ids).values(own_fk)
            visible |= Q(owner_id__in=org_ids) | (Q(visibility=Visibility.SHARED) & Q(pk__in=shared_ids))
        return self.filter(visible)

    def reference(self) -> Self:
        return self.filter(owner__isnull=True)

    def owned_by(self, organisation_id: int) -> Self:
        return self.filter(owner_id=organisation_id)


class Record(models.Model):
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty for shared reference facts."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    shared_with = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("shared with"), blank=True, related_name="+"
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, default=Origin.MANUAL)
    source = models.CharField(_("source"), max_length=500, blank=True, default="")
    as_of = PartialDateField(_("as of"))
    verified = models.BooleanField(_("verified"), default=False)
    # Stable key of the row in its reference source ("wikidata:Q1-Q2", "c40/london-gb"): reloads match on it.
    reference_key = models.CharField(max_length=200, blank=True, default="", db_index=True)
    # Optimistic locking: an edit names the version it started from and is refused if another landed since.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_reference(self) -> bool:
        return self.owner_id is None

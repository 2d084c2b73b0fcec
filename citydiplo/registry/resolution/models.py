"""Remembered place choices and the review queue.

* :class:`PlaceAlias`: "this text, in this country, is this place". Written when a person decides a
  review (for their organisation) or by a curator (platform-wide, no organisation). The engine reads
  them before anything else, so the next import of the same list resolves the row.
* :class:`PlaceReview`: one ambiguous row of an import or a ``resolve places --org`` run, waiting for a
  person of the organisation to confirm a candidate, pick another place, or reject it.

Both live in the registry app (they are imported at the end of ``registry/models.py``), so their
migrations are the registry's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PlaceAlias(models.Model):
    """A spelling remembered as a place, for one organisation or (organisation empty) for everyone."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="place_aliases",
        help_text=_("Empty for an alias used by every organisation (set by a curator)."),
    )
    text = models.CharField(_("text as written"), max_length=300)
    # name_key(text): what the engine looks up; case, accents and punctuation do not matter.
    key = models.CharField(_("name key"), max_length=300, db_index=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        default="",
        help_text=_("ISO code; empty when the rows had none."),
    )
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True)
    actor = models.ForeignKey(
        "registry.Actor",
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key", "country"]
        verbose_name = _("place alias")
        verbose_name_plural = _("place aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key", "country"],
                condition=Q(organisation__isnull=False),
                name="one_place_alias_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["key", "country"],
                condition=Q(organisation__isnull=True),
                name="one_platform_place_alias",
            ),
            models.CheckConstraint(
                condition=Q(geonames_id__isnull=False) | Q(actor__isnull=False), name="place_alias_has_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.country or '?'}) → {self.geonames_id or self.actor_id}"


class PlaceReview(models.Model):
    """An ambiguous row waiting for a person: the engine's ranked candidates and, once decided, the choice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected: none of these")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="place_reviews",
    )
    import_run = models.ForeignKey(
        "interchange.ImportRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="place_reviews",
    )
    source_file = models.CharField(_("file"), max_length=500, blank=True, default="")
    # As a spreadsheet numbers rows: the header is row 1.
    row_number = models.PositiveIntegerField(_("row"), null=True, blank=True)
    name = models.CharField(_("name as written"), max_length=300)
    key = models.CharField(_("name key"), max_length=300, db_index=True)
    country = models.CharField(_("country as written"), max_length=200, blank=True, default="")
    country_code = models.CharField(_("country"), max_length=2, blank=True, default="")
    admin1 = models.CharField(_("admin area"), max_length=120, blank=True, default="")
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    # The engine's candidates, ranked: Candidate.as_dict() for each.
    candidates = models.JSONField(_("candidates"), default=list, blank=True)
    # The engine's reasons for not deciding: Reason.as_dict() for each.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    chosen_geonames_id = models.PositiveIntegerField(_("chosen GeoNames id"), null=True, blank=True)
    chosen_actor = models.ForeignKey(
        "registry.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    alias = models.ForeignKey(
        PlaceAlias, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("place review")
        verbose_name_plural = _("place reviews")
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.country or '?'}) [{self.status}]"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def candidate(self, geonames_id: int | None = None, actor_id: int | None = None) -> dict[str, Any] | None:
        """The stored candidate with this GeoNames id or actor id, if the engine offered it."""
        for candidate in self.candidates:
            if geonames_id and candidate.get("geonames_id") == geonames_id:
                return candidate
            if actor_id and candidate.get("actor_id") == actor_id:
                return candidate
        return None

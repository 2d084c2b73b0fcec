"""Stored results of the ecosystem analysis.

An analysis is computed on what one reader may see, so a stored result belongs to a *scope*: "public"
(anonymous readers, the CLI and API without --org) or the set of organisations whose private records
were included ("orgs:3" or "orgs:3,7"). A result is only ever read back for the same scope, and only
while the registry fingerprint it was computed on still matches, so a page view never recomputes an
unchanged registry and never shows another office's private relations.

An `EcosystemRun` is a derived artefact, not a registry record: it has no owner visibility of its own
and no change history (its inputs have theirs).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class EcosystemRun(models.Model):
    scope = models.CharField(_("scope"), max_length=200, db_index=True)
    fingerprint = models.CharField(_("registry fingerprint"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True, default="")
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ecosystem analysis run")
        verbose_name_plural = _("ecosystem analysis runs")
        indexes = [models.Index(fields=["scope", "fingerprint", "status"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.get_status_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

"""Import runs: one record per import or reference load, never one history row per imported line."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed: nothing was written")
        DRY_RUN = "dry_run", _("Dry run: nothing was written")

    kind = models.CharField(_("kind"), max_length=40)  # "memberships", "agreements", "reference", ...
    file_name = models.CharField(_("file"), max_length=500, blank=True, default="")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="import_runs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    # {"added": n, "changed": n, "unchanged": n, "left_alone": n} per record type.
    counts = models.JSONField(default=dict, blank=True)
    # [{"file": ..., "row": 3, "column": "country", "reason": ...}]
    errors = models.JSONField(default=list, blank=True)
    # Progress for the UI's indicator; rows as a spreadsheet counts them, the header excluded.
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # The uploaded file kept while a background import runs, and the options it was started with.
    upload = models.FileField(upload_to="imports/", blank=True)
    options = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.status})"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.finished_at else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

"""The lifecycle of an import run: one record per import or reference load (who, when, file, counts),
instead of a history row per imported line."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from citydiplo.interchange.errors import RowError
from citydiplo.interchange.models import ImportRun


def import_run_start(
    *,
    kind: str,
    file_name: str = "",
    user: Any = None,
    organisation: Any = None,
    total_rows: int = 0,
    options: dict[str, Any] | None = None,
) -> ImportRun:
    return ImportRun.objects.create(
        kind=kind,
        file_name=file_name,
        user=user if getattr(user, "is_authenticated", False) else None,
        organisation=organisation,
        total_rows=total_rows,
        options=options or {},
    )


def import_run_progress(*, run: ImportRun, processed_rows: int, total_rows: int | None = None) -> None:
    """Written outside the import's own transaction by callers that can (the task worker), so the UI's
    progress bar moves while the rows are still uncommitted."""
    values: dict[str, Any] = {"processed_rows": processed_rows}
    if total_rows is not None:
        values["total_rows"] = total_rows
    ImportRun.objects.filter(pk=run.pk).update(**values)


def import_run_finish(
    *, run: ImportRun, status: str, counts: dict[str, Any] | None = None, errors: list[RowError] | None = None
) -> ImportRun:
    run.status = status
    run.counts = counts or {}
    run.errors = [e.as_dict() for e in (errors or [])][:1000]
    run.finished_at = timezone.now()
    if status == ImportRun.Status.SUCCEEDED:
        run.processed_rows = run.total_rows
    run.save()
    return run

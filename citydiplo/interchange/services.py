"""Imports of CSV and XLSX files: who may import, the run record, the single transaction.

The command line (`citydiplo import ...`), the web upload and the task worker all call `import_file`,
so they check the same permissions and write the same way:

1. the acting user must be an owner or editor of the organisation the records are for; reference facts
   (no organisation) are imported by a curator or by the platform operator at the command line;
2. the whole file is validated first, every error collected (file, row, column, reason);
3. with no error, every row is written in one transaction: all rows or none;
4. one ImportRun records who, when, which file, the counts and the errors.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from citydiplo.accounts.access import access_write, role_in
from citydiplo.accounts.models import Organisation
from citydiplo.accounts.records import Visibility
from citydiplo.interchange.errors import ImportFailed, RowError
from citydiplo.interchange.importers import IMPORTERS, VALIDATE, ImportContext, ProgressCallback
from citydiplo.interchange.importers.tables import SUPPORTED_SUFFIXES, read_table
from citydiplo.interchange.models import ImportRun
from citydiplo.interchange.runs import import_run_finish, import_run_progress, import_run_start
from citydiplo.lib.history import history_suspended

logger = logging.getLogger(__name__)

IMPORT_VISIBILITIES = (Visibility.PRIVATE, Visibility.PUBLIC)


@dataclass
class ImportResult:
    run: ImportRun
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    # Every error; the run keeps the first thousand.
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_access(
    *, user: Any, organisation: Organisation | None, create_missing: bool = False, operator: bool = False
) -> None:
    """Raise PermissionDenied unless `user` may run this import.

    `operator` is True only at the command line: whoever runs it controls the installation, so a
    reference import without a user, and `--create-missing` (adding reference networks), are allowed
    there. The web upload never passes it.
    """
    if organisation is not None:
        access_write(user, organisation.pk)
    elif user is not None:
        access_write(user, None)
    elif not operator:
        raise PermissionDenied(_("Reference facts are imported by a curator or a platform operator."))
    if create_missing and not (operator or getattr(user, "is_curator", False)):
        raise PermissionDenied(_("Only curators and platform operators may add networks to the catalogue."))


class _RunProgress:
    """Moves the run's progress bar: validated rows, written at most twice a second.

    Only the validation phase is reported to the database: the writing phase runs inside the import's
    transaction, whose updates nobody else can see until it commits (and SQLite allows one writer).
    """

    def __init__(self, run: ImportRun, then: ProgressCallback | None = None, interval: float = 0.5) -> None:
        self.run, self.then, self.interval = run, then, interval
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase == VALIDATE and (done == total or time.monotonic() - self.last >= self.interval):
            self.last = time.monotonic()
            self.run.processed_rows = done
            import_run_progress(run=self.run, processed_rows=done)
        if self.then is not None:
            self.then(phase, done, total)


def import_file(
    *,
    kind: str,
    source: Path | IO[bytes],
    file_name: str,
    user: Any = None,
    organisation: Organisation | None = None,
    visibility: str | None = None,
    dry_run: bool = False,
    create_missing: bool = False,
    operator: bool = False,
    progress: ProgressCallback | None = None,
    run: ImportRun | None = None,
    importer_options: dict[str, Any] | None = None,
) -> ImportResult:
    """Validate a whole file, then write it in one transaction unless `dry_run` or any row is wrong.

    Raises PermissionDenied before anything is recorded when the user may not import; otherwise always
    returns, with the run finished as succeeded, dry_run or failed (and nothing written).
    """
    importer_class = IMPORTERS.get(kind)
    if importer_class is None:
        raise ValidationError(
            _("Unknown import kind %(kind)r; known: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(IMPORTERS)}
        )
    if visibility not in (None, "", *IMPORT_VISIBILITIES):
        raise ValidationError(_("Visibility must be private or public."))
    import_access(user=user, organisation=organisation, create_missing=create_missing, operator=operator)
    options = {"dry_run": dry_run, "visibility": visibility or "", "create_missing": create_missing}
    options.update(importer_options or {})
    if run is None:
        run = import_run_start(
            kind=kind, file_name=file_name, user=user, organisation=organisation, options=options
        )
    context = ImportContext(
        file_name=file_name,
        user=user,
        organisation=organisation,
        visibility=visibility or None,
        create_missing=create_missing,
        options={**(importer_options or {}), "import_run_id": run.pk},
    )
    report = _RunProgress(run, progress)
    importer = importer_class(context)
    try:
        table = read_table(source, file_name=file_name)
        run.total_rows = len(table.rows)
        import_run_progress(run=run, processed_rows=0, total_rows=run.total_rows)
        importer.validate(table, report)
        if importer.errors:
            raise ImportFailed(importer.errors)
        if not dry_run:
            # One ImportRun records the whole write; no history row per imported line.
            with transaction.atomic(), history_suspended():
                importer.write(report)
                if importer.errors:
                    raise ImportFailed(importer.errors)  # rolls the transaction back
    except ImportFailed as exc:
        import_run_finish(run=run, status=ImportRun.Status.FAILED, errors=exc.errors)
        return ImportResult(run=run, errors=exc.errors)
    except Exception as exc:
        logger.exception("Import run %s failed unexpectedly", run.pk)
        error = RowError(
            file_name, None, "", _("Unexpected error, nothing was written: %(error)s") % {"error": exc}
        )
        import_run_finish(run=run, status=ImportRun.Status.FAILED, errors=[error])
        raise
    counts = importer.counts_dict()
    status = ImportRun.Status.DRY_RUN if dry_run else ImportRun.Status.SUCCEEDED
    import_run_finish(run=run, status=status, counts=counts)
    return ImportResult(run=run, counts=counts)


# --- Uploads from the web, run by the task worker ---------------------------------------------------


def import_upload_check(upload: UploadedFile) -> None:
    """The limits of an uploaded import file: .csv or .xlsx, at most CITYDIPLO_MAX_UPLOAD_BYTES."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValidationError(
            _(
                "Only .csv and .xlsx files can be imported; this file is %(suffix)s. In a spreadsheet program, "
                'use "Save as" CSV UTF-8 or Excel workbook (.xlsx).'
            )
            % {"suffix": suffix or _("without extension")},
            code="file_type",
        )
    limit = settings.CITYDIPLO_MAX_UPLOAD_BYTES
    if (upload.size or 0) > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round((upload.size or 0) / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)},
            code="file_size",
        )
    head = upload.read(4)
    upload.seek(0)
    if suffix == ".xlsx" and head[:2] != b"PK":
        raise ValidationError(
            _("This file is not an Excel workbook (.xlsx), whatever its name says."), code="file_type"
        )
    if suffix == ".csv" and b"\x00" in head:
        raise ValidationError(
            _("This file is not a CSV text file, whatever its name says."), code="file_type"
        )


def import_upload(
    *,
    user: Any,
    organisation: Organisation,
    kind: str,
    upload: UploadedFile,
    dry_run: bool,
    visibility: str,
    importer_options: dict[str, Any] | None = None,
) -> ImportRun:
    """Keep the uploaded file on a new run and queue the import; the worker runs it (`import_run_execute`)."""
    import_access(user=user, organisation=organisation)
    if kind not in IMPORTERS:
        raise ValidationError(_("Unknown import kind %(kind)r.") % {"kind": kind})
    if visibility not in IMPORT_VISIBILITIES:
        raise ValidationError(_("Visibility must be private or public."))
    import_upload_check(upload)
    file_name = Path(upload.name or "upload").name
    run = import_run_start(
        kind=kind,
        file_name=file_name,
        user=user,
        organisation=organisation,
        options={
            "dry_run": dry_run,
            "visibility": visibility,
            "create_missing": False,
            "importer_options": importer_options or {},
        },
    )
    # A random stored name: the original may hold characters or a length the storage refuses.
    run.upload.save(f"{uuid.uuid4().hex}{Path(file_name).suffix.lower()}", upload, save=True)

    from citydiplo.interchange.tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(run.pk))
    return run


def import_run_execute(*, run_id: int) -> ImportRun:
    """Run a queued upload. A run already finished is left alone, so a retried task does nothing twice."""
    run = ImportRun.objects.select_related("user", "organisation").get(pk=run_id)
    if run.finished_at is not None or run.status != ImportRun.Status.RUNNING:
        return run
    options = run.options or {}
    try:
        if not run.upload:
            raise ImportFailed([RowError(run.file_name, None, "", _("The uploaded file is missing."))])
        with run.upload.open("rb") as handle:
            import_file(
                kind=run.kind,
                source=handle,
                file_name=run.file_name,
                user=run.user,
                organisation=run.organisation,
                visibility=options.get("visibility") or None,
                dry_run=bool(options.get("dry_run")),
                run=run,
                importer_options=options.get("importer_options") or None,
            )
    except ImportFailed as exc:
        import_run_finish(run=run, status=ImportRun.Status.FAILED, errors=exc.errors)
    except (PermissionDenied, ValidationError) as exc:
        # The user lost their role, or the run's options were tampered with, between upload and run.
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        import_run_finish(
            run=run, status=ImportRun.Status.FAILED, errors=[RowError(run.file_name, None, "", reason)]
        )
    finally:
        # The upload is kept only while the import runs: it may hold an office's private data.
        if run.upload:
            run.upload.delete(save=False)
            ImportRun.objects.filter(pk=run.pk).update(upload="")
    run.refresh_from_db()
    return run


# --- Reads ---------------------------------------------------------------------------------------------
# (Kept here until the app has a selectors module; they check access the same way.)


def import_run_list(*, user: Any, organisation: Organisation) -> QuerySet[ImportRun]:
    """The organisation's runs, newest first, for any member of it."""
    if role_in(user, organisation.pk) is None:
        raise PermissionDenied(_("Only members of the organisation see its imports."))
    return (
        ImportRun.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-started_at", "-pk")
    )


def import_run_get(*, user: Any, pk: int) -> ImportRun:
    """A run the user may see (a member of its organisation; curators for reference imports), else
    ImportRun.DoesNotExist: absent and not yours look the same."""
    if not getattr(user, "is_authenticated", False):
        raise ImportRun.DoesNotExist
    seats = Q(organisation__members__user_id=user.pk)
    if getattr(user, "is_curator", False):
        seats |= Q(organisation__isnull=True)
    return ImportRun.objects.filter(seats).select_related("user", "organisation").distinct().get(pk=pk)

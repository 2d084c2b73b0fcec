"""Row importers for CSV and XLSX files, one per kind of record.

Each importer validates the whole file first (every error collected, nothing written), then writes
through the registry services inside the caller's single transaction. Run them through
`citydiplo.interchange.services.import_file`, which adds the permission check, the ImportRun record
and the transaction; the CLI, the web upload and the task worker all do.
"""

from __future__ import annotations

from citydiplo.interchange.importers.agreements import AgreementImporter
from citydiplo.interchange.importers.base import (
    VALIDATE,
    WRITE,
    BaseImporter,
    ImportContext,
    ProgressCallback,
)
from citydiplo.interchange.importers.memberships import MembershipImporter
from citydiplo.interchange.importers.observations import ObservationImporter

# Later kinds (observations, places) register here; the CLI and the upload form offer these choices.
IMPORTERS: dict[str, type[BaseImporter]] = {
    MembershipImporter.kind: MembershipImporter,
    AgreementImporter.kind: AgreementImporter,
    ObservationImporter.kind: ObservationImporter,
}

__all__ = [
    "IMPORTERS",
    "VALIDATE",
    "WRITE",
    "AgreementImporter",
    "BaseImporter",
    "ImportContext",
    "MembershipImporter",
    "ProgressCallback",
]

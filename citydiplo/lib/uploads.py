"""Limits of uploaded documents: size, file type by extension, declared content type and first bytes.

Documents are private records streamed back as attachments (registry:document-download, with
`X-Content-Type-Options: nosniff`), so a browser never renders one inline; these checks keep what is
stored to the office formats people actually exchange, and refuse a file whose name lies about what it is
(an HTML page or a script renamed report.pdf).

The declared content type comes from the browser and proves nothing on its own; it is checked only so a
plainly contradictory upload (a "text/html" called .pdf) is refused, with the variants real browsers send
allowed (Windows labels CSV as "application/vnd.ms-excel", many clients say "application/octet-stream").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ZIP = (b"PK\x03\x04",)  # Office Open XML (.docx, .xlsx) and OpenDocument (.odt, .ods) are zip files
_GENERIC = {"application/octet-stream", "binary/octet-stream", "application/x-download", ""}


@dataclass(frozen=True)
class DocumentType:
    content_types: frozenset[str]
    # The file must start with one of these; None: a text file, which must hold no NUL byte.
    signatures: tuple[bytes, ...] | None


DOCUMENT_TYPES: dict[str, DocumentType] = {
    ".pdf": DocumentType(frozenset({"application/pdf", "application/x-pdf"}), (b"%PDF-",)),
    ".docx": DocumentType(
        frozenset(
            {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"}
        ),
        _ZIP,
    ),
    ".xlsx": DocumentType(
        frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}),
        _ZIP,
    ),
    ".odt": DocumentType(frozenset({"application/vnd.oasis.opendocument.text", "application/zip"}), _ZIP),
    ".ods": DocumentType(
        frozenset({"application/vnd.oasis.opendocument.spreadsheet", "application/zip"}), _ZIP
    ),
    ".png": DocumentType(frozenset({"image/png"}), (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": DocumentType(frozenset({"image/jpeg", "image/pjpeg"}), (b"\xff\xd8\xff",)),
    ".jpeg": DocumentType(frozenset({"image/jpeg", "image/pjpeg"}), (b"\xff\xd8\xff",)),
    ".txt": DocumentType(frozenset({"text/plain"}), None),
    ".csv": DocumentType(
        frozenset({"text/csv", "text/plain", "application/csv", "text/x-csv", "application/vnd.ms-excel"}),
        None,
    ),
}

ALLOWED_DOCUMENT_EXTENSIONS = tuple(DOCUMENT_TYPES)
_TEXT_SNIFF_BYTES = 8192


def document_upload_check(upload: Any) -> None:
    """Refuse a document that is too large, of a type not on the list, or not what its name says.

    `upload` is a Django UploadedFile or File (name, size, optional content_type, read/seek). Raises a
    ValidationError on the "file" field; leaves the file positioned at its start.
    """
    name = PurePosixPath(getattr(upload, "name", "") or "").name
    suffix = PurePosixPath(name).suffix.lower()
    kind = DOCUMENT_TYPES.get(suffix)
    if kind is None:
        raise ValidationError(
            {
                "file": _("Files of type %(suffix)s cannot be attached. Allowed: %(allowed)s.")
                % {
                    "suffix": suffix or _("without extension"),
                    "allowed": ", ".join(ext.lstrip(".") for ext in ALLOWED_DOCUMENT_EXTENSIONS),
                }
            },
            code="file_type",
        )
    size = getattr(upload, "size", None) or 0
    limit = settings.CITYDIPLO_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)}
            },
            code="file_size",
        )
    declared = (getattr(upload, "content_type", None) or "").split(";")[0].strip().lower()
    if declared not in _GENERIC and declared not in kind.content_types:
        raise ValidationError(
            {
                "file": _("This file is sent as %(type)s, which is not a %(suffix)s file.")
                % {"type": declared, "suffix": suffix}
            },
            code="file_type",
        )
    upload.seek(0)
    head = upload.read(_TEXT_SNIFF_BYTES)
    upload.seek(0)
    if isinstance(head, str):  # a File opened in text mode
        head = head.encode()
    looks_right = (b"\x00" not in head) if kind.signatures is None else head.startswith(kind.signatures)
    if not looks_right:
        raise ValidationError(
            {"file": _("This file is not a %(suffix)s file, whatever its name says.") % {"suffix": suffix}},
            code="file_type",
        )

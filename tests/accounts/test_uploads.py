"""Document upload limits: office formats only, within the size limit, and what the name says they are."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from citydiplo.lib.uploads import ALLOWED_DOCUMENT_EXTENSIONS, document_upload_check

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ZIP = b"PK\x03\x04" + b"\x00" * 32


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("signed agreement.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("minutes.docx", ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("budget.xlsx", ZIP, "application/octet-stream"),
        ("acta.odt", ZIP, "application/vnd.oasis.opendocument.text"),
        ("presupuesto.ods", ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
        ("photo.PNG", PNG, "image/png"),
        ("visit.jpg", b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
        ("notes.txt", "Reunión con la delegación".encode(), "text/plain"),
        ("members.csv", b"city,country\nRosario,AR\n", "application/vnd.ms-excel"),  # Windows' label for CSV
    ],
)
def test_office_documents_are_accepted(name, content, content_type):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    document_upload_check(upload)
    assert upload.read() == content  # left at the start for saving


def test_the_allowed_list_is_the_documented_one():
    assert set(ALLOWED_DOCUMENT_EXTENSIONS) == {
        ".pdf",
        ".docx",
        ".xlsx",
        ".odt",
        ".ods",
        ".png",
        ".jpg",
        ".jpeg",
        ".txt",
        ".csv",
    }


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("invoice.exe", b"MZ\x90\x00", "application/octet-stream", "cannot be attached"),
        ("page.html", b"<html><script>", "text/html", "cannot be attached"),
        ("drawing.svg", b"<svg onload=alert(1)>", "image/svg+xml", "cannot be attached"),
        ("no extension", b"%PDF-1.7", "application/pdf", "cannot be attached"),
        ("report.pdf", b"<html><script>alert(1)</script>", "application/pdf", "not a .pdf file"),
        ("report.pdf", b"%PDF-1.7", "text/html", "not a .pdf file"),
        ("photo.png", b"GIF89a", "image/png", "not a .png file"),
        ("notes.txt", b"MZ\x90\x00\x03\x00\x00\x00", "text/plain", "not a .txt file"),
    ],
)
def test_other_or_disguised_files_are_refused(name, content, content_type, message):
    with pytest.raises(ValidationError) as refused:
        document_upload_check(SimpleUploadedFile(name, content, content_type=content_type))
    assert message in " ".join(refused.value.message_dict["file"])


def test_files_over_the_limit_are_refused(settings):
    settings.CITYDIPLO_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        document_upload_check(
            SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2048, content_type="application/pdf")
        )
    assert "the limit is" in " ".join(refused.value.message_dict["file"])

"""The upload form of the Imports page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from citydiplo.accounts.records import Visibility
from citydiplo.interchange.services import import_upload_check

KIND_CHOICES = [
    ("memberships", _("Network memberships (network, city, country, role, since, until)")),
    ("agreements", _("Agreements (kind, city_a, country_a, city_b, country_b, signed, ended)")),
    ("observations", _("Indicator observations (indicator, period, value, disaggregations; add-only)")),
]
MODE_DRY_RUN, MODE_IMPORT = "dry_run", "import"


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8) or Excel .xlsx; the first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[
            (MODE_DRY_RUN, _("Check only (dry run): report what would change, write nothing")),
            (MODE_IMPORT, _("Import: write every row, or none if any row is wrong")),
        ],
        initial=MODE_DRY_RUN,
        widget=forms.RadioSelect,
    )
    visibility = forms.ChoiceField(
        label=_("Visibility of the imported records"),
        choices=[(Visibility.PRIVATE, _("Private: our organisation only")), (Visibility.PUBLIC, _("Public"))],
        initial=Visibility.PRIVATE,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_mb = round(settings.CITYDIPLO_MAX_UPLOAD_BYTES / 1_048_576)
        self.fields["file"].help_text = _(
            "CSV (UTF-8) or Excel .xlsx, at most %(mb)s MB; the first row names the columns."
        ) % {"mb": limit_mb}

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        try:
            import_upload_check(upload)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return upload

    @property
    def dry_run(self) -> bool:
        return self.cleaned_data["mode"] == MODE_DRY_RUN

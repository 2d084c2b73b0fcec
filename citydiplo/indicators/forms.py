"""Forms of the indicators pages. They validate shapes; the services check the rules and permissions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citydiplo.accounts.access import writable_organisations
from citydiplo.accounts.records import Visibility
from citydiplo.indicators.computed import computation_choices
from citydiplo.indicators.models import Indicator, Kind, Level
from citydiplo.indicators.starter import STARTER_SETS
from citydiplo.interchange.services import import_upload_check


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace(",", "\n").splitlines() if line.strip()]


class IndicatorForm(forms.ModelForm):
    owner = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=True)  # type: ignore[arg-type]
    dimensions_text = forms.CharField(
        label=_("Disaggregation dimensions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line or separated by commas, e.g. sex, department, partner_country."),
    )
    scale_text = forms.CharField(
        label=_("Scale labels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For qualitative scales: one label per line, from worst to best."),
    )
    computed = forms.ChoiceField(label=_("Computed from the registry"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "definition",
            "level",
            "kind",
            "unit",
            "currency",
            "direction",
            "aggregation",
            "frequency",
            "method",
            "department",
            "source",
            "is_key",
            "computed",
            "formula_numerator",
            "formula_denominator",
            "formula_factor",
            "objectives",
            "sdg_targets",
            "visibility",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "method": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        organisations = writable_organisations(user)
        self.can_create = bool(organisations)
        self.fields["owner"].queryset = (
            type(organisations[0]).objects.filter(  # type: ignore[attr-defined]
                pk__in=[o.pk for o in organisations]
            )
            if organisations
            else self.fields["owner"].queryset
        )
        self.fields["computed"].choices = [("", _("No: values are observed"))] + computation_choices()
        self.fields["visibility"].choices = [
            (Visibility.PRIVATE, Visibility.PRIVATE.label),
            (Visibility.PUBLIC, Visibility.PUBLIC.label),
        ]
        owner_ids = [o.pk for o in organisations]
        same = Indicator.objects.filter(owner_id__in=owner_ids, kind__in=Kind.numeric())
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
            self.fields["owner"].disabled = True
            self.initial["owner"] = self.instance.owner_id
            self.initial["dimensions_text"] = "\n".join(self.instance.dimensions or [])
            self.initial["scale_text"] = "\n".join(self.instance.scale or [])
            self.initial["version"] = self.instance.version
        self.fields["formula_numerator"].queryset = same
        self.fields["formula_denominator"].queryset = same
        from citydiplo.strategy.models import Objective

        self.fields["objectives"].queryset = Objective.objects.filter(owner_id__in=owner_ids)
        self.fields["objectives"].required = False
        self.fields["sdg_targets"].required = False
        self.fields["sdg_targets"].widget = forms.SelectMultiple(attrs={"size": 6})

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["dimensions"] = _lines(data.pop("dimensions_text", ""))
        data["scale"] = [
            line.strip() for line in (data.pop("scale_text", "") or "").splitlines() if line.strip()
        ]
        data.pop("version", None)
        data["formula_factor"] = data.get("formula_factor") or 1
        return data


class PointForm(forms.Form):
    """A baseline or a target."""

    kind = forms.ChoiceField(choices=[("target", _("Target")), ("baseline", _("Baseline"))], label=_("What"))
    value = forms.CharField(label=_("Value"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class ObservationForm(forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=10, help_text=_("2024, 2024-Q3, 2024-07 or 2024-07-15.")
    )
    value = forms.CharField(label=_("Value"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(label=_("Source"), max_length=500, required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        for name in indicator.dimensions:
            self.fields[f"dim_{name}"] = forms.CharField(
                label=name.replace("_", " "), max_length=200, required=False
            )
        if indicator.kind == Kind.QUALITATIVE_SCALE:
            self.fields["value"] = forms.ChoiceField(
                label=_("Value"), choices=[(s, s) for s in indicator.scale]
            )

    def disaggregation(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"dim_{name}") or "" for name in self.indicator.dimensions}


class StarterSetForm(forms.Form):
    starter_set = forms.ChoiceField(
        label=_("Starter set"), choices=[(k, s.name) for k, s in STARTER_SETS.items()]
    )
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from citydiplo.accounts.models import Organisation

        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in writable_organisations(user)]
        )


class ObservationImportForm(forms.Form):
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)  # type: ignore[arg-type]
    mode = forms.ChoiceField(
        label=_("Rows already stored"),
        choices=[
            ("add", _("Add only: keep the values already stored")),
            ("upsert", _("Upsert: overwrite them with the file's values")),
        ],
        initial="add",
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(
        label=_("Check only (dry run): count new, changed and unchanged rows"), required=False, initial=True
    )
    add_dimensions = forms.BooleanField(
        label=_("Declare unknown disaggregation columns on the indicator"), required=False
    )
    indicator = forms.CharField(label=_("Indicator code (Open SDG files)"), required=False, max_length=40)
    review_state = forms.ChoiceField(
        label=_("Review state of the imported values"),
        choices=[
            ("draft", _("Draft")),
            ("submitted", _("Submitted for review")),
            ("approved", _("Approved")),
        ],
        initial="submitted",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from citydiplo.accounts.models import Organisation

        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in writable_organisations(user)]
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        import_upload_check(upload)
        return upload


LEVEL_CHOICES = [("", _("All levels")), *Level.choices]

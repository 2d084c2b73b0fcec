"""Forms of the strategy pages. They validate input and shape it for the services; they never save.

Strategies, axes and stakeholders choose their owner and visibility like registry records (RecordForm).
Objectives, consultations and externalities belong to their strategy and are read like it, so their forms
have no owner or visibility: only the version an edit started from.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citydiplo.registry.forms import RecordForm, country_choices
from citydiplo.strategy import selectors
from citydiplo.strategy.models import (
    Axis,
    Consultation,
    Externality,
    Objective,
    SdgTarget,
    Stakeholder,
    Strategy,
    StrategyStatus,
)
from citydiplo.strategy.services import SNAPSHOT_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LinesField(forms.CharField):
    """A list of short texts, one per line (department names)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().clean(value) or ""
        return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


class TargetChoiceField(forms.ModelMultipleChoiceField):
    """SDG targets, labelled "11.2 — Sustainable cities and communities: By 2030, provide access..."."""

    def label_from_instance(self, obj: SdgTarget) -> str:
        title = obj.title or ""
        return f"{obj.code} — {title[:110]}{'…' if len(title) > 110 else ''}"


def target_field(**kwargs: Any) -> TargetChoiceField:
    return TargetChoiceField(
        queryset=SdgTarget.objects.select_related("goal").order_by("position", "code"),
        required=False,
        label=kwargs.pop("label", _("SDG targets")),
        help_text=kwargs.pop(
            "help_text",
            _("Hold Ctrl (⌘ on a Mac) to choose several. Empty until the SDG framework is loaded."),
        ),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        **kwargs,
    )


class VersionedForm(forms.ModelForm):
    """A child record of a strategy: no owner or visibility; an edit names the version it started from."""

    change_fields: tuple[str, ...] = ()
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.change_fields if name in self.cleaned_data}


# --- Strategies -----------------------------------------------------------------------------------------


class StrategyForm(RecordForm):
    development_plan_url = forms.URLField(
        label=_("development plan link"), required=False, max_length=500, assume_scheme="https"
    )
    change_fields = (*SNAPSHOT_FIELDS, "visibility")

    class Meta:
        model = Strategy
        fields = [*SNAPSHOT_FIELDS, "visibility"]
        widgets = {
            "horizon_start": DATE_INPUT,
            "horizon_end": DATE_INPUT,
            "thesis_start": DATE_INPUT,
            "thesis_end": DATE_INPUT,
            "adopted_on": DATE_INPUT,
            "vision": forms.Textarea(attrs={"rows": 4}),
            "thesis": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "development_plan_title": _("The city's development plan this strategy serves."),
            "status": _(
                "A revision keeps the previous version readable: use “Start a revision” to change an adopted strategy."
            ),
        }


class ReviseForm(forms.Form):
    note = forms.CharField(
        label=_("Why revise?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The current text is kept as a version anyone who can read the strategy can open."),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("File"))


class StrategyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *StrategyStatus.choices]
    )

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


# --- Objectives -----------------------------------------------------------------------------------------


class ObjectiveForm(VersionedForm):
    change_fields = ("family", "title", "description", "responsible_departments", "order")
    LINKS = ("axes", "sdg_targets", "projects", "agreements", "memberships", "events")

    responsible_departments = LinesField(
        label=_("Responsible departments"),
        required=False,
        help_text=_("One per line: any area of government may own an objective."),
    )
    sdg_targets = target_field()

    class Meta:
        model = Objective
        fields = [
            "family",
            "title",
            "description",
            "responsible_departments",
            "order",
            "axes",
            "projects",
            "agreements",
            "memberships",
            "events",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "axes": forms.CheckboxSelectMultiple,
            "projects": forms.CheckboxSelectMultiple,
            "agreements": forms.CheckboxSelectMultiple,
            "memberships": forms.CheckboxSelectMultiple,
            "events": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "projects": _("The organisation's own projects and those its city takes part in."),
        }

    field_order = ["family", "title", "description", "responsible_departments", "axes", "sdg_targets"]

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.fields["axes"].queryset = selectors.axis_list(user=self.user, owner_id=strategy.owner_id)  # type: ignore[attr-defined]
        for name, qs in selectors.linkable_actions(user=self.user, organisation=strategy.owner).items():
            self.fields[name].queryset = qs  # type: ignore[attr-defined]
            if self.instance.pk is not None:
                # Only the links the writer can see are shown; the service keeps the hidden ones.
                self.initial[name] = [
                    item.pk for item in getattr(self.instance, name).filter(pk__in=qs.values("pk"))
                ]
        self.fields["order"].required = False
        if self.instance.pk is None:
            self.fields.pop("order")

    def links(self) -> dict[str, list[Any]]:
        return {name: list(self.cleaned_data.get(name) or []) for name in self.LINKS if name in self.fields}


class SdgTagForm(forms.Form):
    targets = target_field(label=_("SDG targets"))


# --- Axes and stakeholders ------------------------------------------------------------------------------


class CountriesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=lambda: country_choices()[1:], **kwargs)


class AxisForm(RecordForm):
    change_fields = ("kind", "name", "theme", "countries", "region", "visibility")

    countries = CountriesField(
        label=_("Countries"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Geographic axes: the priority countries (hold Ctrl or ⌘ to choose several)."),
    )

    class Meta:
        model = Axis
        fields = ["kind", "name", "theme", "countries", "region", "visibility"]
        help_texts = {"region": _("Geographic axes: a region, e.g. Mercosur, Southern Europe, the Sahel.")}


class StakeholderForm(RecordForm):
    change_fields = ("group", "name", "international_agenda", "contact_person", "visibility")

    class Meta:
        model = Stakeholder
        fields = ["group", "name", "international_agenda", "contact_person", "visibility"]
        widgets = {"international_agenda": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "international_agenda": _("What they do abroad on their own: their partners, trips, interests."),
            "contact_person": _("Who to call, and how; personal data, kept private by default."),
        }


class StakeholderFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    group = forms.ChoiceField(
        label=_("Group"),
        required=False,
        choices=lambda: [("", _("All")), *Stakeholder._meta.get_field("group").choices],  # type: ignore[misc]
    )

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


# --- Consultations and externalities ----------------------------------------------------------------------


class ConsultationForm(VersionedForm):
    change_fields = ("date", "format", "other_participants", "requests", "response")

    class Meta:
        model = Consultation
        fields = ["date", "format", "participants", "other_participants", "requests", "response"]
        widgets = {
            "date": DATE_INPUT,
            "participants": forms.CheckboxSelectMultiple,
            "other_participants": forms.Textarea(attrs={"rows": 2}),
            "requests": forms.Textarea(attrs={"rows": 4}),
            "response": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = selectors.stakeholder_list(
            user=self.user, owner_id=strategy.owner_id
        )  # type: ignore[attr-defined]


class ExternalityForm(VersionedForm):
    change_fields = ("title", "description", "mitigation", "status")

    class Meta:
        model = Externality
        fields = ["title", "description", "objectives", "mitigation", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 4}),
            "objectives": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = selectors.objective_list(user=self.user, strategy=strategy)  # type: ignore[attr-defined]

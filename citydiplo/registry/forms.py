"""Forms of the registry pages. They validate input and shape it for the services; they never save.

Views call `is_valid()`, then pass `cleaned_data` (through helpers such as `changes()`) to a service in
citydiplo.registry.services, which checks permissions and writes. Choosing actors goes through the
`ActorPicker` widget: a search box listing matches (HTMX), and a list of chosen actors as checkboxes,
so the submitted value is plain form data and the page also works without JavaScript (see
`SEARCH_BUTTON`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any
from urllib.parse import urlencode

import pycountry
from babel import Locale, UnknownLocaleError
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from citydiplo.accounts.access import writable_organisations
from citydiplo.accounts.models import Organisation
from citydiplo.accounts.records import Visibility
from citydiplo.lib.money import currency_choices
from citydiplo.lib.partial_dates import PartialDateError, partial_date_parse
from citydiplo.registry import selectors
from citydiplo.registry.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementNote,
    AgreementStatus,
    Contact,
    Event,
    EventKind,
    Membership,
    NetworkKind,
    PartnerRole,
    Project,
    ProjectModality,
    ProjectStatus,
    Role,
    Scope,
)
from citydiplo.registry.services import PartnerSpec, RoleSpec

# The name of the submit buttons that re-render a form with actor search results instead of saving it.
SEARCH_BUTTON = "_actor_search"

PARTIAL_DATE_HELP = _("A year (1995), a month (1995-05) or a day (1995-05-03). Leave empty if unknown.")


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@cache
def _country_choices(language: str) -> list[tuple[str, str]]:
    try:
        territories = Locale.parse(language).territories
    except (UnknownLocaleError, ValueError):
        territories = Locale("en").territories
    codes = [c.alpha_2 for c in pycountry.countries] + ["XK"]
    return sorted(
        ((code, territories.get(code, code)) for code in codes), key=lambda item: item[1].casefold()
    )


def country_choices(*, blank_label: Any = "") -> list[tuple[str, Any]]:
    """ISO 3166-1 alpha-2 codes named in the active language, sorted by name."""
    return [("", blank_label), *_country_choices(_language())]


def currency_select_choices() -> list[tuple[str, str]]:
    return [("", "—"), *currency_choices(_language())]


def _with_all(choices: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


# --- Fields and widgets -------------------------------------------------------------------------------


class PartialDateFormField(forms.CharField):
    """A date known to the year, month or day; stored in the ISO prefix form the model expects."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", PARTIAL_DATE_HELP)
        super().__init__(**kwargs)
        self.widget.attrs.update({"placeholder": "YYYY-MM-DD", "inputmode": "numeric", "size": 12})

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        try:
            return partial_date_parse(text)
        except PartialDateError as exc:
            raise ValidationError(
                _("“%(value)s” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD."),
                code="partial_date",
                params={"value": text},
            ) from exc


def _as_pks(value: Any) -> list[int]:
    values = value if isinstance(value, list | tuple) else [value]
    pks: list[int] = []
    for item in values:
        item = getattr(item, "pk", item)
        try:
            pks.append(int(str(item)))
        except (TypeError, ValueError):
            continue
    return pks


class ActorPicker(forms.Widget):
    """Choose one or several actors by searching for them.

    Renders a search box (`<name>_search`) whose matches are fetched with HTMX from registry:actor-search;
    each match has an "Add" button that asks registry:actor-pick for the updated list of chosen actors.
    The chosen actors are checkboxes named like the field, so unticking one removes it. Without
    JavaScript, the "Search" button submits the whole form, which is shown again with the matches as
    unticked checkboxes (see RecordForm.searching).
    """

    template_name = "registry/widgets/actor_picker.html"
    # A legend names the group; the search box inside has its own label.
    use_fieldset = True

    def __init__(self, *, multiple: bool = True, kind: str = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.kind = kind
        self.user: Any = None  # the reading user, set by the form: only visible actors are offered
        self.query = ""  # set by the form when it is shown again for a search without JavaScript

    @property
    def allow_multiple_selected(self) -> bool:
        return self.multiple

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if self.multiple:
            return values
        if isinstance(values, list):
            # Without JavaScript two boxes of a single choice may be ticked: the last one wins.
            return values[-1] if values else None
        return values

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # like checkboxes, an absent value means "none chosen"

    def use_required_attribute(self, initial: Any) -> bool:
        return False

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_search" if id_ else id_

    def format_value(self, value: Any) -> Any:
        return value

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        pks = _as_pks(value)
        chosen = selectors.actor_pick(user=self.user, pks=pks)
        params = urlencode(
            {
                "_name": name,
                "_chosen": f"{base_id}_chosen",
                "_multiple": int(self.multiple),
                "_kind": self.kind,
            }
        )
        results = selectors.actor_search(user=self.user, q=self.query, kind=self.kind) if self.query else []
        context["widget"].update(
            base_id=base_id,
            chosen=chosen,
            multiple=self.multiple,
            query=self.query,
            searched=bool(self.query),
            results=[actor for actor in results if actor.pk not in pks],
            search_name=f"{name}_search",
            search_url=f"{reverse('registry:actor-search')}?{params}",
            search_button=SEARCH_BUTTON,
        )
        return context


def _actor_field(*, multiple: bool, kind: str = "", **kwargs: Any) -> forms.Field:
    field_class = forms.ModelMultipleChoiceField if multiple else forms.ModelChoiceField
    kwargs.setdefault("required", False)
    return field_class(
        queryset=Actor.objects.none(), widget=ActorPicker(multiple=multiple, kind=kind), **kwargs
    )


# --- Record forms ----------------------------------------------------------------------------------------


class RecordForm(forms.ModelForm):
    """Owner, visibility and sharing for new records; the version an edit started from for existing ones.

    Subclasses list `change_fields`, the plain model fields handed to `services.record_update`.
    """

    change_fields: tuple[str, ...] = ()
    # Curators may create shared reference facts (no owner) of this kind.
    allow_reference = False

    owner: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Recorded by"),
        help_text=_("The organisation this record belongs to."),
    )
    shared_with: forms.ModelMultipleChoiceField[Organisation] = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Shared with"),
        help_text=_("Only used when the visibility is “shared”."),
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is not None:
            self._init_edit()
        else:
            self._init_create()
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, ActorPicker):
                widget.user = user
                field.queryset = selectors.actor_list(user=user, kind=widget.kind)  # type: ignore[attr-defined]
        if self.searching:
            for name, field in self.fields.items():
                if isinstance(field.widget, ActorPicker):
                    field.widget.query = self.data.get(f"{self.add_prefix(name)}_search", "").strip()

    def _init_create(self) -> None:
        del self.fields["version"]
        writable = writable_organisations(self.user)
        owner = self.fields["owner"]
        owner.queryset = Organisation.objects.filter(pk__in=[org.pk for org in writable])  # type: ignore[attr-defined]
        if self.may_create_reference:
            owner.required = False
            owner.empty_label = _("Nobody: a shared reference fact (curators)")  # type: ignore[attr-defined]
        else:
            owner.empty_label = None  # type: ignore[attr-defined]
        if writable:
            owner.initial = writable[0].pk
        # Sharing with the office that owns the record means nothing: leave it out when it is the only one.
        others = Organisation.objects.order_by("name")
        if len(writable) == 1 and not self.may_create_reference:
            others = others.exclude(pk=writable[0].pk)
        self.fields["shared_with"].queryset = others  # type: ignore[attr-defined]

    def _init_edit(self) -> None:
        del self.fields["owner"]
        self.fields["version"].initial = self.instance.version
        if self.instance.owner_id is None:
            # Reference facts are public by nature: there is nothing to choose.
            self.fields.pop("visibility", None)
            del self.fields["shared_with"]
        else:
            shared = self.fields["shared_with"]
            shared.queryset = Organisation.objects.exclude(pk=self.instance.owner_id).order_by("name")  # type: ignore[attr-defined]
            shared.initial = [org.pk for org in self.instance.shared_with.all()]

    @property
    def may_create_reference(self) -> bool:
        return self.allow_reference and bool(getattr(self.user, "is_curator", False))

    @property
    def can_create(self) -> bool:
        """Is there anyone this user may create the record for? (Viewers and outsiders: no.)"""
        if "owner" not in self.fields:
            return True
        return self.may_create_reference or self.fields["owner"].queryset.exists()  # type: ignore[attr-defined]

    @property
    def searching(self) -> bool:
        """Shown again with actor search results (no JavaScript): not an attempt to save."""
        return self.is_bound and SEARCH_BUTTON in self.data

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        is_reference = (
            self.instance.owner_id is None if self.instance.pk is not None else cleaned.get("owner") is None
        )
        if is_reference:
            cleaned["shared_with"] = []
            return cleaned
        visibility = cleaned.get("visibility")
        shared = [org for org in cleaned.get("shared_with") or [] if org.pk != self.owner_id]
        if visibility == Visibility.SHARED and not shared and "shared_with" in self.fields:
            self.add_error("shared_with", _("Choose the organisations to share with, or another visibility."))
        cleaned["shared_with"] = shared if visibility == Visibility.SHARED else []
        return cleaned

    @property
    def owner_id(self) -> int | None:
        if self.instance.pk is not None:
            return self.instance.owner_id
        owner = self.cleaned_data.get("owner") if hasattr(self, "cleaned_data") else None
        return owner.pk if owner else None

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.change_fields if name in self.cleaned_data}


class AgreementForm(RecordForm):
    allow_reference = True
    change_fields = ("kind", "title", "signed", "ended", "status", "description", "visibility")

    parties = _actor_field(
        multiple=True,
        required=True,
        label=_("Parties"),
        help_text=_("Search by name and add at least two parties (cities, regions, institutions)."),
    )
    signed = PartialDateFormField(label=_("Signed"))
    ended = PartialDateFormField(label=_("Ended"))

    class Meta:
        model = Agreement
        fields = ["kind", "title", "signed", "ended", "status", "themes", "description", "visibility"]
        widgets = {"themes": forms.CheckboxSelectMultiple}
        help_texts = {"title": _("Leave empty to name it after the parties.")}

    field_order = ["kind", "parties", "title", "signed", "ended", "status", "themes", "description", "owner"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["parties"] = [link.actor_id for link in self.instance.party_links.all()]

    def clean_parties(self) -> list[Actor]:
        parties = list({actor.pk: actor for actor in self.cleaned_data["parties"]}.values())
        if len(parties) < 2:
            raise ValidationError(_("An agreement needs at least two different parties."))
        return parties


class AgreementNoteForm(RecordForm):
    class Meta:
        model = AgreementNote
        fields = ["why_signed", "notes", "visibility"]
        help_texts = {
            "why_signed": _("The reasons and people behind the agreement, for whoever takes over the file."),
        }


class ProjectForm(RecordForm):
    change_fields = (
        "title",
        "description",
        "modality",
        "status",
        "start",
        "end",
        "budget",
        "currency",
        "iati_identifier",
        "visibility",
    )

    start = PartialDateFormField(label=_("Start"))
    end = PartialDateFormField(label=_("End"))
    currency = forms.ChoiceField(label=_("Currency"), required=False, choices=currency_select_choices)

    class Meta:
        model = Project
        fields = [
            "title",
            "description",
            "modality",
            "status",
            "start",
            "end",
            "budget",
            "currency",
            "iati_identifier",
            "themes",
            "visibility",
        ]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One picker per IATI role: the partner's role is part of the choice, not a second step.
        current: dict[str, list[int]] = {}
        if self.instance.pk is not None:
            for link in self.instance.partner_links.all():
                current.setdefault(link.role, []).append(link.actor_id)
        for role, label in PartnerRole.choices:
            name = self.partner_field(role)
            self.fields[name] = _actor_field(multiple=True, label=_("%(role)s partners") % {"role": label})
            picker = self.fields[name]
            picker.widget.user = self.user  # type: ignore[attr-defined]
            picker.queryset = selectors.actor_list(user=self.user)  # type: ignore[attr-defined]
            if self.searching:
                picker.widget.query = self.data.get(f"{self.add_prefix(name)}_search", "").strip()  # type: ignore[attr-defined]
            self.initial.setdefault(name, current.get(role, []))
        self.order_fields(
            [
                "title",
                "modality",
                "status",
                *[self.partner_field(r) for r in PartnerRole.values],
                "start",
                "end",
            ]
        )

    @staticmethod
    def partner_field(role: str) -> str:
        return f"partners_{role}"

    def partner_specs(self) -> list[PartnerSpec]:
        return [
            PartnerSpec(actor=actor, role=role)
            for role in PartnerRole.values
            for actor in self.cleaned_data.get(self.partner_field(role)) or []
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("budget") is not None and not cleaned.get("currency"):
            self.add_error("currency", _("Give the currency of the budget."))
        return cleaned


class EventForm(RecordForm):
    change_fields = (
        "kind",
        "title",
        "description",
        "start_date",
        "end_date",
        "place",
        "venue",
        "network",
        "participant_names",
        "cost",
        "cost_currency",
        "visibility",
    )

    place = _actor_field(
        multiple=False, label=_("Place"), help_text=_("The city or region where it happened.")
    )
    network = _actor_field(multiple=False, kind=ActorKind.NETWORK, label=_("Network"))
    participants = _actor_field(multiple=True, label=_("Participating institutions"))
    cost_currency = forms.ChoiceField(
        label=_("Cost currency"), required=False, choices=currency_select_choices
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "start_date",
            "end_date",
            "place",
            "venue",
            "network",
            "participants",
            "participant_names",
            "cost",
            "cost_currency",
            "themes",
            "visibility",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("cost") is not None and not cleaned.get("cost_currency"):
            self.add_error("cost_currency", _("Give the currency of the cost."))
        return cleaned


class ContactForm(RecordForm):
    change_fields = (
        "full_name",
        "institution",
        "position",
        "email",
        "phone",
        "since",
        "until",
        "notes",
        "lawful_basis",
        "consent_given_on",
        "consent_evidence",
        "retention_until",
        "visibility",
    )

    institution = _actor_field(multiple=False, label=_("Institution"))
    since = PartialDateFormField(label=_("In this role since"))
    until = PartialDateFormField(label=_("In this role until"))

    class Meta:
        model = Contact
        fields = [
            "full_name",
            "institution",
            "position",
            "email",
            "phone",
            "since",
            "until",
            "notes",
            "lawful_basis",
            "consent_given_on",
            "consent_evidence",
            "retention_until",
            "visibility",
        ]
        widgets = {
            "consent_given_on": forms.DateInput(attrs={"type": "date"}),
            "retention_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Personal data needs a lawful basis: asked for on every new contact and every edit.
        self.fields["lawful_basis"].required = True
        if not self.instance.pk:
            from citydiplo.registry.privacy import retention_default

            self.fields["retention_until"].initial = retention_default()


class ActorForm(RecordForm):
    """Actors that reference loads do not bring: companies, universities, agencies, local partners."""

    allow_reference = True
    change_fields = (
        "name",
        "kind",
        "acronym",
        "description",
        "parent",
        "country",
        "admin_area",
        "latitude",
        "longitude",
        "population",
        "geonames_id",
        "wikidata_id",
        "website",
        "network_kind",
        "scope",
        "founded",
        "secretariat",
        "visibility",
    )

    country = forms.ChoiceField(label=_("Country"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    parent = _actor_field(multiple=False, label=_("Part of"))
    founded = PartialDateFormField(label=_("Founded"))
    secretariat = _actor_field(multiple=False, label=_("Secretariat"), help_text=_("Networks only."))

    class Meta:
        model = Actor
        fields = [
            "name",
            "kind",
            "acronym",
            "description",
            "parent",
            "country",
            "admin_area",
            "latitude",
            "longitude",
            "population",
            "geonames_id",
            "wikidata_id",
            "website",
            "themes",
            "network_kind",
            "scope",
            "founded",
            "secretariat",
            "visibility",
        ]
        widgets = {"themes": forms.CheckboxSelectMultiple}
        help_texts = {
            "network_kind": _("Networks only."),
            "scope": _("Networks only."),
            "wikidata_id": _("For example Q1489."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(blank_label="—")  # type: ignore[attr-defined]

    def clean_wikidata_id(self) -> str | None:
        # Stored as NULL when empty: the column is unique and "" would collide.
        return (self.cleaned_data.get("wikidata_id") or "").strip().upper() or None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return cleaned

    def create_fields(self) -> dict[str, Any]:
        """Keyword arguments for services.actor_create besides name, kind, owner, visibility and themes."""
        skip = {"name", "kind", "visibility"}
        return {name: value for name, value in self.changes().items() if name not in skip}


class MembershipForm(RecordForm):
    allow_reference = True

    member = _actor_field(multiple=False, required=True, label=_("Member"))
    network = _actor_field(multiple=False, required=True, kind=ActorKind.NETWORK, label=_("Network"))
    since = PartialDateFormField(label=_("Member since"))
    until = PartialDateFormField(
        label=_("Member until"), help_text=_("Leave empty while the membership lasts.")
    )
    fee_currency = forms.ChoiceField(label=_("Fee currency"), required=False, choices=currency_select_choices)

    class Meta:
        model = Membership
        fields = ["since", "until", "annual_fee", "fee_currency", "notes", "visibility"]

    field_order = ["member", "network", "since", "until"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("A membership cannot end before it starts."))
        return cleaned


class RolePeriodForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", "—"), *Role.choices])
    since = PartialDateFormField(label=_("Since"), help_text="")
    until = PartialDateFormField(label=_("Until"), help_text="")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        since, until = cleaned.get("since"), cleaned.get("until")
        if (since or until) and not cleaned.get("role"):
            self.add_error("role", _("Choose the role held in this period."))
        if since and until and until < since:
            self.add_error("until", _("A role cannot end before it starts."))
        return cleaned


RolePeriodFormSet = forms.formset_factory(RolePeriodForm, extra=4)


def role_specs(formset: forms.BaseFormSet) -> list[RoleSpec]:
    return [
        RoleSpec(role=data["role"], since=data.get("since", ""), until=data.get("until", ""))
        for data in formset.cleaned_data
        if data.get("role")
    ]


# --- List filters -------------------------------------------------------------------------------------


class FilterForm(forms.Form):
    """Filters of a list page, read from the query string. Invalid values are ignored, not reported."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )

    def values(self) -> dict[str, Any]:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


def _theme_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Theme"), required=False)


class _ThemeFilterMixin:
    fields: dict[str, forms.Field]

    def _init_themes(self) -> None:
        if "theme" in self.fields:
            self.fields["theme"].choices = _with_all(  # type: ignore[attr-defined]
                (theme.key, theme.name) for theme in selectors.theme_list()
            )


class NetworkFilterForm(_ThemeFilterMixin, FilterForm):
    network_kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_with_all(NetworkKind.choices))
    scope = forms.ChoiceField(label=_("Scope"), required=False, choices=_with_all(Scope.choices))
    theme = _theme_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_themes()


class ActorFilterForm(_ThemeFilterMixin, FilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=_with_all([("government", _("Any government")), *ActorKind.choices]),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    theme = _theme_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(blank_label=_("All"))  # type: ignore[attr-defined]
        self._init_themes()


class AgreementFilterForm(_ThemeFilterMixin, FilterForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_with_all(AgreementKind.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_with_all(AgreementStatus.choices))
    country = forms.ChoiceField(label=_("Country"), required=False)
    theme = _theme_field()
    year = forms.IntegerField(label=_("Signed in"), required=False, min_value=1000, max_value=2200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(blank_label=_("All"))  # type: ignore[attr-defined]
        self._init_themes()


class ProjectFilterForm(_ThemeFilterMixin, FilterForm):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_with_all(ProjectStatus.choices))
    modality = forms.ChoiceField(
        label=_("Modality"), required=False, choices=_with_all(ProjectModality.choices)
    )
    theme = _theme_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_themes()


class EventFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_with_all(EventKind.choices))
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1000, max_value=2200)


class ContactFilterForm(FilterForm):
    due = forms.BooleanField(label=_("Kept past their date only"), required=False)

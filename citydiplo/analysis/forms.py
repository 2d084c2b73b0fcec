"""Filters of the graph page and the partner-suggestion form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citydiplo.analysis.regions import REGION_NAMES
from citydiplo.registry.models import Actor, ActorKind, Theme


class GraphFilterForm(forms.Form):
    network = forms.ChoiceField(label=_("Network"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = [("", _("Any"))]
        networks = (
            Actor.objects.visible_to(user)
            .filter(kind=ActorKind.NETWORK)
            .order_by("name")
            .values_list("slug", "name")
        )
        self.fields["network"].choices = any_choice + list(networks)
        self.fields["theme"].choices = any_choice + list(Theme.objects.values_list("key", "name"))
        self.fields["region"].choices = any_choice + [(k, v) for k, v in REGION_NAMES.items()]


class SuggestionForm(forms.Form):
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="key", empty_label=None
    )

"""The review queue's one form: confirm a candidate, give another place, or reject them all."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ReviewDecisionForm(forms.Form):
    ACTIONS = (("confirm", _("Confirm")), ("reject", _("None of these")))

    action = forms.ChoiceField(choices=ACTIONS, initial="confirm")
    geonames_id = forms.IntegerField(
        label=_("GeoNames id"),
        required=False,
        min_value=1,
        help_text=_("Another place: its number on geonames.org."),
    )
    actor = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "confirm" and not data.get("geonames_id") and not data.get("actor"):
            raise forms.ValidationError(_("Choose one of the candidates, or give a GeoNames id."))
        return data

"""Forms of the account pages: the second login step, two-step verification and API tokens."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citydiplo.accounts.models import ApiToken


class CodeForm(forms.Form):
    """A six-digit code from an authenticator app."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"[0-9 ]*",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("Type the digits the app shows, without letters."))
        return token


LIFETIMES = [
    ("", _("Never (until revoked)")),
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In one year")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “weekly report script”.")
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    lifetime = forms.ChoiceField(label=_("Expires"), choices=LIFETIMES, required=False, initial="90")

    @property
    def expires_at(self) -> dt.datetime | None:
        days = self.cleaned_data.get("lifetime")
        return timezone.now() + dt.timedelta(days=int(days)) if days else None

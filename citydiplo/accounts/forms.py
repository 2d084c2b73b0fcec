"""Forms of the account pages: the second login step, two-step verification, API tokens and the
organisation's people."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citydiplo.accounts.models import ApiToken, Organisation, OrganisationMember, User


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


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=OrganisationMember.Role.choices, initial=OrganisationMember.Role.VIEWER
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationMember.Role.choices)


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrganisationMember) -> str:
        return f"{obj.user.get_username()} ({obj.get_role_display()})"


class TransferForm(forms.Form):
    """Whom to hand ownership to: another member of the organisation."""

    member = SeatChoiceField(label=_("New owner"), queryset=OrganisationMember.objects.none())

    def __init__(self, *args: object, organisation: Organisation, user: Any, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = cast(SeatChoiceField, self.fields["member"])
        field.queryset = (
            organisation.members.exclude(user_id=user.pk).select_related("user").order_by("user__username")
        )


class InvitationSignupForm(UserCreationForm):
    """A new account for someone who opened an invitation: the password validators apply."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["email"].required = True

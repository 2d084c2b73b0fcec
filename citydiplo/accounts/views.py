from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citydiplo.accounts import selectors, services
from citydiplo.accounts.access import can_write_for


class TermForm(forms.Form):
    head_name = forms.CharField(label=gettext_lazy("Mayor or head"), max_length=200)
    head_title = forms.CharField(label=gettext_lazy("Title"), max_length=100, required=False)
    start = forms.DateField(label=gettext_lazy("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("End"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def organisation_detail(request: HttpRequest) -> HttpResponse:
    organisation = selectors.organisation_of(user=request.user)
    if organisation is None:
        return render(request, "accounts/no_organisation.html")
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "terms": organisation.terms.all(),
            "seats": organisation.members.select_related("user").order_by("role", "user__username"),
            "can_edit": can_write_for(request.user, organisation.pk),
            "form": TermForm(),
        },
    )


@login_required
def term_create(request: HttpRequest) -> HttpResponse:
    organisation = selectors.organisation_of(user=request.user)
    if organisation is None or request.method != "POST":
        return redirect("accounts:organisation")
    form = TermForm(request.POST)
    if form.is_valid():
        try:
            services.term_create(user=request.user, organisation=organisation, **form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Term of government recorded."))
    else:
        messages.error(request, _("Check the term: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("accounts:organisation")

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from citydiplo.accounts.access import can_write_for
from citydiplo.accounts.selectors import organisation_of
from citydiplo.history import selectors, services
from citydiplo.registry.services import StaleEdit


def _history_url(record: object) -> str:
    meta = record._meta.concrete_model._meta  # type: ignore[attr-defined]
    return reverse("history:record", args=[meta.app_label, meta.model_name, record.pk])  # type: ignore[attr-defined]


@login_required
@require_GET
def record_history(request: HttpRequest, app_label: str, model_name: str, pk: int) -> HttpResponse:
    record = selectors.record_for_history(
        user=request.user, app_label=app_label, model_name=model_name, pk=pk
    )
    return render(
        request,
        "history/record_history.html",
        {
            "record": record,
            "entries": selectors.record_history(user=request.user, record=record),
            "can_revert": can_write_for(request.user, record.owner_id),
            "record_url": record.get_absolute_url() if hasattr(record, "get_absolute_url") else "",
            "verbose_name": record._meta.verbose_name,
        },
    )


class RevertForm(forms.Form):
    history_id = forms.IntegerField()
    version = forms.IntegerField()
    field = forms.CharField(required=False)


@login_required
@require_POST
def record_revert(request: HttpRequest, app_label: str, model_name: str, pk: int) -> HttpResponse:
    record = selectors.record_for_history(
        user=request.user, app_label=app_label, model_name=model_name, pk=pk
    )
    form = RevertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The revert request was incomplete; nothing was changed."))
        return redirect(_history_url(record))
    try:
        services.record_revert(
            user=request.user,
            record=record,
            history_id=form.cleaned_data["history_id"],
            expected_version=form.cleaned_data["version"],
            field=form.cleaned_data["field"],
        )
    except StaleEdit:
        messages.error(
            request, _("Someone else saved this record while you were reading it; nothing was changed.")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reverted. The previous values are kept in the history."))
    return redirect(_history_url(record))


class ActivityFilterForm(forms.Form):
    term = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("Term of government"))
    kind = forms.ChoiceField(required=False, label=gettext_lazy("Kind"))

    def __init__(self, *args: object, organisation: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["term"].queryset = organisation.terms.all()  # type: ignore[attr-defined]
        self.fields["term"].empty_label = _("All terms")  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("Everything")), *selectors.activity_kinds()]  # type: ignore[attr-defined]


@login_required
@require_GET
def activity(request: HttpRequest) -> HttpResponse:
    """The organisation's activity: every change to its records, filterable by term of government."""
    organisation = organisation_of(user=request.user, session=request.session)
    if organisation is None:
        raise Http404
    form = ActivityFilterForm(request.GET or None, organisation=organisation)
    term, kind = None, ""
    if form.is_valid():
        term, kind = form.cleaned_data["term"], form.cleaned_data["kind"]
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    page = min(page, 1000)
    items, has_next = selectors.activity_feed(
        user=request.user, organisation=organisation, term=term, kind=kind, page=page
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "history/activity.html",
        {
            "organisation": organisation,
            "form": form,
            "items": items,
            "page": page,
            "has_next": has_next,
            "query": query.urlencode(),
        },
    )

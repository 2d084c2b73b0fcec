"""Twinning, friendship and cooperation agreements, and offices' notes on them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from citydiplo.accounts.access import can_edit_record
from citydiplo.registry import selectors, services
from citydiplo.registry.forms import AgreementFilterForm, AgreementForm, AgreementNoteForm
from citydiplo.registry.models import Agreement, AgreementNote
from citydiplo.registry.views._common import create_and_share, form_page, found_or_404, list_page, may_create


@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    filters = AgreementFilterForm(request.GET)
    return list_page(
        request,
        template="registry/agreement_list.html",
        partial="registry/_agreement_table.html",
        filters=filters,
        items=selectors.agreement_search(user=request.user, **filters.values()),
        can_create=may_create(request.user, reference=True),
    )


@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = found_or_404(selectors.agreement_get, user=request.user, pk=pk)
    return render(
        request,
        "registry/agreement_detail.html",
        {
            "agreement": agreement,
            "notes": selectors.agreement_notes(user=request.user, agreement=agreement),
            "documents": selectors.document_list(user=request.user, agreement=agreement),
            "can_edit": can_edit_record(request.user, agreement),
            "can_add_note": may_create(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    initial = {"parties": [int(pk) for pk in request.GET.getlist("party") if pk.isdigit()]}
    form = AgreementForm(request.POST or None, user=request.user, initial=initial)
    if not form.can_create:
        raise PermissionDenied(_("You need an owner or editor role in an organisation to record agreements."))

    def save() -> Agreement:
        data = form.cleaned_data
        return create_and_share(
            user=request.user,
            create=lambda: services.agreement_create(
                user=request.user,
                kind=data["kind"],
                parties=data["parties"],
                owner=data.get("owner"),
                visibility=data.get("visibility"),
                themes=data.get("themes") or [],
                title=data["title"],
                description=data["description"],
                signed=data["signed"],
                ended=data["ended"],
                status=data["status"],
            ),
            shared_with=data.get("shared_with") or [],
        )

    return form_page(
        request,
        form=form,
        template="registry/record_form.html",
        save=save,
        success_url=Agreement.get_absolute_url,
        success_message=_("The agreement was recorded."),
        title=_("New agreement"),
        cancel_url=reverse("registry:agreement-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = found_or_404(selectors.agreement_get, user=request.user, pk=pk)
    if not can_edit_record(request.user, agreement):
        raise PermissionDenied(_("You may not change this record."))
    form = AgreementForm(request.POST or None, user=request.user, instance=agreement)

    def save() -> Agreement:
        data = form.cleaned_data
        return services.agreement_update(
            user=request.user,
            agreement=agreement,
            expected_version=data["version"],
            changes=form.changes(),
            parties=data["parties"],
            themes=data.get("themes") or [],
            shared_with=data["shared_with"] if "shared_with" in form.fields else None,
        )

    return form_page(
        request,
        form=form,
        template="registry/record_form.html",
        save=save,
        success_url=Agreement.get_absolute_url,
        success_message=_("Your changes were saved."),
        title=_("Edit agreement"),
        cancel_url=agreement.get_absolute_url(),
        record=agreement,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_note_create(request: HttpRequest, pk: int) -> HttpResponse:
    """An office's own note on any agreement it can see, reference agreements included."""
    agreement = found_or_404(selectors.agreement_get, user=request.user, pk=pk)
    form = AgreementNoteForm(request.POST or None, user=request.user)
    if not form.can_create:
        raise PermissionDenied(_("You need an owner or editor role in an organisation to add notes."))

    def save() -> AgreementNote:
        data = form.cleaned_data
        return create_and_share(
            user=request.user,
            create=lambda: services.agreement_note_create(
                user=request.user,
                agreement=agreement,
                owner=data["owner"],
                why_signed=data["why_signed"],
                notes=data["notes"],
                visibility=data.get("visibility"),
            ),
            shared_with=data.get("shared_with") or [],
        )

    return form_page(
        request,
        form=form,
        template="registry/record_form.html",
        save=save,
        success_url=lambda note: agreement.get_absolute_url(),
        success_message=_("Your note was added."),
        title=_("Note on %(agreement)s") % {"agreement": agreement},
        cancel_url=agreement.get_absolute_url(),
    )

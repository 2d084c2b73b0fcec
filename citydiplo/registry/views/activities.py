"""Cooperation projects, events and missions, contacts, and document downloads."""

from __future__ import annotations

from pathlib import PurePosixPath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from citydiplo.accounts.access import can_edit_record
from citydiplo.registry import privacy, selectors, services
from citydiplo.registry.forms import (
    ContactFilterForm,
    ContactForm,
    EventFilterForm,
    EventForm,
    ProjectFilterForm,
    ProjectForm,
)
from citydiplo.registry.models import Contact, Event, PartnerRole, Project
from citydiplo.registry.services import StaleEdit
from citydiplo.registry.views._common import create_and_share, form_page, found_or_404, list_page, may_create

# --- Projects -----------------------------------------------------------------------------------------


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    filters = ProjectFilterForm(request.GET)
    return list_page(
        request,
        template="registry/project_list.html",
        partial="registry/_project_table.html",
        filters=filters,
        items=selectors.project_list(user=request.user, **filters.values()),
        can_create=may_create(request.user),
    )


@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = found_or_404(selectors.project_get, user=request.user, pk=pk)
    roles = dict(PartnerRole.choices)
    partners = sorted(project.partner_links.all(), key=lambda link: (link.role, link.actor.name))
    return render(
        request,
        "registry/project_detail.html",
        {
            "project": project,
            "partners": [(link.actor, roles.get(link.role, link.role)) for link in partners],
            "documents": selectors.document_list(user=request.user, project=project),
            "can_edit": can_edit_record(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None, user=request.user)
    if not form.can_create:
        raise PermissionDenied(_("You need an owner or editor role in an organisation to record projects."))

    def save() -> Project:
        data = form.cleaned_data
        fields = {
            name: value
            for name, value in form.changes().items()
            if name not in {"title", "modality", "visibility"}
        }
        return create_and_share(
            user=request.user,
            create=lambda: services.project_create(
                user=request.user,
                owner=data["owner"],
                title=data["title"],
                modality=data["modality"],
                partners=form.partner_specs(),
                themes=data.get("themes") or [],
                visibility=data.get("visibility"),
                **fields,
            ),
            shared_with=data.get("shared_with") or [],
        )

    return form_page(
        request,
        form=form,
        template="registry/record_form.html",
        save=save,
        success_url=Project.get_absolute_url,
        success_message=_("The project was recorded."),
        title=_("New cooperation project"),
        cancel_url=reverse("registry:project-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = found_or_404(selectors.project_get, user=request.user, pk=pk)
    if not can_edit_record(request.user, project):
        raise PermissionDenied(_("You may not change this record."))
    form = ProjectForm(request.POST or None, user=request.user, instance=project)

    def save() -> Project:
        data = form.cleaned_data
        return services.project_update(
            user=request.user,
            project=project,
            expected_version=data["version"],
            changes=form.changes(),
            partners=form.partner_specs(),
            themes=data.get("themes") or [],
            shared_with=data["shared_with"] if "shared_with" in form.fields else None,
        )

    return form_page(
        request,
        form=form,
        template="registry/record_form.html",
        save=save,
        success_url=Project.get_absolute_url,
        success_message=_("Your changes were saved."),
        title=_("Edit project"),
        cancel_url=project.get_absolute_url(),
        record=project,
    )


# --- Events and missions ----------------------------------------------------------------------------


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    filters = EventFilterForm(request.GET)
    return list_page(
        request,
        template="registry/event_list.html",
        partial="registry/_event_table.html",
        filters=filters,
        items=selectors.event_list(user=request.user, **filters.values()),
        can_create=may_create(request.user),
    )


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = found_or_404(selectors.event_get, user=request.user, pk=pk)
    return render(
        request,
        "registry/event_detail.html",
        {
            "event": event,
            "documents": selectors.document_list(user=request.user, event=event),
            "can_edit": can_edit_record(request.user, event),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, user=request.user)
    if not form.can_create:
        raise PermissionDenied(_("You need an owner or editor role in an organisation to record events."))

    def save() -> Event:
        data = form.cleaned_data
        skip = {"kind", "title", "start_date", "visibility"}
        fields = {name: value for name, value in form.changes().items() if name not in skip}
        return create_and_share(
            user=request.user,
            create=lambda: services.event_create(
                user=request.user,
                owner=data["owner"],
                kind=data["kind"],
                title=data["title"],
                start_date=data["start_date"],
                participants=data.get("participants") or [],
                themes=data.get("themes") or [],
                visibility=data.get("visibility"),
                **fields,
            ),
            shared_with=data.get("shared_with") or [],
        )

    return form_page(
        request,
        form=form,
        template="registry/record_form.html",
        save=save,
        success_url=Event.get_absolute_url,
        success_message=_("The event was recorded."),
        title=_("New event or mission"),
        cancel_url=reverse("registry:event-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = found_or_404(selectors.event_get, user=request.user, pk=pk)
    if not can_edit_record(request.user, event):
        raise PermissionDenied(_("You may not change this record."))
    form = EventForm(request.POST or None, user=request.user, instance=event)

    def save() -> Event:
        data = form.cleaned_data
        m2m = {"participants": data.get("participants") or [], "themes": data.get("themes") or []}
        if "shared_with" in form.fields:
            m2m["shared_with"] = data["shared_with"]
        return services.record_update(
            user=request.user, record=event, expected_version=data["version"], changes=form.changes(), m2m=m2m
        )

    return form_page(
        request,
        form=form,
        template="registry/record_form.html",
        save=save,
        success_url=Event.get_absolute_url,
        success_message=_("Your changes were saved."),
        title=_("Edit event"),
        cancel_url=event.get_absolute_url(),
        record=event,
    )


# --- Contacts -----------------------------------------------------------------------------------------


@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    filters = ContactFilterForm(request.GET)
    return list_page(
        request,
        template="registry/contact_list.html",
        partial="registry/_contact_table.html",
        filters=filters,
        items=selectors.contact_list(user=request.user, **filters.values()),
        can_create=may_create(request.user),
        due_count=privacy.contacts_due(user=request.user).count(),
    )


@require_GET
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = found_or_404(selectors.contact_get, user=request.user, pk=pk)
    can_edit = can_edit_record(request.user, contact)
    return render(
        request,
        "registry/contact_detail.html",
        {
            "contact": contact,
            "can_edit": can_edit and not privacy.is_erased(contact),
            # Export and erasure are the owning office's: its writers answer the person's requests.
            "can_answer_requests": can_edit,
            "retention_form": RetentionForm(initial={"version": contact.version}),
            "past_retention": bool(
                contact.retention_until and contact.retention_until < timezone.localdate()
            ),
        },
    )


def _contact_for_request(request: HttpRequest, pk: int) -> Contact:
    """A contact for an export, erasure or retention request: 404 unless the user may read it, 403 unless
    they hold a write seat in its office."""
    contact = found_or_404(selectors.contact_get, user=request.user, pk=pk)
    if not can_edit_record(request.user, contact):
        raise PermissionDenied(_("Only the office that holds this contact answers requests about it."))
    return contact


@login_required
@require_GET
def contact_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held on the person, as one JSON file (a subject access or portability request)."""
    contact = _contact_for_request(request, pk)
    response = HttpResponse(
        privacy.contact_export_json(user=request.user, contact=contact),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}-personal-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def contact_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then erase the person's identity from the contact and its history."""
    contact = _contact_for_request(request, pk)
    if request.method == "POST":
        try:
            privacy.contact_erase(user=request.user, contact=contact)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "The person was erased. The relation (institution, position, dates) and its history remain."
                ),
            )
        return redirect(contact.get_absolute_url())
    return render(request, "registry/contact_erase.html", {"contact": contact})


class RetentionForm(forms.Form):
    retention_until = forms.DateField(label=_("Keep until"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)


@login_required
@require_POST
def contact_retention(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_for_request(request, pk)
    form = RetentionForm(request.POST)
    if form.is_valid():
        try:
            privacy.contact_retention_extend(
                user=request.user,
                contact=contact,
                until=form.cleaned_data["retention_until"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit:
            messages.error(request, _("Someone else saved this contact meanwhile; nothing was changed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The contact will be kept until %(date)s.")
                % {"date": formats.date_format(form.cleaned_data["retention_until"])},
            )
    else:
        messages.error(request, _("Give the date until which the contact is kept."))
    return redirect(contact.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest) -> HttpResponse:
    initial = (
        {"institution": int(request.GET["institution"])}
        if request.GET.get("institution", "").isdigit()
        else {}
    )
    form = ContactForm(request.POST or None, user=request.user, initial=initial)
    if not form.can_create:
        raise PermissionDenied(_("You need an owner or editor role in an organisation to record contacts."))

    def save() -> Contact:
        data = form.cleaned_data
        fields = {
            name: value for name, value in form.changes().items() if name not in {"full_name", "visibility"}
        }
        return create_and_share(
            user=request.user,
            create=lambda: services.contact_create(
                user=request.user,
                owner=data["owner"],
                full_name=data["full_name"],
                visibility=data.get("visibility"),
                **fields,
            ),
            shared_with=data.get("shared_with") or [],
        )

    return form_page(
        request,
        form=form,
        template="registry/record_form.html",
        save=save,
        success_url=Contact.get_absolute_url,
        success_message=_("The contact was recorded."),
        title=_("New contact"),
        cancel_url=reverse("registry:contact-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = found_or_404(selectors.contact_get, user=request.user, pk=pk)
    if not can_edit_record(request.user, contact):
        raise PermissionDenied(_("You may not change this record."))
    form = ContactForm(request.POST or None, user=request.user, instance=contact)

    def save() -> Contact:
        data = form.cleaned_data
        m2m = {"shared_with": data["shared_with"]} if "shared_with" in form.fields else {}
        return services.record_update(
            user=request.user,
            record=contact,
            expected_version=data["version"],
            changes=form.changes(),
            m2m=m2m,
        )

    return form_page(
        request,
        form=form,
        template="registry/record_form.html",
        save=save,
        success_url=Contact.get_absolute_url,
        success_message=_("Your changes were saved."),
        title=_("Edit contact"),
        cancel_url=contact.get_absolute_url(),
        record=contact,
    )


# --- Documents ---------------------------------------------------------------------------------------


@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Stream a document after the visibility check: uploads are private records, never static files."""
    document = found_or_404(selectors.document_get, user=request.user, pk=pk)
    if not document.file:
        raise Http404(_("No such record."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from storage.")) from exc
    response = FileResponse(
        handle, as_attachment=True, filename=PurePosixPath(document.file.name or "document").name
    )
    # Private files must not linger in shared caches.
    patch_cache_control(response, private=True, no_store=True)
    return response

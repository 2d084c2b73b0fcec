"""The Imports page: upload a file, follow its run, read every error. Thin: the services decide."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from citydiplo.accounts.access import can_write_for
from citydiplo.accounts.selectors import organisation_of
from citydiplo.interchange import services
from citydiplo.interchange.forms import ImportUploadForm
from citydiplo.interchange.models import ImportRun


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(user=request.user, session=request.session)
    if organisation is None:
        return render(request, "accounts/no_organisation.html")
    can_import = can_write_for(request.user, organisation.pk)
    form = ImportUploadForm()
    status = 200
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied(_("You need an owner or editor role in this organisation to import."))
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                run = services.import_upload(
                    user=request.user,
                    organisation=organisation,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    dry_run=form.dry_run,
                    visibility=form.cleaned_data["visibility"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("interchange:import-detail", pk=run.pk)
        status = 400
    runs = services.import_run_list(user=request.user, organisation=organisation)[:100]
    context = {"organisation": organisation, "runs": runs, "form": form, "can_import": can_import}
    return render(request, "interchange/import_list.html", context, status=status)


def _run_or_404(request: HttpRequest, pk: int) -> ImportRun:
    try:
        return services.import_run_get(user=request.user, pk=pk)
    except ImportRun.DoesNotExist as exc:
        raise Http404(_("No such import.")) from exc


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "interchange/import_detail.html", {"run": _run_or_404(request, pk)})


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled partial: a progress bar that polls again while running, the result once finished."""
    return render(request, "interchange/_progress.html", {"run": _run_or_404(request, pk)})

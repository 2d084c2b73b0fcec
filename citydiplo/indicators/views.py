"""Pages of the indicators app: the dashboard ("tablero de mando"), the catalogue, an indicator with its
chart and observations, the review workflow, starter sets, import and export. Views are thin: they
validate, call a service or a selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from citydiplo.accounts.access import can_write_for, writable_organisations
from citydiplo.accounts.models import Organisation
from citydiplo.accounts.selectors import organisation_of
from citydiplo.indicators import selectors, services
from citydiplo.indicators.charts import series_chart
from citydiplo.indicators.exports import export_csv, export_rows, export_xlsx
from citydiplo.indicators.forms import (
    LEVEL_CHOICES,
    IndicatorForm,
    ObservationForm,
    ObservationImportForm,
    PointForm,
    StarterSetForm,
)
from citydiplo.indicators.models import Indicator, Observation, ReviewState, Target
from citydiplo.indicators.starter import STARTER_SETS
from citydiplo.indicators.status import Status


def _indicator_or_404(request: HttpRequest, pk: int) -> Indicator:
    try:
        return selectors.indicator_get(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404(_("No such indicator.")) from exc


def _writable_indicator(request: HttpRequest, pk: int) -> Indicator:
    indicator = _indicator_or_404(request, pk)
    if not can_write_for(request.user, indicator.owner_id):
        raise PermissionDenied(
            _("You need an owner or editor role in this organisation to change its indicators.")
        )
    return indicator


def _filters(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    from citydiplo.strategy.models import Objective

    level = request.GET.get("level", "")
    objective_id = request.GET.get("objective", "")
    objective = (
        Objective.objects.visible_to(request.user).filter(owner=organisation, pk=objective_id).first()
        if objective_id.isdigit()
        else None
    )
    return {
        "level": level if level in dict(LEVEL_CHOICES) else "",
        "objective": objective,
        "sdg": request.GET.get("sdg", "").strip()[:10],
        "key_only": request.GET.get("key") == "1",
        "breakdown": _breakdown_filter(request),
    }


def _breakdown_filter(request: HttpRequest) -> dict[str, str] | None:
    """?dimension=sex&dimension_value=female: the dashboard shows that breakdown instead of the totals."""
    name = request.GET.get("dimension", "").strip()[:60]
    value = request.GET.get("dimension_value", "").strip()[:200]
    return {name: value} if name and value else None


def _dashboard_page(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    from citydiplo.strategy.models import Objective

    filters = _filters(request, organisation)
    rows = selectors.dashboard(user=request.user, organisation=organisation, **filters)
    counts = {status: 0 for status in Status.values}
    for row in rows:
        counts[row.assessment.status] += 1
    return render(
        request,
        "indicators/dashboard.html",
        {
            "organisation": organisation,
            "key_rows": [r for r in rows if r.indicator.is_key],
            "other_rows": [r for r in rows if not r.indicator.is_key],
            "status_counts": [(Status(s).label, s, n) for s, n in counts.items()],
            "filters": filters,
            "level_choices": LEVEL_CHOICES,
            "objectives": Objective.objects.visible_to(request.user).filter(owner=organisation),
            "dimensions": sorted(
                {
                    name
                    for names in selectors.indicator_list(
                        user=request.user, organisation=organisation
                    ).values_list("dimensions", flat=True)
                    for name in names or ()
                }
            ),
            "is_member": selectors.is_member(request.user, organisation),
            "can_write": can_write_for(request.user, organisation.pk),
        },
    )


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own organisation's dashboard."""
    organisation = organisation_of(user=request.user, session=request.session)
    if organisation is None:
        return render(request, "indicators/no_organisation.html")
    return _dashboard_page(request, organisation)


@require_GET
def organisation_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Any organisation's dashboard as the visitor may see it: public indicators and approved values for
    the public, everything for its members."""
    organisation = get_object_or_404(Organisation, slug=slug)
    return _dashboard_page(request, organisation)


@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator_or_404(request, pk)
    breakdowns = selectors.breakdowns_of(user=request.user, indicator=indicator)
    breakdown = request.GET.get("breakdown", "")
    if breakdown and breakdown not in dict(breakdowns):
        breakdown = ""
    series = selectors.indicator_series(user=request.user, indicator=indicator, breakdown=breakdown)
    targets = list(indicator.targets.all())
    observations = selectors.observation_list(user=request.user, indicator=indicator, breakdown=None)[:500]
    can_write = can_write_for(request.user, indicator.owner_id)
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "baseline": getattr(indicator, "baseline", None),
            "targets": targets,
            "breakdowns": breakdowns,
            "breakdown": breakdown,
            "chart": series_chart(indicator, series, targets, baseline=getattr(indicator, "baseline", None)),
            "observations": observations,
            "can_write": can_write,
            "point_form": PointForm() if can_write else None,
            "submitted": indicator.observations.filter(review_state=ReviewState.SUBMITTED).count()
            if can_write
            else 0,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest) -> HttpResponse:
    form = IndicatorForm(request.POST or None, user=request.user)
    if not form.can_create:
        raise PermissionDenied(_("You need an owner or editor role in an organisation to add indicators."))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.values()
            owner = data.pop("owner")
            try:
                indicator = services.indicator_create(user=request.user, owner=owner, **data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The indicator was added."))
                return redirect(indicator.get_absolute_url())
        status = 400
    return render(
        request, "indicators/indicator_form.html", {"form": form, "title": _("New indicator")}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _writable_indicator(request, pk)
    form = IndicatorForm(request.POST or None, user=request.user, instance=indicator)
    status = 200
    if request.method == "POST":
        expected = request.POST.get("version")
        if form.is_valid():
            data = form.values()
            data.pop("owner", None)
            try:
                services.indicator_update(
                    user=request.user,
                    indicator=Indicator.objects.get(pk=indicator.pk),
                    expected_version=int(expected) if expected and expected.isdigit() else None,
                    **data,
                )
            except services.StaleEdit as exc:
                form.add_error(None, exc)
                status = 409
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Your changes were saved."))
                return redirect(indicator.get_absolute_url())
        else:
            status = 400
    return render(
        request,
        "indicators/indicator_form.html",
        {"form": form, "title": _("Edit indicator"), "indicator": indicator},
        status=status,
    )


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _writable_indicator(request, pk)
    try:
        services.indicator_delete(user=request.user, indicator=indicator)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect(indicator.get_absolute_url())
    messages.success(request, _("The indicator and its values were deleted."))
    return redirect("indicators:home")


@login_required
@require_POST
def point_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the baseline or add a target."""
    indicator = _writable_indicator(request, pk)
    form = PointForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a value and a date."))
        return redirect(indicator.get_absolute_url())
    data = form.cleaned_data
    setter = services.baseline_set if data["kind"] == "baseline" else services.target_set
    text = data["value"] if indicator.kind in ("qualitative_scale", "qualitative_text") else ""
    try:
        setter(
            user=request.user,
            indicator=indicator,
            value=None if text else data["value"],
            text_value=text,
            date=data["date"],
            comment=data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(indicator.get_absolute_url())


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target, pk=pk)
    indicator = _writable_indicator(request, target.indicator_id)
    services.target_delete(user=request.user, target=target)
    messages.success(request, _("The target was removed."))
    return redirect(indicator.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def observation_add(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _writable_indicator(request, pk)
    if not indicator.is_observed:
        raise Http404(_("This indicator is computed: it has no values to type."))
    form = ObservationForm(request.POST or None, request.FILES or None, indicator=indicator)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            text = data["value"] if indicator.kind in ("qualitative_scale", "qualitative_text") else ""
            try:
                services.observation_save(
                    user=request.user,
                    indicator=indicator,
                    period=data["period"],
                    value=None if text else data["value"],
                    text_value=text,
                    disaggregation=form.disaggregation(),
                    source=data["source"],
                    comment=data["comment"],
                    evidence=data.get("evidence"),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("The value was saved as a draft: submit it for review to publish it.")
                )
                return redirect(indicator.get_absolute_url())
        status = 400
    return render(
        request,
        "indicators/observation_form.html",
        {"form": form, "indicator": indicator, "title": _("New value")},
        status=status,
    )


def _observation_or_404(request: HttpRequest, pk: int) -> Observation:
    try:
        return selectors.observation_get(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404(_("No such value.")) from exc


@login_required
@require_POST
def observation_review(request: HttpRequest, pk: int) -> HttpResponse:
    observation = _observation_or_404(request, pk)
    try:
        services.observation_review(
            user=request.user, observation=observation, action=request.POST.get("action", "")
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect(reverse("indicators:indicator-detail", args=[observation.indicator_id]) + "#observations")


@login_required
@require_POST
def approve_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _writable_indicator(request, pk)
    count = services.observations_approve_submitted(user=request.user, indicator=indicator)
    messages.success(request, _("%(count)s values approved.") % {"count": count})
    return redirect(indicator.get_absolute_url())


@login_required
@require_GET
def observation_evidence(request: HttpRequest, pk: int) -> FileResponse:
    observation = _observation_or_404(request, pk)
    if not observation.evidence:
        raise Http404(_("No evidence attached."))
    response = FileResponse(observation.evidence.open("rb"), as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def starter_sets(request: HttpRequest) -> HttpResponse:
    if not writable_organisations(request.user):
        raise PermissionDenied(_("You need an owner or editor role in an organisation to adopt indicators."))
    form = StarterSetForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            added = services.starter_set_adopt(
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                key=form.cleaned_data["starter_set"],
            )
            messages.success(
                request, _("%(count)s indicators added to your catalogue.") % {"count": len(added)}
            )
            return redirect("indicators:home")
        status = 400
    return render(
        request, "indicators/starter_sets.html", {"form": form, "sets": STARTER_SETS.values()}, status=status
    )


EXPORT_FIELDS = ("indicator_id", "period", "value", "text_value", "disaggregation", "source", "comment")


@require_GET
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """The observations the visitor may see, as CSV or XLSX in the import layout."""
    organisation = get_object_or_404(Organisation, slug=slug)
    indicators = list(selectors.indicator_list(user=request.user, organisation=organisation))
    code = request.GET.get("indicator", "")
    if code:
        indicators = [i for i in indicators if i.code == code]
    observations = [
        o
        for indicator in indicators
        if indicator.is_observed
        for o in selectors.observation_list(user=request.user, indicator=indicator)
        .order_by("period_key", "disaggregation_key")
        .only(*EXPORT_FIELDS)
        .iterator(chunk_size=5000)
    ]
    header, rows = export_rows(indicators, observations)
    if request.GET.get("format") == "xlsx":
        content, content_type, suffix = (
            export_xlsx(header, rows),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    else:
        content, content_type, suffix = export_csv(header, rows), "text/csv; charset=utf-8", "csv"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="observations-{organisation.slug}.{suffix}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_observations(request: HttpRequest) -> HttpResponse:
    """Upload a file of observations with the options of `citydiplo import observations`; the import runs
    in the background and its page (Imports) shows progress, counts and errors."""
    from citydiplo.interchange.services import import_upload

    if not writable_organisations(request.user):
        raise PermissionDenied(_("You need an owner or editor role in an organisation to import values."))
    form = ObservationImportForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            run = import_upload(
                user=request.user,
                organisation=data["organisation"],
                kind="observations",
                upload=data["file"],
                dry_run=bool(data["dry_run"]),
                visibility="private",
                importer_options={
                    "mode": data["mode"],
                    "add_dimensions": bool(data["add_dimensions"]),
                    "indicator": data["indicator"],
                    "review_state": data["review_state"],
                },
            )
            return redirect(reverse("interchange:import-detail", args=[run.pk]))
        status = 400
    return render(request, "indicators/import.html", {"form": form}, status=status)

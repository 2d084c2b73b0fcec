"""The strategy part of the illustrative demo: Montevideo's adopted internationalisation strategy.

Objectives in the five families, linked to the demo's projects, agreement, events and a Mercociudades
membership; local stakeholders in the six groups; one consultation; an externality; SDG tags on the
objectives and the projects (when `citydiplo load-reference` has loaded the SDG framework). Everything is
invented and says so. Safe to run again: records are found by their `demo:` reference keys.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from citydiplo.accounts.models import Organisation, User
from citydiplo.accounts.records import Visibility
from citydiplo.demo.loader import ILLUSTRATIVE_EN, KEY_PREFIX, DemoResult
from citydiplo.registry import services as registry_services
from citydiplo.registry.models import Actor, ActorKind, Agreement, Event, Membership, Project, Theme
from citydiplo.strategy import services
from citydiplo.strategy.models import (
    Axis,
    AxisKind,
    ConsultationFormat,
    ExternalityStatus,
    Objective,
    ObjectiveFamily,
    SdgTarget,
    Stakeholder,
    StakeholderGroup,
    Strategy,
    StrategyStatus,
)

STRATEGY_KEY = f"{KEY_PREFIX}strategy:montevideo-2025-2030"

# key, family, title, description, departments, SDG targets, links (kind, demo key)
OBJECTIVES: list[tuple[str, str, str, str, list[str], list[str], list[tuple[str, str]]]] = [
    (
        "attract",
        ObjectiveFamily.PROJECTION,
        "Position Montevideo as a host city for regional events and green investment",
        "Bid for regional summits and present the city's climate projects to investors.",
        ["Economic development", "Tourism"],
        ["8.9", "17.17"],
        [("event", "mercociudades-summit-2025")],
    ),
    (
        "water-peers",
        ObjectiveFamily.KNOWLEDGE,
        "Learn urban drainage and flood resilience from peer cities",
        "Peer exchange with Barcelona's water services on nature-based drainage.",
        ["Water and sanitation", "Planning"],
        ["6.3", "11.5", "13.1"],
        [("project", "resilient-neighbourhoods"), ("event", "barcelona-delegation")],
    ),
    (
        "electric-buses",
        ObjectiveFamily.KNOWLEDGE,
        "Share electric-bus tendering and operation data with Latin American cities",
        "Exchange of tender documents and operating data with Quito.",
        ["Mobility"],
        ["11.2", "7.2"],
        [("agreement", "quito-electric-mobility")],
    ),
    (
        "south-south",
        ObjectiveFamily.SOLIDARITY,
        "South-South cooperation on solid waste and food systems",
        "Technical assistance to Maputo on landfill management; proximity markets with Asunción.",
        ["Environment", "Social development"],
        ["11.6", "12.3", "17.9"],
        [("project", "south-south-waste"), ("project", "proximity-markets")],
    ),
    (
        "citizens",
        ObjectiveFamily.CULTURE,
        "Cultural and citizen exchange with the cities of Mercosur",
        "Carnival and candombe exchanges, school twinning and youth programmes with Mercosur cities.",
        ["Culture", "Youth"],
        ["11.4", "4.7"],
        [("membership", "mercociudades")],
    ),
    (
        "adaptation-finance",
        ObjectiveFamily.ADVOCACY,
        "Make Montevideo's voice heard on urban adaptation finance",
        "Take positions with Mercociudades and at the COPs on direct access of cities to climate funds.",
        ["Mayor's office", "Climate change"],
        ["13.2", "11.b", "17.14"],
        [("event", "cop30-mission"), ("membership", "mercociudades")],
    ),
]

PROJECT_TAGS = {
    "resilient-neighbourhoods": ["6.3", "11.5", "13.1"],
    "south-south-waste": ["11.6", "12.5", "17.9"],
    "proximity-markets": ["2.4", "12.3"],
}

STAKEHOLDERS = [
    (
        "chamber",
        StakeholderGroup.PRIVATE_SECTOR,
        "Chamber of industries (fictional)",
        "Trade missions to Brazil and China.",
    ),
    (
        "university",
        StakeholderGroup.ACADEMIA,
        "Public university (fictional)",
        "Erasmus+ and AUGM exchanges.",
    ),
    (
        "neighbourhoods",
        StakeholderGroup.CIVIL_SOCIETY,
        "Federation of neighbourhood associations (fictional)",
        "",
    ),
    (
        "consuls",
        StakeholderGroup.DIPLOMATIC,
        "Consular corps of Montevideo (fictional)",
        "Cultural weeks of each country.",
    ),
    (
        "agencies",
        StakeholderGroup.INTERNATIONAL,
        "UN agencies' country office (fictional)",
        "Urban resilience programme.",
    ),
    ("press", StakeholderGroup.MEDIA, "Local press association (fictional)", ""),
]


def _links(
    office: Organisation, montevideo: Actor | None, user: User, result: DemoResult
) -> dict[tuple[str, str], Any]:
    """The demo's actions by (kind, key), creating the Mercociudades membership if none is visible."""
    found: dict[tuple[str, str], Any] = {}
    for model, kind in ((Project, "project"), (Event, "event"), (Agreement, "agreement")):
        for record in model.objects.filter(owner=office, reference_key__startswith=f"{KEY_PREFIX}{kind}:"):
            found[(kind, record.reference_key.removeprefix(f"{KEY_PREFIX}{kind}:"))] = record
    network = (
        Actor.objects.visible_to(user)
        .filter(kind=ActorKind.NETWORK)
        .filter(Q(slug__in=["mercociudades", "demo-mercociudades"]) | Q(name__iexact="Mercociudades"))
        .order_by("owner_id", "pk")
        .first()
    )
    if network is not None and montevideo is not None:
        membership = (
            Membership.objects.visible_to(user)
            .filter(member=montevideo, network=network)
            .order_by("owner_id")
            .first()
        )
        if membership is None:
            membership = registry_services.membership_create(
                user=user,
                owner=office,
                member=montevideo,
                network=network,
                visibility=Visibility.PUBLIC,
                since="1995",
                reference_key=f"{KEY_PREFIX}membership:mercociudades",
                notes=f"Recorded by the demo office. {ILLUSTRATIVE_EN}",
            )
            result.note("membership", created=True)
        found[("membership", "mercociudades")] = membership
    return found


def demo_load(*, office: Organisation, user: User, result: DemoResult) -> None:
    strategy = Strategy.objects.filter(owner=office, reference_key=STRATEGY_KEY).first()
    result.note("strategy", created=strategy is None)
    if strategy is None:
        strategy = services.strategy_create(
            user=user,
            owner=office,
            title="Montevideo International Strategy 2025–2030 (illustrative)",
            visibility=Visibility.PUBLIC,
            horizon_start=dt.date(2025, 1, 1),
            horizon_end=dt.date(2030, 12, 31),
            vision="A resilient, inclusive Montevideo that learns from and contributes to its peers. "
            + ILLUSTRATIVE_EN,
            thesis=(
                "By mid-2026, secure funding for the second phase of the flood-resilience works, with Barcelona's "
                "water services and the Mercociudades environment unit as allies. " + ILLUSTRATIVE_EN
            ),
            thesis_start=dt.date(2025, 7, 1),
            thesis_end=dt.date(2026, 12, 31),
            status=StrategyStatus.ADOPTED,
            adopted_on=dt.date(2025, 6, 20),
            development_plan_title="Montevideo development plan 2025–2030 (illustrative)",
        )
        Strategy.objects.filter(pk=strategy.pk).update(
            reference_key=STRATEGY_KEY, source="citydiplo demo (illustrative)"
        )

    links = _links(office, office.place, user, result)
    targets = {t.code: t for t in SdgTarget.objects.all()}
    objectives: dict[str, Objective] = {}
    for order, (key, family, title, description, departments, codes, wanted) in enumerate(
        OBJECTIVES, start=1
    ):
        reference_key = f"{KEY_PREFIX}objective:{key}"
        objective = strategy.objectives.filter(reference_key=reference_key).first()
        result.note("objective", created=objective is None)
        if objective is None:
            by_kind: dict[str, list[Any]] = {
                "projects": [],
                "agreements": [],
                "memberships": [],
                "events": [],
            }
            for kind, link_key in wanted:
                if (kind, link_key) in links:
                    by_kind[f"{kind}s"].append(links[(kind, link_key)])
            objective = services.objective_create(
                user=user,
                strategy=strategy,
                family=family,
                title=title,
                description=f"{description} {ILLUSTRATIVE_EN}",
                responsible_departments=departments,
                order=order,
                sdg_targets=[targets[c] for c in codes if c in targets],
                **by_kind,
            )
            Objective.objects.filter(pk=objective.pk).update(reference_key=reference_key)
        elif targets and not objective.sdg_targets.exists():
            # The SDG framework was loaded after the demo: tag now.
            services.objective_tag(
                user=user, objective=objective, targets=[targets[c] for c in codes if c in targets]
            )
        objectives[key] = objective

    for key, codes in PROJECT_TAGS.items():
        project = links.get(("project", key))
        if project is not None and targets and not project.sdg_tags.exists():
            services.project_sdg_tags_set(
                user=user, project=project, targets=[targets[c] for c in codes if c in targets]
            )
            result.note("project SDG tags", created=True)

    stakeholders: dict[str, Stakeholder] = {}
    for key, group, name, agenda in STAKEHOLDERS:
        reference_key = f"{KEY_PREFIX}stakeholder:{key}"
        stakeholder = Stakeholder.objects.filter(owner=office, reference_key=reference_key).first()
        result.note("stakeholder", created=stakeholder is None)
        if stakeholder is None:
            stakeholder = services.stakeholder_create(
                user=user,
                owner=office,
                group=group,
                name=name,
                international_agenda=agenda,
                visibility=Visibility.PUBLIC,
            )
            Stakeholder.objects.filter(pk=stakeholder.pk).update(reference_key=reference_key)
        stakeholders[key] = stakeholder

    if not strategy.consultations.exists():
        services.consultation_create(
            user=user,
            strategy=strategy,
            date=dt.date(2025, 4, 24),
            format=ConsultationFormat.WORKSHOP,
            participants=[
                stakeholders["chamber"],
                stakeholders["university"],
                stakeholders["neighbourhoods"],
            ],
            other_participants="Departmental councillors (fictional)",
            requests="Open the Barcelona exchange to neighbourhood committees; a trade mission to Brazil. "
            + ILLUSTRATIVE_EN,
            response="Neighbourhood committees join the drainage steering committee; the trade mission is "
            "part of the projection objective. " + ILLUSTRATIVE_EN,
        )
        result.note("consultation", created=True)
    else:
        result.note("consultation", created=False)

    if not strategy.externalities.exists():
        services.externality_create(
            user=user,
            strategy=strategy,
            title="Rising rents in the Old City from international short-term rentals",
            description="Event and tourism promotion raises demand for short-term rentals. "
            + ILLUSTRATIVE_EN,
            mitigation="Register short-term rentals; earmark part of the tourist tax for affordable housing.",
            status=ExternalityStatus.MITIGATING,
            objectives=[objectives["attract"]],
        )
        result.note("externality", created=True)
    else:
        result.note("externality", created=False)

    _axes(office=office, user=user, result=result, objectives=objectives)


# name, theme key, countries, region, objectives on the axis
AXES: list[tuple[str, str, list[str], str, list[str]]] = [
    ("Water and sanitation", "water", [], "", ["water-peers"]),
    ("Mobility and transport", "mobility", [], "", ["electric-buses"]),
    ("Climate", "climate", [], "", ["water-peers", "adaptation-finance"]),
    ("Mercosur", "", ["AR", "BR", "PY"], "Mercosur", ["south-south", "citizens"]),
    ("Europe", "", ["ES"], "Europe", ["water-peers"]),
]


def _axes(*, office: Organisation, user: User, result: DemoResult, objectives: dict[str, Objective]) -> None:
    themes = {theme.key: theme for theme in Theme.objects.all()}
    for name, theme_key, countries, region, objective_keys in AXES:
        axis = Axis.objects.filter(owner=office, name=name).first()
        result.note("axis", created=axis is None)
        if axis is not None:
            continue
        axis = services.axis_create(
            user=user,
            owner=office,
            kind=AxisKind.THEMATIC if theme_key else AxisKind.GEOGRAPHIC,
            name=name,
            theme=themes.get(theme_key),
            countries=countries,
            region=region,
            visibility=Visibility.PUBLIC,
        )
        for key in objective_keys:
            objectives[key].axes.add(axis)

"""Reads from the strategy app. Every function takes the reading user and returns only what that user may
see; the SDG catalogue is reference data, open to everyone.

Linked registry actions are always filtered again for the reader: an objective may name a project that
its reader may not see (another office shared the objective, not the project), and the page then shows
only the actions the reader may see, counting the rest as hidden.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from citydiplo.registry.models import Agreement, Event, Membership, Project
from citydiplo.strategy.models import (
    Axis,
    Consultation,
    Externality,
    Objective,
    ObjectiveFamily,
    ProjectSdgTag,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    Stakeholder,
    StakeholderGroup,
    Strategy,
    StrategyVersion,
)

User = Any  # a User, an AnonymousUser or None

LINK_MODELS: dict[str, Any] = {
    "projects": Project,
    "agreements": Agreement,
    "memberships": Membership,
    "events": Event,
}


# --- Strategies -----------------------------------------------------------------------------------------


def strategy_list(
    *, user: User, owner_id: int | None = None, status: str = "", q: str = ""
) -> QuerySet[Strategy]:
    qs = Strategy.objects.visible_to(user).select_related("owner")
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(vision__icontains=q) | Q(thesis__icontains=q))
    return qs.annotate(objective_count=Count("objectives", distinct=True)).order_by(
        "-horizon_start", "title", "pk"
    )


def strategy_get(*, user: User, pk: int) -> Strategy:
    """Raises Strategy.DoesNotExist for a missing or hidden strategy (the same answer, on purpose)."""
    return Strategy.objects.visible_to(user).select_related("owner").get(pk=pk)


def strategy_documents(*, user: User, strategy: Strategy) -> QuerySet[Any]:
    return strategy.documents.visible_to(user).order_by("-created_at")  # type: ignore[attr-defined]


def version_list(*, strategy: Strategy) -> QuerySet[StrategyVersion]:
    """Versions of a strategy the caller already read (the strategy's visibility covers them)."""
    return strategy.versions.select_related("created_by").order_by("-number")


def version_get(*, user: User, strategy_pk: int, number: int) -> StrategyVersion:
    """A kept version, its snapshot trimmed to what the reader may see (`version.readable`)."""
    strategy = strategy_get(user=user, pk=strategy_pk)
    version = strategy.versions.select_related("strategy", "created_by").get(number=number)
    version.readable = version_snapshot(user=user, version=version)  # type: ignore[attr-defined]
    return version


def version_snapshot(*, user: User, version: StrategyVersion) -> dict[str, Any]:
    """The snapshot as this reader may see it: axes are named only if the reader can see them now (a
    version of a public strategy must not reveal a private axis); linked actions are kept as ids."""
    snapshot = dict(version.snapshot)
    objectives = [dict(o) for o in snapshot.get("objectives", [])]
    axis_ids = {a["id"] for o in objectives for a in o.get("axes", []) if isinstance(a, dict)}
    visible = set(Axis.objects.visible_to(user).filter(pk__in=axis_ids).values_list("pk", flat=True))
    for objective in objectives:
        objective["axes"] = [
            a["name"] for a in objective.get("axes", []) if isinstance(a, dict) and a["id"] in visible
        ]
    snapshot["objectives"] = objectives
    return snapshot


# --- Objectives -----------------------------------------------------------------------------------------


def objective_list(*, user: User, strategy: Strategy | None = None, family: str = "") -> QuerySet[Objective]:
    qs = Objective.objects.visible_to(user).select_related("strategy", "owner")
    if strategy is not None:
        qs = qs.filter(strategy=strategy)
    if family:
        qs = qs.filter(family=family)
    # An objective may sit on an axis its reader cannot see (a public objective on a private axis): the
    # prefetched axes are the reader's, so every page, export and API answer built on this list agrees.
    return qs.prefetch_related(
        Prefetch("axes", queryset=Axis.objects.visible_to(user)),
        Prefetch("sdg_targets", queryset=SdgTarget.objects.select_related("goal")),
    ).order_by("strategy", "order", "pk")


def objective_get(*, user: User, pk: int) -> Objective:
    return Objective.objects.visible_to(user).select_related("strategy", "owner").get(pk=pk)


@dataclass
class LinkedActions:
    """The actions serving an objective that the reader may see, and how many others are hidden."""

    projects: list[Project] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    hidden: int = 0

    @property
    def total(self) -> int:
        return len(self.projects) + len(self.agreements) + len(self.memberships) + len(self.events)


def objective_actions(*, user: User, objective: Objective) -> LinkedActions:
    actions = LinkedActions()
    for name, model in LINK_MODELS.items():
        relation = getattr(objective, name)
        visible = relation.filter(pk__in=model.objects.visible_to(user).values("pk"))
        if name == "memberships":
            visible = visible.select_related("member", "network")
        items = list(visible)
        setattr(actions, name, items)
        actions.hidden += relation.count() - len(items)
    return actions


def objectives_by_family(objectives: Any) -> list[tuple[str, str, list[Objective]]]:
    """(family key, family label, objectives) in the families' own order, empty families included."""
    grouped: dict[str, list[Objective]] = defaultdict(list)
    for objective in objectives:
        grouped[objective.family].append(objective)
    return [(key, label, grouped.get(key, [])) for key, label in ObjectiveFamily.choices]


# --- Axes, stakeholders, consultations, externalities ---------------------------------------------------


def axis_list(*, user: User, owner_id: int | None = None, kind: str = "") -> QuerySet[Axis]:
    qs = Axis.objects.visible_to(user).select_related("theme", "owner")
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "name", "pk")


def axis_get(*, user: User, pk: int) -> Axis:
    return Axis.objects.visible_to(user).select_related("theme", "owner").get(pk=pk)


def stakeholder_list(
    *, user: User, owner_id: int | None = None, group: str = "", q: str = ""
) -> QuerySet[Stakeholder]:
    qs = Stakeholder.objects.visible_to(user).select_related("actor", "owner")
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if group:
        qs = qs.filter(group=group)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(international_agenda__icontains=q))
    return qs.order_by("group", "name", "pk")


def stakeholder_get(*, user: User, pk: int) -> Stakeholder:
    return Stakeholder.objects.visible_to(user).select_related("actor", "owner").get(pk=pk)


def stakeholders_by_group(stakeholders: Any) -> list[tuple[str, str, list[Stakeholder]]]:
    grouped: dict[str, list[Stakeholder]] = defaultdict(list)
    for stakeholder in stakeholders:
        grouped[stakeholder.group].append(stakeholder)
    return [(key, label, grouped.get(key, [])) for key, label in StakeholderGroup.choices]


def consultation_list(*, user: User, strategy: Strategy) -> QuerySet[Consultation]:
    return Consultation.objects.visible_to(user).filter(strategy=strategy).order_by("-date", "pk")


def consultation_get(*, user: User, pk: int) -> Consultation:
    return Consultation.objects.visible_to(user).select_related("strategy", "owner").get(pk=pk)


def consultation_participants(*, user: User, consultation: Consultation) -> QuerySet[Stakeholder]:
    return consultation.participants.filter(pk__in=Stakeholder.objects.visible_to(user).values("pk"))


def externality_list(*, user: User, strategy: Strategy) -> QuerySet[Externality]:
    return Externality.objects.visible_to(user).filter(strategy=strategy).prefetch_related("objectives")


def externality_get(*, user: User, pk: int) -> Externality:
    return Externality.objects.visible_to(user).select_related("strategy", "owner").get(pk=pk)


# --- Linkable records (choices in forms: only what the writer may read) ---------------------------------


def linkable_actions(*, user: User, organisation: Any) -> dict[str, QuerySet[Any]]:
    """The actions an objective of `organisation`'s strategy may link, among those the user may read:
    the organisation's own, and the reference ones involving the place it represents (its memberships of
    networks, its twinning agreements). Listing every reference agreement would drown the choice."""
    own = Q(owner_id=organisation.pk)
    place = organisation.place_id
    by_place = {
        "projects": Q(partners__pk=place),
        "agreements": Q(parties__pk=place),
        "memberships": Q(member_id=place),
        "events": Q(participants__pk=place) | Q(place_id=place),
    }
    choices: dict[str, QuerySet[Any]] = {}
    for name, model in LINK_MODELS.items():
        cond = own | by_place[name] if place else own
        qs = model.objects.visible_to(user).filter(cond).distinct()
        choices[name] = qs.select_related("member", "network") if name == "memberships" else qs
    return choices


def unlinked_actions(*, user: User, strategy: Strategy) -> dict[str, list[Any]]:
    """The organisation's actions (as `linkable_actions` lists them) that serve no objective of this
    strategy: the reactive part of its international action, which a revision should either adopt or drop."""
    if strategy.owner is None:
        return {}
    linked = {name: getattr(Objective, name).through for name in LINK_MODELS}
    unlinked: dict[str, list[Any]] = {}
    for name, qs in linkable_actions(user=user, organisation=strategy.owner).items():
        field = f"{LINK_MODELS[name]._meta.model_name}_id"
        serving = linked[name].objects.filter(objective__strategy=strategy).values(field)
        unlinked[name] = list(qs.exclude(pk__in=serving))
    return unlinked


# --- The SDG catalogue ------------------------------------------------------------------------------------


def sdg_goal_list() -> QuerySet[SdgGoal]:
    return SdgGoal.objects.annotate(
        target_count=Count("targets", distinct=True),
        indicator_count=Count("targets__indicators", distinct=True),
    ).order_by("number")


def sdg_goal_get(*, number: int) -> SdgGoal:
    return SdgGoal.objects.get(number=number)


def sdg_target_list(*, goal: int | None = None, q: str = "") -> QuerySet[SdgTarget]:
    qs = SdgTarget.objects.select_related("goal")
    if goal is not None:
        qs = qs.filter(goal__number=goal)
    if q:
        qs = qs.filter(_title_search(q) | Q(code__startswith=q))
    return qs.order_by("position", "code")


def sdg_target_get(*, code: str) -> SdgTarget:
    return SdgTarget.objects.select_related("goal").get(code=code)


def sdg_targets_by_code(codes: list[str]) -> tuple[list[SdgTarget], list[str]]:
    """The targets named by code, and the codes that name none."""
    found = {target.code: target for target in SdgTarget.objects.filter(code__in=codes)}
    return [found[c] for c in dict.fromkeys(codes) if c in found], [
        c for c in dict.fromkeys(codes) if c not in found
    ]


def sdg_indicator_list(*, goal: int | None = None, target: str = "", q: str = "") -> QuerySet[SdgIndicator]:
    qs = SdgIndicator.objects.select_related("target", "target__goal")
    if goal is not None:
        qs = qs.filter(target__goal__number=goal)
    if target:
        qs = qs.filter(target__code=target)
    if q:
        qs = qs.filter(_title_search(q) | Q(code__startswith=q) | Q(unsd_code__iexact=q))
    return qs.order_by("position", "code")


def _title_search(q: str) -> Q:
    cond = Q()
    for lang in ("en", "es", "fr"):
        cond |= Q(**{f"title_{lang}__icontains": q})
    return cond


def project_sdg_tags(*, user: User, project: Project) -> list[SdgTarget]:
    """The targets a project the user can see is tagged with (Project.DoesNotExist when hidden)."""
    Project.objects.visible_to(user).get(pk=project.pk)
    return [
        tag.target
        for tag in ProjectSdgTag.objects.filter(project=project).select_related("target", "target__goal")
    ]


def project_get(*, user: User, pk: int) -> Project:
    return Project.objects.visible_to(user).get(pk=pk)


# --- The alignment matrix ----------------------------------------------------------------------------------


@dataclass
class MatrixCell:
    targets: list[SdgTarget]

    @property
    def count(self) -> int:
        return len(self.targets)


@dataclass
class MatrixRow:
    objective: Objective
    cells: list[MatrixCell]

    @property
    def goal_count(self) -> int:
        return sum(1 for cell in self.cells if cell.targets)


@dataclass
class GoalColumn:
    goal: SdgGoal
    objective_count: int  # objectives touching the goal
    targets_tagged: int  # distinct targets of the goal tagged by any objective
    target_total: int  # targets of the goal in the catalogue
    project_count: int  # projects serving the strategy tagged with a target of the goal

    @property
    def is_gap(self) -> bool:
        return self.objective_count == 0

    @property
    def coverage(self) -> int:
        """Share of the goal's targets addressed, in whole percent."""
        return round(100 * self.targets_tagged / self.target_total) if self.target_total else 0


@dataclass
class AlignmentMatrix:
    strategy: Strategy
    columns: list[GoalColumn]
    rows: list[MatrixRow]
    untagged: list[Objective]

    @property
    def gaps(self) -> list[SdgGoal]:
        return [column.goal for column in self.columns if column.is_gap]

    @property
    def covered_goal_count(self) -> int:
        return sum(1 for column in self.columns if not column.is_gap)

    def chart_spec(self) -> dict[str, Any]:
        """A Vega-Lite bar chart: objectives per goal, in the goals' colours (gaps show as zero)."""
        values = [
            {
                "goal": f"{c.goal.number}. {c.goal.short_name}",
                "number": c.goal.number,
                "objectives": c.objective_count,
                "coverage": c.coverage,
                "colour": c.goal.colour,
            }
            for c in self.columns
        ]
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"values": values},
            "mark": "bar",
            "width": "container",
            "height": 220,
            "encoding": {
                "x": {"field": "number", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
                "y": {
                    "field": "objectives",
                    "type": "quantitative",
                    "title": None,
                    "axis": {"tickMinStep": 1},
                },
                "color": {"field": "colour", "type": "nominal", "scale": None},
                "tooltip": [
                    {"field": "goal", "type": "nominal"},
                    {"field": "objectives", "type": "quantitative"},
                    {"field": "coverage", "type": "quantitative"},
                ],
            },
        }


def alignment_matrix(*, user: User, strategy: Strategy) -> AlignmentMatrix:
    """Objectives × the 17 goals: each cell the targets of that goal the objective is tagged with; per
    goal, how many objectives and targets address it, and how many of the projects serving the strategy
    (those the reader may see) are tagged in it. A goal no objective addresses is a gap."""
    goals = list(SdgGoal.objects.annotate(target_total=Count("targets")).order_by("number"))
    objectives = list(objective_list(user=user, strategy=strategy))
    rows: list[MatrixRow] = []
    untagged: list[Objective] = []
    per_goal_objectives: dict[int, int] = defaultdict(int)
    per_goal_targets: dict[int, set[int]] = defaultdict(set)
    for objective in objectives:
        by_goal: dict[int, list[SdgTarget]] = defaultdict(list)
        for target in objective.sdg_targets.all():
            by_goal[target.goal.number].append(target)
        if not by_goal:
            untagged.append(objective)
        for number, targets in by_goal.items():
            per_goal_objectives[number] += 1
            per_goal_targets[number].update(t.pk for t in targets)
        rows.append(MatrixRow(objective, [MatrixCell(by_goal.get(goal.number, [])) for goal in goals]))

    projects = Project.objects.visible_to(user).filter(objectives__in=[o.pk for o in objectives]).distinct()
    tag_rows = (
        ProjectSdgTag.objects.filter(project__in=projects.values("pk"))
        .values("target__goal__number")
        .annotate(n=Count("project", distinct=True))
    )
    per_goal_projects = {row["target__goal__number"]: row["n"] for row in tag_rows}
    columns = [
        GoalColumn(
            goal=goal,
            objective_count=per_goal_objectives.get(goal.number, 0),
            targets_tagged=len(per_goal_targets.get(goal.number, ())),
            target_total=goal.target_total,  # type: ignore[attr-defined]
            project_count=per_goal_projects.get(goal.number, 0),
        )
        for goal in goals
    ]
    return AlignmentMatrix(strategy=strategy, columns=columns, rows=rows, untagged=untagged)

"""The strategy endpoints of the REST API (see citydiplo/api.py for authentication and errors).

Strategies and objectives (list, detail, create, update), revisions and versions, the alignment matrix,
the SDG tags of objectives and registry projects, and the SDG catalogue (goals, targets, indicators).
Reads go through the selectors (who sees what), writes through the services (who may change what).

No `from __future__ import annotations`: django-ninja reads the endpoints' annotations at import time
(see citydiplo/registry/api.py).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from citydiplo.accounts.api_auth import READ_AUTH, WRITE_AUTH
from citydiplo.accounts.models import Organisation
from citydiplo.registry import selectors as registry_selectors
from citydiplo.registry.api import EDIT, READ, READ_ONE, WRITE, Page, _caller, _owner
from citydiplo.registry.models import Agreement, Event, Membership, Project
from citydiplo.strategy import selectors, services
from citydiplo.strategy.models import Objective, SdgTarget, Strategy
from citydiplo.strategy.schemas import (
    AlignmentOut,
    ObjectiveCreate,
    ObjectiveDetail,
    ObjectiveFilters,
    ObjectiveOut,
    ObjectivePatch,
    RevisionIn,
    SdgGoalDetail,
    SdgGoalOut,
    SdgIndicatorFilters,
    SdgIndicatorOut,
    SdgTagsIn,
    SdgTargetFilters,
    SdgTargetOut,
    StrategyCreate,
    StrategyDetail,
    StrategyFilters,
    StrategyOut,
    StrategyPatch,
    VersionOut,
)

router = Router(tags=["strategy"])

LINK_MODELS = {"projects": Project, "agreements": Agreement, "memberships": Membership, "events": Event}


# --- Helpers ------------------------------------------------------------------------------------------------


def _targets(codes: list[str], field: str = "sdg_targets") -> list[SdgTarget]:
    found, unknown = selectors.sdg_targets_by_code(codes)
    if unknown:
        raise ValidationError({field: [_("Unknown SDG target: %(codes)s.") % {"codes": ", ".join(unknown)}]})
    return found


def _links(user: Any, payload: Any) -> dict[str, list[Any]]:
    """The link lists the payload sent, as records; an id the caller cannot see is reported as missing
    (by the service), never distinguished from an id that does not exist."""
    links: dict[str, list[Any]] = {}
    sent = payload.model_fields_set
    if "sdg_targets" in sent:
        links["sdg_targets"] = _targets(payload.sdg_targets or [])
    for name, model in LINK_MODELS.items():
        if name in sent:
            ids = list(dict.fromkeys(getattr(payload, name) or []))
            found = {obj.pk: obj for obj in model.objects.filter(pk__in=ids)}
            missing = [str(pk) for pk in ids if pk not in found]
            if missing:
                raise ValidationError({name: [_("No such record: %(ids)s.") % {"ids": ", ".join(missing)}]})
            links[name] = [found[pk] for pk in ids]
    return links


def _strategy_detail(user: Any, pk: int) -> Strategy:
    strategy = selectors.strategy_get(user=user, pk=pk)
    strategy.visible_objectives = selectors.objective_list(user=user, strategy=strategy)  # type: ignore[attr-defined]
    return strategy


def _objective_detail(user: Any, pk: int) -> Objective:
    objective = selectors.objective_list(user=user).get(pk=pk)
    objective.linked = selectors.objective_actions(user=user, objective=objective)  # type: ignore[attr-defined]
    return objective


# --- Strategies ---------------------------------------------------------------------------------------------


@router.get("/strategies", response={200: list[StrategyOut], **READ}, auth=READ_AUTH)
@paginate(Page)
def strategy_list(request: HttpRequest, filters: Query[StrategyFilters]) -> Any:
    """Strategies the caller may read, most recent horizon first."""
    user = _caller(request)
    owner_id = None
    if filters.owner:
        try:
            owner_id = registry_selectors.record_owner_get(slug=filters.owner).pk
        except Organisation.DoesNotExist:
            return selectors.strategy_list(user=user).none()
    return selectors.strategy_list(user=user, owner_id=owner_id, status=filters.status or "", q=filters.q)


@router.get("/strategies/{id}", response={200: StrategyDetail, **READ_ONE}, auth=READ_AUTH)
def strategy_detail(request: HttpRequest, id: int) -> Any:
    """A strategy with its objectives and the list of its kept versions."""
    return _strategy_detail(_caller(request), id)


@router.post("/strategies", response={201: StrategyDetail, **WRITE}, auth=WRITE_AUTH)
def strategy_create(request: HttpRequest, payload: StrategyCreate) -> Any:
    user = _caller(request)
    fields = payload.dict(exclude={"owner", "visibility", "title"})
    strategy = services.strategy_create(
        user=user, owner=_owner(payload.owner), title=payload.title, visibility=payload.visibility, **fields
    )
    return 201, _strategy_detail(user, strategy.pk)


@router.patch("/strategies/{id}", response={200: StrategyDetail, **EDIT}, auth=WRITE_AUTH)
def strategy_update(request: HttpRequest, id: int, payload: StrategyPatch) -> Any:
    """Change the fields sent. To change an adopted strategy and keep its text, start a revision first."""
    user = _caller(request)
    strategy = selectors.strategy_get(user=user, pk=id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    services.strategy_update(user=user, strategy=strategy, expected_version=payload.version, changes=changes)
    return _strategy_detail(user, id)


@router.post("/strategies/{id}/revisions", response={201: VersionOut, **WRITE}, auth=WRITE_AUTH)
def strategy_revise(request: HttpRequest, id: int, payload: RevisionIn) -> Any:
    """Keep the current text as the next version and put the strategy under revision."""
    user = _caller(request)
    strategy = selectors.strategy_get(user=user, pk=id)
    return 201, services.strategy_revise(user=user, strategy=strategy, note=payload.note)


@router.get("/strategies/{id}/versions/{number}", response={200: VersionOut, **READ_ONE}, auth=READ_AUTH)
def strategy_version(request: HttpRequest, id: int, number: int) -> Any:
    """A kept version, read-only, as it stood when the revision started."""
    return selectors.version_get(user=_caller(request), strategy_pk=id, number=number)


@router.get("/strategies/{id}/alignment", response={200: AlignmentOut, **READ_ONE}, auth=READ_AUTH)
def strategy_alignment(request: HttpRequest, id: int) -> Any:
    """Objectives × the 17 SDGs: targets tagged per cell, coverage and projects per goal, and gaps."""
    user = _caller(request)
    matrix = selectors.alignment_matrix(user=user, strategy=selectors.strategy_get(user=user, pk=id))
    return {
        "strategy": id,
        "goals": [
            {
                "goal": c.goal.number,
                "short_name": c.goal.short_name,
                "objective_count": c.objective_count,
                "targets_tagged": c.targets_tagged,
                "target_total": c.target_total,
                "coverage": c.coverage,
                "project_count": c.project_count,
                "is_gap": c.is_gap,
            }
            for c in matrix.columns
        ],
        "rows": [
            {
                "objective": row.objective.pk,
                "title": row.objective.title,
                "family": row.objective.family,
                "targets": {
                    str(column.goal.number): [t.code for t in cell.targets]
                    for column, cell in zip(matrix.columns, row.cells, strict=True)
                    if cell.targets
                },
            }
            for row in matrix.rows
        ],
        "gaps": [goal.number for goal in matrix.gaps],
    }


# --- Objectives ---------------------------------------------------------------------------------------------


@router.get("/objectives", response={200: list[ObjectiveOut], **READ}, auth=READ_AUTH)
@paginate(Page)
def objective_list(request: HttpRequest, filters: Query[ObjectiveFilters]) -> Any:
    user = _caller(request)
    strategy = None
    if filters.strategy is not None:
        try:
            strategy = selectors.strategy_get(user=user, pk=filters.strategy)
        except Strategy.DoesNotExist:
            return selectors.objective_list(user=user).none()
    return selectors.objective_list(user=user, strategy=strategy, family=filters.family or "")


@router.get("/objectives/{id}", response={200: ObjectiveDetail, **READ_ONE}, auth=READ_AUTH)
def objective_detail(request: HttpRequest, id: int) -> Any:
    """An objective with the linked actions the caller may see (and how many others are hidden)."""
    return _objective_detail(_caller(request), id)


@router.post("/objectives", response={201: ObjectiveDetail, **WRITE}, auth=WRITE_AUTH)
def objective_create(request: HttpRequest, payload: ObjectiveCreate) -> Any:
    user = _caller(request)
    strategy = selectors.strategy_get(user=user, pk=payload.strategy)
    objective = services.objective_create(
        user=user,
        strategy=strategy,
        family=payload.family,
        title=payload.title,
        description=payload.description,
        responsible_departments=payload.responsible_departments,
        **_links(user, payload),
    )
    return 201, _objective_detail(user, objective.pk)


@router.patch("/objectives/{id}", response={200: ObjectiveDetail, **EDIT}, auth=WRITE_AUTH)
def objective_update(request: HttpRequest, id: int, payload: ObjectivePatch) -> Any:
    """Change the fields sent; each link list sent replaces the links the caller can see."""
    user = _caller(request)
    objective = selectors.objective_get(user=user, pk=id)
    fields = {"family", "title", "description", "responsible_departments", "order"}
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if k in fields}
    services.objective_update(
        user=user,
        objective=objective,
        expected_version=payload.version,
        changes=changes,
        **_links(user, payload),
    )
    return _objective_detail(user, id)


@router.put("/objectives/{id}/sdg-targets", response={200: ObjectiveDetail, **WRITE}, auth=WRITE_AUTH)
def objective_sdg_tags(request: HttpRequest, id: int, payload: SdgTagsIn) -> Any:
    """Replace the objective's SDG targets."""
    user = _caller(request)
    objective = selectors.objective_get(user=user, pk=id)
    services.objective_tag(user=user, objective=objective, targets=_targets(payload.targets, "targets"))
    return _objective_detail(user, id)


@router.get("/projects/{id}/sdg-targets", response={200: list[SdgTargetOut], **READ_ONE}, auth=READ_AUTH)
def project_sdg_tag_list(request: HttpRequest, id: int) -> Any:
    """The SDG targets a registry project is tagged with."""
    user = _caller(request)
    return selectors.project_sdg_tags(user=user, project=selectors.project_get(user=user, pk=id))


@router.put("/projects/{id}/sdg-targets", response={200: list[SdgTargetOut], **WRITE}, auth=WRITE_AUTH)
def project_sdg_tag_set(request: HttpRequest, id: int, payload: SdgTagsIn) -> Any:
    """Replace a project's SDG targets (whoever may edit the project)."""
    user = _caller(request)
    project = selectors.project_get(user=user, pk=id)
    services.project_sdg_tags_set(user=user, project=project, targets=_targets(payload.targets, "targets"))
    return selectors.project_sdg_tags(user=user, project=project)


# --- The SDG catalogue (reference data, open to everyone) -------------------------------------------------


@router.get("/sdg/goals", response={200: list[SdgGoalOut], **READ}, auth=READ_AUTH, tags=["sdg"])
def sdg_goal_list(request: HttpRequest) -> Any:
    """The 17 goals, short names and titles in the language asked for (Accept-Language)."""
    return selectors.sdg_goal_list()


@router.get("/sdg/goals/{number}", response={200: SdgGoalDetail, **READ_ONE}, auth=READ_AUTH, tags=["sdg"])
def sdg_goal_detail(request: HttpRequest, number: int) -> Any:
    return selectors.sdg_goal_list().prefetch_related("targets").get(number=number)


@router.get("/sdg/targets", response={200: list[SdgTargetOut], **READ}, auth=READ_AUTH, tags=["sdg"])
@paginate(Page)
def sdg_target_list(request: HttpRequest, filters: Query[SdgTargetFilters]) -> Any:
    return selectors.sdg_target_list(goal=filters.goal, q=filters.q)


@router.get("/sdg/indicators", response={200: list[SdgIndicatorOut], **READ}, auth=READ_AUTH, tags=["sdg"])
@paginate(Page)
def sdg_indicator_list(request: HttpRequest, filters: Query[SdgIndicatorFilters]) -> Any:
    """Indicator rows of the UN 2025 framework (251 rows; repeated indicators share a UNSD code)."""
    return selectors.sdg_indicator_list(goal=filters.goal, target=filters.target, q=filters.q)

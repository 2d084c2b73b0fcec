"""Typed shapes of the strategy API: strategies, objectives, SDG tags and the SDG catalogue.

Same conventions as the registry's schemas (citydiplo/registry/schemas.py): the owner by slug, records by
id, SDG targets by code ("11.2"), `version` for safe editing; permissions stay in the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from citydiplo.accounts.records import Visibility
from citydiplo.registry.schemas import NOT_SENT, RecordOut
from citydiplo.strategy.models import ObjectiveFamily, StrategyStatus

TargetCodes = list[str]
LANGUAGES = ("en", "es", "pt", "fr")


# --- The SDG catalogue ------------------------------------------------------------------------------------


def _per_language(obj: Any, field: str, languages: tuple[str, ...] = LANGUAGES) -> dict[str, str]:
    """Every language's text, English where a translation is missing (or outdated, hence stored empty)."""
    english = getattr(obj, f"{field}_en") or ""
    return {lang: getattr(obj, f"{field}_{lang}", "") or english for lang in languages}


class SdgGoalOut(Schema):
    number: int
    short_name: str = Field(..., description="English; see short_names for every language")
    short_names: dict[str, str] = Field(..., description="en, es, pt, fr")
    title: str
    titles: dict[str, str] = Field(..., description="en, es, pt, fr (English where no translation)")
    colour: str
    target_count: int = 0
    indicator_count: int = 0

    @staticmethod
    def resolve_short_names(obj: Any) -> dict[str, str]:
        return _per_language(obj, "short_name")

    @staticmethod
    def resolve_titles(obj: Any) -> dict[str, str]:
        return _per_language(obj, "title")


class SdgTargetOut(Schema):
    code: str
    goal: int
    title: str
    titles: dict[str, str] = Field(..., description="en, es, pt, fr (English where no translation)")

    @staticmethod
    def resolve_titles(obj: Any) -> dict[str, str]:
        return _per_language(obj, "title")

    @staticmethod
    def resolve_goal(obj: Any) -> int:
        return obj.goal.number


class SdgIndicatorOut(Schema):
    code: str
    target: str
    unsd_code: str = Field(
        ..., description="UNSD code; repeated indicators share one (C200303 = 1.5.1, 11.5.1, 13.1.1)"
    )
    title: str
    translation_outdated: bool = Field(
        ..., description="True when the English title is shown for lack of a current translation"
    )

    @staticmethod
    def resolve_target(obj: Any) -> str:
        return obj.target.code


class SdgGoalDetail(SdgGoalOut):
    targets: list[SdgTargetOut]

    @staticmethod
    def resolve_targets(obj: Any) -> list[Any]:
        return list(obj.targets.all())


class SdgTargetFilters(Schema):
    goal: int | None = Field(None, ge=1, le=17)
    q: str = ""


class SdgIndicatorFilters(Schema):
    goal: int | None = Field(None, ge=1, le=17)
    target: str = ""
    q: str = ""


class SdgTagsIn(Schema):
    targets: TargetCodes = Field(
        ..., description='SDG target codes, e.g. ["11.2", "13.2"]; replaces the current ones'
    )


# --- Strategies -------------------------------------------------------------------------------------------


class ObjectiveOut(RecordOut):
    id: int
    strategy: int
    family: ObjectiveFamily
    title: str
    description: str
    responsible_departments: list[str]
    order: int
    axes: list[str]
    sdg_targets: TargetCodes

    @staticmethod
    def resolve_strategy(obj: Any) -> int:
        return obj.strategy_id

    @staticmethod
    def resolve_axes(obj: Any) -> list[str]:
        return [axis.name for axis in obj.axes.all()]

    @staticmethod
    def resolve_sdg_targets(obj: Any) -> list[str]:
        return [target.code for target in obj.sdg_targets.all()]


class ActionRef(Schema):
    id: int
    title: str


class ObjectiveDetail(ObjectiveOut):
    """`linked` is set by the endpoint: the actions the caller may see (selectors.objective_actions)."""

    projects: list[ActionRef]
    agreements: list[ActionRef]
    memberships: list[ActionRef]
    events: list[ActionRef]
    hidden_actions: int = Field(..., description="Linked actions the caller may not see (not listed)")

    @staticmethod
    def resolve_projects(obj: Any) -> list[dict[str, Any]]:
        return [{"id": p.pk, "title": p.title} for p in obj.linked.projects]

    @staticmethod
    def resolve_agreements(obj: Any) -> list[dict[str, Any]]:
        return [{"id": a.pk, "title": str(a)} for a in obj.linked.agreements]

    @staticmethod
    def resolve_memberships(obj: Any) -> list[dict[str, Any]]:
        return [{"id": m.pk, "title": str(m)} for m in obj.linked.memberships]

    @staticmethod
    def resolve_events(obj: Any) -> list[dict[str, Any]]:
        return [{"id": e.pk, "title": e.title} for e in obj.linked.events]

    @staticmethod
    def resolve_hidden_actions(obj: Any) -> int:
        return obj.linked.hidden


class StrategyOut(RecordOut):
    id: int
    title: str
    horizon_start: dt.date | None
    horizon_end: dt.date | None
    status: StrategyStatus
    adopted_on: dt.date | None
    thesis_start: dt.date | None
    thesis_end: dt.date | None


class VersionRef(Schema):
    number: int
    created_at: dt.datetime
    note: str


class StrategyDetail(StrategyOut):
    """`visible_objectives` is set by the endpoint: the objectives the caller may read."""

    vision: str
    thesis: str
    development_plan_title: str
    development_plan_url: str
    objectives: list[ObjectiveOut]
    versions: list[VersionRef]

    @staticmethod
    def resolve_objectives(obj: Any) -> list[Any]:
        return list(obj.visible_objectives)

    @staticmethod
    def resolve_versions(obj: Any) -> list[Any]:
        return list(obj.versions.order_by("-number"))


class VersionOut(VersionRef):
    strategy: int
    snapshot: dict[str, Any]

    @staticmethod
    def resolve_strategy(obj: Any) -> int:
        return obj.strategy_id


class StrategyFilters(Schema):
    owner: str = Field("", description="Organisation slug")
    status: StrategyStatus | None = None
    q: str = ""


class StrategyCreate(Schema):
    owner: str = Field(..., description="Slug of an organisation where you are owner or editor")
    visibility: Visibility | None = None
    title: str = Field(..., min_length=1, max_length=300)
    horizon_start: dt.date | None = None
    horizon_end: dt.date | None = None
    vision: str = ""
    thesis: str = ""
    thesis_start: dt.date | None = None
    thesis_end: dt.date | None = None
    status: StrategyStatus = StrategyStatus.DRAFT
    adopted_on: dt.date | None = None
    development_plan_title: str = Field("", max_length=300)
    development_plan_url: str = Field("", max_length=500)


class StrategyPatch(Schema):
    version: int = Field(
        ..., ge=1, description="The version you read; a newer stored version refuses the edit (409)"
    )
    visibility: Visibility = NOT_SENT
    title: str = Field(NOT_SENT, min_length=1, max_length=300)
    horizon_start: dt.date | None = NOT_SENT
    horizon_end: dt.date | None = NOT_SENT
    vision: str = NOT_SENT
    thesis: str = NOT_SENT
    thesis_start: dt.date | None = NOT_SENT
    thesis_end: dt.date | None = NOT_SENT
    status: StrategyStatus = NOT_SENT
    adopted_on: dt.date | None = NOT_SENT
    development_plan_title: str = Field(NOT_SENT, max_length=300)
    development_plan_url: str = Field(NOT_SENT, max_length=500)


class RevisionIn(Schema):
    note: str = Field("", max_length=2000)


# --- Objectives -----------------------------------------------------------------------------------------


class ObjectiveFilters(Schema):
    strategy: int | None = None
    family: ObjectiveFamily | None = None


class ObjectiveLinks(Schema):
    sdg_targets: TargetCodes = NOT_SENT
    projects: list[int] = NOT_SENT
    agreements: list[int] = NOT_SENT
    memberships: list[int] = NOT_SENT
    events: list[int] = NOT_SENT


class ObjectiveCreate(ObjectiveLinks):
    strategy: int
    family: ObjectiveFamily
    title: str = Field(..., min_length=1, max_length=300)
    description: str = ""
    responsible_departments: list[str] = []


class ObjectivePatch(ObjectiveLinks):
    version: int = Field(..., ge=1)
    family: ObjectiveFamily = NOT_SENT
    title: str = Field(NOT_SENT, min_length=1, max_length=300)
    description: str = NOT_SENT
    responsible_departments: list[str] = NOT_SENT
    order: int = Field(NOT_SENT, ge=0, le=32767)


# --- The alignment matrix ---------------------------------------------------------------------------------


class GoalColumnOut(Schema):
    goal: int
    short_name: str
    objective_count: int
    targets_tagged: int
    target_total: int
    coverage: int = Field(..., description="Share of the goal's targets addressed, whole percent")
    project_count: int
    is_gap: bool


class MatrixRowOut(Schema):
    objective: int
    title: str
    family: ObjectiveFamily
    targets: dict[str, TargetCodes] = Field(..., description="Goal number -> target codes tagged")


class AlignmentOut(Schema):
    strategy: int
    goals: list[GoalColumnOut]
    rows: list[MatrixRowOut]
    gaps: list[int]

"""Shapes of the indicators API (django-ninja / pydantic)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class PointOut(Schema):
    value: Decimal | None
    text_value: str
    date: dt.date


class StatusOut(Schema):
    status: str = Field(..., description="on_track, at_risk, off_track or no_data")
    reason: str
    ratio: float | None = Field(None, description="Observed rate / required rate (or growth without target)")


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    owner: str | None = Field(None, description="The organisation's slug")
    level: str
    kind: str
    unit: str
    currency: str
    scale: list[str]
    direction: str
    aggregation: str
    frequency: str
    is_key: bool
    dimensions: list[str]
    computed: str
    visibility: str
    version: int

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.owner.slug if obj.owner_id else None


class IndicatorDetail(IndicatorOut):
    definition: str
    method: str
    department: str
    source: str
    baseline: PointOut | None = None
    targets: list[PointOut] = []
    objectives: list[int] = []
    sdg_targets: list[str] = []

    @staticmethod
    def resolve_baseline(obj: Any) -> Any:
        return getattr(obj, "baseline", None)

    @staticmethod
    def resolve_targets(obj: Any) -> list[Any]:
        return list(obj.targets.all())

    @staticmethod
    def resolve_objectives(obj: Any) -> list[int]:
        return [o.pk for o in obj.objectives.all()]

    @staticmethod
    def resolve_sdg_targets(obj: Any) -> list[str]:
        return [t.code for t in obj.sdg_targets.all()]


class IndicatorCreate(Schema):
    owner: str = Field(..., description="Slug of the organisation the indicator belongs to")
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=300)
    definition: str = ""
    level: str = "programmatic"
    kind: str = "quantitative"
    unit: str = ""
    currency: str = ""
    scale: list[str] = []
    direction: str = "higher"
    aggregation: str = "sum"
    frequency: str = "annual"
    method: str = ""
    department: str = ""
    source: str = ""
    is_key: bool = False
    dimensions: list[str] = []
    computed: str = ""
    visibility: str = "private"


class IndicatorPatch(Schema):
    version: int | None = Field(
        None, description="The version you read: the edit is refused (409) if it changed"
    )
    name: str | None = None
    definition: str | None = None
    level: str | None = None
    unit: str | None = None
    direction: str | None = None
    aggregation: str | None = None
    frequency: str | None = None
    method: str | None = None
    department: str | None = None
    is_key: bool | None = None
    dimensions: list[str] | None = None
    visibility: str | None = None


class ObservationOut(Schema):
    id: int
    period: str
    period_start: dt.date
    period_end: dt.date
    value: Decimal | None
    text_value: str
    disaggregation: dict[str, str]
    source: str
    comment: str
    review_state: str


class ObservationIn(Schema):
    period: str = Field(..., description="2024, 2024-Q3, 2024-07 or 2024-07-15")
    value: str = Field(..., description="A number for numeric indicators, a scale label or text otherwise")
    disaggregation: dict[str, str] = {}
    source: str = ""
    comment: str = ""


class ReviewIn(Schema):
    action: str = Field(..., description="submit, approve or return")


class DashboardRowOut(Schema):
    indicator: IndicatorOut
    status: StatusOut
    latest_value: Any = None
    latest_period: str
    unapproved: bool

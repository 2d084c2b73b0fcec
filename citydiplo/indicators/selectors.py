"""Reads of the indicators app. Indicators go through `visible_to`; observations follow their indicator,
and outside the owning organisation only approved values are shown (review before publication)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from citydiplo.accounts.access import role_in
from citydiplo.accounts.models import Organisation
from citydiplo.accounts.records import organisation_ids_of
from citydiplo.indicators import computed as computations
from citydiplo.indicators.models import (
    Baseline,
    Indicator,
    Kind,
    Observation,
    ReviewState,
    Target,
    disaggregation_key,
)
from citydiplo.indicators.status import Assessment, Point, as_number, assess


def indicator_list(
    *,
    user: Any,
    organisation: Organisation | None = None,
    level: str = "",
    objective: Any = None,
    sdg: str = "",
    key_only: bool = False,
    q: str = "",
) -> QuerySet[Indicator]:
    qs = Indicator.objects.visible_to(user)
    if organisation is not None:
        qs = qs.filter(owner=organisation)
    if level:
        qs = qs.filter(level=level)
    if objective:
        qs = qs.filter(objectives=objective)
    if sdg:
        # "11" is a goal, "11.2" a target; anything else matches no target.
        if sdg.isdigit():
            qs = qs.filter(sdg_targets__goal__number=int(sdg))
        else:
            qs = qs.filter(sdg_targets__code=sdg)
    if key_only:
        qs = qs.filter(is_key=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs.distinct().select_related("owner").order_by("-is_key", "level", "code")


def indicator_get(*, user: Any, pk: int) -> Indicator:
    return (
        Indicator.objects.visible_to(user)
        .select_related("owner", "formula_numerator", "formula_denominator")
        .prefetch_related("targets", "objectives", "sdg_targets")
        .get(pk=pk)
    )


def sees_unapproved(user: Any, indicator_owner_id: int | None) -> bool:
    """Members of the owning organisation see drafts and submitted values; everyone else approved ones."""
    return indicator_owner_id is not None and indicator_owner_id in organisation_ids_of(user)


def observation_list(
    *, user: Any, indicator: Indicator, breakdown: str | None = None, state: str = ""
) -> QuerySet[Observation]:
    """The indicator's observations the user may see, newest period first. `breakdown` None: every
    breakdown; "" the totals only; else one canonical disaggregation key."""
    qs = Observation.objects.filter(indicator=indicator)
    if not sees_unapproved(user, indicator.owner_id):
        qs = qs.filter(review_state=ReviewState.APPROVED)
    elif state:
        qs = qs.filter(review_state=state)
    if breakdown is not None:
        qs = qs.filter(disaggregation_key=breakdown)
    return qs.order_by("-period_key", "disaggregation_key")


def observation_get(*, user: Any, pk: int) -> Observation:
    observation = Observation.objects.select_related("indicator").get(pk=pk)
    indicator = indicator_get(user=user, pk=observation.indicator_id)
    if observation.review_state != ReviewState.APPROVED and not sees_unapproved(user, indicator.owner_id):
        raise Observation.DoesNotExist
    observation.indicator = indicator
    return observation


def breakdowns_of(*, user: Any, indicator: Indicator) -> list[tuple[str, dict[str, str]]]:
    """The distinct disaggregations the indicator has values for: (key, values), the total first."""
    qs = (
        observation_list(user=user, indicator=indicator)
        .order_by()
        .values_list("disaggregation_key", "disaggregation")
    )
    found = dict(qs.distinct())
    return sorted(found.items(), key=lambda item: (item[0] != "", item[0]))


# --- the dashboard ---------------------------------------------------------------------------------


@dataclass
class DashboardRow:
    indicator: Indicator
    assessment: Assessment
    latest_value: Any = None
    latest_period: str = ""
    unapproved: bool = False
    targets: list[Target] = field(default_factory=list)


# What the dashboard and its template read of an indicator: no long texts, no timestamps to parse.
DASHBOARD_FIELDS = (
    "id",
    "owner_id",
    "visibility",
    "code",
    "name",
    "level",
    "kind",
    "unit",
    "currency",
    "scale",
    "direction",
    "is_key",
    "computed",
    "formula_numerator_id",
    "formula_denominator_id",
    "formula_factor",
    "is_illustrative",
)


@dataclass(frozen=True)
class _Value:
    """The few columns of an observation the dashboard needs (no model instance: there are a thousand)."""

    period: str
    date: dt.date
    value: Decimal | None
    text: str
    review_state: str


def _point(indicator: Indicator, date: dt.date, value: Decimal | None, text: str) -> Point | None:
    number = as_number(value, text, scale=indicator.scale or None)
    return None if number is None else Point(date, number)


def dashboard(
    *,
    user: Any,
    organisation: Organisation,
    level: str = "",
    objective: Any = None,
    sdg: str = "",
    key_only: bool = False,
    breakdown: dict[str, str] | None = None,
) -> list[DashboardRow]:
    """The rows of the dashboard: each indicator with its latest total value and its status.

    Built to stay fast with hundreds of indicators and a million observations: the latest and the
    earliest total of each indicator are found by two correlated subqueries that each read one entry of
    the (indicator, disaggregation_key, period_key) index, then fetched by primary key as plain tuples;
    baselines and targets in one query each. Computed and formula indicators are evaluated here, on read.
    """
    member = sees_unapproved(user, organisation.pk)
    # The totals, or one breakdown ({"sex": "female"}) across every indicator that declares it.
    key = disaggregation_key(breakdown or {})
    totals = Observation.objects.filter(indicator=OuterRef("pk"), disaggregation_key=key)
    if not member:
        totals = totals.filter(review_state=ReviewState.APPROVED)
    indicators = list(
        indicator_list(
            user=user, organisation=organisation, level=level, objective=objective, sdg=sdg, key_only=key_only
        )
        .select_related(None)
        .only(*DASHBOARD_FIELDS)
        .annotate(
            latest_id=Subquery(totals.order_by("-period_key").values("pk")[:1]),
            first_id=Subquery(totals.order_by("period_key").values("pk")[:1]),
        )
    )
    if not indicators:
        return []
    wanted = {i for ind in indicators for i in (ind.latest_id, ind.first_id) if i is not None}
    values = {
        pk: _Value(period, end, value, text, state)
        for pk, period, end, value, text, state in Observation.objects.filter(pk__in=wanted).values_list(
            "pk", "period", "period_end", "value", "text_value", "review_state"
        )
    }
    # Every indicator of the organisation: cheaper than naming the filtered ones, and only looked up by id.
    baselines = {
        indicator_id: (date, value, text)
        for indicator_id, date, value, text in Baseline.objects.filter(
            indicator__owner=organisation
        ).values_list("indicator_id", "date", "value", "text_value")
    }
    targets: dict[int, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(indicator__owner=organisation).order_by("date"):
        targets[target.indicator_id].append(target)
    rows = []
    for indicator in indicators:
        latest, first = values.get(indicator.latest_id), values.get(indicator.first_id)
        baseline = baselines.get(indicator.pk)
        if indicator.computed or indicator.is_formula:
            rows.append(_derived_row(user, organisation, indicator, targets[indicator.pk], baseline))
            continue
        current = _point(indicator, latest.date, latest.value, latest.text) if latest else None
        base = _point(indicator, *baseline) if baseline else None
        if base is None and first is not None:
            base = _point(indicator, first.date, first.value, first.text)
        assessment = assess(
            current=current,
            base=base,
            targets=[
                p for t in targets[indicator.pk] if (p := _point(indicator, t.date, t.value, t.text_value))
            ],
            higher_is_better=indicator.direction == "higher",
            qualitative=indicator.kind == Kind.QUALITATIVE_SCALE,
            text_only=indicator.kind == Kind.QUALITATIVE_TEXT,
        )
        rows.append(
            DashboardRow(
                indicator=indicator,
                assessment=assessment,
                latest_value=(latest.text or latest.value) if latest else None,
                latest_period=latest.period if latest else "",
                unapproved=bool(latest and latest.review_state != ReviewState.APPROVED),
                targets=targets[indicator.pk],
            )
        )
    return rows


def indicator_series(
    *, user: Any, indicator: Indicator, breakdown: str = ""
) -> list[tuple[dt.date, str, Decimal]]:
    """(period end, period, value) in time order for one breakdown of an observed indicator, or the
    yearly values of a computed or formula indicator."""
    if indicator.computed:
        organisation = indicator.owner
        series = (
            computations.compute(indicator.computed, user=user, organisation=organisation)
            if organisation
            else {}
        )
        return [
            (dt.date(year, 12, 31), str(year), value)
            for year, value in sorted((y, v) for y, v in series.items() if y is not None)
        ]
    if indicator.is_formula:
        return _formula_series(user, indicator)
    rows = observation_list(user=user, indicator=indicator, breakdown=breakdown).order_by("period_key")
    return [
        (o.period_end, o.period, number)
        for o in rows.only("period", "period_end", "value", "text_value")
        if (number := o.value) is not None
    ]


def _formula_series(user: Any, indicator: Indicator) -> list[tuple[dt.date, str, Decimal]]:
    """numerator / denominator × factor for every period both have a total value in."""
    numerator = {p: (d, v) for d, p, v in indicator_series(user=user, indicator=indicator.formula_numerator)}
    denominator = {p: v for _d, p, v in indicator_series(user=user, indicator=indicator.formula_denominator)}
    result = []
    for period, (date, value) in sorted(numerator.items(), key=lambda item: item[1][0]):
        divisor = denominator.get(period)
        if divisor:
            result.append(
                (date, period, (value / divisor * indicator.formula_factor).quantize(Decimal("0.000001")))
            )
    return result


def _derived_row(
    user: Any,
    organisation: Organisation,
    indicator: Indicator,
    targets: list[Target],
    baseline: tuple[dt.date, Decimal | None, str] | None,
) -> DashboardRow:
    """A computed or formula indicator: its series is computed now, and assessed like observed values."""
    series = indicator_series(user=user, indicator=indicator)
    latest_value: Any = None
    latest_period = ""
    current = base = None
    if indicator.computed:
        totals = computations.compute(indicator.computed, user=user, organisation=organisation)
        latest_value = totals.get(None)
        computation = computations.COMPUTATIONS.get(indicator.computed)
        if latest_value is not None:
            latest_period = str(timezone.localdate().year)
            current = Point(timezone.localdate(), float(latest_value))
            if series and computation is not None and not computation.cumulative:
                # Flows (agreements signed a year) are judged on the last full year, not the running total.
                current = Point(series[-1][0], float(series[-1][2]))
                latest_value, latest_period = series[-1][2], series[-1][1]
    elif series:
        latest_value, latest_period = series[-1][2], series[-1][1]
        current = Point(series[-1][0], float(series[-1][2]))
    if series and len(series) > 1:
        base = Point(series[0][0], float(series[0][2]))
    if baseline is not None and baseline[1] is not None:
        base = Point(baseline[0], float(baseline[1]))
    assessment = assess(
        current=current,
        base=base,
        targets=[Point(t.date, float(t.value)) for t in targets if t.value is not None],
        higher_is_better=indicator.direction == "higher",
    )
    return DashboardRow(
        indicator=indicator,
        assessment=assessment,
        latest_value=latest_value,
        latest_period=latest_period,
        targets=targets,
    )


def is_member(user: Any, organisation: Organisation) -> bool:
    return role_in(user, organisation.pk) is not None

"""The indicators part of the demo: the Montevideo demo office's dashboard, with every status shown.

All values are ILLUSTRATIVE (invented for the demonstration, not real statistics): each indicator is marked
`is_illustrative`, its source says so, and the dashboard shows the mark. Written through the services as
the demo owner, like the rest of the demo; idempotent (indicators found by code, values upserted by
period and disaggregation, so a second run changes nothing).

What the statuses come from (see citydiplo.indicators.status):
- on track: foreign investment projects (4 → 10 in four years, 12 needed by 2027);
- at risk: international visits received (20 → 38 in four years, 60 needed by 2026), and the strategy's
  institutionalisation on a qualitative scale (drafted → approved, funded needed by 2027);
- off track: tourism pressure (lower is better, and it went up);
- no data: the housing price index, declared but not measured yet.
Plus a computed indicator (agreements signed, from the demo registry) and a disaggregated one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from citydiplo.accounts.models import Organisation, User
from citydiplo.accounts.records import Visibility
from citydiplo.indicators import services
from citydiplo.indicators.models import Indicator, Observation, ReviewState, disaggregation_key

SOURCE = "Illustrative demo values, not real data"


def _indicator(office: Organisation, user: User, result: Any, code: str, **fields: Any) -> Indicator:
    existing = Indicator.objects.filter(owner=office, code=code).first()
    if existing is not None:
        result.note("indicator", created=False)
        return existing
    indicator = services.indicator_create(
        user=user,
        owner=office,
        code=code,
        is_illustrative=True,
        source=SOURCE,
        visibility=Visibility.PUBLIC,
        **fields,
    )
    result.note("indicator", created=True)
    return indicator


def _values(
    user: User, indicator: Indicator, values: list[tuple[str, Any, dict[str, str]]], result: Any
) -> None:
    for period, value, breakdown in values:
        text = value if isinstance(value, str) and not value.replace(".", "").isdigit() else ""
        stored = Observation.objects.filter(
            indicator=indicator, period=period, disaggregation_key=disaggregation_key(breakdown)
        ).first()
        if stored is not None and stored.review_state == ReviewState.APPROVED:
            result.note("observation", created=False)
            continue
        observation = services.observation_save(
            user=user,
            indicator=indicator,
            period=period,
            value=None if text else str(value),
            text_value=text,
            disaggregation=breakdown,
            source=SOURCE,
        )
        services.observation_review(user=user, observation=observation, action="approve")
        result.note("observation", created=True)


def _points(
    user: User, indicator: Indicator, baseline: tuple[Any, dt.date] | None, targets: list[tuple[Any, dt.date]]
) -> None:
    def split(value: Any) -> dict[str, Any]:
        return {"text_value": value} if isinstance(value, str) else {"value": value}

    if baseline is not None and not hasattr(indicator, "baseline"):
        services.baseline_set(user=user, indicator=indicator, date=baseline[1], **split(baseline[0]))
    for value, date in targets:
        if not indicator.targets.filter(date=date).exists():
            services.target_set(user=user, indicator=indicator, date=date, **split(value))


def demo_load(*, office: Organisation, user: User, result: Any) -> None:
    fdi = _indicator(
        office,
        user,
        result,
        "IA-01",
        name="Foreign investment projects attracted",
        definition="New foreign direct investment projects settled in the city with the office's support.",
        level="strategic",
        unit="projects",
        is_key=True,
        dimensions=["partner_country"],
        department="Economic development",
    )
    _points(user, fdi, (4, dt.date(2020, 12, 31)), [(12, dt.date(2027, 12, 31))])
    _values(
        user,
        fdi,
        [
            ("2021", 5, {}),
            ("2022", 7, {}),
            ("2023", 8, {}),
            ("2024", 10, {}),
            ("2024", 4, {"partner_country": "BR"}),
            ("2024", 3, {"partner_country": "ES"}),
            ("2024", 3, {"partner_country": "CN"}),
        ],
        result,
    )
    visits = _indicator(
        office,
        user,
        result,
        "IA-03",
        name="International visits received",
        definition="Official delegations and visits received by the city.",
        level="operational",
        unit="visits",
        is_key=True,
        dimensions=["region"],
    )
    _points(user, visits, (20, dt.date(2020, 12, 31)), [(60, dt.date(2026, 12, 31))])
    _values(
        user,
        visits,
        [
            ("2022", 25, {}),
            ("2023", 31, {}),
            ("2024", 38, {}),
            ("2024", 21, {"region": "Latin America"}),
            ("2024", 11, {"region": "Europe"}),
            ("2024", 6, {"region": "Asia"}),
        ],
        result,
    )
    maturity = _indicator(
        office,
        user,
        result,
        "IA-12",
        name="Institutionalisation of the international strategy",
        definition="How far the international strategy is adopted and resourced by the city government.",
        level="strategic",
        kind="qualitative_scale",
        scale=["none", "drafted", "approved", "funded", "evaluated"],
        aggregation="last",
    )
    _points(user, maturity, ("drafted", dt.date(2020, 12, 31)), [("funded", dt.date(2027, 12, 31))])
    _values(user, maturity, [("2022", "drafted", {}), ("2024", "approved", {})], result)
    tourism = _indicator(
        office,
        user,
        result,
        "EX-01",
        name="Tourism pressure",
        definition="Overnight stays of visitors per resident per year.",
        level="strategic",
        unit="stays per resident",
        direction="lower",
        aggregation="mean",
        is_key=True,
    )
    _points(user, tourism, (6, dt.date(2019, 12, 31)), [(4.5, dt.date(2028, 12, 31))])
    _values(user, tourism, [("2022", "6.4", {}), ("2023", "6.9", {}), ("2024", "7.1", {})], result)
    housing = _indicator(
        office,
        user,
        result,
        "EX-02",
        name="Housing price index",
        definition="Average rent per square metre, index 100 in 2024. Declared; first values expected in 2025.",
        level="strategic",
        unit="index",
        direction="lower",
        frequency="quarterly",
    )
    _points(user, housing, None, [(100, dt.date(2027, 12, 31))])
    trained = _indicator(
        office,
        user,
        result,
        "IA-13",
        name="Officials trained in international cooperation",
        definition="Municipal staff who completed a training in international cooperation, by sex.",
        level="operational",
        unit="people",
        dimensions=["sex"],
    )
    _points(user, trained, (30, dt.date(2021, 12, 31)), [(80, dt.date(2026, 12, 31))])
    _values(
        user,
        trained,
        [
            ("2023", 52, {}),
            ("2023", 30, {"sex": "female"}),
            ("2023", 22, {"sex": "male"}),
            ("2024", 64, {}),
            ("2024", 37, {"sex": "female"}),
            ("2024", 27, {"sex": "male"}),
        ],
        result,
    )
    _indicator(
        office,
        user,
        result,
        "IA-02",
        name="Agreements signed",
        definition="Agreements of the city signed each year (computed from the registry).",
        level="programmatic",
        unit="agreements",
        computed="agreements.signed",
    )
    _link_strategy(office, [fdi, visits, maturity, trained])


def _link_strategy(office: Organisation, indicators: list[Indicator]) -> None:
    """Link the demo indicators to the demo strategy's objectives and to SDG 17.17 (partnerships) when
    the strategy part of the demo and the SDG catalogue are there, so the dashboard's filters show."""
    from citydiplo.strategy.models import Objective, SdgTarget

    objectives = list(Objective.objects.filter(owner=office).order_by("pk")[:2])
    targets = list(SdgTarget.objects.filter(code__in=["17.17", "11.a"]))
    for index, indicator in enumerate(indicators):
        if objectives and not indicator.objectives.exists():
            indicator.objectives.add(objectives[index % len(objectives)])
        if targets and not indicator.sdg_targets.exists():
            indicator.sdg_targets.add(*targets)

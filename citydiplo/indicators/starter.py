"""Starter indicator sets a new office adopts in one click (services.starter_set_adopt).

Drawn from what practitioners of city diplomacy report measuring: investments attracted, agreements,
international visits, projects accelerated and time saved, financing mobilised, policies transferred,
participation in networks, media reach; and the negative externalities an international city must watch
(tourism pressure, housing prices, port and airport emissions). Names and definitions are translated
(es, en, pt, fr); the adopting office can edit every field afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class StarterIndicator:
    code: str
    name: str | Promise
    definition: str | Promise
    level: str
    kind: str = "quantitative"
    unit: str = ""
    direction: str = "higher"
    aggregation: str = "sum"
    frequency: str = "annual"
    is_key: bool = False
    dimensions: tuple[str, ...] = ()
    computed: str = ""
    scale: tuple[str, ...] = ()


@dataclass(frozen=True)
class StarterSet:
    key: str
    name: str | Promise
    description: str | Promise
    indicators: tuple[StarterIndicator, ...] = field(default_factory=tuple)


INTERNATIONAL_ACTION = StarterSet(
    key="international-action",
    name=_("International action of the city"),
    description=_(
        "Results of the international relations office: investment, agreements, visits, projects, financing, "
        "policy transfer, networks and media."
    ),
    indicators=(
        StarterIndicator(
            "IA-01",
            _("Foreign investment projects attracted"),
            _("New foreign direct investment projects that settled in the city with the office's support."),
            "strategic",
            unit="projects",
            is_key=True,
            dimensions=("partner_country", "sector"),
        ),
        StarterIndicator(
            "IA-02",
            _("Agreements signed"),
            _("Twinning, cooperation and friendship agreements and memoranda signed (from the registry)."),
            "programmatic",
            unit="agreements",
            computed="agreements.signed",
            is_key=True,
        ),
        StarterIndicator(
            "IA-03",
            _("International visits received"),
            _("Official delegations and visits received by the city (from the registry's events)."),
            "operational",
            unit="visits",
            computed="visits.received",
        ),
        StarterIndicator(
            "IA-04",
            _("International missions made"),
            _("Official missions abroad by the city's authorities (from the registry's events)."),
            "operational",
            unit="missions",
            computed="visits.made",
        ),
        StarterIndicator(
            "IA-05",
            _("Projects accelerated by international cooperation"),
            _("Municipal projects whose execution was advanced thanks to international partners or funds."),
            "programmatic",
            unit="projects",
            dimensions=("department",),
        ),
        StarterIndicator(
            "IA-06",
            _("Time saved in accelerated projects"),
            _("Months gained against the planned schedule in the projects accelerated."),
            "programmatic",
            unit="months",
            dimensions=("department",),
        ),
        StarterIndicator(
            "IA-07",
            _("International financing mobilised"),
            _(
                "Incoming funds and commitments in the office's cooperation projects, in its working currency."
            ),
            "strategic",
            kind="currency",
            computed="financing.incoming",
            is_key=True,
        ),
        StarterIndicator(
            "IA-08",
            _("Public policies transferred"),
            _("Policies or practices adopted from, or transferred to, partner cities."),
            "programmatic",
            unit="policies",
            dimensions=("partner_country", "theme"),
        ),
        StarterIndicator(
            "IA-09",
            _("Networks in which the city participates"),
            _("Current memberships of city networks (from the registry)."),
            "operational",
            unit="networks",
            computed="memberships.held",
        ),
        StarterIndicator(
            "IA-10",
            _("Media reach of international activity"),
            _(
                "People reached by press, social media and publications about the city's international action."
            ),
            "operational",
            unit="people",
            dimensions=("medium",),
        ),
        StarterIndicator(
            "IA-11",
            _("Active agreements"),
            _("Agreements of the city with an active status (from the registry)."),
            "programmatic",
            unit="agreements",
            computed="agreements.active",
            aggregation="last",
        ),
        StarterIndicator(
            "IA-12",
            _("Institutionalisation of the international strategy"),
            _("How far the international strategy is adopted and resourced by the city government."),
            "strategic",
            kind="qualitative_scale",
            scale=("none", "drafted", "approved", "funded", "evaluated"),
            aggregation="last",
        ),
    ),
)

EXTERNALITIES = StarterSet(
    key="externalities",
    name=_("Negative externalities of internationalisation"),
    description=_(
        "Pressures an international city must keep in check: tourism, housing, port and airport emissions."
    ),
    indicators=(
        StarterIndicator(
            "EX-01",
            _("Tourism pressure"),
            _("Overnight stays of visitors per resident per year."),
            "strategic",
            unit="stays per resident",
            direction="lower",
            aggregation="mean",
            is_key=True,
            dimensions=("district",),
        ),
        StarterIndicator(
            "EX-02",
            _("Housing price index"),
            _("Average rent per square metre, index 100 in the baseline year."),
            "strategic",
            unit="index",
            direction="lower",
            aggregation="mean",
            frequency="quarterly",
            dimensions=("district",),
        ),
        StarterIndicator(
            "EX-03",
            _("Port and airport emissions"),
            _("Greenhouse gas emissions of the port and the airport, in tonnes of CO2 equivalent."),
            "strategic",
            unit="t CO2e",
            direction="lower",
            dimensions=("source_type",),
        ),
    ),
)

STARTER_SETS: dict[str, StarterSet] = {s.key: s for s in (INTERNATIONAL_ACTION, EXTERNALITIES)}


def starter_fields(item: StarterIndicator, *, currency: str) -> dict[str, Any]:
    """The Indicator fields of a starter item, its texts in the language active now."""
    return {
        "code": item.code,
        "name": str(item.name),
        "definition": str(item.definition),
        "level": item.level,
        "kind": item.kind,
        "unit": item.unit,
        "currency": currency if item.kind == "currency" else "",
        "direction": item.direction,
        "aggregation": item.aggregation,
        "frequency": item.frequency,
        "is_key": item.is_key,
        "dimensions": list(item.dimensions),
        "computed": item.computed,
        "scale": list(item.scale),
    }

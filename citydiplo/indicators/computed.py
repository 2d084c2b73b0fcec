"""Indicators computed from what the registry holds, always current: computed when read, never stored.

Each computation reads the registry through its selectors with the reading user's visibility (so a
computed indicator never counts a record the reader may not see) and returns a value per year where the
records have dates, plus the current total. The organisation's own place (Organisation.place) says which
city "our" agreements, memberships and visits are about.

Extension point: `register(Computation(...))`. The network-membership outcomes of a later issue add
their computations here the same way, under keys starting with "network_outcomes."; nothing else in the
app needs to change (the catalogue form, the dashboard and the API list whatever is registered).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from citydiplo.accounts.models import Organisation
from citydiplo.registry import selectors as registry
from citydiplo.registry.models import AgreementStatus, EventKind, ProjectStatus, TransactionKind

# year -> value; the key None holds the current total (what the dashboard shows as "latest").
Series = dict[int | None, Decimal]


@dataclass(frozen=True)
class Computation:
    key: str
    label: str | Promise
    unit: str | Promise
    compute: Callable[[Any, Organisation], Series]
    # How yearly values add up to the current total: counts of things still active are not the sum of the
    # years (an agreement signed in 2019 is still active in 2024), flows are.
    cumulative: bool = False


COMPUTATIONS: dict[str, Computation] = {}


def register(computation: Computation) -> Computation:
    COMPUTATIONS[computation.key] = computation
    return computation


def computation_choices() -> list[tuple[str, Any]]:
    return [(key, c.label) for key, c in sorted(COMPUTATIONS.items())]


def compute(key: str, *, user: Any, organisation: Organisation) -> Series:
    """The series of one computed indicator for `organisation` as `user` may see it; {} if unknown."""
    computation = COMPUTATIONS.get(key)
    if computation is None:
        return {}
    return computation.compute(user, organisation)


def _year(value: Any) -> int | None:
    if isinstance(value, dt.date):
        return value.year
    text = str(value or "")
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def _count_by_year(years: list[int | None], *, total: int) -> Series:
    series: Series = {year: Decimal(n) for year, n in Counter(y for y in years if y is not None).items()}
    series[None] = Decimal(total)
    return series


def _our_place(organisation: Organisation) -> Any:
    return organisation.place


# --- the computations ------------------------------------------------------------------------------


def _active_agreements(user: Any, organisation: Organisation) -> Series:
    place = _our_place(organisation)
    if place is None:
        return {}
    agreements = list(registry.agreement_list(user=user, actor=place, status=AgreementStatus.ACTIVE))
    return _count_by_year([_year(a.signed) for a in agreements], total=len(agreements))


def _agreements_signed(user: Any, organisation: Organisation) -> Series:
    place = _our_place(organisation)
    if place is None:
        return {}
    agreements = list(registry.agreement_list(user=user, actor=place))
    return _count_by_year([_year(a.signed) for a in agreements], total=len(agreements))


def _memberships_held(user: Any, organisation: Organisation) -> Series:
    place = _our_place(organisation)
    if place is None:
        return {}
    memberships = list(registry.membership_list(user=user, member=place, current=True))
    return _count_by_year([_year(m.since) for m in memberships], total=len(memberships))


def _projects(status: str) -> Callable[[Any, Organisation], Series]:
    def count(user: Any, organisation: Organisation) -> Series:
        # The reader's view of the registry, narrowed to the organisation's own records in the database.
        projects = list(registry.project_list(user=user, status=status).filter(owner=organisation))
        return _count_by_year([_year(p.start) for p in projects], total=len(projects))

    return count


def _events(*kinds: str, hosted: bool = False) -> Callable[[Any, Organisation], Series]:
    def count(user: Any, organisation: Organisation) -> Series:
        events = list(registry.event_list(user=user).filter(owner=organisation, kind__in=kinds))
        if hosted:
            place = _our_place(organisation)
            events = [e for e in events if place is not None and e.place_id == place.pk]
        return _count_by_year([e.start_date.year for e in events], total=len(events))

    return count


def _financing(user: Any, organisation: Organisation) -> Series:
    """Incoming funds and commitments in the organisation's projects, in its working currency only: amounts
    in other currencies are not converted (no exchange rate is assumed); see `financing_by_currency`."""
    totals = financing_by_currency(user=user, organisation=organisation)
    return totals.get(organisation.currency, {})


def financing_by_currency(*, user: Any, organisation: Organisation) -> dict[str, Series]:
    """{currency: {year: amount, None: total}} of incoming funds and commitments in the organisation's
    projects that `user` may see."""
    result: dict[str, Series] = defaultdict(dict)
    incoming = (TransactionKind.INCOMING_FUNDS, TransactionKind.INCOMING_COMMITMENT)
    for project in (
        registry.project_list(user=user).filter(owner=organisation).prefetch_related("transactions")
    ):
        for transaction in project.transactions.all():
            if transaction.kind not in incoming:
                continue
            series = result[transaction.currency or organisation.currency]
            year = transaction.date.year
            series[year] = series.get(year, Decimal(0)) + transaction.amount
            series[None] = series.get(None, Decimal(0)) + transaction.amount
    return dict(result)


def _partner_countries(user: Any, organisation: Organisation) -> Series:
    place = _our_place(organisation)
    if place is None:
        return {}
    countries = {
        link.actor.country
        for agreement in registry.agreement_list(user=user, actor=place).prefetch_related(
            "party_links__actor"
        )
        for link in agreement.party_links.all()
        if link.actor_id != place.pk and link.actor.country
    }
    return {None: Decimal(len(countries))}


register(
    Computation(
        "agreements.active", _("Active agreements of our city"), _("agreements"), _active_agreements, True
    )
)
register(
    Computation("agreements.signed", _("Agreements signed by our city"), _("agreements"), _agreements_signed)
)
register(
    Computation(
        "agreements.partner_countries",
        _("Countries of our agreement partners"),
        _("countries"),
        _partner_countries,
        True,
    )
)
register(
    Computation("memberships.held", _("Network memberships held"), _("networks"), _memberships_held, True)
)
for _status in ProjectStatus:
    register(
        Computation(
            f"projects.{_status.value}",
            format_lazy("{}: {}", _("Projects with status"), _status.label),
            _("projects"),
            _projects(_status.value),
        )
    )
register(
    Computation(
        "visits.received",
        _("International visits and delegations received"),
        _("visits"),
        _events(EventKind.INCOMING_DELEGATION, EventKind.VISIT, hosted=True),
    )
)
register(
    Computation(
        "visits.made", _("International missions made"), _("missions"), _events(EventKind.OUTGOING_DELEGATION)
    )
)
register(
    Computation(
        "events.hosted",
        _("Summits, conferences and workshops hosted"),
        _("events"),
        _events(EventKind.SUMMIT, EventKind.CONFERENCE, EventKind.WORKSHOP, hosted=True),
    )
)
register(
    Computation(
        "financing.incoming", _("Financing mobilised in projects (working currency)"), _("amount"), _financing
    )
)

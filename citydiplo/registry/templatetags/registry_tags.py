"""Display helpers for registry pages: visibility badges, partial dates, role periods, country names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from citydiplo.accounts.records import Visibility
from citydiplo.lib.money import money_format
from citydiplo.lib.partial_dates import PRECISION_DAY, PRECISION_MONTH, PartialDate

register = template.Library()


def _locale() -> Locale:
    try:
        return Locale.parse((get_language() or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


@register.filter
def country_name(code: str) -> str:
    """The country's name in the active language (CLDR via babel); the bare code if CLDR has none."""
    if not code:
        return ""
    return _locale().territories.get(code.upper(), code.upper())


@register.filter
def partial_date(value: str) -> str:
    """A partial date as precise as it is known: "1995", "May 2017", "3 May 2017"; never an invented day."""
    if not value:
        return ""
    try:
        date = PartialDate(value)
        earliest = date.earliest()
        precision = date.precision
    except (KeyError, ValueError):
        return value  # a malformed stored value is shown as it is rather than hidden
    assert earliest is not None
    if precision == PRECISION_DAY:
        return format_date(earliest, "medium", locale=_locale())
    if precision == PRECISION_MONTH:
        return format_skeleton("yMMM", earliest, locale=_locale())
    return value


@register.filter
def period(since: str, until: str = "") -> str:
    """A period of partial dates as written in the sources: "2017–2020", "1995–" (ongoing), "?–2020"."""
    if not since and not until:
        return ""
    return f"{since or '?'}–{until}"


@register.filter
def role_periods(periods: Any, which: str = "") -> str:
    """A membership's roles: "Board 2017–2020, Co-president 2020–2023".

    `which` is "current" (roles without an end), "past" (ended roles) or empty (all).
    """
    items = list(periods)
    if which == "current":
        items = [p for p in items if not p.until]
    elif which == "past":
        items = [p for p in items if p.until]
    return ", ".join(" ".join(filter(None, [p.get_role_display(), period(p.since, p.until)])) for p in items)


@register.filter
def money(amount: Any, currency: str = "") -> str:
    return money_format(amount, currency, (get_language() or "en").split("-")[0])


@register.filter
def day(value: dt.date | None) -> str:
    """A full date (events) in the active language."""
    return format_date(value, "medium", locale=_locale()) if value else ""


@register.inclusion_tag("registry/_badges.html")
def record_badges(record: Any) -> dict[str, Any]:
    """Who can see this record, and whether its owner is a demo organisation.

    Reads `record.owner`: pass records whose owner was fetched with select_related.
    """
    if record.owner_id is None:
        kind, label = "reference", _("Reference")
        illustrative = False
    else:
        kind = record.visibility
        label = {
            Visibility.PRIVATE: _("Private"),
            Visibility.SHARED: _("Shared"),
            Visibility.PUBLIC: _("Public"),
        }.get(record.visibility, record.visibility)
        illustrative = bool(record.owner.is_illustrative)
    return {"badge_kind": kind, "badge_label": label, "illustrative": illustrative}

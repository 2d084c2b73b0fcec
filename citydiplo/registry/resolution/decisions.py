"""What the resolution engine answers: decisions, candidates, reasons, and the inputs it reads.

Kept apart from :mod:`.engine` (the rules) so that the models, the review queue and the CLI can use the
types without loading the rules, and so that each module stays readable.

Reasons are codes with parameters; their English text lives in :data:`REASON_TEXTS`, marked for
translation, so the UI shows them in the reader's language (see ``views.reason_text``) while the CLI and
the JSON stored with a review keep the code and the English text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

from citydiplo.registry.places.normalise import name_key


def gettext_noop(message: str) -> str:
    """Marks a message for translation catalogues (makemessages knows the name) without needing
    Django settings: the engine runs in the benchmark and in plain scripts too."""
    return message


__all__ = [
    "AMBIGUOUS",
    "REASON_TEXTS",
    "RESOLVED",
    "UNRESOLVED",
    "AliasTarget",
    "Candidate",
    "Decision",
    "PlaceQuery",
    "Reason",
    "RegistryActor",
    "RegistryBook",
]

RESOLVED: Final = "resolved"
AMBIGUOUS: Final = "ambiguous"
UNRESOLVED: Final = "unresolved"

# Reason codes and their English text (translated by the UI with the same msgid).
REASON_TEXTS: Final[dict[str, str]] = {
    "alias_organisation": gettext_noop("remembered by your organisation for this spelling"),
    "alias_platform": gettext_noop("remembered platform-wide for this spelling"),
    "alias_set_aside": gettext_noop("an alias exists but lies %(km)s km from the given coordinates"),
    "alias_set_aside_admin1": gettext_noop(
        "an alias exists but its place is not in the admin area given (%(admin1)s)"
    ),
    "registry": gettext_noop("in the registry as %(name)s"),
    "name": gettext_noop("same name"),
    "alternate": gettext_noop("an alternate name of %(name)s"),
    "qualifier": gettext_noop("name without %(dropped)r"),
    "fuzzy": gettext_noop("similar spelling (%(similarity)s%%)"),
    "nearest": gettext_noop("nearest place to the coordinates, name differs"),
    "admin1_match": gettext_noop("in the admin area given (%(admin1)s)"),
    "admin1_mismatch": gettext_noop("not in the admin area given (%(admin1)s)"),
    "admin1_unknown": gettext_noop("admin area %(admin1)r not recognised: ignored"),
    "admin1_conflict": gettext_noop("the admin area given (%(admin1)s) matches no candidate"),
    "near": gettext_noop("%(km)s km from the given coordinates"),
    "coordinates_conflict": gettext_noop(
        "every candidate lies more than %(km)s km from the given coordinates"
    ),
    "chosen_by_coordinates": gettext_noop("chosen by the coordinates (%(km)s km)"),
    "chosen_by_admin1": gettext_noop("chosen by the admin area (%(admin1)s)"),
    "unique": gettext_noop("the only place with this name in %(country)s"),
    "unique_world": gettext_noop("the only place with this name"),
    "same_place": gettext_noop("also listed as %(names)s nearby: taken as one place"),
    "alternate_dropped": gettext_noop("places named so only in another language or formerly were set aside"),
    "alternate_conflict": gettext_noop(
        "a much larger place has this as an alternate name (a former or foreign name): a person must choose"
    ),
    "region_name": gettext_noop("also the name of a region of %(country)s"),
    "dominance": gettext_noop("chosen by population: %(population)s vs %(next)s for the next (%(ratio)s×)"),
    "capital": gettext_noop("chosen by population: the national capital, %(ratio)s× the next"),
    "homonyms": gettext_noop("%(count)s places with this name of similar size: a person must choose"),
    "fuzzy_needs_evidence": gettext_noop("spelling differs: a person must confirm"),
    "country_unknown": gettext_noop("country %(country)r not understood: searched everywhere"),
    "country_missing": gettext_noop("no country given: searched everywhere"),
    "successor": gettext_noop("%(country)r: found in its successor state %(code)s"),
    "territory": gettext_noop("not in %(given)s but in %(code)s, a territory associated with it"),
    "neighbour": gettext_noop("not in %(given)s but in neighbouring %(code)s"),
    "other_country_by_coordinates": gettext_noop(
        "the country given is %(given)s but the name and coordinates match %(code)s"
    ),
    "elsewhere": gettext_noop("not in %(given)s; places with this name elsewhere"),
    "not_found": gettext_noop("no place with this name found"),
    "empty_name": gettext_noop("no name given"),
    "bad_coordinates": gettext_noop("coordinates out of range: ignored"),
}


class Reason(NamedTuple):
    """Why a candidate was scored or a decision taken: a stable code, its parameters, English text.

    NamedTuples (not frozen dataclasses) here and in :class:`Candidate`: a 100,000-row file builds a
    million of them, and a tuple is several times cheaper to build.
    """

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, reason_code: str, /, **params: Any) -> Reason:
        return cls(reason_code, tuple(params.items()))

    def __str__(self) -> str:
        template = REASON_TEXTS.get(self.code, self.code)
        try:
            return template % dict(self.params)
        except (KeyError, TypeError, ValueError):
            return template

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params), "text": str(self)}


@dataclass(frozen=True)
class PlaceQuery:
    """One row to resolve. ``country`` and ``admin1`` are free text; coordinates in degrees."""

    name: str
    country: str = ""
    admin1: str = ""
    lat: float | None = None
    lon: float | None = None


class Candidate(NamedTuple):
    """A place that may be the one meant: a gazetteer place and/or a registry actor."""

    name: str
    country_code: str
    admin1_code: str
    lat: float | None
    lon: float | None
    population: int
    geonames_id: int | None = None
    actor_id: int | None = None
    wikidata_id: str | None = None
    match: str = "name"  # alias | registry | name | alternate | qualifier | fuzzy | nearest
    score: float = 0.0
    distance_km: float | None = None
    reasons: tuple[Reason, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "geonames_id": self.geonames_id,
            "actor_id": self.actor_id,
            "wikidata_id": self.wikidata_id,
            "name": self.name,
            "country_code": self.country_code,
            "admin1_code": self.admin1_code,
            "lat": self.lat,
            "lon": self.lon,
            "population": self.population,
            "match": self.match,
            "score": round(self.score, 3),
            "distance_km": None if self.distance_km is None else round(self.distance_km, 1),
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class Decision:
    status: str
    confidence: float = 0.0
    chosen: Candidate | None = None
    candidates: tuple[Candidate, ...] = ()
    reasons: tuple[Reason, ...] = ()
    #: The country the row was read as (alpha-2), "" when none was understood.
    country_code: str = ""

    @property
    def is_resolved(self) -> bool:
        return self.status == RESOLVED

    @property
    def reason_text(self) -> str:
        return "; ".join(str(r) for r in self.reasons)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "confidence": round(self.confidence, 3),
            "chosen": self.chosen.as_dict() if self.chosen else None,
            "candidates": [c.as_dict() for c in self.candidates],
            "reasons": [r.as_dict() for r in self.reasons],
            "country_code": self.country_code,
        }


@dataclass(frozen=True)
class AliasTarget:
    """What an alias points at. ``scope`` is "organisation" or "platform"."""

    geonames_id: int | None
    actor_id: int | None
    scope: str
    text: str = ""


@dataclass(frozen=True)
class RegistryActor:
    actor_id: int
    name: str
    country: str
    admin1: str = ""
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    geonames_id: int | None = None
    wikidata_id: str | None = None


@dataclass
class RegistryBook:
    """Registry actors indexed for the engine: by (name key, country) and by GeoNames id."""

    by_key: dict[tuple[str, str], list[RegistryActor]] = field(default_factory=dict)
    by_geonames: dict[int, RegistryActor] = field(default_factory=dict)
    by_id: dict[int, RegistryActor] = field(default_factory=dict)

    def add(self, actor: RegistryActor, names: Iterable[str]) -> None:
        self.by_id[actor.actor_id] = actor
        if actor.geonames_id:
            self.by_geonames[actor.geonames_id] = actor
        for name in names:
            key = name_key(name) if name else ""
            if key:
                bucket = self.by_key.setdefault((key, actor.country), [])
                if actor not in bucket:
                    bucket.append(actor)

"""Turning a city written in a file ("Montevideo", "UY") into the right actor, for importers and the
reference loader alike.

This is the exact-and-alias matcher the registry imports need: it matches names (and their alternate
names in any language) exactly after normalisation, never fuzzily. The full resolution engine with
scores, review queue and organisation aliases builds on it (see docs/en/place-resolution.md).

Rules, in order:
1. an actor already in the registry with that name (in any language), alias or merged slug, in that
   country: used when exactly one;
2. GeoNames places (via the gazetteer) with that name or alternate name in that country:
   - coordinates given: the nearest candidate within 30 km;
   - one candidate: that one;
   - several: the largest only when it has at least ten times the population of the next (Frankfurt
     am Main over Frankfurt (Oder)); the choice is reported as "chosen by population", never silent;
   - otherwise ambiguous, with the candidates listed;
3. nothing found: unresolved. Callers decide: importers report the row, loaders keep the row as an
   actor without a GeoNames link (never dropped).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from citydiplo.accounts.records import Origin, Visibility
from citydiplo.registry.models import GOVERNMENT_KINDS, Actor, ActorKind
from citydiplo.registry.places.gazetteer import Gazetteer, GeoPlace, gazetteer, haversine_km
from citydiplo.registry.places.normalise import name_key

RESOLVED, AMBIGUOUS, UNRESOLVED = "resolved", "ambiguous", "unresolved"
NEAREST_MAX_KM = 30.0
DOMINANCE_RATIO = 10


@dataclass
class PlaceMatch:
    status: str
    actor: Actor | None = None
    place: GeoPlace | None = None
    candidates: list[GeoPlace] = field(default_factory=list)
    reason: str = ""

    @property
    def is_resolved(self) -> bool:
        return self.status == RESOLVED

    def describe_candidates(self, limit: int = 5) -> str:
        return "; ".join(
            f"{c.name} ({c.country_code}-{c.admin1_code}, pop. {c.population:,}, GeoNames {c.geonames_id})"
            for c in self.candidates[:limit]
        )


class PlaceMatcher:
    """Matches many rows against the registry and the gazetteer with no query per row.

    Existing actors are read once at construction; actors created through `actor_for` are added to the
    in-memory index so later rows of the same file find them.
    """

    def __init__(
        self,
        *,
        gaz: Gazetteer | None = None,
        kinds: tuple[str, ...] | None = None,
        organisation: Any = None,
        use_engine: bool = True,
    ) -> None:
        self.gaz = gaz or gazetteer()
        # The resolution engine (registry/resolution) decides every row the registry does not already
        # answer, with the organisation's remembered aliases; `use_engine=False` keeps the plain exact
        # rules below (used by the benchmark as the baseline).
        self.resolver = None
        if use_engine:
            from citydiplo.registry.resolution.selectors import resolver_for

            self.resolver = resolver_for(organisation=organisation, gaz=self.gaz)
        self.by_key: dict[tuple[str, str], list[Actor]] = defaultdict(list)
        self.by_geonames: dict[int, Actor] = {}
        self.taken_slugs: set[str] = set(Actor.objects.values_list("slug", flat=True))
        kinds = kinds or tuple(GOVERNMENT_KINDS) + (
            ActorKind.ASSOCIATION_OF_MUNICIPALITIES,
            ActorKind.NETWORK,
        )
        for actor in Actor.objects.filter(kind__in=kinds).filter(Q(owner__isnull=True)):
            self._remember(actor)

    def _remember(self, actor: Actor) -> None:
        names = {getattr(actor, f"name_{lang}", "") or "" for lang in ("en", "es", "pt", "fr")} | {actor.name}
        names |= set((actor.other_ids or {}).get("aliases", []))
        if actor.acronym:
            names.add(actor.acronym)
        for name in names:
            key = name_key(name)
            if key and actor not in self.by_key[(key, actor.country)]:
                self.by_key[(key, actor.country)].append(actor)
        if actor.geonames_id:
            self.by_geonames[actor.geonames_id] = actor

    def match(
        self, name: str, country: str, *, lat: float | None = None, lon: float | None = None, admin1: str = ""
    ) -> PlaceMatch:
        key = name_key(name)
        known = self.by_key.get((key, country), [])
        if len(known) == 1:
            return PlaceMatch(RESOLVED, actor=known[0], reason="registry")
        if self.resolver is not None:
            from citydiplo.registry.resolution.matching import decision_to_place_match

            decision = self.resolver.resolve(name, country, admin1=admin1, lat=lat, lon=lon)
            return decision_to_place_match(decision, gaz=self.gaz, actors_by_geonames=self.by_geonames)
        try:
            candidates = self.gaz.lookup(name, country) if country else []
        except ValueError:
            return PlaceMatch(UNRESOLVED, reason=f"unknown country {country!r}")
        if admin1:
            narrowed = [c for c in candidates if c.admin1_code.lower() == admin1.strip().lower()]
            candidates = narrowed or candidates
        if lat is not None and lon is not None and candidates:
            near = sorted(candidates, key=lambda c: haversine_km(lat, lon, c.lat, c.lon))
            if haversine_km(lat, lon, near[0].lat, near[0].lon) <= NEAREST_MAX_KM:
                return self._resolved(near[0], "nearest to the given coordinates")
        if len(candidates) == 1:
            return self._resolved(candidates[0], "gazetteer")
        if len(candidates) > 1:
            first, second = candidates[0], candidates[1]
            if first.population >= DOMINANCE_RATIO * max(second.population, 1):
                return self._resolved(first, "chosen by population", candidates)
            if len(known) > 1:
                return PlaceMatch(AMBIGUOUS, candidates=candidates, reason="several actors in the registry")
            return PlaceMatch(AMBIGUOUS, candidates=candidates, reason="several places with this name")
        if len(known) > 1:
            return PlaceMatch(AMBIGUOUS, reason="several actors in the registry with this name")
        return PlaceMatch(UNRESOLVED, reason="not in the registry nor in the gazetteer")

    def _resolved(self, place: GeoPlace, reason: str, candidates: list[GeoPlace] | None = None) -> PlaceMatch:
        return PlaceMatch(
            RESOLVED,
            actor=self.by_geonames.get(place.geonames_id),
            place=place,
            candidates=candidates or [],
            reason=reason,
        )

    def actor_for(
        self,
        match: PlaceMatch,
        *,
        name: str,
        country: str,
        kind: str = ActorKind.MUNICIPALITY,
        origin: str = Origin.REFERENCE_LOAD,
        source: str = "",
        extra: dict[str, Any] | None = None,
    ) -> Actor:
        """The actor for a match, creating a reference actor when the place is new to the registry.

        An unresolved match creates an actor with no GeoNames link and `verified=False`: the row is kept,
        and a curator can link or merge it later.
        """
        if match.actor is not None:
            return match.actor
        place = match.place
        if place is not None and place.geonames_id in self.by_geonames:
            return self.by_geonames[place.geonames_id]
        from citydiplo.registry.services import actor_slug

        fields: dict[str, Any] = {
            "kind": kind,
            "country": country,
            "origin": origin,
            "visibility": Visibility.PUBLIC,
            "source": source,
            "verified": place is not None and match.reason != "chosen by population",
        }
        if place is not None:
            fields.update(
                name=place.name,
                latitude=place.lat,
                longitude=place.lon,
                population=place.population or None,
                geonames_id=place.geonames_id,
                admin_area=place.admin1_code,
            )
        else:
            fields["name"] = name
        fields.update(extra or {})
        actor = Actor(**fields)
        actor.slug = actor_slug(actor.name, country, taken=self.taken_slugs)
        actor.save()
        # Remember the spelling used in the file too, so the next row written the same way matches.
        if name_key(name) != name_key(actor.name):
            aliases = sorted({*actor.other_ids.get("aliases", []), name})
            actor.other_ids = {**actor.other_ids, "aliases": aliases}
            Actor.objects.filter(pk=actor.pk).update(other_ids=actor.other_ids)
        self._remember(actor)
        return actor

"""The bridge for the registry importers: the engine's Decision as the PlaceMatch they already use.

``registry.place_matching.PlaceMatcher.match`` can delegate to the engine without its callers changing:

    from citydiplo.registry.resolution.matching import decision_to_place_match
    from citydiplo.registry.resolution.selectors import resolver_for

    class PlaceMatcher:
        def __init__(self, *, gaz=None, kinds=None, organisation=None):
            ...  # as today
            self.resolver = resolver_for(organisation=organisation, gaz=self.gaz)

        def match(self, name, country, *, lat=None, lon=None, admin1=""):
            decision = self.resolver.resolve(name, country, admin1=admin1, lat=lat, lon=lon)
            return decision_to_place_match(decision, gaz=self.gaz, actors_by_geonames=self.by_geonames)

Statuses are the same three words. ``PlaceMatch.reason`` is exactly "chosen by population" when the
population rule decided (``actor_for`` marks such actors unverified, as before), else the engine's
reason text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from citydiplo.registry.places.gazetteer import Gazetteer, GeoPlace
from citydiplo.registry.resolution.decisions import RESOLVED, Decision

if TYPE_CHECKING:
    from citydiplo.registry.place_matching import PlaceMatch

#: Reason codes of the population rule (engine rule D6).
POPULATION_RULES = frozenset({"dominance", "capital"})


def decided_by_population(decision: Decision) -> bool:
    return decision.is_resolved and bool(decision.reasons) and decision.reasons[-1].code in POPULATION_RULES


def decision_to_place_match(
    decision: Decision,
    *,
    gaz: Gazetteer,
    actors_by_geonames: Mapping[int, Any] | None = None,
    actors_by_id: Mapping[int, Any] | None = None,
) -> PlaceMatch:
    """The engine's decision as a place_matching.PlaceMatch (actor, place, candidates, reason).

    ``actors_by_geonames`` / ``actors_by_id`` give the Actor instances the matcher already holds; an
    actor chosen by id that neither holds is read from the database (rare: a registry actor without a
    GeoNames id, or an alias to one).
    """
    # Imported here: place_matching will import this module to delegate, so no import at load time.
    from citydiplo.registry.models import Actor
    from citydiplo.registry.place_matching import PlaceMatch

    actors_by_geonames = actors_by_geonames or {}
    actors_by_id = actors_by_id or {}

    def place_of(geonames_id: int | None) -> GeoPlace | None:
        return gaz.get(geonames_id) if geonames_id else None

    candidates = [p for p in (place_of(c.geonames_id) for c in decision.candidates) if p is not None]
    chosen = decision.chosen if decision.status == RESOLVED else None
    if chosen is None:
        return PlaceMatch(decision.status, candidates=candidates, reason=decision.reason_text)
    place = place_of(chosen.geonames_id)
    actor = None
    if chosen.geonames_id:
        actor = actors_by_geonames.get(chosen.geonames_id)
    if actor is None and chosen.actor_id:
        actor = actors_by_id.get(chosen.actor_id) or Actor.objects.filter(pk=chosen.actor_id).first()
    reason = "chosen by population" if decided_by_population(decision) else decision.reason_text
    return PlaceMatch(RESOLVED, actor=actor, place=place, candidates=candidates[1:], reason=reason)

"""Reads for place resolution: a resolver loaded with an organisation's aliases and the registry, and the
review queue as an organisation's members may see it.

Visibility: an organisation's reviews and aliases are read by its members only (any role); platform
aliases apply to everyone. Deciding a review is a write (services.place_review_decide).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from citydiplo.accounts.models import Organisation
from citydiplo.accounts.records import organisation_ids_of
from citydiplo.registry.models import GOVERNMENT_KINDS, Actor, ActorKind
from citydiplo.registry.places.gazetteer import Gazetteer
from citydiplo.registry.places.normalise import name_key
from citydiplo.registry.resolution.decisions import AliasTarget, RegistryActor, RegistryBook
from citydiplo.registry.resolution.engine import PlaceResolver
from citydiplo.registry.resolution.models import PlaceAlias, PlaceReview

#: Actors the resolver knows as places: governments and the bodies that stand for places.
PLACE_KINDS = (*GOVERNMENT_KINDS, ActorKind.ASSOCIATION_OF_MUNICIPALITIES)


def place_aliases_of(*, organisation: Organisation | None) -> dict[tuple[str, str], AliasTarget]:
    """An organisation's aliases (``organisation`` None: the platform-wide ones), keyed for the engine."""
    aliases = PlaceAlias.objects.filter(organisation=organisation).values_list(
        "key", "country", "geonames_id", "actor_id", "text"
    )
    scope = "platform" if organisation is None else "organisation"
    return {
        (key, country): AliasTarget(geonames_id, actor_id, scope, text)
        for key, country, geonames_id, actor_id, text in aliases
    }


def registry_book(*, organisation: Organisation | None = None) -> RegistryBook:
    """Reference place actors, plus the organisation's own, indexed by name key and GeoNames id.

    One query with only the columns needed: the registry holds tens of thousands of actors.
    """
    visible = Q(owner__isnull=True)
    if organisation is not None:
        visible |= Q(owner=organisation)
    book = RegistryBook()
    fields = (
        "pk",
        "name",
        "name_en",
        "name_es",
        "name_pt",
        "name_fr",
        "acronym",
        "country",
        "admin_area",
        "latitude",
        "longitude",
        "population",
        "geonames_id",
        "wikidata_id",
        "other_ids",
    )
    for row in Actor.objects.filter(visible, kind__in=PLACE_KINDS).values(*fields).iterator(chunk_size=5000):
        actor = RegistryActor(
            actor_id=row["pk"],
            name=row["name"],
            country=row["country"] or "",
            admin1=row["admin_area"] or "",
            lat=row["latitude"],
            lon=row["longitude"],
            population=row["population"] or 0,
            geonames_id=row["geonames_id"],
            wikidata_id=row["wikidata_id"],
        )
        other_ids: dict[str, Any] = row["other_ids"] or {}
        names = [row[f] for f in ("name", "name_en", "name_es", "name_pt", "name_fr", "acronym") if row[f]]
        names.extend(str(a) for a in other_ids.get("aliases", []) if a)
        book.add(actor, names)
    return book


def resolver_for(
    *, organisation: Organisation | None = None, gaz: Gazetteer | None = None, registry: bool = True
) -> PlaceResolver:
    """A resolver with the organisation's aliases, the platform's aliases and (``registry``) the registry.

    Build one per import or command run: the aliases and actors are read once, not per row.
    """
    return PlaceResolver(
        gaz=gaz,
        org_aliases=place_aliases_of(organisation=organisation) if organisation is not None else None,
        platform_aliases=place_aliases_of(organisation=None),
        registry=registry_book(organisation=organisation) if registry else None,
    )


def _member(user: Any, organisation_id: int) -> bool:
    return organisation_id in organisation_ids_of(user)


def place_reviews_pending(*, user: Any, organisation: Organisation) -> QuerySet[PlaceReview]:
    """The organisation's pending reviews, oldest first; empty for anyone not a member of it."""
    reviews = PlaceReview.objects.filter(organisation=organisation, status=PlaceReview.Status.PENDING)
    if not _member(user, organisation.pk):
        return reviews.none()
    return reviews.order_by("created_at", "pk")


def place_reviews_decided(*, user: Any, organisation: Organisation, limit: int = 20) -> list[PlaceReview]:
    """The organisation's latest decisions, newest first (members only)."""
    if not _member(user, organisation.pk):
        return []
    reviews = PlaceReview.objects.filter(organisation=organisation).exclude(status=PlaceReview.Status.PENDING)
    return list(reviews.select_related("alias", "decided_by").order_by("-decided_at", "-pk")[:limit])


def place_review_get(*, user: Any, pk: int) -> PlaceReview:
    """A review the user may see (a member of its organisation); DoesNotExist otherwise."""
    return PlaceReview.objects.select_related("alias", "organisation").get(
        pk=pk, organisation_id__in=organisation_ids_of(user)
    )


def place_alias_lookup(*, organisation: Organisation | None, text: str, country: str) -> PlaceAlias | None:
    """The alias the engine would use for this text and country code (the organisation's first)."""
    key = name_key(text)
    found = PlaceAlias.objects.filter(key=key, country=country or "")
    if organisation is not None:
        own = found.filter(organisation=organisation).first()
        if own is not None:
            return own
    return found.filter(organisation__isnull=True).first()

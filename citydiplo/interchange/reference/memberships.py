"""Step `memberships`: memberships.csv as reference memberships, each with one role period.

Members are matched to existing actors first, so a city already brought by the Wikidata file (with its
GeoNames link) gets the membership, not a second actor:

- Towns go through the PlaceMatcher: a registry actor of that name in that country, else a GeoNames place
  (the actor holding it, or a new one). US rows written "Carmel, Indiana" use the state to pick the place.
  A row matching no place, or several, is kept as an actor without a GeoNames link (unverified) and
  reported; so is the row with no country (Río Grande). A name that is no town but a first-level
  subdivision of its country ("Victoria", AU) is that region.
- Other members (metropolitan bodies, regions and states, associations: see `rules.actor_kind_for`) are
  never linked to a GeoNames populated place: "Lyon Metropolis" is not the city of Lyon. They match a
  registry actor of the same kind and name, or are created, and are reported.

A row whose membership exists (same reference_key "network/city/country") is compared field by field;
a membership a curator edited (origin manual) is left alone.
"""

from __future__ import annotations

from typing import Any

from citydiplo.accounts.records import Origin, Visibility
from citydiplo.interchange.errors import ImportFailed, RowError
from citydiplo.interchange.reference.book import (
    BATCH_SIZE,
    ActorBook,
    bulk_update,
    changes_apply,
    mark_changed,
)
from citydiplo.interchange.reference.context import LoadContext
from citydiplo.interchange.reference.rules import (
    NETWORK_AS_OF,
    KindDecision,
    actor_kind_for,
    is_first_level_subdivision,
    split_acronym,
    split_us_state,
)
from citydiplo.interchange.reference.sources import MembershipRow
from citydiplo.registry.models import Actor, ActorKind, Membership, RolePeriod
from citydiplo.registry.place_matching import AMBIGUOUS, RESOLVED, PlaceMatch, PlaceMatcher
from citydiplo.registry.places.normalise import name_key

CHOSEN_BY_POPULATION = "chosen by population"


class MemberResolver:
    """Finds or creates the actor for a member named in a row (see the module docstring)."""

    def __init__(self, ctx: LoadContext, book: ActorBook) -> None:
        self.ctx, self.book = ctx, book
        self.matcher = PlaceMatcher(gaz=ctx.gazetteer)
        # Actors this step creates without a GeoNames link, by (kind, name key, country): a second row
        # naming the same body or unresolved town reuses it.
        self.unlinked: dict[tuple[str, str, str], Actor] = {}

    def actor_for(self, row: MembershipRow) -> Actor:
        kind = actor_kind_for(row.city, row.country)
        if not kind.is_place:
            return self._body(row, kind)
        name, admin1 = split_us_state(row.city, row.country)
        if not row.country:
            self._notice("no_country", row, "no country: not matched to any place")
            return self._unlinked(row, name, KindDecision(ActorKind.MUNICIPALITY, ""))
        match = self._match(name, row.country, admin1)
        if match.status == RESOLVED and match.place is not None:
            held = match.actor or self.book.by_geonames.get(match.place.geonames_id)
            if match.reason == CHOSEN_BY_POPULATION:
                self._notice(
                    "chosen_by_population", row, f"{match.place.name}; others: {match.describe_candidates()}"
                )
            if held is not None:
                return self.book.by_pk.get(held.pk, held) if held.pk else held
            return self._from_place(row, match)
        if match.status == RESOLVED and match.actor is not None:
            return self.book.by_pk.get(match.actor.pk, match.actor)
        if match.status == AMBIGUOUS:
            self._notice("ambiguous", row, match.describe_candidates() or match.reason)
            return self._unlinked(row, name, KindDecision(ActorKind.MUNICIPALITY, ""), admin1)
        if is_first_level_subdivision(name, row.country):
            return self._body(
                row, KindDecision(ActorKind.REGION, "name of a first-level subdivision, no town of that name")
            )
        self._notice("unresolved", row, match.reason)
        return self._unlinked(row, name, KindDecision(ActorKind.MUNICIPALITY, ""), admin1)

    def _match(self, name: str, country: str, admin1: str) -> PlaceMatch:
        """PlaceMatcher's answer; with a US state, the state's place wins over a same-named registry actor
        elsewhere (the matcher checks the registry by name and country only)."""
        if admin1:
            places = [p for p in self.ctx.gazetteer.lookup(name, country) if p.admin1_code == admin1]
            if len(places) == 1:
                return PlaceMatch(
                    RESOLVED,
                    actor=self.matcher.by_geonames.get(places[0].geonames_id),
                    place=places[0],
                    reason="gazetteer, state",
                )
        return self.matcher.match(name, country, admin1=admin1)

    def _from_place(self, row: MembershipRow, match: PlaceMatch) -> Actor:
        place = match.place
        assert place is not None
        other_ids = {"aliases": [row.city]} if name_key(row.city) != name_key(place.name) else {}
        return self.book.create(
            name=place.name,
            kind=ActorKind.MUNICIPALITY,
            country=row.country,
            admin_area=place.admin1_code,
            latitude=place.lat,
            longitude=place.lon,
            population=place.population or None,
            geonames_id=place.geonames_id,
            verified=match.reason != CHOSEN_BY_POPULATION,
            source=row.source,
            reference_key=f"geonames:{place.geonames_id}",
            other_ids=other_ids,
        )

    def _body(self, row: MembershipRow, kind: KindDecision) -> Actor:
        name, acronym = split_acronym(row.city)
        self._notice("body", row, f"{kind.kind}: {kind.rule}")
        for key in {name_key(row.city), name_key(name)}:
            same = [a for a in self.matcher.by_key.get((key, row.country), []) if a.kind == kind.kind]
            if len(same) == 1:
                return self.book.by_pk.get(same[0].pk, same[0])
        return self._unlinked(row, name, kind, acronym=acronym)

    def _unlinked(
        self, row: MembershipRow, name: str, kind: KindDecision, admin1: str = "", acronym: str = ""
    ) -> Actor:
        key = (kind.kind, name_key(name), row.country)
        if key in self.unlinked:
            return self.unlinked[key]
        if kind.kind == ActorKind.MUNICIPALITY:
            known = self.matcher.by_key.get((name_key(name), row.country), [])
            unlinked_known = [a for a in known if a.geonames_id is None and a.kind == kind.kind]
            if len(unlinked_known) == 1:  # kept unlinked by an earlier load
                return self.book.by_pk.get(unlinked_known[0].pk, unlinked_known[0])
        actor = self.book.create(
            name=name,
            kind=kind.kind,
            acronym=acronym,
            country=row.country,
            admin_area=admin1,
            verified=False,
            source=row.source,
            reference_key=f"city-networks:{row.city}/{row.country}",
        )
        self.unlinked[key] = actor
        return actor

    def _notice(self, category: str, row: MembershipRow, detail: str) -> None:
        self.ctx.report.notice(
            category,
            file=self.ctx.sources.memberships_file,
            row=row.row,
            name=f"{row.city} ({row.country or '?'}), {row.network_key}",
            detail=detail,
        )


def _role_periods(row: MembershipRow) -> list[tuple[str, str, str]]:
    return [(row.role, row.since_year, "")]


def load_memberships(ctx: LoadContext) -> None:
    rows = ctx.sources.memberships or []
    report, file = ctx.report, ctx.sources.memberships_file
    book = ActorBook()
    resolver = MemberResolver(ctx, book)
    networks = {a.slug: a for a in book.by_slug.values() if a.kind == ActorKind.NETWORK}
    missing = [
        RowError(file, row.row, "network_key", f"no network {row.network_key!r} in the registry")
        for row in rows
        if row.network_key not in networks
    ]
    if missing:
        raise ImportFailed(missing)
    _network_name_notices(ctx)

    existing = {
        m.reference_key: m
        for m in Membership.objects.filter(owner__isnull=True)
        .exclude(reference_key="")
        .prefetch_related("role_periods")
    }
    pairs: set[tuple[Any, int]] = set(
        Membership.objects.filter(owner__isnull=True).values_list("member_id", "network_id")
    )

    new: list[tuple[MembershipRow, Actor, Actor]] = []
    changed: list[Membership] = []
    changed_fields: set[str] = set()
    replace_periods: dict[int, MembershipRow] = {}
    for done, row in enumerate(rows, start=1):
        ctx.tick("Memberships", done, len(rows))
        network = networks[row.network_key]
        values = {
            "since": row.since_year,
            "source": row.source,
            "as_of": NETWORK_AS_OF.get(row.network_key, ""),
        }
        membership = existing.get(row.reference_key)
        if membership is not None:
            if membership.origin == Origin.MANUAL:
                report.count("memberships", "left_alone")
                continue
            fields = changes_apply(membership, values)
            current = [(p.role, p.since, p.until) for p in membership.role_periods.all()]
            if current != _role_periods(row):
                replace_periods[membership.pk] = row
            if fields or membership.pk in replace_periods:
                mark_changed(membership)
                changed.append(membership)
                changed_fields.update(fields)
                report.count("memberships", "changed")
            else:
                report.count("memberships", "unchanged")
            continue
        member = resolver.actor_for(row)
        pair = (member.pk if member.pk else ("new", id(member)), network.pk)
        if pair in pairs:
            report.notice(
                "duplicate_row",
                file=file,
                row=row.row,
                name=f"{row.city} ({row.country}), {row.network_key}",
                detail=f"{member.name} is already a member of {network.name}: row left alone",
            )
            report.count("memberships", "left_alone")
            continue
        pairs.add(pair)
        new.append((row, member, network))

    report.count("actors", "added", len(book.flush()))
    memberships = [
        Membership(
            member=member,
            network=network,
            since=row.since_year,
            source=row.source,
            as_of=NETWORK_AS_OF.get(row.network_key, ""),
            reference_key=row.reference_key,
            owner=None,
            origin=Origin.REFERENCE_LOAD,
            visibility=Visibility.PUBLIC,
        )
        for row, member, network in new
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    report.count("memberships", "added", len(memberships))
    bulk_update(Membership, changed, changed_fields)
    RolePeriod.objects.filter(membership_id__in=list(replace_periods)).delete()
    periods = [
        RolePeriod(membership=membership, role=role, since=since, until=until)
        for membership, (row, _, _) in zip(memberships, new, strict=True)
        for role, since, until in _role_periods(row)
    ]
    periods += [
        RolePeriod(membership_id=pk, role=role, since=since, until=until)
        for pk, row in replace_periods.items()
        for role, since, until in _role_periods(row)
    ]
    RolePeriod.objects.bulk_create(periods, batch_size=BATCH_SIZE)


def _network_name_notices(ctx: LoadContext) -> None:
    """memberships.csv repeats each network's name; a name differing from networks.csv is reported."""
    names = {row.key: row.name for row in ctx.sources.networks or []}
    seen: set[str] = set()
    for row in ctx.sources.memberships or []:
        if row.network_key in seen or row.network_key not in names:
            continue
        seen.add(row.network_key)
        if row.network_name and row.network_name != names[row.network_key]:
            ctx.report.notice(
                "network_name",
                file=ctx.sources.memberships_file,
                row=row.row,
                name=row.network_key,
                detail=f"{row.network_name!r} here, {names[row.network_key]!r} in networks.csv",
            )

"""Import network memberships: one row per (network, city).

Columns (header names are case-insensitive; spaces and hyphens count as underscores):

- network (required; also network_key): the network's key, name, acronym or alias in the catalogue;
- network_name (optional): used to find the network when the key is unknown, and as the name of a
  network added with --create-missing;
- city (required), country (required; also country_iso2): the member, resolved to a place;
- role (optional, default "member"), since and until (optional partial dates; since also since_year);
- source (optional): where the fact comes from; defaults to the file name;
- admin1, lat, lon (optional): evidence that picks one of several places with the same name.

A membership already in the registry (same network, same member, same owner) is left as it is and
counted as unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from citydiplo.interchange.importers.base import BaseImporter, CityRef
from citydiplo.interchange.importers.networks import NetworkCatalogue, PendingNetwork
from citydiplo.interchange.importers.tables import Column, Row
from citydiplo.registry import services
from citydiplo.registry.models import Actor, ActorKind, Membership, Role
from citydiplo.registry.places.normalise import name_key

ROLES = tuple(Role.values)
ROLE_SYNONYMS = {"copresident": "co-president", "vicepresident": "vice-president", "members": "member"}


@dataclass
class PlannedMembership:
    number: int
    network: Actor | PendingNetwork
    city: CityRef
    role: str
    since: str
    until: str
    source: str


class MembershipImporter(BaseImporter):
    kind = "memberships"
    columns = (
        Column("network", required=True, aliases=("network_key",)),
        Column("network_name"),
        Column("city", required=True),
        Column("country", required=True, aliases=("country_iso2", "country_code")),
        Column("role"),
        Column("since", aliases=("since_year",)),
        Column("until", aliases=("until_year",)),
        Column("source"),
        Column("admin1", aliases=("admin1_code",)),
        Column("lat", aliases=("latitude",)),
        Column("lon", aliases=("longitude", "lng")),
    )

    def prepare(self) -> None:
        self.catalogue = NetworkCatalogue(organisation=self.ctx.organisation)
        existing = Membership.objects.all()
        existing = (
            existing.filter(owner=self.ctx.organisation)
            if self.ctx.organisation
            else existing.filter(owner__isnull=True)
        )
        self.existing = set(existing.values_list("network_id", "member_id"))
        self.plan: list[PlannedMembership] = []
        # First row of each membership, by the text written and by the resolved identity.
        self.seen_text: dict[tuple[str, str, str], int] = {}
        self.seen_identity: dict[tuple[object, object], int] = {}

    def planned(self) -> Sequence[PlannedMembership]:
        return self.plan

    def _network(self, row: Row) -> Actor | PendingNetwork | None:
        text, name = row["network"], row["network_name"]
        if not text and not name:
            self.error(row.number, "network", _("A value is required."))
            return None
        found = self.catalogue.find(text, name)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            self.error(
                row.number,
                "network",
                _("%(text)r names several networks: %(names)s. Use the network's key (%(slugs)s).")
                % {
                    "text": text or name,
                    "names": "; ".join(a.name for a in found),
                    "slugs": ", ".join(a.slug for a in found),
                },
            )
            return None
        key = name_key(text or name)
        if not self.ctx.create_missing:
            self.error(
                row.number,
                "network",
                _(
                    "Network %(text)r is not in the catalogue. Add it first, or import with --create-missing "
                    "(an operator option) to add it as a reference network."
                )
                % {"text": text or name},
            )
            return None
        pending = self.catalogue.pending.get(key)
        if pending is None:
            pending = PendingNetwork(key=key, text=text or name, name=name or text, first_row=row.number)
            self.catalogue.pending[key] = pending
            self.counts["networks"]["added"] += 1
        return pending

    def validate_row(self, row: Row) -> None:
        network = self._network(row)
        city = self.city(row, city="city", country="country", admin1="admin1", lat="lat", lon="lon")
        role = self.choice(row, "role", ROLES, default=Role.MEMBER, synonyms=ROLE_SYNONYMS)
        period = self.period(row, "since", "until")
        source = self.text(row, "source", max_length=500)

        if self._is_duplicate(row, network, city):
            return
        if network is None or city is None or role is None or period is None or source is None:
            return
        member = self.known_actor(city)
        if isinstance(network, Actor) and member is not None and (network.pk, member.pk) in self.existing:
            self.counts["memberships"]["unchanged"] += 1
            return
        self.counts["memberships"]["added"] += 1
        self.plan.append(
            PlannedMembership(
                number=row.number,
                network=network,
                city=city,
                role=role,
                since=period[0],
                until=period[1],
                source=source or self.ctx.file_name,
            )
        )

    def _is_duplicate(self, row: Row, network: Actor | PendingNetwork | None, city: CityRef | None) -> bool:
        """Report a row that repeats an earlier one, naming both. Compared by the text written (so a
        repeat is found even when the city does not resolve) and by what it resolves to ("Sevilla" and
        "Seville" in the same network are one membership)."""
        first = row.number
        network_text = row["network"] or row["network_name"]
        if network_text and row["city"] and row["country"]:
            text_key = (name_key(network_text), name_key(row["city"]), row["country"].strip().upper())
            first = self.seen_text.setdefault(text_key, row.number)
        if first == row.number and network is not None and city is not None:
            network_id = network.pk if isinstance(network, Actor) else ("new", network.key)
            first = self.seen_identity.setdefault((network_id, self.city_identity(city)), row.number)
        if first == row.number:
            return False
        self.error(
            row.number,
            "city",
            _(
                "Rows %(first)s and %(this)s are the same membership (network %(network)r, city %(city)r, "
                "country %(country)r): keep one row."
            )
            % {
                "first": first,
                "this": row.number,
                "network": network_text,
                "city": row["city"],
                "country": row["country"],
            },
        )
        return True

    def _network_actor(self, network: Actor | PendingNetwork) -> Actor:
        if isinstance(network, Actor):
            return network
        created = self.catalogue.by_key.get(network.key)
        if created:
            return created[0]
        user, origin = self.writer(reference=True)
        slug = network.slug if not Actor.objects.filter(slug=network.slug).exists() else ""
        actor = services.actor_create(
            user=user,
            name=network.name,
            kind=ActorKind.NETWORK,
            owner=None,
            origin=origin,
            slug=slug,
            source=self.ctx.file_name,
            other_ids={"aliases": sorted({network.text, network.name})},
        )
        self.remember_reference_load(actor, origin)
        self.catalogue.by_key[network.key] = [actor]
        return actor

    def write_item(self, item: PlannedMembership) -> None:
        network = self._network_actor(item.network)
        member = self.city_actor(item.city)
        user, origin = self.writer(reference=self.ctx.organisation is None)
        membership = services.membership_create(
            user=user,
            member=member,
            network=network,
            owner=self.ctx.organisation,
            origin=origin,
            visibility=self.ctx.visibility,
            since=item.since,
            until=item.until,
            source=item.source,
            roles=[services.RoleSpec(item.role, item.since, item.until)],
        )
        self.remember_reference_load(membership, origin)

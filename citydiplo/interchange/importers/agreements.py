"""Import agreements between two cities: twinnings, friendships, cooperation agreements, MoUs.

Columns (header names are case-insensitive; spaces and hyphens count as underscores):

- kind (required): twinning, friendship, cooperation or mou ("sister city" is read as twinning);
- city_a, country_a, city_b, country_b (required): the two parties, resolved to places;
- signed, ended (optional partial dates: 1995, 2017-05, 2017-05-03);
- title, status (optional; status defaults to "ended" when an end date is given, else "unknown"),
  source (optional; defaults to the file name);
- admin1_a, lat_a, lon_a, admin1_b, lat_b, lon_b (optional): evidence that picks one of several places
  with the same name.

An agreement already in the registry (same kind, same two parties, same owner) is left as it is and
counted as unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from citydiplo.interchange.importers.base import BaseImporter, CityRef
from citydiplo.interchange.importers.tables import Column, Row
from citydiplo.registry import services
from citydiplo.registry.models import AgreementKind, AgreementParty, AgreementStatus
from citydiplo.registry.places.normalise import name_key

KINDS = tuple(AgreementKind.values)
KIND_SYNONYMS = {
    "sister-city": "twinning",
    "sister-cities": "twinning",
    "twin-city": "twinning",
    "twinned": "twinning",
    "twin-town": "twinning",
    "memorandum-of-understanding": "mou",
    "co-operation": "cooperation",
}
STATUSES = tuple(AgreementStatus.values)


@dataclass
class PlannedAgreement:
    number: int
    kind: str
    city_a: CityRef
    city_b: CityRef
    signed: str
    ended: str
    status: str
    title: str
    source: str


class AgreementImporter(BaseImporter):
    kind = "agreements"
    columns = (
        Column("kind", required=True, aliases=("agreement_kind", "type")),
        Column("city_a", required=True, aliases=("city_1",)),
        Column("country_a", required=True, aliases=("country_1", "country_a_iso2")),
        Column("city_b", required=True, aliases=("city_2",)),
        Column("country_b", required=True, aliases=("country_2", "country_b_iso2")),
        Column("signed", aliases=("signed_year",)),
        Column("ended", aliases=("ended_year",)),
        Column("title"),
        Column("status"),
        Column("source"),
        Column("admin1_a"),
        Column("lat_a"),
        Column("lon_a"),
        Column("admin1_b"),
        Column("lat_b"),
        Column("lon_b"),
    )

    def prepare(self) -> None:
        links = AgreementParty.objects.all()
        links = (
            links.filter(agreement__owner=self.ctx.organisation)
            if self.ctx.organisation
            else links.filter(agreement__owner__isnull=True)
        )
        parties: dict[int, set[int]] = defaultdict(set)
        kinds: dict[int, str] = {}
        for agreement_id, actor_id, kind in links.values_list("agreement_id", "actor_id", "agreement__kind"):
            parties[agreement_id].add(actor_id)
            kinds[agreement_id] = kind
        self.existing = {(kinds[pk], frozenset(ids)) for pk, ids in parties.items() if len(ids) == 2}
        self.plan: list[PlannedAgreement] = []
        self.seen_text: dict[tuple[str, frozenset[tuple[str, str]]], int] = {}
        self.seen_identity: dict[tuple[str, frozenset[tuple[str, object]]], int] = {}

    def planned(self) -> Sequence[PlannedAgreement]:
        return self.plan

    def validate_row(self, row: Row) -> None:
        kind = self.choice(row, "kind", KINDS, default="", synonyms=KIND_SYNONYMS)
        if kind == "":
            self.error(
                row.number,
                "kind",
                _("A value is required; allowed: %(allowed)s.") % {"allowed": ", ".join(KINDS)},
            )
            kind = None
        city_a = self.city(
            row, city="city_a", country="country_a", admin1="admin1_a", lat="lat_a", lon="lon_a"
        )
        city_b = self.city(
            row, city="city_b", country="country_b", admin1="admin1_b", lat="lat_b", lon="lon_b"
        )
        period = self.period(row, "signed", "ended")
        status = self.choice(row, "status", STATUSES, default="")
        title = self.text(row, "title", max_length=300)
        source = self.text(row, "source", max_length=500)
        if (
            city_a is not None
            and city_b is not None
            and self.city_identity(city_a) == self.city_identity(city_b)
        ):
            self.error(
                row.number,
                "city_b",
                _("Both parties are the same place: an agreement needs two different parties."),
            )
            return
        if kind is not None and self._is_duplicate(row, kind, city_a, city_b):
            return
        if kind is None or city_a is None or city_b is None or period is None or status is None:
            return
        if title is None or source is None:
            return
        actor_a, actor_b = self.known_actor(city_a), self.known_actor(city_b)
        if (
            actor_a is not None
            and actor_b is not None
            and (kind, frozenset({actor_a.pk, actor_b.pk})) in self.existing
        ):
            self.counts["agreements"]["unchanged"] += 1
            return
        self.counts["agreements"]["added"] += 1
        signed, ended = period
        self.plan.append(
            PlannedAgreement(
                number=row.number,
                kind=kind,
                city_a=city_a,
                city_b=city_b,
                signed=signed,
                ended=ended,
                status=status or (AgreementStatus.ENDED if ended else AgreementStatus.UNKNOWN),
                title=title,
                source=source or self.ctx.file_name,
            )
        )

    def _is_duplicate(self, row: Row, kind: str, city_a: CityRef | None, city_b: CityRef | None) -> bool:
        """Report a row that repeats an earlier one (the same kind between the same two places, in either
        order), naming both rows."""
        first = row.number
        sides = [(row["city_a"], row["country_a"]), (row["city_b"], row["country_b"])]
        if all(city and country for city, country in sides):
            text_key = (kind, frozenset((name_key(city), country.strip().upper()) for city, country in sides))
            first = self.seen_text.setdefault(text_key, row.number)
        if first == row.number and city_a is not None and city_b is not None:
            identity_key = (kind, frozenset({self.city_identity(city_a), self.city_identity(city_b)}))
            first = self.seen_identity.setdefault(identity_key, row.number)
        if first == row.number:
            return False
        self.error(
            row.number,
            "city_b",
            _(
                "Rows %(first)s and %(this)s are the same %(kind)s agreement between %(a)r and %(b)r: keep one row."
            )
            % {"first": first, "this": row.number, "kind": kind, "a": row["city_a"], "b": row["city_b"]},
        )
        return True

    def write_item(self, item: PlannedAgreement) -> None:
        parties = [self.city_actor(item.city_a), self.city_actor(item.city_b)]
        user, origin = self.writer(reference=self.ctx.organisation is None)
        agreement = services.agreement_create(
            user=user,
            kind=item.kind,
            parties=parties,
            owner=self.ctx.organisation,
            origin=origin,
            visibility=self.ctx.visibility,
            title=item.title,
            signed=item.signed,
            ended=item.ended,
            status=item.status,
            source=item.source,
        )
        self.remember_reference_load(agreement, origin)

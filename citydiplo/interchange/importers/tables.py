"""Reading an import file (CSV or XLSX) into a header and rows, and naming its columns.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2. A CSV
file may start with a byte-order mark (Excel's "CSV UTF-8") and use a comma, a semicolon or a tab
(Excel in Spanish, French and Portuguese locales writes semicolons). XLSX files are read with
python-calamine, first sheet only; its cells come typed (numbers as floats, dates as dates), and
`cell_text` turns them back into the text a person sees.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from citydiplo.interchange.errors import ImportFailed, RowError

SUPPORTED_SUFFIXES = (".csv", ".xlsx")
_HEADER_SEPARATORS = re.compile(r"[\s\-./]+")


@dataclass(frozen=True)
class Column:
    """A column an importer reads: its canonical name and the other names accepted for it."""

    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Table:
    file_name: str
    header: list[str]
    # (spreadsheet row number, cells) for every non-empty data row.
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


@dataclass
class Row:
    """One data row seen through the importer's column names: `row["country"]` whatever the file called it."""

    number: int
    cells: list[Any]
    positions: dict[str, int]

    def raw(self, column: str) -> Any:
        index = self.positions.get(column)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def __getitem__(self, column: str) -> str:
        return cell_text(self.raw(column))

    def has(self, column: str) -> bool:
        return column in self.positions


def header_key(text: Any) -> str:
    """ "Country ISO2", "country-iso2" and "country_iso2" are the same column."""
    return _HEADER_SEPARATORS.sub("_", cell_text(text).lstrip("\ufeff").strip().lower()).strip("_")


def cell_text(value: Any) -> str:
    """The text a person sees in the cell: 1995.0 from a spreadsheet is "1995", a date is ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_table(source: Path | IO[bytes], *, file_name: str) -> Table:
    """Read a whole CSV or XLSX file; raise ImportFailed (row 1) when it cannot be read at all."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportFailed(
            [
                RowError(
                    file_name,
                    None,
                    "",
                    _("Only .csv and .xlsx files can be imported (this is %(suffix)s).")
                    % {"suffix": suffix or _("a file without extension")},
                )
            ]
        )
    data = source.read_bytes() if isinstance(source, Path) else source.read()
    with gc_paused():
        rows = _read_xlsx(data, file_name) if suffix == ".xlsx" else _read_csv(data, file_name)
    # The header is the first non-blank row; data rows keep their spreadsheet number past blank rows.
    header_index = next((i for i, cells in enumerate(rows) if any(cell_text(c) for c in cells)), None)
    if header_index is None:
        raise ImportFailed(
            [RowError(file_name, 1, "", _("The file is empty: the first row must name the columns."))]
        )
    table = Table(file_name=file_name, header=[header_key(h) for h in rows[header_index]])
    append = table.rows.append
    for number, cells in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if _has_content(cells):
            append((number, cells))
    return table


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large file's rows are built or checked.

    A million rows are a million lists plus their cells; the collector would walk all of them again and
    again as they are allocated (tripling the time to read or check a large file), and none of them can
    form a reference cycle.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _has_content(cells: list[Any]) -> bool:
    """Is any cell not blank? CSV rows are all text, checked with one join (a million-row file is read
    in a fraction of a second); typed spreadsheet cells go through cell_text."""
    try:
        return bool("".join(cells).strip())
    except TypeError:
        return any(cell_text(c) for c in cells)


def _read_csv(data: bytes, file_name: str) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            [
                RowError(
                    file_name,
                    None,
                    "",
                    _('The file is not UTF-8 text (byte %(pos)s). Save it as "CSV UTF-8".')
                    % {"pos": exc.start},
                )
            ]
        ) from exc
    if "\x00" in text[:4096]:
        raise ImportFailed([RowError(file_name, None, "", _("This is not a CSV text file."))])
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count) if first_line else ","
    # csv.reader yields fresh lists already: no copy.
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _read_xlsx(data: bytes, file_name: str) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        return [list(r) for r in sheet.to_python(skip_empty_area=False)]
    except Exception as exc:  # calamine raises several error types for damaged or non-XLSX files
        raise ImportFailed(
            [
                RowError(
                    file_name,
                    None,
                    "",
                    _("This file cannot be read as an XLSX workbook: %(error)s") % {"error": exc},
                )
            ]
        ) from exc


def map_columns(table: Table, columns: Sequence[Column]) -> tuple[dict[str, int], list[RowError]]:
    """Where each known column is in the file, plus the header errors (row 1): missing required
    columns, and a column given twice under two accepted names."""
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for column in columns:
        found = [(i, h) for i, h in enumerate(table.header) if h in column.names]
        if len(found) > 1:
            errors.append(
                RowError(
                    table.file_name,
                    1,
                    column.name,
                    _("The column is given more than once (%(names)s); keep one.")
                    % {"names": ", ".join(h for _i, h in found)},
                )
            )
        elif found:
            positions[column.name] = found[0][0]
        elif column.required:
            also = (
                _(" (also accepted: %(aliases)s)") % {"aliases": ", ".join(column.aliases)}
                if column.aliases
                else ""
            )
            errors.append(
                RowError(
                    table.file_name,
                    1,
                    column.name,
                    _("Missing required column %(name)s%(also)s. The file's columns are: %(have)s.")
                    % {
                        "name": column.name,
                        "also": also,
                        "have": ", ".join(h for h in table.header if h) or "-",
                    },
                )
            )
    return positions, errors


def iter_rows(table: Table, positions: dict[str, int]) -> Iterable[Row]:
    for number, cells in table.rows:
        yield Row(number=number, cells=cells, positions=positions)

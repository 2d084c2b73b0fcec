"""Import indicator observations: `citydiplo import observations FILE --org SLUG`.

Two layouts are read (header names are case-insensitive; spaces and hyphens count as underscores):

- citydiplo's: `indicator,period,value` plus optional `unit,source,comment`; every other column is a
  disaggregation dimension and must be one the indicator declares (else an error, unless the import adds
  it: `--add-dimensions`). A blank cell in a dimension column means "all" for that dimension; a row with
  every dimension blank is the indicator's total.
- Open SDG's: `Year`, disaggregation columns, `Units`, `Value`. The indicator is `--indicator CODE`, or
  taken from a file named like `indicator_1-1-1.csv` (code `1-1-1` or `1.1.1`).

Periods are ISO: `2024`, `2024-Q3`, `2024-07`, `2024-07-15`. The upsert key is (indicator, period,
disaggregation values). Mode `add` (the default) writes new rows and leaves rows already stored alone
(counted "left_alone" when the file's value differs); mode `upsert` overwrites them ("changed").
Non-numeric text in a numeric indicator, a label not on a qualitative scale, an unknown indicator, a
computed indicator, a bad period and a repeated key are errors naming row and column.

Speed (a million rows in well under 20 s on SQLite): rows are checked in one tight loop over the cells
with lookups prepared once per file (indicators by code, parsed periods, dimension columns in key
order), compared with the stored keys fetched in one query, and written with `executemany` on the
database connection in large batches, inside the caller's single transaction.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from citydiplo.indicators.values import number_parse
from citydiplo.interchange.importers.base import VALIDATE, WRITE, BaseImporter, ProgressCallback
from citydiplo.interchange.importers.tables import Column, Table, cell_text, gc_paused

MODE_ADD, MODE_UPSERT = "add", "upsert"
MODES = (MODE_ADD, MODE_UPSERT)
REVIEW_STATES = ("draft", "submitted", "approved")
# Columns that are not dimensions, in each layout (header keys, see tables.header_key).
STANDARD_COLUMNS = {"indicator", "indicator_code", "period", "value", "unit", "units", "source", "comment"}
OPEN_SDG_COLUMNS = {"year", "value", "units", "unit", "source", "comment"}
OPEN_SDG_FILE = re.compile(r"^indicator_(.+)\.(csv|xlsx)$", re.IGNORECASE)
BATCH = 50_000
PROGRESS_EVERY = 20_000
# Most cells are plain decimals: these skip the slower general parser (and its range checks, which a
# number of this shape always passes).
_SIMPLE_NUMBER = re.compile(r"-?\d{1,18}(?:\.\d{1,6})?").fullmatch
_DIMENSION_NAME = re.compile(r"^[a-z0-9_]{1,60}$")


@dataclass
class IndicatorInfo:
    pk: int
    code: str
    kind: str
    unit: str
    dimensions: set[str]
    scale: dict[str, tuple[str, int]]
    observed: bool
    numeric: bool
    new_dimensions: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ParsedPeriod:
    text: str
    key: str
    # Dates as the database driver takes them (connection.ops), computed once per distinct period.
    start: Any
    end: Any


class ObservationImporter(BaseImporter):
    kind = "observations"
    # For the header check of the standard layout; the Open SDG layout is told apart by its `year` column.
    columns = (
        Column("indicator", required=True, aliases=("indicator_code",)),
        Column("period", required=True),
        Column("value", required=True),
    )

    # --- options ------------------------------------------------------------------------------------

    @property
    def options(self) -> dict[str, Any]:
        return dict(getattr(self.ctx, "options", None) or {})

    # --- validation ---------------------------------------------------------------------------------

    def validate(self, table: Table, progress: ProgressCallback | None = None) -> None:  # noqa: C901
        from citydiplo.indicators.models import Indicator

        options = self.options
        mode = options.get("mode") or MODE_ADD
        review_state = options.get("review_state") or "submitted"
        add_dimensions = bool(options.get("add_dimensions"))
        self.mode, self.review_state = mode, review_state
        self.inserts: list[tuple[Any, ...]] = []
        self.updates: list[tuple[Any, ...]] = []
        self.new_dimensions: dict[int, set[str]] = {}
        file_name = self.ctx.file_name
        if mode not in MODES:
            self.error(None, "", _("Unknown mode %(mode)r: use add or upsert.") % {"mode": mode})
        if review_state not in REVIEW_STATES:
            self.error(None, "", _("Unknown review state %(state)r.") % {"state": review_state})
        if self.ctx.organisation is None:
            self.error(
                None, "", _("Observations belong to an organisation's indicators: give the organisation.")
            )
        if self.errors:
            return

        header = table.header
        open_sdg = "year" in header and "indicator" not in header and "indicator_code" not in header
        positions: dict[str, int] = {}
        known = OPEN_SDG_COLUMNS if open_sdg else STANDARD_COLUMNS
        for name in ("year", "value") if open_sdg else ("period", "value"):
            if name not in header:
                self.error(
                    1,
                    name,
                    _("Missing required column %(name)s. The file's columns are: %(have)s.")
                    % {"name": name, "have": ", ".join(h for h in header if h) or "-"},
                )
        seen_headers: dict[str, int] = {}
        for index, name in enumerate(header):
            canonical = {"units": "unit", "indicator_code": "indicator", "year": "period"}.get(name, name)
            if not name:
                continue
            if canonical in seen_headers:
                self.error(1, name, _("The column is given more than once; keep one."))
                continue
            seen_headers[canonical] = index
            if name in known:
                positions[canonical] = index
        if not open_sdg and "indicator" not in positions and not options.get("indicator"):
            self.error(1, "indicator", _("Missing required column indicator (or give the indicator code)."))
        dimension_columns = sorted(
            (name, index) for index, name in enumerate(header) if name and name not in known
        )
        for name, _index in dimension_columns:
            if not _DIMENSION_NAME.match(name):
                self.error(
                    1, name, _("A dimension name may hold letters, digits and underscores only (at most 60).")
                )
        if self.errors:
            return

        # Lookups prepared once per file.
        indicators: dict[str, IndicatorInfo] = {}
        for row in Indicator.objects.filter(owner=self.ctx.organisation).values(
            "pk",
            "code",
            "kind",
            "unit",
            "currency",
            "dimensions",
            "scale",
            "computed",
            "formula_numerator_id",
            "formula_denominator_id",
        ):
            unit = (
                "%"
                if row["kind"] == "percentage"
                else row["currency"]
                if row["kind"] == "currency"
                else row["unit"]
            )
            info = IndicatorInfo(
                pk=row["pk"],
                code=row["code"],
                kind=row["kind"],
                unit=unit.strip().lower(),
                dimensions=set(row["dimensions"] or ()),
                scale={
                    str(label).strip().lower(): (str(label), i + 1)
                    for i, label in enumerate(row["scale"] or ())
                },
                numeric=row["kind"] in ("quantitative", "percentage", "currency"),
                observed=not row["computed"]
                and not (row["formula_numerator_id"] and row["formula_denominator_id"]),
            )
            indicators[row["code"].strip().lower()] = info
            indicators.setdefault(row["code"].strip().lower().replace(".", "-"), info)
        fixed_code = options.get("indicator") or ""
        if open_sdg and not fixed_code:
            match = OPEN_SDG_FILE.match(PurePath(file_name).name)
            if match is None:
                self.error(
                    None,
                    "",
                    _(
                        "An Open SDG file names its indicator in the file name (indicator_1-1-1.csv); "
                        "rename the file or give the indicator code."
                    ),
                )
                return
            fixed_code = match.group(1)
        fixed: IndicatorInfo | None = None
        if fixed_code:
            fixed = indicators.get(fixed_code.strip().lower()) or indicators.get(
                fixed_code.strip().lower().replace(".", "-")
            )
            if fixed is None:
                self.error(
                    None,
                    "indicator",
                    _("Unknown indicator %(code)r in this organisation's catalogue.") % {"code": fixed_code},
                )
                return

        indicator_at = positions.get("indicator")
        period_at, value_at = positions["period"], positions["value"]
        unit_at, source_at, comment_at = (
            positions.get("unit"),
            positions.get("source"),
            positions.get("comment"),
        )
        ids = {fixed.pk} if fixed else {info.pk for info in indicators.values()}
        with gc_paused():
            existing = self._existing(ids)
            self._loop(
                table,
                progress,
                indicators=indicators,
                fixed=fixed,
                existing=existing,
                at=(indicator_at, period_at, value_at, unit_at, source_at, comment_at),
                dimension_columns=dimension_columns,
                add_dimensions=add_dimensions,
            )

    def _loop(  # noqa: C901 (one tight loop on purpose: a million rows go through it)
        self,
        table: Table,
        progress: ProgressCallback | None,
        *,
        indicators: dict[str, IndicatorInfo],
        fixed: IndicatorInfo | None,
        existing: dict[tuple[int, str, str], tuple[Any, ...]],
        at: tuple[int | None, ...],
        dimension_columns: list[tuple[str, int]],
        add_dimensions: bool,
    ) -> None:
        indicator_at, period_at, value_at, unit_at, source_at, comment_at = at
        mode = self.mode
        sqlite = connection.vendor == "sqlite"
        # The columns every new row shares: evidence, review state, run, timestamps, author, reviewer.
        user_id = getattr(self.ctx.user, "pk", None)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        tail = (
            "",
            self.review_state,
            self.options.get("import_run_id"),
            now,
            now,
            user_id,
            user_id if self.review_state == "approved" else None,
        )
        periods: dict[Any, ParsedPeriod | str] = {}
        # (indicator, dimension cells) -> (key, breakdown) or (column, reason): a file repeats few breakdowns.
        breakdowns: dict[tuple[int, tuple[Any, ...]], tuple[str, Any]] = {}
        seen: dict[tuple[int, str, str], int] = {}
        added = changed = unchanged = left_alone = 0
        errors = self.errors
        error = self.error
        inserts, updates = self.inserts, self.updates
        total = len(table.rows)
        dimension_indexes = [index for _name, index in dimension_columns]
        last_needed = max([period_at, value_at, *(i for i in at if i is not None), *dimension_indexes])
        simple_number = _SIMPLE_NUMBER
        empty_breakdown = connection.ops.adapt_json_value({}, None)

        for done, (number, cells) in enumerate(table.rows, start=1):
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(VALIDATE, done, total)
            if len(cells) <= last_needed:
                # A short row (a CSV line with fewer separators): pad it, the missing cells are blank.
                cells = cells + [""] * (last_needed + 1 - len(cells))
            # Indicator.
            if fixed is not None:
                info = fixed
            else:
                code = cells[indicator_at]
                code = code.strip().lower() if isinstance(code, str) else cell_text(code).lower()
                info = indicators.get(code)
                if info is None:
                    if not code:
                        error(number, "indicator", _("A value is required."))
                    else:
                        error(
                            number,
                            "indicator",
                            _("Unknown indicator %(code)r: it is not in this organisation's catalogue.")
                            % {"code": code},
                        )
                    continue
                if not info.observed:
                    error(
                        number,
                        "indicator",
                        _("%(code)s is computed, not observed: its values cannot be imported.")
                        % {"code": info.code},
                    )
                    continue
            # Period.
            raw_period = cells[period_at]
            period = periods.get(raw_period)
            if period is None:
                period = periods[raw_period] = _parse_period(raw_period)
            if period.__class__ is str:
                error(number, "period", period)
                continue
            # Value.
            raw_value = cells[value_at]
            text_value = ""
            if info.numeric:
                if raw_value.__class__ is str and simple_number(raw_value):
                    # SQLite stores the text as a NUMERIC; the Decimal is made only to compare.
                    value = None
                    value_db = raw_value if sqlite else Decimal(raw_value)
                else:
                    value = number_parse(raw_value)
                    if value.__class__ is str:
                        error(number, "value", value)
                        continue
                    value_db = str(value) if sqlite else value
            elif info.scale:
                label = cell_text(raw_value)
                found = info.scale.get(label.lower())
                if found is None:
                    error(
                        number,
                        "value",
                        _("%(text)r is not on the scale of %(code)s: %(labels)s.")
                        % {
                            "text": label,
                            "code": info.code,
                            "labels": ", ".join(v[0] for v in info.scale.values()),
                        },
                    )
                    continue
                text_value, position = found
                value = Decimal(position)
                value_db = str(value) if sqlite else value
            else:
                text_value = cell_text(raw_value)
                if not text_value:
                    error(number, "value", _("A value is required."))
                    continue
                value = value_db = None
            # Unit.
            if unit_at is not None:
                unit = cells[unit_at]
                unit = unit.strip() if unit.__class__ is str else cell_text(unit)
                if unit and info.unit and unit.lower() != info.unit:
                    error(
                        number,
                        "unit",
                        _("%(code)s is measured in %(unit)r, not %(given)r.")
                        % {"code": info.code, "unit": info.unit, "given": unit},
                    )
                    continue
            # Disaggregation: the key in dimension-name order, so it is canonical.
            if dimension_indexes:
                cached_key = (info.pk, tuple([cells[i] for i in dimension_indexes]))
                found_breakdown = breakdowns.get(cached_key)
                if found_breakdown is None:
                    found_breakdown = breakdowns[cached_key] = self._breakdown(
                        info, cached_key[1], dimension_columns, add_dimensions
                    )
                key_text, breakdown = found_breakdown
                if breakdown is None:
                    error(number, key_text[0], key_text[1])
                    continue
            else:
                key_text, breakdown = "", empty_breakdown
            key = (info.pk, key_text, period.key)
            first = seen.setdefault(key, number)
            if first != number:
                error(
                    number,
                    "period",
                    _(
                        "Rows %(first)s and %(this)s give the same indicator, period and disaggregation: keep one."
                    )
                    % {"first": first, "this": number},
                )
                continue
            source = comment = None
            if source_at is not None:
                source = cells[source_at]
                source = source.strip() if source.__class__ is str else cell_text(source)
                if len(source) > 500:
                    error(number, "source", _("Too long: at most %(n)s characters.") % {"n": 500})
                    continue
            if comment_at is not None:
                comment = cell_text(cells[comment_at])
            if errors:
                # Once a row is wrong nothing is written: keep checking, stop planning.
                continue
            stored = existing.get(key)
            if stored is None:
                added += 1
                inserts.append(
                    (
                        info.pk,
                        period.text,
                        period.key,
                        period.start,
                        period.end,
                        value_db,
                        text_value,
                        breakdown,
                        key_text,
                        source or "",
                        comment or "",
                        *tail,
                    )
                )
                continue
            if value is None and value_db is not None:
                value = Decimal(raw_value)
            pk, old_value, old_text, old_source, old_comment = stored
            same = (
                (old_value == value if value is not None and old_value is not None else old_value is value)
                and old_text == text_value
                and (source is None or source == old_source)
                and (comment is None or comment == old_comment)
            )
            if same:
                unchanged += 1
            elif mode == MODE_UPSERT:
                changed += 1
                updates.append(
                    (
                        value_db,
                        text_value,
                        old_source if source is None else source,
                        old_comment if comment is None else comment,
                        self.review_state,
                        tail[2],
                        now,
                        tail[6],
                        pk,
                    )
                )
            else:
                left_alone += 1
        if progress is not None:
            progress(VALIDATE, total, total)
        counts = self.counts["observations"]
        counts["added"], counts["changed"], counts["unchanged"] = added, changed, unchanged
        if left_alone:
            counts["left_alone"] = left_alone
        if self.new_dimensions:
            self.counts["dimensions"]["added"] = sum(len(v) for v in self.new_dimensions.values())

    def _breakdown(
        self,
        info: IndicatorInfo,
        values: tuple[Any, ...],
        dimension_columns: list[tuple[str, int]],
        add_dimensions: bool,
    ) -> tuple[Any, Any]:
        """(key, breakdown) of one combination of dimension cells, or ((column, reason), None)."""
        parts: list[str] = []
        breakdown: dict[str, str] = {}
        for (name, _index), cell in zip(dimension_columns, values, strict=True):
            text = cell_text(cell)
            if not text:
                continue
            if name not in info.dimensions:
                if not add_dimensions:
                    reason = _(
                        "%(name)s is not a disaggregation of %(code)s (declared: %(declared)s). Declare it on "
                        "the indicator, or import with the option to add dimensions."
                    ) % {
                        "name": name,
                        "code": info.code,
                        "declared": ", ".join(sorted(info.dimensions)) or "-",
                    }
                    return (name, reason), None
                self.new_dimensions.setdefault(info.pk, set()).add(name)
            if len(text) > 200:
                return (name, _("Too long: at most %(n)s characters.") % {"n": 200}), None
            breakdown[name] = text
            if "|" in text or "=" in text or "%" in text:
                text = text.replace("%", "%25").replace("|", "%7C").replace("=", "%3D")
            parts.append(f"{name}={text}")
        key_text = "|".join(parts)
        if len(key_text) > 500:
            return (dimension_columns[0][0], _("The disaggregation values are too long together.")), None
        return key_text, connection.ops.adapt_json_value(breakdown, None)

    def _existing(self, indicator_ids: set[int]) -> dict[tuple[int, str, str], tuple[Any, ...]]:
        """Every stored observation of these indicators, by upsert key, in one query."""
        from citydiplo.indicators.models import Observation

        if not indicator_ids:
            return {}
        rows = Observation.objects.filter(indicator_id__in=indicator_ids).values_list(
            "indicator_id",
            "disaggregation_key",
            "period_key",
            "pk",
            "value",
            "text_value",
            "source",
            "comment",
        )
        return {(r[0], r[1], r[2]): r[3:] for r in rows.iterator(chunk_size=20_000)}

    # --- writing --------------------------------------------------------------------------------------

    def write(self, progress: ProgressCallback | None = None) -> None:
        """Insert the new rows and overwrite the changed ones with executemany, 50,000 rows a call.

        The rows were made ready for the database during validation, so writing is the driver's work only.
        """
        from citydiplo.indicators.models import Indicator

        # Observation._meta.db_table, written out so the statements are constants.
        insert = (
            "INSERT INTO indicators_observation (indicator_id, period, period_key, period_start, period_end, "
            "value, text_value, disaggregation, disaggregation_key, source, comment, evidence, review_state, "
            "import_run_id, created_at, updated_at, created_by_id, reviewed_by_id) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        update = (
            "UPDATE indicators_observation SET value = %s, text_value = %s, source = %s, comment = %s, "
            "review_state = %s, import_run_id = %s, updated_at = %s, reviewed_by_id = %s WHERE id = %s"
        )
        total = len(self.inserts) + len(self.updates)
        done = 0
        with connection.cursor() as cursor, gc_paused(), _json_checked_here():
            for rows, statement in ((self.inserts, insert), (self.updates, update)):
                for start in range(0, len(rows), BATCH):
                    batch = rows[start : start + BATCH]
                    cursor.executemany(statement, batch)
                    done += len(batch)
                    if progress is not None:
                        progress(WRITE, done, total)
        for indicator_id, names in self.new_dimensions.items():
            indicator = Indicator.objects.get(pk=indicator_id)
            indicator.dimensions = sorted(set(indicator.dimensions or ()) | names)
            indicator.save(update_fields=["dimensions", "updated_at"])

    def planned(self) -> Sequence[Any]:
        return self.inserts


@contextlib.contextmanager
def _json_checked_here() -> Iterator[None]:
    """On SQLite, skip the JSON_VALID check constraint Django puts on the JSON column while writing.

    The JSON written here comes from json.dumps of a dict of strings, valid by construction; the check
    re-parses it for every row and takes a third of the time of a million-row import. The table has no
    other check constraint. Switched back on at the end, whatever happens.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        try:
            yield
        finally:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")


def _parse_period(raw: Any) -> ParsedPeriod | str:
    """A parsed period, or the reason it is not one."""
    from citydiplo.indicators.periods import PeriodError, period_parse

    if raw in (None, ""):
        return _("A value is required.")
    try:
        period = period_parse(raw)
    except PeriodError as exc:
        return str(exc)
    ops = connection.ops
    return ParsedPeriod(
        period.text,
        period.key,
        ops.adapt_datefield_value(period.start),
        ops.adapt_datefield_value(period.end),
    )

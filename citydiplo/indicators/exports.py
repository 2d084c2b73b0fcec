"""Observations out to CSV and XLSX, in the layout the importer reads back.

Columns: indicator, period, value, unit, source, comment, then one column per disaggregation dimension
met in the rows (alphabetical), blank where a row has no value for it (a total). Importing the file again
with mode add or upsert changes nothing: the round trip keeps every breakdown.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from citydiplo.indicators.models import Indicator, Observation

FIXED_COLUMNS = ["indicator", "period", "value", "unit", "source", "comment"]


def _value_text(indicator: Indicator, observation: Observation) -> str:
    if observation.text_value:
        return observation.text_value
    if observation.value is None:
        return ""
    # Normalised so 12.500000 is written 12.5 and 100.000000 is 100, never in exponent form.
    text = format(observation.value.normalize(), "f")
    return text


def export_rows(
    indicators: Iterable[Indicator], observations: Iterable[Observation]
) -> tuple[list[str], list[list[str]]]:
    """(header, rows) for the observations, each row in the header's order."""
    by_pk = {i.pk: i for i in indicators}
    materialised = list(observations)
    dimensions = sorted({name for o in materialised for name in (o.disaggregation or {})})
    header = FIXED_COLUMNS + dimensions
    rows = []
    for observation in materialised:
        indicator = by_pk[observation.indicator_id]
        breakdown = observation.disaggregation or {}
        rows.append(
            [
                indicator.code,
                observation.period,
                _value_text(indicator, observation),
                indicator.unit_label,
                observation.source,
                observation.comment,
                *(breakdown.get(name, "") for name in dimensions),
            ]
        )
    return header, rows


def export_csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # With a byte-order mark, so Excel opens accents right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("observations")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, header, bold)
    value_column = header.index("value")
    for index, row in enumerate(rows, start=1):
        # Text cells: a period "2024-07" must not become a date, a code "1.1" not a number; the value
        # is a number when it is one, so the spreadsheet can sum it.
        sheet.write_row(index, 0, [str(cell) for cell in row])
        try:
            sheet.write_number(index, value_column, float(row[value_column]))
        except (TypeError, ValueError):
            pass
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()

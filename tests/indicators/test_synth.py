"""`citydiplo synth observations`: labelled synthetic indicators and rows the importer accepts."""

from __future__ import annotations

import csv
import io

from django.core.management import call_command

from citydiplo.indicators.models import Indicator, Observation
from citydiplo.interchange.services import import_file


def test_synthetic_rows_are_labelled_and_import_cleanly(tmp_path, cast):
    path = tmp_path / "synthetic.csv"
    call_command(
        "synth",
        "observations",
        "--indicators",
        "3",
        "--rows",
        "100",
        "--org",
        cast.office_a.slug,
        "-o",
        str(path),
        stderr=io.StringIO(),
    )
    indicators = Indicator.objects.filter(owner=cast.office_a)
    assert indicators.count() == 3
    assert all(i.name.startswith("[synthetic]") and i.is_illustrative for i in indicators)
    with path.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 100 and {r["source"] for r in rows} == {"synthetic"}
    result = import_file(
        kind="observations", source=path, file_name=path.name, user=cast.owner, organisation=cast.office_a
    )
    assert result.ok, result.errors[:3]
    assert Observation.objects.count() == 100

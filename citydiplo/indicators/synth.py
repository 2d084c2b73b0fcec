"""LABELLED SYNTHETIC indicators and observations, for benchmarks and load tests only.

`citydiplo synth observations --indicators 500 --rows 1000000 --org SLUG -o FILE.csv` adds (or reuses)
indicators coded `SYN-0001`... named "[synthetic] ..." and marked illustrative, then writes a CSV in the
import layout: monthly periods, a `sex` and a `department` disaggregation (blank = total), and
`source` = "synthetic". Nothing here is data about a real office.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from typing import IO

from django.db import transaction

from citydiplo.accounts.models import Organisation
from citydiplo.indicators.models import Indicator, Level

SYNTHETIC_PREFIX = "SYN-"
SEXES = ("", "female", "male", "other")
DEPARTMENTS = ("", "culture", "economy", "environment", "mobility")
LEVELS = (Level.STRATEGIC, Level.PROGRAMMATIC, Level.OPERATIONAL)


def synth_indicators(*, organisation: Organisation, count: int) -> list[Indicator]:
    """The organisation's synthetic indicators SYN-0001..SYN-<count>, created where missing."""
    codes = [f"{SYNTHETIC_PREFIX}{n:04d}" for n in range(1, count + 1)]
    existing = {i.code: i for i in Indicator.objects.filter(owner=organisation, code__in=codes)}
    missing = [
        Indicator(
            owner=organisation,
            code=code,
            name=f"[synthetic] indicator {code}",
            definition="Synthetic indicator for benchmarks; not real data.",
            level=LEVELS[n % 3],
            unit="count",
            dimensions=["department", "sex"],
            is_key=n % 10 == 0,
            is_illustrative=True,
            source="synthetic",
        )
        for n, code in enumerate(codes)
        if code not in existing
    ]
    with transaction.atomic():
        Indicator.objects.bulk_create(missing, batch_size=500)
    return list(Indicator.objects.filter(owner=organisation, code__in=codes).order_by("code"))


def synth_observations_write(out: IO[str], *, codes: list[str], rows: int, seed: int = 2026) -> int:
    """Write `rows` observation rows spread evenly over the indicators; return how many were written.

    Each indicator gets months from January 2016 on, each month with every sex × department breakdown
    (20 of them, the total included), so the rows per indicator decide how many months it covers.
    """
    rng = random.Random(seed)  # noqa: S311 (reproducible synthetic data, not secrets)
    breakdowns = [(sex, department) for sex in SEXES for department in DEPARTMENTS]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["indicator", "period", "value", "source", "sex", "department"])
    per_indicator, extra = divmod(rows, len(codes))
    written = 0
    start = dt.date(2016, 1, 1)
    for index, code in enumerate(codes):
        wanted = per_indicator + (1 if index < extra else 0)
        level = rng.uniform(50, 500)
        month = 0
        while wanted > 0:
            year, month_of_year = start.year + month // 12, month % 12 + 1
            period = f"{year}-{month_of_year:02d}"
            level *= rng.uniform(0.98, 1.04)
            for sex, department in breakdowns[:wanted]:
                share = 1.0 if not sex and not department else rng.uniform(0.05, 0.5)
                writer.writerow([code, period, f"{level * share:.2f}", "synthetic", sex, department])
            written += min(wanted, len(breakdowns))
            wanted -= len(breakdowns)
            month += 1
    return written

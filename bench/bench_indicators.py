"""Indicators (issue 6): bulk import of observations and the dashboard's progress query.

On LABELLED SYNTHETIC data only (`citydiplo synth observations`: indicators coded SYN-0001..., named
"[synthetic] ...", marked illustrative, source "synthetic"), in a fresh SQLite database:

* indicators.import_1m_cli_seconds: `citydiplo import observations FILE --org SLUG` on 1,000,000 rows of
  500 indicators (monthly periods, sex × department disaggregations), end to end: Python and Django
  start, CSV read, full validation, one transaction of executemany batches, the import run. Target 20 s.
  Baseline: the same rows saved one by one through the ORM (look up the key, build the Observation,
  full_clean, save), measured on the first 20,000 rows and EXTRAPOLATED LINEARLY to 1,000,000
  (indicators.import_orm_per_row_1m_extrapolated_seconds); ratio = import / baseline.
* indicators.import_1m_cli_cpu_seconds: the CPU time of that command (user + system), which a busy
  machine affects less than the wall-clock time.
* indicators.dashboard_500x1m_ms: the dashboard's progress query (selectors.dashboard: latest and first
  total per indicator, baselines, targets, statuses) for the organisation with those 500 indicators and
  1,000,000 observations; median of 15 runs after one warm-up. Target 150 ms.

Usage: python bench/run.py --only indicators [--keep]
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

NAME = "indicators"
ROWS = 1_000_000
INDICATORS = 500
ORM_SAMPLE = 20_000
ORG = "synthetic-bench-office"
BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent


def _cli(*args: str, env: dict[str, str]) -> tuple[float, float]:
    """Run `citydiplo ...`; (wall-clock seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "citydiplo.cli", *args], check=True, cwd=REPO, env=env)  # noqa: S603
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run(results: Any, rows: int, keep: bool) -> None:
    del rows  # this benchmark's size is fixed by the issue: a million rows
    with tempfile.TemporaryDirectory(prefix="citydiplo-bench-indicators-") as data_dir:
        env = {**os.environ, "CITYDIPLO_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "citydiplo.settings"}
        env.pop("DATABASE_URL", None)
        os.environ.update({"CITYDIPLO_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "citydiplo.settings"})
        os.environ.pop("DATABASE_URL", None)
        print("indicators: preparing an empty database", flush=True)
        _cli("migrate", "--noinput", "-v", "0", env=env)
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        from citydiplo.accounts.models import Organisation, OrganisationMember, User

        organisation = Organisation.objects.create(
            slug=ORG,
            name="[synthetic] benchmark office",
            kind="local_government_office",
            is_illustrative=True,
        )
        user = User.objects.create(username="synthetic-bench")
        OrganisationMember.objects.create(organisation=organisation, user=user, role="owner")
        out_dir = BENCH_DIR / "out" if keep else Path(data_dir)
        out_dir.mkdir(exist_ok=True)
        csv_path = out_dir / "observations-synthetic-1m.csv"
        print(f"indicators: {ROWS} labelled synthetic rows for {INDICATORS} synthetic indicators", flush=True)
        _cli(
            "synth",
            "observations",
            "--indicators",
            str(INDICATORS),
            "--rows",
            str(ROWS),
            "--org",
            ORG,
            "-o",
            str(csv_path),
            env=env,
        )
        _synthetic_targets(organisation)

        print("indicators: per-row ORM baseline on a sample", flush=True)
        baseline = _orm_baseline(csv_path, organisation, user) * (ROWS / ORM_SAMPLE)

        print("indicators: citydiplo import observations, end to end", flush=True)
        wall, cpu = _cli(
            "import", "observations", str(csv_path), "--org", ORG, "--user", user.username, "-v", "0", env=env
        )
        results.add(
            "indicators.import_1m_cli_seconds", wall, "s", "lower", target=20.0, baseline=baseline, digits=2
        )
        results.add("indicators.import_1m_cli_cpu_seconds", cpu, "s", "lower", digits=2)
        results.add("indicators.import_orm_per_row_1m_extrapolated_seconds", baseline, "s", "lower", digits=1)

        print("indicators: dashboard progress query", flush=True)
        from django.db import connection

        from citydiplo.indicators.models import Observation
        from citydiplo.indicators.selectors import dashboard

        assert Observation.objects.count() == ROWS, "the import did not land whole"
        connection.close()  # a fresh connection, as a web request would have
        dashboard(user=user, organisation=organisation)
        times = []
        for _ in range(15):
            if hasattr(user, "_citydiplo_org_ids"):
                del user._citydiplo_org_ids  # per request, as in the web app
            started = time.perf_counter()
            rows_shown = dashboard(user=user, organisation=organisation)
            times.append((time.perf_counter() - started) * 1000)
        assert len(rows_shown) == INDICATORS
        results.add(
            "indicators.dashboard_500x1m_ms", statistics.median(times), "ms", "lower", target=150.0, digits=1
        )
        connection.close()


def _synthetic_targets(organisation: Any) -> None:
    """A baseline and a target for every other synthetic indicator, so the status method's target branch
    is timed too (labelled synthetic like the indicators)."""
    import datetime as dt

    from citydiplo.indicators.models import Baseline, Indicator, Target

    indicators = list(Indicator.objects.filter(owner=organisation, code__startswith="SYN-"))
    Baseline.objects.bulk_create(
        [
            Baseline(indicator=i, value=100, date=dt.date(2015, 12, 31), comment="synthetic")
            for i in indicators[::2]
        ]
    )
    Target.objects.bulk_create(
        [
            Target(indicator=i, value=300, date=dt.date(2030, 12, 31), comment="synthetic")
            for i in indicators[::2]
        ]
    )


def _orm_baseline(csv_path: Path, organisation: Any, user: Any) -> float:
    """Seconds to save ORM_SAMPLE rows one by one the naive way, inside one transaction, then rolled back."""
    import csv
    from decimal import Decimal

    from django.db import transaction

    from citydiplo.indicators.models import Indicator, Observation, disaggregation_key
    from citydiplo.indicators.periods import period_parse

    with csv_path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        sample = [row for _n, row in zip(range(ORM_SAMPLE), reader, strict=False)]
    started = time.perf_counter()
    try:
        with transaction.atomic():
            for row in sample:
                indicator = Indicator.objects.get(owner=organisation, code=row["indicator"])
                period = period_parse(row["period"])
                breakdown = {k: row[k] for k in ("sex", "department") if row[k]}
                key = disaggregation_key(breakdown)
                observation = Observation.objects.filter(
                    indicator=indicator, disaggregation_key=key, period_key=period.key
                ).first() or Observation(indicator=indicator, disaggregation_key=key, period_key=period.key)
                observation.period, observation.period_start, observation.period_end = (
                    period.text,
                    period.start,
                    period.end,
                )
                observation.value = Decimal(row["value"])
                observation.disaggregation, observation.source = breakdown, row["source"]
                observation.review_state, observation.created_by = "submitted", user
                observation.full_clean(exclude=["import_run", "evidence"])
                observation.save()
            raise _RollBack
    except _RollBack:
        pass
    return time.perf_counter() - started


class _RollBack(Exception):
    """Leave the database as the sample found it: the real import comes next."""

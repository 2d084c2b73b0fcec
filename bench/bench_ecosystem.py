"""Ecosystem analysis (issue 7) on a LABELLED SYNTHETIC global-scale registry.

Data: `citydiplo synth ecosystem` (citydiplo/analysis/synth.py, seed 2026) written into a scratch SQLite
database under bench/out/ecosystem: 20,000 places, 300 networks (Zipf-sized, regionally clustered),
150,000 memberships, 60,000 twinning agreements; every actor named "SYNTH ...", source "synthetic".

* ecosystem.analyze_seconds: the analysis function as the web run and the CLI call it, in a process
  where Django is already started: read the registry (snapshot_load) + compute every metric
  (ecosystem_compute: graphs, overlap, sampled betweenness, eigenvector, Leiden, bridging, fatigue,
  tables). Target 5 s. Baseline: the same snapshot read + NetworkX computing the same metrics with the
  same sampling (below), measured in the same run; ratio = ours / NetworkX (target <= 0.1, i.e. 10x).
* ecosystem.compute_seconds: the computation alone (no database read), against NetworkX's alone.
* ecosystem.analyze_cli_seconds: `citydiplo analyze ecosystem --format json --output FILE` end to end
  (Python and Django start, fingerprint, read, compute, JSON written). Reported against the same 5 s.
* NetworkX baseline, same metrics: degree; betweenness from the same k sampled sources (NetworkX's own
  Brandes accumulation loop, the one `betweenness_centrality(k=...)` runs, fed our sources) scaled by
  n/k; eigenvector centrality (`eigenvector_centrality_numpy`, NetworkX's fastest) on the largest
  component; communities (`louvain_communities`, seed 2026: NetworkX has no Leiden); network overlap
  (`bipartite.overlap_weighted_projected_graph`) with Jaccard; bridging (mean pairwise Jaccard per member).
* ecosystem.sampling_*: a 2,000-node synthetic registry (1,970 places, 30 networks, 15,000 memberships,
  6,000 twinnings, in memory): betweenness sampled from k sources (the production k and seed) against
  exact Brandes betweenness: mean relative error over the 100 most central vertices, Spearman rank
  correlation over every vertex with non-zero betweenness, and the share of the exact top 20 found in
  the sampled top 20.

Usage: python bench/run.py --only ecosystem
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

NAME = "ecosystem"
BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
TARGET_SECONDS = 5.0


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        CITYDIPLO_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="citydiplo.settings", PYTHONPATH=str(REPO)
    )
    return env


def _run(*args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, cwd=REPO, env=env)  # noqa: S603
    return time.perf_counter() - started


def run(results: Any, rows: int, keep: bool) -> None:
    data_dir = BENCH_DIR / "out" / "ecosystem"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    env = _env(data_dir)
    print("  (ecosystem: migrating a scratch database and writing the synthetic registry...)", flush=True)
    _run("manage.py", "migrate", "-v0", env=env)
    write = _run("-m", "citydiplo.cli", "synth", "ecosystem", env=env)
    print(f"  (synthetic registry written in {write:.0f} s)", flush=True)
    cli = _run(
        "-m",
        "citydiplo.cli",
        "analyze",
        "ecosystem",
        "--format",
        "json",
        "--output",
        str(data_dir / "out.json"),
        env=env,
    )
    inner = subprocess.run(  # noqa: S603
        [sys.executable, str(Path(__file__).resolve()), "--inner"],
        check=True,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(inner.stderr)
    m = json.loads(inner.stdout.strip().splitlines()[-1])
    print(
        f"  (read {m['load_seconds']:.2f} s, compute {m['compute_seconds']:.2f} s; NetworkX compute "
        f"{m['networkx_seconds']:.1f} s: {m['networkx_parts']}; max |betweenness difference| "
        f"{m['betweenness_max_difference']:.2e})",
        flush=True,
    )
    results.add(
        "ecosystem.analyze_seconds",
        m["load_seconds"] + m["compute_seconds"],
        "s",
        "lower",
        target=TARGET_SECONDS,
        baseline=m["load_seconds"] + m["networkx_seconds"],
        digits=2,
    )
    results.add(
        "ecosystem.compute_seconds",
        m["compute_seconds"],
        "s",
        "lower",
        baseline=m["networkx_seconds"],
        digits=2,
    )
    results.add("ecosystem.analyze_cli_seconds", cli, "s", "lower", target=TARGET_SECONDS, digits=2)
    results.add("ecosystem.sampling_mean_relative_error_top100", m["mre_top100"], "ratio", "lower")
    results.add("ecosystem.sampling_spearman", m["spearman"], "ratio", "higher")
    results.add("ecosystem.sampling_top20_share", m["top20_share"], "ratio", "higher")
    if not keep:
        shutil.rmtree(data_dir, ignore_errors=True)


# --- Inside a process with Django set up on the scratch database -------------------------------------------


def _networkx_metrics(snapshot: Any, sources: Any) -> dict[str, float]:
    """The NetworkX baseline (see the module docstring); returns seconds per part."""
    import networkx as nx
    import numpy as np
    from networkx.algorithms.centrality.betweenness import (
        _accumulate_basic,
        _single_source_shortest_path_basic,
    )

    from citydiplo.analysis.graphs import combined_graph

    parts: dict[str, float] = {}
    started = time.perf_counter()
    combined = combined_graph(snapshot)  # the same vertex numbering, so the sources are the same vertices
    graph = nx.Graph()
    graph.add_nodes_from(range(combined.graph.vcount()))
    graph.add_edges_from(combined.graph.get_edgelist())
    parts["graph"] = time.perf_counter() - started

    t = time.perf_counter()
    dict(graph.degree())
    n = graph.number_of_nodes()
    totals = dict.fromkeys(graph, 0.0)
    for s in sources.tolist():
        stack, preds, sigma, _ = _single_source_shortest_path_basic(graph, s)
        totals, _ = _accumulate_basic(totals, stack, preds, sigma, s)
    scale = 0.5 * n / len(sources) / ((n - 1) * (n - 2) / 2)
    betweenness = np.array([totals[v] * scale for v in range(n)])
    parts["betweenness"] = time.perf_counter() - t

    t = time.perf_counter()
    giant = graph.subgraph(max(nx.connected_components(graph), key=len))
    nx.eigenvector_centrality_numpy(giant)
    parts["eigenvector"] = time.perf_counter() - t

    t = time.perf_counter()
    nx.community.louvain_communities(graph, seed=2026)
    parts["communities"] = time.perf_counter() - t

    t = time.perf_counter()
    bipartite = nx.Graph()
    member_nodes = [("m", int(r)) for r in range(snapshot.incidence.shape[0])]
    network_nodes = [("n", int(c)) for c in range(snapshot.incidence.shape[1])]
    bipartite.add_nodes_from(member_nodes)
    bipartite.add_nodes_from(network_nodes)
    rows, cols = snapshot.incidence.nonzero()
    bipartite.add_edges_from((("m", int(r)), ("n", int(c))) for r, c in zip(rows, cols, strict=True))
    projected = nx.bipartite.overlap_weighted_projected_graph(bipartite, network_nodes, jaccard=True)
    jaccard = {(a, b): d["weight"] for a, b, d in projected.edges(data=True)}
    for member in member_nodes:
        mine = sorted(bipartite[member])
        pairs = [(a, b) for i, a in enumerate(mine) for b in mine[i + 1 :]]
        if pairs:
            1 - sum(jaccard.get((a, b), jaccard.get((b, a), 0.0)) for a, b in pairs) / len(pairs)
    parts["overlap_and_bridging"] = time.perf_counter() - t
    parts["_betweenness_values"] = betweenness  # type: ignore[assignment]
    return parts


def _inner() -> None:
    import django

    django.setup()
    import numpy as np
    from scipy.stats import spearmanr

    from citydiplo.analysis.graphs import combined_graph, snapshot_load
    from citydiplo.analysis.metrics import BETWEENNESS_SOURCES, betweenness, ecosystem_compute, sample_sources
    from citydiplo.analysis.synth import synth_ecosystem

    started = time.perf_counter()
    snapshot = snapshot_load(user=None)
    load = time.perf_counter() - started
    started = time.perf_counter()
    ecosystem_compute(snapshot)
    compute = time.perf_counter() - started

    graph = combined_graph(snapshot).graph
    sources = sample_sources(graph.vcount(), BETWEENNESS_SOURCES)
    ours, method, _ = betweenness(graph)
    assert method == "sampled", method
    nx_parts = _networkx_metrics(snapshot, sources)
    nx_betweenness = nx_parts.pop("_betweenness_values")
    difference = float(np.max(np.abs(np.asarray(nx_betweenness) - ours)))

    sample = combined_graph(
        synth_ecosystem(
            places=1_970, networks=30, memberships=15_000, twinnings=6_000, seed=2026
        ).to_snapshot()
    ).graph
    exact, _, _ = betweenness(sample)
    sampled, _, _ = betweenness(sample, exact_max=0)
    top = np.argsort(-exact, kind="stable")[:100]
    nonzero = exact > 0
    top20 = set(np.argsort(-exact, kind="stable")[:20].tolist())
    found20 = set(np.argsort(-sampled, kind="stable")[:20].tolist())
    print(
        json.dumps(
            {
                "load_seconds": load,
                "compute_seconds": compute,
                "networkx_seconds": sum(nx_parts.values()),
                "networkx_parts": {k: round(v, 2) for k, v in nx_parts.items()},
                "betweenness_max_difference": difference,
                "mre_top100": float(np.mean(np.abs(sampled[top] - exact[top]) / exact[top])),
                "spearman": float(spearmanr(sampled[nonzero], exact[nonzero]).statistic),
                "top20_share": len(top20 & found20) / 20,
                "sample_vertices": sample.vcount(),
            }
        )
    )


if __name__ == "__main__" and "--inner" in sys.argv:
    _inner()

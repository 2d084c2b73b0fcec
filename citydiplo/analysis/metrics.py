"""The metrics of the ecosystem, computed on a `Snapshot` (citydiplo/analysis/graphs.py).

Every metric is documented for users in docs/en/ecosystem.md with its reading in Castells' terms. The
definitions, as computed here:

Networks
  members         current members (rows of B with a 1 in the network's column).
  countries       distinct member countries; regions: members per UN M49 region (analysis/regions.py).
  global_south    share of members with a known country that lie in the Global South (regions.py).
  overlap         shared members of every pair of networks, all at once as B^T B; Jaccard index
                  shared / (members_a + members_b - shared). Only pairs sharing at least one member are
                  listed; every other pair has 0.
  fatigue         members that belong to at least FATIGUE_MIN_NETWORKS networks tagged with one of this
                  network's themes (this one included): memberships that may duplicate each other.
Places (every actor that is not a network and has a current membership or twinning)
  memberships, roles (current roles other than plain member), twinning_degree (distinct current twinning
  partners), degree (ties in the combined graph).
  betweenness     in the combined graph, normalised by (n-1)(n-2)/2, the number of pairs of other vertices
                  (NetworkX's normalized=True for undirected graphs), so 1 means on every shortest path.
                  Exact (Brandes) up to EXACT_BETWEENNESS_MAX_VERTICES vertices; above, estimated from
                  BETWEENNESS_SOURCES source vertices drawn with a fixed seed: the sum of their
                  dependencies times n/k, then normalised the same way (Brandes & Pich 2007).
  eigenvector     leading eigenvector of the adjacency matrix of the largest connected component, scaled
                  so the most central vertex has 1; vertices outside that component have 0 (eigenvector
                  centrality is undefined across components).
  bridging        for a member of m >= 2 networks: 1 - the mean Jaccard index over the m(m-1)/2 pairs of
                  its networks; 0 with fewer than two. 1 means none of its networks share any other
                  member: it is the only link between those circles (a "switcher").
  community       Leiden communities of the combined graph, modularity objective, seed LEIDEN_SEED.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import igraph as ig
import numpy as np
import scipy.sparse as sp

from citydiplo.analysis.graphs import BOARD_ROLES, CombinedGraph, Snapshot, combined_graph
from citydiplo.analysis.regions import GLOBAL_SOUTH, REGION_OF
from citydiplo.registry.models import ActorKind

logger = logging.getLogger(__name__)

# Exact Brandes betweenness costs O(n m): about a second at 5,000 vertices and 10,000 edges on this
# hardware. Above, betweenness is estimated from sampled sources: 128 keep a world-scale registry (20,000
# places, 210,000 ties) under a second of betweenness on a shared 2-core machine, and rank places close
# to the exact order (error reported by bench/bench_ecosystem.py).
EXACT_BETWEENNESS_MAX_VERTICES = 6_000
BETWEENNESS_SOURCES = 128
BETWEENNESS_SEED = 2026
LEIDEN_SEED = 2026
FATIGUE_MIN_NETWORKS = 3

Progress = Callable[[int, str], None]  # (percent done, what is being done)


def _no_progress(percent: int, stage: str) -> None:
    return None


@dataclass
class Centralities:
    degree: np.ndarray
    betweenness: np.ndarray  # normalised
    eigenvector: np.ndarray
    community: np.ndarray
    method: str  # "exact" or "sampled"
    sources: int  # k, or n when exact


def sample_sources(n: int, k: int, seed: int = BETWEENNESS_SEED) -> np.ndarray:
    """The k source vertices of the betweenness estimate: the same seed, the same sources."""
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=k, replace=False))


def betweenness(
    graph: ig.Graph,
    *,
    exact_max: int = EXACT_BETWEENNESS_MAX_VERTICES,
    k: int = BETWEENNESS_SOURCES,
    seed: int = BETWEENNESS_SEED,
) -> tuple[np.ndarray, str, int]:
    """Normalised betweenness, exact or sampled (see the module docstring); returns (values, method, k)."""
    n = graph.vcount()
    if n < 3:
        return np.zeros(n), "exact", n
    norm = (n - 1) * (n - 2) / 2
    if n <= exact_max or k >= n:
        return np.asarray(graph.betweenness(directed=False)) / norm, "exact", n
    sources = sample_sources(n, k, seed)
    # igraph counts each (source, target) path once over the given sources: with all n sources this is
    # the exact value, so the estimate from k sources is scaled by n/k.
    raw = np.asarray(graph.betweenness(directed=False, sources=sources.tolist()))
    return raw * (n / k) / norm, "sampled", k


def eigenvector(graph: ig.Graph) -> np.ndarray:
    """Eigenvector centrality on the largest connected component, max scaled to 1; 0 elsewhere."""
    values = np.zeros(graph.vcount())
    if graph.ecount() == 0:
        return values
    components = graph.connected_components()
    giant = max(components, key=len)
    sub = graph.subgraph(giant)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        scores = np.asarray(sub.eigenvector_centrality(scale=True))
    top = scores.max() if len(scores) else 0.0
    values[giant] = scores / top if top > 0 else scores
    return values


def communities(graph: ig.Graph, seed: int = LEIDEN_SEED) -> np.ndarray:
    """Seeded Leiden communities (modularity). igraph draws its random numbers from the generator set with
    `set_random_number_generator`; a private seeded one makes the result reproducible run after run."""
    if graph.vcount() == 0:
        return np.zeros(0, dtype=np.int64)
    ig.set_random_number_generator(random.Random(seed))  # noqa: S311 (reproducibility, not secrecy)
    try:
        # Two iterations (igraph's default): further ones rarely move a node and double the time.
        clustering = graph.community_leiden(objective_function="modularity", n_iterations=2)
    finally:
        ig.set_random_number_generator(random)
    membership = np.asarray(clustering.membership, dtype=np.int64)
    # Number communities by size, largest first, so "community 0" means the same thing in every run.
    sizes = np.bincount(membership)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[membership]


def centralities(combined: CombinedGraph, **options: Any) -> Centralities:
    graph = combined.graph
    values, method, k = betweenness(graph, **options)
    return Centralities(
        degree=np.asarray(graph.degree(), dtype=np.int64),
        betweenness=values,
        eigenvector=eigenvector(graph),
        community=communities(graph),
        method=method,
        sources=k,
    )


def overlap_matrix(incidence: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
    """Shared members of every pair of networks (B^T B, diagonal = members) and the member counts."""
    shared = (incidence.T @ incidence).tocsr()
    return shared, np.asarray(incidence.sum(axis=0)).ravel()


def jaccard_matrix(shared: sp.csr_matrix, sizes: np.ndarray) -> sp.csr_matrix:
    """Jaccard index on the non-zero entries of `shared`: shared / (|a| + |b| - shared)."""
    coo = shared.tocoo()
    union = sizes[coo.row] + sizes[coo.col] - coo.data
    data = np.divide(coo.data, union, out=np.zeros_like(coo.data, dtype=float), where=union > 0)
    return sp.csr_matrix((data, (coo.row, coo.col)), shape=shared.shape)


def bridging_scores(incidence: sp.csr_matrix, jaccard: sp.csr_matrix) -> np.ndarray:
    """1 - mean pairwise Jaccard of each member's networks (see the module docstring), for every member at
    once: b J b^T summed over a member's networks, minus the diagonal (J_ii = 1), halved, is the sum over
    its pairs of networks."""
    m = np.asarray(incidence.sum(axis=1)).ravel()
    # (B J)[a, i] = sum of J[i, j] over a's networks j, needed only where a belongs to i. J is small
    # (networks x networks), so B times dense J is one sparse-dense product.
    rows, cols = incidence.nonzero()
    b_j = incidence @ jaccard.toarray()
    quadratic = np.bincount(rows, weights=b_j[rows, cols], minlength=incidence.shape[0])
    pair_sum = (quadratic - m) / 2
    pairs = m * (m - 1) / 2
    mean = np.divide(pair_sum, pairs, out=np.zeros_like(pair_sum), where=pairs > 0)
    return np.where(m >= 2, 1.0 - mean, 0.0)


def fatigue_counts(snapshot: Snapshot) -> np.ndarray:
    """Per network: members in >= FATIGUE_MIN_NETWORKS networks sharing one of its themes."""
    b, t = snapshot.incidence, snapshot.network_themes
    per_theme = (b @ t).tocsr()  # members x themes: how many of a member's networks carry the theme
    crowded = (per_theme >= FATIGUE_MIN_NETWORKS).astype(float)
    flagged = b.multiply(crowded @ t.T)  # members x networks: member of n and crowded on one of n's themes
    return np.asarray((flagged > 0).sum(axis=0)).ravel().astype(np.int64)


def _south_share(countries: list[str]) -> float | None:
    known = [c for c in countries if c in REGION_OF]
    return round(sum(c in GLOBAL_SOUTH for c in known) / len(known), 4) if known else None


def ecosystem_compute(
    snapshot: Snapshot, *, progress: Progress = _no_progress, **betweenness_options: Any
) -> dict[str, Any]:
    """The whole-registry analysis as a JSON-ready dict (the keys of `citydiplo analyze ecosystem`)."""
    progress(10, "graphs")
    combined = combined_graph(snapshot)
    shared, sizes = overlap_matrix(snapshot.incidence)
    jaccard = jaccard_matrix(shared, sizes)
    progress(25, "centralities")
    cent = centralities(combined, **betweenness_options)
    progress(80, "tables")
    bridging = bridging_scores(snapshot.incidence, jaccard)
    fatigue = fatigue_counts(snapshot)

    # Networks.
    b_csc = snapshot.incidence.tocsc()
    founders: dict[int, list[str]] = {}
    board: dict[int, list[str]] = {}
    roles_of_member = np.zeros(len(snapshot.member_index), dtype=np.int64)
    for row, col, role, is_current in snapshot.roles:
        name = snapshot.names[snapshot.member_index[row]]
        if role == "founder":
            founders.setdefault(col, []).append(name)
        if is_current:
            roles_of_member[row] += 1
            if role in BOARD_ROLES:
                board.setdefault(col, []).append(name)
    networks = []
    for col, actor in enumerate(snapshot.network_index):
        member_rows = b_csc.indices[b_csc.indptr[col] : b_csc.indptr[col + 1]]
        countries = [snapshot.countries[a] for a in snapshot.member_index[member_rows]]
        regions: dict[str, int] = {}
        for country in countries:
            region = REGION_OF.get(country)
            if region:
                regions[region] = regions.get(region, 0) + 1
        themes = snapshot.network_themes[col].indices
        networks.append(
            {
                "key": snapshot.slugs[actor],
                "name": snapshot.names[actor],
                "acronym": snapshot.acronyms[actor],
                "members": int(sizes[col]),
                "countries": len({c for c in countries if c}),
                "regions": dict(sorted(regions.items())),
                "global_south_share": _south_share(countries),
                "founders": sorted(set(founders.get(col, []))),
                "board": sorted(set(board.get(col, []))),
                "fatigue_members": int(fatigue[col]),
                "themes": [snapshot.theme_keys[t] for t in themes],
            }
        )

    # Overlap: upper triangle of B^T B, pairs sharing at least one member, most shared first.
    upper = sp.triu(shared, k=1).tocoo()
    union = sizes[upper.row] + sizes[upper.col] - upper.data
    pair_jaccard = upper.data / union
    order = np.lexsort((upper.col, upper.row, -upper.data))
    overlap = [
        {
            "a": snapshot.slugs[snapshot.network_index[upper.row[i]]],
            "b": snapshot.slugs[snapshot.network_index[upper.col[i]]],
            "shared": int(upper.data[i]),
            "jaccard": round(float(pair_jaccard[i]), 6),
        }
        for i in order
    ]

    # Places: every member row that is not itself a network (columns built as arrays, then zipped).
    memberships = np.asarray(snapshot.incidence.sum(axis=1)).ravel().astype(np.int64)
    twin_degree = np.bincount(snapshot.twinning.ravel(), minlength=snapshot.n_actors)
    kinds = np.array(snapshot.kinds, dtype=object)
    rows = np.flatnonzero(kinds[snapshot.member_index] != ActorKind.NETWORK)
    actors = snapshot.member_index[rows]
    vertices = combined.vertex_of_actor[actors]
    countries = [snapshot.countries[a] for a in actors.tolist()]
    columns = zip(
        snapshot.actor_ids[actors].tolist(),
        [snapshot.slugs[a] for a in actors.tolist()],
        [snapshot.names[a] for a in actors.tolist()],
        countries,
        memberships[rows].tolist(),
        roles_of_member[rows].tolist(),
        twin_degree[actors].tolist(),
        cent.degree[vertices].tolist(),
        cent.betweenness[vertices].tolist(),
        cent.eigenvector[vertices].tolist(),
        np.round(bridging[rows], 6).tolist(),
        cent.community[vertices].tolist(),
        strict=True,
    )
    places = [
        {
            "id": actor_id,
            "slug": slug,
            "name": name,
            "country": country,
            "region": REGION_OF.get(country, ""),
            "global_south": (country in GLOBAL_SOUTH) if country in REGION_OF else None,
            "memberships": n_memberships,
            "roles": n_roles,
            "twinning_degree": n_twins,
            "degree": degree,
            "betweenness": between,
            "eigenvector": eigen,
            "bridging": bridge,
            "community": community,
        }
        for (
            actor_id,
            slug,
            name,
            country,
            n_memberships,
            n_roles,
            n_twins,
            degree,
            between,
            eigen,
            bridge,
            community,
        ) in columns
    ]
    places.sort(key=lambda p: (-p["betweenness"], p["name"]))
    progress(95, "done")
    graph = combined.graph
    return {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "fingerprint": snapshot.fingerprint,
        "summary": {
            "places": len(places),
            "networks": len(networks),
            "memberships": int(snapshot.incidence.nnz),
            "twinning_links": len(snapshot.twinning),
            "vertices": graph.vcount(),
            "edges": graph.ecount(),
            "components": len(graph.connected_components()) if graph.vcount() else 0,
            "communities": int(cent.community.max()) + 1 if len(cent.community) else 0,
            "betweenness_method": cent.method,
            "betweenness_sources": cent.sources,
            "betweenness_seed": BETWEENNESS_SEED,
            "leiden_seed": LEIDEN_SEED,
            "fatigue_min_networks": FATIGUE_MIN_NETWORKS,
        },
        "networks": sorted(networks, key=lambda n: (-n["members"], n["name"])),
        "overlap": overlap,
        "places": places,
    }

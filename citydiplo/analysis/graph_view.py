"""The data of the interactive graph page (static/js/ecosystem_graph.js draws it with sigma.js).

The combined graph of the reader's snapshot, optionally narrowed to one network's members, one theme or
one region, with each node's card (name, kind, country, centralities) taken from the computed analysis.
Browsers stay responsive up to a few thousand nodes: beyond GRAPH_MAX_NODES, the best-connected places
are kept (every network is always kept) and the page says how many were left out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.urls import reverse

from citydiplo.analysis.graphs import combined_graph
from citydiplo.analysis.regions import REGION_OF
from citydiplo.analysis.selectors import snapshot_for, theme_profile
from citydiplo.registry.models import ActorKind

GRAPH_MAX_NODES = 2_000
PALETTE = [
    "#0b5fa5",
    "#c2410c",
    "#15803d",
    "#7c3aed",
    "#b91c1c",
    "#0f766e",
    "#a16207",
    "#be185d",
    "#4d7c0f",
    "#1d4ed8",
]
OTHER_COLOUR = "#94a3b8"
NETWORK_COLOUR = "#111827"


def graph_data(
    *, user: Any, result: dict[str, Any], network: str = "", theme: str = "", region: str = ""
) -> dict[str, Any]:
    snapshot = snapshot_for(user=user)
    combined = combined_graph(snapshot)
    actors = combined.actor_of_vertex
    is_network = np.array([snapshot.kinds[a] == ActorKind.NETWORK for a in actors], dtype=bool)
    keep = np.ones(len(actors), dtype=bool)

    if network:
        cols = [i for i, a in enumerate(snapshot.network_index) if snapshot.slugs[a] == network]
        members = snapshot.incidence.tocsc()[:, cols].indices if cols else np.zeros(0, dtype=np.int64)
        chosen = np.concatenate([snapshot.member_index[members], snapshot.network_index[cols]])
        keep &= np.isin(actors, chosen)
    if theme and theme in snapshot.theme_keys:
        t = snapshot.theme_keys.index(theme)
        profile = theme_profile(snapshot)
        on_theme_members = snapshot.member_index[np.asarray(profile[:, t].todense()).ravel() > 0]
        on_theme_networks = snapshot.network_index[
            np.asarray(snapshot.network_themes[:, t].todense()).ravel() > 0
        ]
        keep &= np.isin(actors, np.concatenate([on_theme_members, on_theme_networks]))
    if region:
        in_region = np.array([REGION_OF.get(snapshot.countries[a], "") == region for a in actors], dtype=bool)
        keep &= in_region | is_network

    degree = np.asarray(combined.graph.degree())
    places_kept = np.flatnonzero(keep & ~is_network)
    left_out = 0
    if keep.sum() > GRAPH_MAX_NODES:
        room = max(GRAPH_MAX_NODES - int((keep & is_network).sum()), 0)
        ranked = places_kept[np.argsort(-degree[places_kept], kind="stable")]
        keep[ranked[room:]] = False
        left_out = len(ranked) - room

    edges = np.array(combined.graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    edges = edges[keep[edges[:, 0]] & keep[edges[:, 1]]]
    # Networks with no member left after filtering are noise: drop them.
    linked = np.zeros(len(actors), dtype=bool)
    linked[edges.ravel()] = True
    keep &= linked | ~is_network

    by_id = {p["id"]: p for p in result["places"]}
    nodes = []
    for vertex in np.flatnonzero(keep):
        actor = actors[vertex]
        actor_id = int(snapshot.actor_ids[actor])
        metrics = by_id.get(actor_id, {})
        community = metrics.get("community", -1)
        network_node = bool(is_network[vertex])
        nodes.append(
            {
                "key": str(vertex),
                "label": snapshot.names[actor],
                "kind": "network" if network_node else "place",
                "country": snapshot.countries[actor],
                "size": float(3 + 2 * np.sqrt(degree[vertex]))
                if not network_node
                else float(8 + np.sqrt(degree[vertex])),
                "color": NETWORK_COLOUR
                if network_node
                else (PALETTE[community] if 0 <= community < len(PALETTE) else OTHER_COLOUR),
                "url": reverse(
                    "analysis:network" if network_node else "analysis:place", args=[snapshot.slugs[actor]]
                ),
                "degree": int(degree[vertex]),
                "memberships": metrics.get("memberships"),
                "twinning": metrics.get("twinning_degree"),
                "betweenness": metrics.get("betweenness"),
                "eigenvector": metrics.get("eigenvector"),
                "bridging": metrics.get("bridging"),
                "community": community if community >= 0 else None,
            }
        )
    return {
        "nodes": nodes,
        "edges": [[str(a), str(b)] for a, b in edges.tolist()],
        "left_out": left_out,
    }

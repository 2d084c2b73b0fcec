"""The registry as graphs: what a reader may see, read once into arrays, then turned into igraph graphs and
scipy.sparse matrices. This module and citydiplo/analysis/metrics.py are the only places that build graphs.

Four structures, all built from the same `Snapshot`:

* the membership incidence matrix B (members x networks, 1 where the member currently belongs): the
  bipartite actor-network graph as a matrix. Network overlap is B^T B (shared members on every pair at
  once); the actor-actor projection B B^T is never formed (10^7-10^8 pairs at global scale): similarity
  for one actor is one sparse row times B^T, computed when asked (see `similar_members`).
* the twinning graph: actor-actor, one edge per pair of parties of a current twinning agreement. Pairs come
  from the agreement-party incidence P as P^T P, so an agreement with three parties gives three edges.
* the combined graph: actors and networks as nodes, membership and twinning edges, undirected, simple
  and unweighted (a membership and a twinning count as one tie each; several agreements between the same
  two places are one tie).

Only current relations count: memberships without an end ("until" empty) and twinning agreements that
are neither ended nor have an end date.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import numpy as np
import scipy.sparse as sp
from django.db import connections
from django.db.models import Count, Max
from django.utils.translation import get_language

from citydiplo.registry.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Membership,
    RolePeriod,
    Theme,
)

# Roles that make a member part of a network's governing bodies (Castells' "programmers").
BOARD_ROLES = ("board", "co-president", "vice-president", "lead", "secretariat")
# Languages of the translated actor names, in citydiplo's fallback order (settings.MODELTRANSLATION_...).
NAME_LANGUAGES = ("en", "es", "pt", "fr")


@dataclass
class Snapshot:
    """What one reader may see of the registry's relations, as plain arrays indexed from 0.

    Actors are indexed once (`actor_ids`); every actor that is a network is also a column of B, every
    actor that is a member or a twinning party a row. `member_index[i]` is the actor index of row i,
    `network_index[j]` the actor index of column j.
    """

    actor_ids: np.ndarray
    kinds: list[str]
    names: list[str]
    slugs: list[str]
    acronyms: list[str]
    countries: list[str]
    populations: np.ndarray  # float, NaN when unknown
    latitudes: np.ndarray
    longitudes: np.ndarray
    member_index: np.ndarray  # rows of B -> actor index
    network_index: np.ndarray  # columns of B -> actor index
    incidence: sp.csr_matrix  # B: members x networks, 0/1
    twinning: np.ndarray  # (e, 2) actor-index pairs, i < j, unique
    theme_keys: list[str]
    theme_names: list[str]
    network_themes: sp.csr_matrix  # networks x themes, 0/1
    actor_themes: sp.csr_matrix  # actors x themes, 0/1 (the actor's own themes)
    # (member row, network column, role) for every role period other than plain "member".
    roles: list[tuple[int, int, str, bool]] = field(default_factory=list)  # ..., current
    fingerprint: str = ""

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    def index_of(self, actor_id: int) -> int | None:
        position = int(np.searchsorted(self.actor_ids, actor_id))
        if position < len(self.actor_ids) and self.actor_ids[position] == actor_id:
            return position
        return None


def registry_fingerprint(*, user: Any) -> str:
    """A short digest that changes whenever anything the reader sees of the relations changes: counts and
    the latest change time of visible actors, memberships and agreements, plus theme links and roles (which
    carry no time stamp). Cached analyses are keyed by it."""
    parts: list[str] = []
    for model in (Actor, Membership, Agreement):
        stats = model.objects.visible_to(user).aggregate(n=Count("pk"), last=Max("updated_at"))
        parts.append(f"{model.__name__}:{stats['n']}:{stats['last']}")
    parts.append(f"themes:{Actor.themes.through.objects.count()}")
    parts.append(f"roles:{RolePeriod.objects.count()}:{RolePeriod.objects.aggregate(m=Max('pk'))['m']}")
    parts.append(f"parties:{AgreementParty.objects.count()}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _fetch_ids(queryset: Any, *fields: str) -> np.ndarray:
    """Integer columns (ids) as an (n, len(fields)) array, through `_fetch`'s cursor path, unordered (a
    model's default ordering, e.g. memberships by network and member name, would cost joins and a sort)."""
    sql, params = queryset.order_by().values_list(*fields).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        named = [column[0] for column in cursor.description]
        table = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, len(named))
    return table[:, _column_order(named, fields)]


def _column_order(named: list[str], fields: tuple[str, ...]) -> list[int]:
    """Where each requested field sits among the selected columns. modeltranslation's querysets select
    `field AS field` and may reorder; plain ones keep the requested order without aliases."""
    if all(f in named for f in fields):
        return [named.index(f) for f in fields]
    return list(range(len(fields)))


def _fetch(queryset: Any, *fields: str) -> list[tuple[Any, ...]]:
    """Rows of plain values read straight from the database cursor. The ORM still builds the SQL (with
    the visibility filter), but the rows skip modeltranslation's per-row wrapper, which costs more than
    the query itself at 150,000 memberships."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        named = [column[0] for column in cursor.description]
    order = _column_order(named, fields)
    if order == list(range(len(fields))):
        return rows
    return [tuple(row[i] for i in order) for row in rows]


def _names_in(language: str) -> tuple[list[str], Any]:
    """The translated name columns in the reader's language first, then the fallback order (en, es, pt, fr),
    and a function picking the first non-empty one of a row's names."""
    order = [language] + [code for code in NAME_LANGUAGES if code != language]
    columns = [f"name_{code}" for code in order if code in NAME_LANGUAGES]

    def pick(names: tuple[Any, ...]) -> str:
        return next((n for n in names if n), "")

    return columns, pick


def snapshot_load(*, user: Any) -> Snapshot:
    """Read what `user` may see (None: an anonymous reader) in a handful of queries, no per-row query.

    Relations whose member, network or party the reader may not see are left out even if the relation
    itself is visible, so a private actor can never enter another office's analysis through a link.
    """
    actors = Actor.objects.visible_to(user)
    name_columns, pick_name = _names_in((get_language() or "en")[:2])
    raw = _fetch(
        actors.order_by("id"),
        "id",
        "kind",
        "slug",
        "acronym",
        "country",
        "population",
        "latitude",
        "longitude",
        *name_columns,
    )
    rows = [(r[0], r[1], pick_name(r[8:]), *r[2:8]) for r in raw]
    actor_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    is_network = np.fromiter((r[1] == ActorKind.NETWORK for r in rows), dtype=bool, count=len(rows))

    def positions(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Actor indices of `ids` and a mask of those the reader may see."""
        pos = np.searchsorted(actor_ids, ids)
        pos = np.minimum(pos, max(len(actor_ids) - 1, 0))
        ok = actor_ids[pos] == ids if len(actor_ids) else np.zeros(len(ids), dtype=bool)
        return pos, ok

    # Current memberships.
    mem_rows = _fetch_ids(
        Membership.objects.visible_to(user).filter(until=""), "id", "member_id", "network_id"
    )
    m_pos, m_ok = positions(mem_rows[:, 1])
    n_pos, n_ok = positions(mem_rows[:, 2])
    keep = m_ok & n_ok & is_network[n_pos] if len(mem_rows) else np.zeros(0, dtype=bool)
    mem_ids, m_pos, n_pos = mem_rows[keep, 0], m_pos[keep], n_pos[keep]

    # Current twinning agreements: parties as an agreement x actor incidence, pairs = P^T P off-diagonal.
    current = (
        Agreement.objects.visible_to(user)
        .filter(kind=AgreementKind.TWINNING, ended="")
        .exclude(status=AgreementStatus.ENDED)
    )
    party_rows = _fetch_ids(AgreementParty.objects.filter(agreement__in=current), "agreement_id", "actor_id")
    p_pos, p_ok = positions(party_rows[:, 1])
    party_rows, p_pos = party_rows[p_ok], p_pos[p_ok]
    twinning = np.zeros((0, 2), dtype=np.int64)
    if len(party_rows):
        _, agreement_row = np.unique(party_rows[:, 0], return_inverse=True)
        parties = sp.csr_matrix(
            (np.ones(len(p_pos)), (agreement_row, p_pos)), shape=(agreement_row.max() + 1, len(actor_ids))
        )
        pairs = sp.triu(parties.T @ parties, k=1).tocoo()
        twinning = np.column_stack([pairs.row, pairs.col]).astype(np.int64)

    # Rows of B: every actor that is a member or a twinning party; columns: every visible network.
    member_index = np.unique(np.concatenate([m_pos, twinning.ravel()])).astype(np.int64)
    network_index = np.flatnonzero(is_network).astype(np.int64)
    row_of = np.full(len(actor_ids), -1, dtype=np.int64)
    row_of[member_index] = np.arange(len(member_index))
    col_of = np.full(len(actor_ids), -1, dtype=np.int64)
    col_of[network_index] = np.arange(len(network_index))
    incidence = sp.csr_matrix(
        (np.ones(len(m_pos)), (row_of[m_pos], col_of[n_pos])), shape=(len(member_index), len(network_index))
    )
    incidence.data[:] = 1.0  # an office's own copy of a reference membership is still one membership

    # Themes of networks and of actors (the actor's own tags).
    themes = list(Theme.objects.order_by("order", "key").values_list("pk", "key", "name"))
    theme_col = {pk: i for i, (pk, _, _) in enumerate(themes)}
    links = _fetch_ids(Actor.themes.through.objects.filter(actor__in=actors), "actor_id", "theme_id")
    t_pos, t_ok = positions(links[:, 0])
    t_cols = np.array([theme_col.get(int(t), -1) for t in links[:, 1]], dtype=np.int64)
    t_ok &= t_cols >= 0
    actor_themes = sp.csr_matrix(
        (np.ones(int(t_ok.sum())), (t_pos[t_ok], t_cols[t_ok])), shape=(len(actor_ids), len(themes))
    )
    actor_themes.data[:] = 1.0
    network_themes = actor_themes[network_index]

    # Role periods of the memberships kept above.
    roles: list[tuple[int, int, str, bool]] = []
    if len(mem_ids):
        order = np.argsort(mem_ids)
        sorted_ids = mem_ids[order]
        role_rows = _fetch(
            RolePeriod.objects.filter(
                membership__in=Membership.objects.visible_to(user).filter(until="")
            ).exclude(role="member"),
            "membership_id",
            "role",
            "until",
        )
        for membership_id, role, until in role_rows:
            at = int(np.searchsorted(sorted_ids, membership_id))
            if at < len(sorted_ids) and sorted_ids[at] == membership_id:
                k = order[at]
                roles.append((int(row_of[m_pos[k]]), int(col_of[n_pos[k]]), role, not until))

    return Snapshot(
        actor_ids=actor_ids,
        kinds=[r[1] for r in rows],
        names=[r[2] for r in rows],
        slugs=[r[3] for r in rows],
        acronyms=[r[4] for r in rows],
        countries=[(r[5] or "").upper() for r in rows],
        populations=np.array([np.nan if r[6] is None else float(r[6]) for r in rows], dtype=float),
        latitudes=np.array([np.nan if r[7] is None else r[7] for r in rows], dtype=float),
        longitudes=np.array([np.nan if r[8] is None else r[8] for r in rows], dtype=float),
        member_index=member_index,
        network_index=network_index,
        incidence=incidence,
        twinning=twinning,
        theme_keys=[t[1] for t in themes],
        theme_names=[t[2] for t in themes],
        network_themes=network_themes.tocsr(),
        actor_themes=actor_themes.tocsr(),
        roles=roles,
    )


def membership_graph(snapshot: Snapshot) -> ig.Graph:
    """The bipartite actor-network graph (igraph's `type` attribute: True for networks)."""
    rows, cols = snapshot.incidence.nonzero()
    n_members = len(snapshot.member_index)
    graph = ig.Graph(
        n=n_members + len(snapshot.network_index),
        edges=np.column_stack([rows, cols + n_members]).tolist(),
    )
    graph.vs["type"] = [False] * n_members + [True] * len(snapshot.network_index)
    graph.vs["actor"] = np.concatenate([snapshot.member_index, snapshot.network_index]).tolist()
    return graph


def twinning_graph(snapshot: Snapshot) -> ig.Graph:
    """Actor-actor twinning ties, on every actor of the snapshot (isolated ones included)."""
    return ig.Graph(n=snapshot.n_actors, edges=snapshot.twinning.tolist())


@dataclass
class CombinedGraph:
    """The combined graph and how its vertices map back to actors."""

    graph: ig.Graph
    actor_of_vertex: np.ndarray  # vertex -> actor index
    vertex_of_actor: np.ndarray  # actor index -> vertex, -1 when the actor has no relation


def combined_graph(snapshot: Snapshot) -> CombinedGraph:
    """Members and networks as one vertex each (an actor that is both, e.g. a network that is a member of
    another network, is one vertex); membership and twinning edges; simple, undirected, unweighted."""
    actor_of_vertex = np.union1d(snapshot.member_index, snapshot.network_index)
    vertex_of_actor = np.full(snapshot.n_actors, -1, dtype=np.int64)
    vertex_of_actor[actor_of_vertex] = np.arange(len(actor_of_vertex))
    rows, cols = snapshot.incidence.nonzero()
    membership_edges = np.column_stack(
        [vertex_of_actor[snapshot.member_index[rows]], vertex_of_actor[snapshot.network_index[cols]]]
    )
    twinning_edges = vertex_of_actor[snapshot.twinning] if len(snapshot.twinning) else np.zeros((0, 2), int)
    edges = np.vstack([membership_edges, twinning_edges]).astype(np.int64)
    # One tie per pair. Membership edges are distinct (entries of B), and so are twinning edges (entries
    # of P^T P); the two sets can only meet, or loop, where a network is itself a member or a twinning
    # party, which is rare: only then is the whole list de-duplicated (pairs encoded as one integer).
    is_network = np.zeros(len(actor_of_vertex), dtype=bool)
    is_network[vertex_of_actor[snapshot.network_index]] = True
    mixed = is_network[membership_edges[:, 0]].any() or (
        len(twinning_edges) and is_network[twinning_edges].any()
    )
    if len(edges) and mixed:
        edges = np.sort(edges, axis=1)
        edges = edges[edges[:, 0] != edges[:, 1]]
        n = len(actor_of_vertex)
        codes = np.unique(edges[:, 0] * n + edges[:, 1])
        edges = np.column_stack([codes // n, codes % n])
    graph = ig.Graph(n=len(actor_of_vertex), edges=edges.tolist())
    return CombinedGraph(graph=graph, actor_of_vertex=actor_of_vertex, vertex_of_actor=vertex_of_actor)

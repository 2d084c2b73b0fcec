"""Reads of the ecosystem analysis. Every function takes the reading user and works only on what that user
may see (graphs.snapshot_load goes through `visible_to`); stored results are read back only for the
reader's own scope (see models.EcosystemRun), so one office's private relations never reach another's page.

Per-actor questions (peers, partner suggestions, a portfolio) are answered on demand from the snapshot:
one sparse row times the incidence matrix, one breadth-first search. Nothing pairwise over all actors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from django.core.cache import cache
from django.utils.translation import get_language

from citydiplo.accounts.models import Organisation
from citydiplo.accounts.records import organisation_ids_of
from citydiplo.analysis.graphs import Snapshot, combined_graph, registry_fingerprint, snapshot_load
from citydiplo.analysis.models import EcosystemRun, RunStatus
from citydiplo.analysis.regions import REGION_NAMES, REGION_OF
from citydiplo.registry.models import ActorKind

User = Any  # a User, an AnonymousUser, an OrganisationReader or None
CACHE_SECONDS = 60 * 60

# Peer similarity: weights of the four resemblances (they sum to 1, so the score is in [0, 1]).
PEER_WEIGHTS = {"networks": 0.5, "themes": 0.2, "size": 0.15, "region": 0.15}
# Population ratio at which size similarity reaches 0: 10^3, a town of 10,000 against a city of 10 million.
SIZE_DECADES = 3.0
# Partner suggestions: how far through existing relations a suggested partner may be.
SUGGESTION_MAX_HOPS = 4


@dataclass(frozen=True)
class OrganisationReader:
    """Reads as a member of one organisation would (the CLI's and API's --org): reference facts, public
    records, the organisation's own and those shared with it. Works with `visible_to` through the same
    per-user cache that `organisation_ids_of` fills for real users."""

    organisation_ids: tuple[int, ...]
    is_authenticated: bool = True

    @property
    def _citydiplo_org_ids(self) -> list[int]:
        return list(self.organisation_ids)


def reader_for(organisation: Organisation | None) -> OrganisationReader | None:
    return OrganisationReader((organisation.pk,)) if organisation is not None else None


def reader_of(organisation_ids: list[int]) -> OrganisationReader | None:
    """A reader for a set of organisations (a background run reads as the user who asked for it)."""
    return OrganisationReader(tuple(sorted(organisation_ids))) if organisation_ids else None


def analysis_scope(user: User) -> str:
    """ "public", or the organisations whose private records the reader sees ("orgs:3,7")."""
    ids = sorted(organisation_ids_of(user))
    return "orgs:" + ",".join(map(str, ids)) if ids else "public"


def snapshot_for(*, user: User) -> Snapshot:
    """The reader's snapshot, cached per scope and registry fingerprint (it is rebuilt when anything the
    reader sees changes)."""
    fingerprint = registry_fingerprint(user=user)
    # The snapshot holds actor names in the reader's language: one cached copy per language.
    key = f"analysis:snapshot:{analysis_scope(user)}:{get_language()}:{fingerprint}"
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = snapshot_load(user=user)
        snapshot.fingerprint = fingerprint
        cache.set(key, snapshot, CACHE_SECONDS)
    return snapshot


@dataclass
class EcosystemState:
    """What a page knows of the reader's analysis: the result (None until one is computed for the current
    registry) and the latest run, which may still be running."""

    result: dict[str, Any] | None
    run: EcosystemRun | None
    fingerprint: str
    stale: bool = False  # the result is from an older registry (shown with a warning until rerun)


def ecosystem_state(*, user: User) -> EcosystemState:
    scope = analysis_scope(user)
    fingerprint = registry_fingerprint(user=user)
    key = f"analysis:ecosystem:{scope}:{fingerprint}"
    result = cache.get(key)
    runs = EcosystemRun.objects.filter(scope=scope)
    # The latest run is shown for its status and progress only: its result (megabytes of JSON at world
    # scale) is not read for that.
    latest = runs.defer("result").first()
    if result is not None:
        return EcosystemState(result=result, run=latest, fingerprint=fingerprint)
    done = runs.filter(status=RunStatus.DONE).first()
    if done is not None and done.fingerprint == fingerprint:
        cache.set(key, done.result, CACHE_SECONDS)
        return EcosystemState(result=done.result, run=latest, fingerprint=fingerprint)
    if done is not None:
        return EcosystemState(result=done.result, run=latest, fingerprint=fingerprint, stale=True)
    return EcosystemState(result=None, run=latest, fingerprint=fingerprint)


def run_get(*, user: User, pk: int) -> EcosystemRun:
    """A run of the reader's own scope; raises EcosystemRun.DoesNotExist otherwise (404 for the view)."""
    return EcosystemRun.objects.get(pk=pk, scope=analysis_scope(user))


# --- Lookups on a computed result -------------------------------------------------------------------------


def result_place(result: dict[str, Any], actor_id: int) -> dict[str, Any] | None:
    return next((p for p in result["places"] if p["id"] == actor_id), None)


def result_network(result: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((n for n in result["networks"] if n["key"] == key), None)


def region_name(key: str) -> str:
    return str(REGION_NAMES.get(key, key))


# --- Similarity, on demand for one actor ------------------------------------------------------------------


def theme_profile(snapshot: Snapshot) -> sp.csr_matrix:
    """Members x themes: the themes of a member's networks (counted per network) plus its own tags."""
    own = snapshot.actor_themes[snapshot.member_index]
    return (snapshot.incidence @ snapshot.network_themes + own).tocsr()


@dataclass
class Similarity:
    score: np.ndarray  # per member row
    shared_networks: np.ndarray
    networks: np.ndarray
    themes: np.ndarray
    size: np.ndarray
    region: np.ndarray


def similarity_to(snapshot: Snapshot, row: int) -> Similarity:
    """How much every member resembles member `row`, in [0, 1] (see PEER_WEIGHTS and docs/en/ecosystem.md):
    Jaccard of their networks (one sparse row times B^T), cosine of their theme profiles, closeness of
    population on a log scale, and same M49 region."""
    b = snapshot.incidence
    mine = b[row]
    shared = np.asarray((b @ mine.T).todense()).ravel()
    counts = np.asarray(b.sum(axis=1)).ravel()
    union = counts + counts[row] - shared
    networks = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)

    profile = theme_profile(snapshot)
    dots = np.asarray((profile @ profile[row].T).todense()).ravel()
    norms = np.sqrt(np.asarray(profile.multiply(profile).sum(axis=1)).ravel())
    denominator = norms * norms[row]
    themes = np.divide(dots, denominator, out=np.zeros_like(dots), where=denominator > 0)

    population = snapshot.populations[snapshot.member_index]
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.abs(np.log10(population) - np.log10(population[row]))
    size = np.where(np.isfinite(gap), 1.0 - np.minimum(gap, SIZE_DECADES) / SIZE_DECADES, 0.0)

    regions = np.array([REGION_OF.get(snapshot.countries[a], "") for a in snapshot.member_index])
    region = ((regions == regions[row]) & (regions != "")).astype(float)

    score = (
        PEER_WEIGHTS["networks"] * networks
        + PEER_WEIGHTS["themes"] * themes
        + PEER_WEIGHTS["size"] * size
        + PEER_WEIGHTS["region"] * region
    )
    return Similarity(score, shared, networks, themes, size, region)


def _member_row(snapshot: Snapshot, actor_id: int) -> int | None:
    index = snapshot.index_of(actor_id)
    if index is None:
        return None
    found = np.searchsorted(snapshot.member_index, index)
    if found < len(snapshot.member_index) and snapshot.member_index[found] == index:
        return int(found)
    return None


def _networks_of(snapshot: Snapshot, row: int) -> list[int]:
    return snapshot.incidence[row].indices.tolist()


def _network_ref(snapshot: Snapshot, col: int) -> dict[str, str]:
    actor = snapshot.network_index[col]
    return {"key": snapshot.slugs[actor], "name": snapshot.names[actor]}


def _is_place(snapshot: Snapshot, rows: np.ndarray) -> np.ndarray:
    kinds = np.array(snapshot.kinds, dtype=object)[snapshot.member_index[rows]]
    return kinds != ActorKind.NETWORK


@dataclass
class Peer:
    actor_id: int
    slug: str
    name: str
    country: str
    score: float
    shared_networks: int
    their_networks: list[dict[str, str]] = field(default_factory=list)  # theirs, not ours


def peers_of(*, user: User, actor_id: int, limit: int = 10) -> list[Peer]:
    """The places most similar to `actor_id`, each with the networks it belongs to that this one does not.
    Empty when the actor has no relation the reader can see."""
    snapshot = snapshot_for(user=user)
    row = _member_row(snapshot, actor_id)
    if row is None:
        return []
    sim = similarity_to(snapshot, row)
    candidates = np.flatnonzero((sim.networks > 0) | (sim.themes > 0))
    candidates = candidates[(candidates != row) & _is_place(snapshot, candidates)]
    best = candidates[np.lexsort((candidates, -sim.score[candidates]))][:limit]
    mine = set(_networks_of(snapshot, row))
    peers = []
    for peer_row in best:
        actor = snapshot.member_index[peer_row]
        peers.append(
            Peer(
                actor_id=int(snapshot.actor_ids[actor]),
                slug=snapshot.slugs[actor],
                name=snapshot.names[actor],
                country=snapshot.countries[actor],
                score=round(float(sim.score[peer_row]), 4),
                shared_networks=int(sim.shared_networks[peer_row]),
                their_networks=[
                    _network_ref(snapshot, c) for c in _networks_of(snapshot, int(peer_row)) if c not in mine
                ],
            )
        )
    return peers


@dataclass
class Suggestion:
    actor_id: int
    slug: str
    name: str
    country: str
    score: float
    hops: int
    path: list[str]

    @property
    def path_text(self) -> str:
        return " → ".join(self.path)


def partner_suggestions(
    *, user: User, actor_id: int, theme_keys: list[str], limit: int = 10
) -> list[Suggestion]:
    """Places working on any of `theme_keys` (their own tags or their networks'), reachable from the actor
    through existing relations in 2 to SUGGESTION_MAX_HOPS steps (1 step: already a partner or fellow
    member... of a network, which is 2), ranked by similarity, each with the path that connects them."""
    snapshot = snapshot_for(user=user)
    row = _member_row(snapshot, actor_id)
    theme_cols = [snapshot.theme_keys.index(k) for k in theme_keys if k in snapshot.theme_keys]
    if row is None or not theme_cols:
        return []
    profile = theme_profile(snapshot)
    on_theme = np.asarray(profile[:, theme_cols].sum(axis=1)).ravel() > 0

    combined = combined_graph(snapshot)
    origin = int(combined.vertex_of_actor[snapshot.member_index[row]])
    distances = np.asarray(combined.graph.distances(source=[origin])[0], dtype=float)
    vertices = combined.vertex_of_actor[snapshot.member_index]
    hops = distances[vertices]
    eligible = on_theme & (hops >= 2) & (hops <= SUGGESTION_MAX_HOPS)
    eligible &= _is_place(snapshot, np.arange(len(snapshot.member_index)))
    eligible[row] = False
    candidates = np.flatnonzero(eligible)
    if not len(candidates):
        return []
    sim = similarity_to(snapshot, row)
    best = candidates[np.lexsort((candidates, hops[candidates], -sim.score[candidates]))][:limit]
    paths = combined.graph.get_shortest_paths(origin, to=[int(vertices[r]) for r in best])
    suggestions = []
    for peer_row, path in zip(best, paths, strict=True):
        actor = snapshot.member_index[peer_row]
        suggestions.append(
            Suggestion(
                actor_id=int(snapshot.actor_ids[actor]),
                slug=snapshot.slugs[actor],
                name=snapshot.names[actor],
                country=snapshot.countries[actor],
                score=round(float(sim.score[peer_row]), 4),
                hops=int(hops[peer_row]),
                path=[snapshot.names[combined.actor_of_vertex[v]] for v in path],
            )
        )
    return suggestions


@dataclass
class ThemeRedundancy:
    theme_key: str
    theme_name: str
    networks: list[dict[str, Any]]  # {key, name, members}
    shared_members: int  # members (other than us) in at least two of these networks


def portfolio_redundancy(*, user: User, actor_id: int) -> list[ThemeRedundancy]:
    """For each theme, the actor's networks carrying it when there are two or more: memberships that may
    duplicate each other. `shared_members` counts the other members found in at least two of them."""
    snapshot = snapshot_for(user=user)
    row = _member_row(snapshot, actor_id)
    if row is None:
        return []
    cols = np.array(_networks_of(snapshot, row), dtype=np.int64)
    if not len(cols):
        return []
    themes_of = snapshot.network_themes[cols]  # my networks x themes
    per_theme = np.asarray(themes_of.sum(axis=0)).ravel()
    sizes = np.asarray(snapshot.incidence.sum(axis=0)).ravel()
    b_mine = snapshot.incidence[:, cols].tocsc()
    found = []
    for t in np.flatnonzero(per_theme >= 2):
        these = cols[np.asarray(themes_of[:, t].todense()).ravel() > 0]
        in_how_many = np.asarray(b_mine[:, np.isin(cols, these)].sum(axis=1)).ravel()
        in_how_many[row] = 0
        found.append(
            ThemeRedundancy(
                theme_key=snapshot.theme_keys[t],
                theme_name=snapshot.theme_names[t],
                networks=[{**_network_ref(snapshot, int(c)), "members": int(sizes[c])} for c in these],
                shared_members=int((in_how_many >= 2).sum()),
            )
        )
    return sorted(found, key=lambda r: (-len(r.networks), r.theme_key))


def network_members(*, user: User, key: str) -> list[int]:
    """Actor ids of the current members of the network `key` the reader can see."""
    snapshot = snapshot_for(user=user)
    cols = [i for i, a in enumerate(snapshot.network_index) if snapshot.slugs[a] == key]
    if not cols:
        return []
    rows = snapshot.incidence.tocsc()[:, cols[0]].indices
    return snapshot.actor_ids[snapshot.member_index[rows]].tolist()


def place_partners(*, user: User, actor_id: int) -> list[int]:
    """Actor ids of the actor's current twinning partners the reader can see."""
    snapshot = snapshot_for(user=user)
    index = snapshot.index_of(actor_id)
    if index is None or not len(snapshot.twinning):
        return []
    pairs = snapshot.twinning
    partners = np.concatenate([pairs[pairs[:, 0] == index, 1], pairs[pairs[:, 1] == index, 0]])
    return snapshot.actor_ids[partners].tolist()


def place_networks(*, user: User, actor_id: int) -> list[dict[str, str]]:
    snapshot = snapshot_for(user=user)
    row = _member_row(snapshot, actor_id)
    return [] if row is None else [_network_ref(snapshot, c) for c in _networks_of(snapshot, row)]


# --- Strategy: gaps against an organisation's axes, suggestions for an objective ------------------------


@dataclass
class AxisCoverage:
    """How the place's current relations cover one strategy axis, and where it could look."""

    axis_id: int
    name: str
    kind: str  # "thematic" or "geographic"
    covered_by: list[dict[str, str]]  # networks (thematic) or partner places (geographic) already there
    gap: bool
    options: list[dict[str, Any]]  # networks the place is not in that would cover the axis, largest first


def _axes_of(*, user: User, organisation: Organisation) -> list[Any]:
    from citydiplo.strategy.models import Axis

    return list(Axis.objects.visible_to(user).filter(owner=organisation).select_related("theme"))


def strategy_gaps(
    *, user: User, organisation: Organisation, actor_id: int, options: int = 5
) -> list[AxisCoverage]:
    """For each strategy axis of `organisation` (the ones the reader may see): a thematic axis is covered
    when the place belongs to a network carrying the axis theme; a geographic axis when the place has a
    twinning partner in one of its countries or belongs to a network with members there. Uncovered axes
    are gaps; `options` lists the networks it does not belong to that would cover them (most members in
    the theme or the countries first)."""
    axes = _axes_of(user=user, organisation=organisation)
    if not axes:
        return []
    snapshot = snapshot_for(user=user)
    row = _member_row(snapshot, actor_id)
    mine = set(_networks_of(snapshot, row)) if row is not None else set()
    sizes = np.asarray(snapshot.incidence.sum(axis=0)).ravel()
    member_countries = np.array([snapshot.countries[a] for a in snapshot.member_index])
    partners = set(place_partners(user=user, actor_id=actor_id))
    found = []
    for axis in axes:
        if axis.kind == "thematic" and axis.theme_id and axis.theme.key in snapshot.theme_keys:
            t = snapshot.theme_keys.index(axis.theme.key)
            carrying = np.flatnonzero(np.asarray(snapshot.network_themes[:, t].todense()).ravel() > 0)
            covered = [_network_ref(snapshot, int(c)) for c in carrying if c in mine]
            weight = sizes
        else:
            countries = {c.upper() for c in (axis.countries or [])}
            if axis.region:
                countries |= {
                    c
                    for c, r in REGION_OF.items()
                    if r == axis.region or str(REGION_NAMES.get(r)) == axis.region
                }
            there = np.isin(member_countries, sorted(countries))
            weight = np.asarray(snapshot.incidence[there].sum(axis=0)).ravel()
            carrying = np.flatnonzero(weight > 0)
            covered = [_network_ref(snapshot, int(c)) for c in carrying if c in mine]
            covered += [
                {"key": snapshot.slugs[i], "name": snapshot.names[i]}
                for i in (snapshot.index_of(p) for p in partners)
                if i is not None and snapshot.countries[i] in countries
            ]
        candidates = [int(c) for c in carrying if c not in mine]
        candidates.sort(key=lambda c: (-weight[c], snapshot.names[snapshot.network_index[c]]))
        found.append(
            AxisCoverage(
                axis_id=axis.pk,
                name=axis.name,
                kind=axis.kind,
                covered_by=covered,
                gap=not covered,
                options=[
                    {**_network_ref(snapshot, c), "members": int(weight[c])} for c in candidates[:options]
                ],
            )
        )
    return found


def objective_theme_keys(*, user: User, objective_id: int) -> list[str]:
    """The theme keys of an objective's thematic axes (the objective must be visible to the reader);
    raises Objective.DoesNotExist otherwise."""
    from citydiplo.strategy.models import Objective

    objective = Objective.objects.visible_to(user).get(pk=objective_id)
    return sorted(
        {
            a.theme.key
            for a in objective.axes.visible_to(user).select_related("theme")
            if a.theme_id is not None
        }
    )


@dataclass
class ObjectiveSuggestions:
    objective_id: int
    title: str
    theme_keys: list[str]
    suggestions: list[Suggestion]


def objective_suggestions(
    *, user: User, organisation: Organisation, actor_id: int, limit: int = 5
) -> list[ObjectiveSuggestions]:
    """Partner suggestions for each of the organisation's objectives the reader may see that has thematic
    axes (objectives without one are left out: there is no theme to look for)."""
    from citydiplo.strategy.models import Objective

    found = []
    objectives = (
        Objective.objects.visible_to(user).filter(owner=organisation).order_by("strategy_id", "order", "pk")
    )
    for objective in objectives:
        keys = objective_theme_keys(user=user, objective_id=objective.pk)
        if keys:
            found.append(
                ObjectiveSuggestions(
                    objective_id=objective.pk,
                    title=objective.title,
                    theme_keys=keys,
                    suggestions=partner_suggestions(
                        user=user, actor_id=actor_id, theme_keys=keys, limit=limit
                    ),
                )
            )
    return found

"""LABELLED SYNTHETIC registries of city networks, for benchmarks only (never data about real places).

`synth_ecosystem(...)` draws a registry with the shape of the real one at global scale: heavy-tailed
network sizes (Zipf, exponent NETWORK_SIZE_EXPONENT: a few networks with thousands of members, most
with a few hundred or fewer), regional clustering (most networks recruit mainly in one UN M49 region,
a third are global; half the twinnings stay within a region), and a skewed propensity to join (a
place's activity grows with its population, so large cities hold many memberships). Every actor's
name starts with "SYNTH ", every record's source is "synthetic" and its reference key "synth:...".

`synth_ecosystem_write(...)` stores one in the database with bulk inserts, in one transaction, and
records one interchange ImportRun (kind "synthetic-ecosystem"); `SynthRegistry.to_snapshot()` gives the
analysis snapshot directly, without a database (the benchmark's sampling-error registry).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from citydiplo.analysis.graphs import Snapshot
from citydiplo.analysis.regions import REGION_OF

SYNTH_PREFIX = "SYNTH "
SYNTH_SOURCE = "synthetic"
NETWORK_SIZE_EXPONENT = 0.7
GLOBAL_NETWORK_SHARE = 0.3
SAME_REGION_TWINNING_SHARE = 0.5
# Rough shares of the world's local governments in international networks, by M49 region.
REGION_SHARES = {
    "asia": 0.30,
    "europe": 0.25,
    "latin_america": 0.15,
    "africa": 0.15,
    "northern_america": 0.10,
    "oceania": 0.05,
}
# Approximate centres, so that synthetic places fall on the right continent of a map.
REGION_CENTRES = {
    "asia": (30.0, 100.0),
    "europe": (50.0, 10.0),
    "latin_america": (-15.0, -60.0),
    "africa": (5.0, 20.0),
    "northern_america": (42.0, -95.0),
    "oceania": (-25.0, 140.0),
}

Progress = Callable[[int, str], None]


@dataclass
class SynthRegistry:
    countries: np.ndarray  # per place, ISO alpha-2
    regions: np.ndarray  # per place, region key
    populations: np.ndarray
    latitudes: np.ndarray
    longitudes: np.ndarray
    memberships: np.ndarray  # (m, 2): place index, network index
    twinnings: np.ndarray  # (t, 2): place index pairs, i < j, unique
    network_themes: np.ndarray  # (k, 2): network index, theme index
    founders: np.ndarray  # membership row indices whose member founded the network
    n_networks: int
    n_themes: int

    @property
    def n_places(self) -> int:
        return len(self.countries)

    def to_snapshot(self, theme_keys: list[str] | None = None) -> Snapshot:
        """The analysis snapshot of this registry: places are actors 0..P-1, networks P..P+N-1."""
        n_places, n_networks = self.n_places, self.n_networks
        n_actors = n_places + n_networks
        keys = theme_keys or [f"theme-{i}" for i in range(self.n_themes)]
        member_index = np.arange(n_places, dtype=np.int64)
        incidence = sp.csr_matrix(
            (np.ones(len(self.memberships)), (self.memberships[:, 0], self.memberships[:, 1])),
            shape=(n_places, n_networks),
        )
        network_themes = sp.csr_matrix(
            (np.ones(len(self.network_themes)), (self.network_themes[:, 0], self.network_themes[:, 1])),
            shape=(n_networks, len(keys)),
        )
        actor_themes = sp.vstack([sp.csr_matrix((n_places, len(keys))), network_themes]).tocsr()
        return Snapshot(
            actor_ids=np.arange(1, n_actors + 1, dtype=np.int64),
            kinds=["municipality"] * n_places + ["network"] * n_networks,
            names=[f"{SYNTH_PREFIX}place {i}" for i in range(n_places)]
            + [f"{SYNTH_PREFIX}network {j}" for j in range(n_networks)],
            slugs=[f"synth-place-{i}" for i in range(n_places)]
            + [f"synth-network-{j}" for j in range(n_networks)],
            acronyms=[""] * n_actors,
            countries=list(self.countries) + [""] * n_networks,
            populations=np.concatenate([self.populations, np.full(n_networks, np.nan)]),
            latitudes=np.concatenate([self.latitudes, np.full(n_networks, np.nan)]),
            longitudes=np.concatenate([self.longitudes, np.full(n_networks, np.nan)]),
            member_index=member_index,
            network_index=np.arange(n_places, n_actors, dtype=np.int64),
            incidence=incidence,
            twinning=self.twinnings.astype(np.int64),
            theme_keys=keys,
            theme_names=keys,
            network_themes=network_themes,
            actor_themes=actor_themes,
            roles=[
                (int(self.memberships[r, 0]), int(self.memberships[r, 1]), "founder", False)
                for r in self.founders
            ],
            fingerprint="synthetic",
        )


def _weighted_pick(
    rng: np.random.Generator, cumulative: np.ndarray, pool: np.ndarray, size: int
) -> np.ndarray:
    return pool[np.searchsorted(cumulative, rng.random(size) * cumulative[-1])]


def synth_ecosystem(
    *,
    places: int = 20_000,
    networks: int = 300,
    memberships: int = 150_000,
    twinnings: int = 60_000,
    themes: int = 25,
    seed: int = 2026,
) -> SynthRegistry:
    """Draw a synthetic registry (see the module docstring). Counts are exact: `memberships` distinct
    (place, network) pairs and `twinnings` distinct place pairs."""
    if places < 2 or networks < 1:
        raise ValueError("a synthetic registry needs at least 2 places and 1 network")
    if memberships > places * networks:
        raise ValueError(f"{memberships} memberships do not fit in {places} places x {networks} networks")
    if twinnings > places * (places - 1) // 2:
        raise ValueError(f"{twinnings} twinnings do not fit between {places} places")
    rng = np.random.default_rng(seed)

    # Places: region, country within it, population (log-normal, median 80,000), coordinates near the
    # region's centre, and a propensity to join networks that grows with population.
    region_keys = list(REGION_SHARES)
    region_of_place = rng.choice(len(region_keys), size=places, p=list(REGION_SHARES.values()))
    by_region = {r: sorted(c for c, k in REGION_OF.items() if k == r) for r in region_keys}
    countries = np.array(
        [
            by_region[region_keys[r]][int(i) % len(by_region[region_keys[r]])]
            for r, i in zip(region_of_place, rng.integers(0, 10_000, places), strict=True)
        ]
    )
    populations = np.round(np.exp(rng.normal(np.log(80_000), 1.3, places)))
    centres = np.array([REGION_CENTRES[k] for k in region_keys])
    latitudes = np.clip(centres[region_of_place, 0] + rng.normal(0, 10, places), -60, 75)
    longitudes = ((centres[region_of_place, 1] + rng.normal(0, 18, places)) + 180) % 360 - 180
    activity = populations**0.7

    # Network sizes: Zipf, scaled to the requested total, each at least 5 and at most half the places.
    raw = (np.arange(1, networks + 1)) ** -NETWORK_SIZE_EXPONENT
    sizes = np.maximum(5, np.floor(raw / raw.sum() * memberships)).astype(np.int64)
    sizes = np.minimum(sizes, places // 2)
    shortfall = memberships - int(sizes.sum())
    room = places // 2 - sizes
    while shortfall != 0:  # spread the rounding remainder over the networks with room left
        step = np.sign(shortfall)
        candidates = np.flatnonzero(room > 0 if step > 0 else sizes > 5)
        take = candidates[: abs(shortfall)]
        sizes[take] += step
        room[take] -= step
        shortfall -= step * len(take)
    home = rng.choice(len(region_keys), size=networks, p=list(REGION_SHARES.values()))
    is_global = rng.random(networks) < GLOBAL_NETWORK_SHARE

    pairs = []
    for j in range(networks):  # one draw per network (not per pair): 300 weighted samples
        weights = activity * (1.0 if is_global[j] else np.where(region_of_place == home[j], 1.0, 0.04))
        members = rng.choice(places, size=int(sizes[j]), replace=False, p=weights / weights.sum())
        pairs.append(np.column_stack([members, np.full(len(members), j)]))
    membership_pairs = np.vstack(pairs).astype(np.int64)

    # Twinnings: a weighted first place, a partner in the same region half of the time, distinct pairs.
    cumulative = np.cumsum(activity)
    region_pools = {r: np.flatnonzero(region_of_place == r) for r in range(len(region_keys))}
    region_cumulative = {r: np.cumsum(activity[pool]) for r, pool in region_pools.items()}
    found = np.zeros((0, 2), dtype=np.int64)
    while len(found) < twinnings:
        batch = int((twinnings - len(found)) * 1.3) + 100
        a = _weighted_pick(rng, cumulative, np.arange(places), batch)
        b = _weighted_pick(rng, cumulative, np.arange(places), batch)
        same = rng.random(batch) < SAME_REGION_TWINNING_SHARE
        for r, pool in region_pools.items():
            chosen = same & (region_of_place[a] == r)
            if chosen.any() and len(pool):
                b[chosen] = _weighted_pick(rng, region_cumulative[r], pool, int(chosen.sum()))
        new = np.sort(np.column_stack([a, b]), axis=1)
        new = new[new[:, 0] != new[:, 1]]
        found = np.unique(np.vstack([found, new]), axis=0)
    keep = np.sort(rng.choice(len(found), size=twinnings, replace=False))
    twinning_pairs = found[keep]

    # Themes: one to three per network, popular themes more often.
    theme_weights = 1.0 / np.arange(1, themes + 1)
    network_themes = np.vstack(
        [
            np.column_stack(
                [
                    np.full(k, j),
                    rng.choice(themes, size=k, replace=False, p=theme_weights / theme_weights.sum()),
                ]
            )
            for j, k in enumerate(rng.integers(1, 4, networks))
        ]
    ).astype(np.int64)

    # Founders: the first three drawn members of each network.
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    founders = np.concatenate([np.arange(s, s + min(3, int(n))) for s, n in zip(starts, sizes, strict=True)])

    return SynthRegistry(
        countries=countries,
        regions=np.array([region_keys[r] for r in region_of_place]),
        populations=populations,
        latitudes=latitudes,
        longitudes=longitudes,
        memberships=membership_pairs,
        twinnings=twinning_pairs,
        network_themes=network_themes,
        founders=founders,
        n_networks=networks,
        n_themes=themes,
    )


def synth_ecosystem_write(registry: SynthRegistry, *, progress: Progress | None = None) -> dict[str, int]:
    """Store a synthetic registry as reference records (public, source "synthetic"), in one transaction.
    Refuses to run on a database that already holds synthetic actors, so two draws are never mixed."""
    from citydiplo.accounts.records import Origin, Visibility
    from citydiplo.interchange.models import ImportRun
    from citydiplo.interchange.runs import import_run_finish, import_run_start
    from citydiplo.registry.models import Actor

    report = progress or (lambda percent, stage: None)
    if Actor.objects.filter(source=SYNTH_SOURCE).exists():
        raise ValueError("this database already holds a synthetic registry: use an empty database")
    common = {"origin": Origin.IMPORT, "visibility": Visibility.PUBLIC, "source": SYNTH_SOURCE}
    batch = 5_000
    run = import_run_start(
        kind="synthetic-ecosystem", total_rows=len(registry.memberships) + len(registry.twinnings)
    )
    try:
        counts = _write(registry, common, batch, report)
    except BaseException:
        import_run_finish(run=run, status=ImportRun.Status.FAILED)
        raise
    import_run_finish(
        run=run, status=ImportRun.Status.SUCCEEDED, counts={k: {"added": v} for k, v in counts.items()}
    )
    report(100, "done")
    return counts


def _write(registry: SynthRegistry, common: dict, batch: int, report: Progress) -> dict[str, int]:
    from django.db import transaction

    from citydiplo.registry.models import (
        Actor,
        ActorKind,
        Agreement,
        AgreementKind,
        AgreementParty,
        Membership,
        RolePeriod,
        Theme,
    )

    with transaction.atomic():
        report(5, "places")
        places = Actor.objects.bulk_create(
            [
                Actor(
                    kind=ActorKind.MUNICIPALITY,
                    name=f"{SYNTH_PREFIX}place {i}",
                    slug=f"synth-place-{i}",
                    country=str(registry.countries[i]),
                    population=int(registry.populations[i]),
                    latitude=float(registry.latitudes[i]),
                    longitude=float(registry.longitudes[i]),
                    reference_key=f"synth:place:{i}",
                    **common,
                )
                for i in range(registry.n_places)
            ],
            batch_size=batch,
        )
        networks = Actor.objects.bulk_create(
            [
                Actor(
                    kind=ActorKind.NETWORK,
                    name=f"{SYNTH_PREFIX}network {j}",
                    slug=f"synth-network-{j}",
                    reference_key=f"synth:network:{j}",
                    **common,
                )
                for j in range(registry.n_networks)
            ],
            batch_size=batch,
        )
        place_ids = [a.pk for a in places]
        network_ids = [a.pk for a in networks]
        themes = list(Theme.objects.order_by("order", "key").values_list("pk", flat=True))
        if themes:
            Actor.themes.through.objects.bulk_create(
                [
                    Actor.themes.through(actor_id=network_ids[j], theme_id=themes[t % len(themes)])
                    for j, t in registry.network_themes.tolist()
                ],
                batch_size=batch,
                ignore_conflicts=True,
            )
        report(20, "memberships")
        memberships = Membership.objects.bulk_create(
            [
                Membership(
                    member_id=place_ids[p],
                    network_id=network_ids[n],
                    reference_key=f"synth:m:{p}:{n}",
                    **common,
                )
                for p, n in registry.memberships.tolist()
            ],
            batch_size=batch,
        )
        RolePeriod.objects.bulk_create(
            [RolePeriod(membership_id=memberships[r].pk, role="founder") for r in registry.founders.tolist()],
            batch_size=batch,
        )
        report(55, "twinnings")
        agreements = Agreement.objects.bulk_create(
            [
                Agreement(
                    kind=AgreementKind.TWINNING,
                    title=f"{SYNTH_PREFIX}twinning {k}",
                    reference_key=f"synth:t:{k}",
                    **common,
                )
                for k in range(len(registry.twinnings))
            ],
            batch_size=batch,
        )
        report(75, "parties")
        AgreementParty.objects.bulk_create(
            [
                AgreementParty(agreement_id=agreements[k].pk, actor_id=place_ids[p])
                for k, pair in enumerate(registry.twinnings.tolist())
                for p in pair
            ],
            batch_size=batch,
        )
        return {
            "places": len(places),
            "networks": len(networks),
            "memberships": len(memberships),
            "twinnings": len(agreements),
        }

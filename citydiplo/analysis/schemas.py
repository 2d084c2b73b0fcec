"""API shapes of the ecosystem analysis (the same keys as `citydiplo analyze ecosystem --format json`)."""

from __future__ import annotations

from ninja import Schema


class NetworkMetricsOut(Schema):
    key: str
    name: str
    acronym: str
    members: int
    countries: int
    regions: dict[str, int]
    global_south_share: float | None
    founders: list[str]
    board: list[str]
    fatigue_members: int
    themes: list[str]


class OverlapOut(Schema):
    a: str
    b: str
    shared: int
    jaccard: float


class PlaceMetricsOut(Schema):
    id: int
    slug: str
    name: str
    country: str
    region: str
    global_south: bool | None
    memberships: int
    roles: int
    twinning_degree: int
    degree: int
    betweenness: float
    eigenvector: float
    bridging: float
    community: int


class SummaryOut(Schema):
    places: int
    networks: int
    memberships: int
    twinning_links: int
    vertices: int
    edges: int
    components: int
    communities: int
    betweenness_method: str
    betweenness_sources: int
    betweenness_seed: int
    leiden_seed: int
    fatigue_min_networks: int


class EcosystemOut(Schema):
    generated_at: str
    fingerprint: str
    summary: SummaryOut
    networks: list[NetworkMetricsOut]
    overlap: list[OverlapOut]
    places: list[PlaceMetricsOut]


class RunOut(Schema):
    id: int
    status: str
    progress: int
    stage: str
    error: str
    created_at: str
    finished_at: str | None


class NetworkRef(Schema):
    key: str
    name: str


class PeerOut(Schema):
    slug: str
    name: str
    country: str
    score: float
    shared_networks: int
    their_networks: list[NetworkRef]


class RedundancyOut(Schema):
    theme: str
    networks: list[NetworkRef]
    shared_members: int


class PlaceAnalysisOut(Schema):
    metrics: PlaceMetricsOut | None
    networks: list[NetworkRef]
    twinning_partners: list[str]
    peers: list[PeerOut]
    redundancy: list[RedundancyOut]


class SuggestionOut(Schema):
    slug: str
    name: str
    country: str
    score: float
    hops: int
    path: list[str]
    path_text: str


class NetworkOverlapOut(Schema):
    network: str
    shared: int
    jaccard: float


class NetworkAnalysisOut(Schema):
    metrics: NetworkMetricsOut | None
    overlap: list[NetworkOverlapOut]
    members: list[PlaceMetricsOut]

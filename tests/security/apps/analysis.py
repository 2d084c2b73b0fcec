"""The analysis app's part of the role matrix: every ecosystem page and API operation, for each principal.

An analysis is computed on what the reader may see, so office A's private member of Mercociudades must
appear in office A's rankings, graph, peers and network tables and nowhere else, and office B's private
twinning partner of Rosario only in office B's. Office A also keeps a private strategy (axis, objective)
that drives its portfolio's gaps and partner suggestions.
"""

from __future__ import annotations

from citydiplo.accounts.records import Visibility
from citydiplo.analysis.models import EcosystemRun
from citydiplo.analysis.selectors import analysis_scope
from citydiplo.registry import services
from citydiplo.registry.models import Theme
from citydiplo.strategy.models import Axis, Objective, Strategy
from tests.security.expectations import (
    LOGIN,
    Probe,
    api,
    api_of,
    everyone,
    named,
    office_a_only,
    signed_in,
)
from tests.security.world import ANONYMOUS, EDITOR, OFFICE_A, OTHER_ORG, OUTSIDER, OWNER, VIEWER, World


def build(world: World) -> None:
    cast = world.cast
    b_twinning = services.agreement_create(
        user=cast.other_owner,
        owner=world.office_b,
        kind="twinning",
        parties=[world.rosario, world.b_actor],
        title="PRIVATE-B-twinning",
        signed="2019",
    )
    climate = Theme.objects.get(key="climate")
    strategy = Strategy.objects.create(
        owner=world.office_a, visibility=Visibility.PRIVATE, title="PRIVATE-A-strategy"
    )
    axis = Axis.objects.create(
        owner=world.office_a,
        visibility=Visibility.PRIVATE,
        kind="thematic",
        name="PRIVATE-A-axis",
        theme=climate,
    )
    objective = Objective.objects.create(
        owner=world.office_a,
        visibility=Visibility.PRIVATE,
        strategy=strategy,
        family="knowledge",
        title="PRIVATE-A-objective",
    )
    objective.axes.add(axis)
    # A failed run of office A's scope: its status and error are office A's business only.
    a_run = EcosystemRun.objects.create(
        scope=analysis_scope(cast.editor),
        fingerprint="older",
        requested_by=cast.editor,
        status="failed",
        error="PRIVATE-A-run-error",
    )
    world.extra.update(b_twinning=b_twinning, a_axis=axis, a_objective=objective, a_run=a_run)


def _run_landed(world: World, principal: str) -> bool:
    """A run requested by a signed-in principal exists for that principal's scope (an anonymous request
    would have left an unrequested run of the public scope)."""
    user = world.users[principal]
    if user is None:
        return EcosystemRun.objects.filter(scope="public", requested_by=None).exists()
    return (
        EcosystemRun.objects.filter(scope=analysis_scope(user), requested_by__isnull=False)
        .exclude(pk=world.extra["a_run"].pk)
        .exists()
    )


SIGNED_IN = (OWNER, EDITOR, VIEWER, OTHER_ORG, OUTSIDER)
A_ACTOR = {**dict.fromkeys(OFFICE_A, ("PRIVATE-A-actor",)), OTHER_ORG: ("PRIVATE-B-actor",)}
A_ONLY_ACTOR = dict.fromkeys(OFFICE_A, ("PRIVATE-A-actor",))


UI_PROBES: list[Probe] = [
    Probe(
        "analysis:ecosystem",
        "rankings of each reader's analysis",
        "GET",
        named("analysis:ecosystem"),
        everyone(),
        shows=A_ACTOR,
    ),
    Probe(
        "analysis:run",
        "queue a run of the reader's scope",
        "POST",
        named("analysis:run"),
        signed_in(302),
        landed=_run_landed,
        lands=SIGNED_IN,
    ),
    Probe(
        "analysis:download",
        "places table of each reader's analysis",
        "GET",
        named("analysis:download", lambda w: "places.csv"),
        everyone(),
        shows=A_ACTOR,
    ),
    Probe(
        "analysis:download",
        "the whole analysis as JSON",
        "GET",
        named("analysis:download", lambda w: "ecosystem.json"),
        everyone(),
        shows=A_ACTOR,
    ),
    Probe(
        "analysis:run-progress",
        "progress of office A's run",
        "GET",
        named("analysis:run-progress", lambda w: w.extra["a_run"].pk),
        office_a_only(),
        shows=dict.fromkeys(OFFICE_A, ("PRIVATE-A-run-error",)),
    ),
    Probe(
        "analysis:overlap",
        "heat-map and fatigue table",
        "GET",
        named("analysis:overlap"),
        everyone(),
        shows=dict.fromkeys(OFFICE_A, ("PRIVATE-A-network",)),
    ),
    Probe(
        "analysis:graph", "graph with node cards", "GET", named("analysis:graph"), everyone(), shows=A_ACTOR
    ),
    Probe(
        "analysis:place",
        "reference city with A's private fellow member as peer",
        "GET",
        named("analysis:place", lambda w: w.montevideo.slug),
        everyone(),
        shows=A_ONLY_ACTOR,
    ),
    Probe(
        "analysis:place",
        "reference city with B's private twinning partner",
        "GET",
        named("analysis:place", lambda w: w.rosario.slug),
        everyone(),
        shows={OTHER_ORG: ("PRIVATE-B-actor",)},
    ),
    Probe(
        "analysis:place",
        "A's private actor",
        "GET",
        named("analysis:place", lambda w: w.a_actor.slug),
        office_a_only(),
        shows=A_ONLY_ACTOR,
    ),
    Probe(
        "analysis:network",
        "reference network with A's private member",
        "GET",
        named("analysis:network", lambda w: w.network.slug),
        everyone(),
        shows=A_ONLY_ACTOR,
    ),
    Probe(
        "analysis:network",
        "A's private network",
        "GET",
        named("analysis:network", lambda w: w.a_network.slug),
        office_a_only(),
        shows=dict.fromkeys(OFFICE_A, ("PRIVATE-A-network",)),
    ),
    Probe(
        "analysis:portfolio",
        "the reader's organisation's portfolio and strategy gaps",
        "GET",
        named("analysis:portfolio"),
        signed_in(),
        shows=dict.fromkeys(OFFICE_A, ("PRIVATE-A-axis", "PRIVATE-A-objective")),
    ),
]


API_PROBES: list[Probe] = [
    Probe(
        "api:ecosystem_get",
        "each reader's analysis",
        "GET",
        api("/analysis/ecosystem"),
        everyone(),
        shows=A_ACTOR,
    ),
    Probe(
        "api:ecosystem_run_create",
        "queue a run of the caller's scope",
        "POST",
        api("/analysis/runs"),
        {**dict.fromkeys(SIGNED_IN, 202), ANONYMOUS: 401},
        landed=_run_landed,
        lands=SIGNED_IN,
    ),
    Probe(
        "api:ecosystem_run_get",
        "office A's run",
        "GET",
        api_of("/analysis/runs/{}", lambda w: w.extra["a_run"].pk),
        office_a_only(),
        shows=dict.fromkeys(OFFICE_A, ("PRIVATE-A-run-error",)),
    ),
    Probe(
        "api:place_analysis",
        "reference city with A's private fellow member as peer",
        "GET",
        api_of("/analysis/places/{}", lambda w: w.montevideo.slug),
        everyone(),
        shows=A_ONLY_ACTOR,
    ),
    Probe(
        "api:place_analysis",
        "A's private actor",
        "GET",
        api_of("/analysis/places/{}", lambda w: w.a_actor.slug),
        office_a_only(),
    ),
    Probe(
        "api:place_suggestions",
        "suggestions for a theme",
        "GET",
        api_of("/analysis/places/{}/suggestions?theme=climate", lambda w: w.montevideo.slug),
        everyone(),
    ),
    Probe(
        "api:place_suggestions",
        "suggestions for A's private objective",
        "GET",
        api_of(
            "/analysis/places/{}/suggestions?objective={}",
            lambda w: w.montevideo.slug,
            lambda w: w.extra["a_objective"].pk,
        ),
        office_a_only(),
    ),
    Probe(
        "api:network_analysis",
        "reference network with A's private member",
        "GET",
        api_of("/analysis/networks/{}", lambda w: w.network.slug),
        everyone(),
        shows=A_ONLY_ACTOR,
    ),
    Probe(
        "api:network_analysis",
        "A's private network",
        "GET",
        api_of("/analysis/networks/{}", lambda w: w.a_network.slug),
        office_a_only(),
    ),
]

__all__ = ["API_PROBES", "LOGIN", "OUTSIDER", "UI_PROBES", "build"]

"""Ecosystem pages: overview with ranked tables, overlap heat-map, interactive graph, a place's and a
network's analysis with maps, and an office's own portfolio. Every page reads through the analysis
selectors (the reader's own scope); public readers see the analysis of reference and public records."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citydiplo.accounts.selectors import seat_of
from citydiplo.analysis import charts, export, selectors, services
from citydiplo.analysis.forms import GraphFilterForm, SuggestionForm
from citydiplo.analysis.graph_view import graph_data
from citydiplo.analysis.models import EcosystemRun
from citydiplo.registry import selectors as registry_selectors
from citydiplo.registry.models import Actor
from citydiplo.registry.views._common import map_data

RANKED_ROWS = 15


def _state(request: HttpRequest) -> selectors.EcosystemState:
    return services.ecosystem_ensure(user=request.user)


def _ranked(places: list[dict[str, Any]], key: str, *, reverse: bool = True) -> list[dict[str, Any]]:
    return sorted(places, key=lambda p: ((-p[key] if reverse else p[key]), p["name"]))[:RANKED_ROWS]


def _actor_or_404(request: HttpRequest, slug: str) -> Actor:
    try:
        return registry_selectors.actor_get(user=request.user, slug=slug)
    except Actor.DoesNotExist as exc:
        raise Http404(_("No such record.")) from exc


@require_GET
def ecosystem(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    context: dict[str, Any] = {"state": state, "run": state.run}
    if state.result is not None:
        places = state.result["places"]
        context.update(
            summary=state.result["summary"],
            networks=state.result["networks"][:RANKED_ROWS],
            by_betweenness=_ranked(places, "betweenness"),
            by_eigenvector=_ranked(places, "eigenvector"),
            by_bridging=_ranked([p for p in places if p["memberships"] >= 2], "bridging"),
            by_memberships=_ranked(places, "memberships"),
        )
    return render(request, "analysis/ecosystem.html", context)


DOWNLOADS = {
    "ecosystem.json": "application/json",
    "networks.csv": "text/csv",
    "overlap.csv": "text/csv",
    "places.csv": "text/csv",
}


@require_GET
def download(request: HttpRequest, name: str) -> HttpResponse:
    """The reader's analysis as the CLI writes it: the JSON object or one of the three CSV tables."""
    if name not in DOWNLOADS:
        raise Http404(_("No such record."))
    state = _state(request)
    if state.result is None:
        raise Http404(_("The analysis has not been computed yet."))
    stem = name.rsplit(".", 1)[0]
    body = export.to_json(state.result) if name.endswith(".json") else export.table_csv(state.result, stem)
    response = HttpResponse(body, content_type=f"{DOWNLOADS[name]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="citydiplo-{name}"'
    return response


@login_required
@require_POST
def run_request(request: HttpRequest) -> HttpResponse:
    """Queue a fresh analysis of what the user sees; the overview page shows its progress."""
    services.ecosystem_run_request(user=request.user)
    return redirect("analysis:ecosystem")


@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled progress partial of a run of the reader's own scope (404 for anyone else's)."""
    try:
        run = selectors.run_get(user=request.user, pk=pk)
    except EcosystemRun.DoesNotExist as exc:
        raise Http404(_("No such record.")) from exc
    return render(request, "analysis/_progress.html", {"run": run})


@require_GET
def overlap(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    context: dict[str, Any] = {"state": state, "run": state.run}
    if state.result is not None:
        context.update(
            heatmap=charts.overlap_heatmap(state.result),
            pairs=state.result["overlap"][:50],
            networks=sorted(state.result["networks"], key=lambda n: (-n["fatigue_members"], n["name"])),
        )
    return render(request, "analysis/overlap.html", context)


@require_GET
def graph(request: HttpRequest) -> HttpResponse:
    filters = GraphFilterForm(request.GET, user=request.user)
    state = _state(request)
    data = None
    if state.result is not None:
        values = filters.cleaned_data if filters.is_valid() else {}
        data = graph_data(user=request.user, result=state.result, **values)
    return render(
        request,
        "analysis/graph.html",
        {"state": state, "run": state.run, "filters": filters, "graph_data": data},
    )


@require_GET
def place(request: HttpRequest, slug: str) -> HttpResponse:
    actor = _actor_or_404(request, slug)
    state = _state(request)
    metrics = selectors.result_place(state.result, actor.pk) if state.result else None
    partner_ids = selectors.place_partners(user=request.user, actor_id=actor.pk)
    partners = registry_selectors.actor_pick(user=request.user, pks=partner_ids)
    form = SuggestionForm(request.GET or None)
    suggestions = None
    if form.is_valid():
        suggestions = selectors.partner_suggestions(
            user=request.user, actor_id=actor.pk, theme_keys=[form.cleaned_data["theme"].key]
        )
    return render(
        request,
        "analysis/place.html",
        {
            "actor": actor,
            "state": state,
            "metrics": metrics,
            "networks": selectors.place_networks(user=request.user, actor_id=actor.pk),
            "peers": selectors.peers_of(user=request.user, actor_id=actor.pk),
            "redundancy": selectors.portfolio_redundancy(user=request.user, actor_id=actor.pk),
            "partners": partners,
            "form": form,
            "suggestions": suggestions,
            "map_data": map_data(origin=actor, others=[(p, _("Twinning")) for p in partners], connect=True),
            "region_name": selectors.region_name(metrics["region"]) if metrics else "",
        },
    )


@require_GET
def network(request: HttpRequest, slug: str) -> HttpResponse:
    actor = _actor_or_404(request, slug)
    if not actor.is_network:
        return redirect("analysis:place", slug=actor.slug)
    state = _state(request)
    metrics = selectors.result_network(state.result, actor.slug) if state.result else None
    member_ids = set(selectors.network_members(user=request.user, key=actor.slug))
    members = [p for p in (state.result or {"places": []})["places"] if p["id"] in member_ids]
    overlaps = [
        {"other": o["b"] if o["a"] == actor.slug else o["a"], "shared": o["shared"], "jaccard": o["jaccard"]}
        for o in (state.result or {"overlap": []})["overlap"]
        if actor.slug in (o["a"], o["b"])
    ]
    names = {n["key"]: n["name"] for n in (state.result or {"networks": []})["networks"]}
    for row in overlaps:
        row["name"] = names.get(row["other"], row["other"])
    member_actors = registry_selectors.actor_pick(user=request.user, pks=list(member_ids))
    return render(
        request,
        "analysis/network.html",
        {
            "network": actor,
            "state": state,
            "metrics": metrics,
            "regions": [(selectors.region_name(k), v) for k, v in (metrics or {}).get("regions", {}).items()],
            "central": _ranked(members, "eigenvector"),
            "isolated": sorted(members, key=lambda p: (p["degree"], p["eigenvector"], p["name"]))[
                :RANKED_ROWS
            ],
            "overlaps": overlaps,
            "map_data": map_data(origin=None, others=[(m, "") for m in member_actors], connect=False),
        },
    )


@login_required
@require_GET
def portfolio(request: HttpRequest) -> HttpResponse:
    """The signed-in user's organisation: its place's redundancy by theme, gaps against its strategy axes,
    peers and what they belong to."""
    seat = seat_of(user=request.user, session=request.session)
    organisation = seat.organisation if seat else None
    place_actor = None
    if organisation is not None and organisation.place_id:
        place_actor = registry_selectors.actor_pick(user=request.user, pks=[organisation.place_id])
        place_actor = place_actor[0] if place_actor else None
    context: dict[str, Any] = {"organisation": organisation, "place": place_actor}
    if place_actor is not None:
        context.update(
            redundancy=selectors.portfolio_redundancy(user=request.user, actor_id=place_actor.pk),
            peers=selectors.peers_of(user=request.user, actor_id=place_actor.pk),
            networks=selectors.place_networks(user=request.user, actor_id=place_actor.pk),
            gaps=selectors.strategy_gaps(
                user=request.user, organisation=organisation, actor_id=place_actor.pk
            ),
            objectives=selectors.objective_suggestions(
                user=request.user, organisation=organisation, actor_id=place_actor.pk
            ),
        )
    return render(request, "analysis/portfolio.html", context)

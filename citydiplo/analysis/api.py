"""The analysis endpoints of the REST API (see citydiplo/api.py for authentication and errors).

The same data as the pages and `citydiplo analyze`, computed on what the caller may see. The whole
ecosystem is served from the stored result of the caller's scope when the registry has not changed;
otherwise it is computed during the request and stored (a client may instead queue a run with
POST /analysis/runs and poll GET /analysis/runs/{id}).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from citydiplo.accounts.api_auth import READ_AUTH, WRITE_AUTH
from citydiplo.analysis import selectors, services
from citydiplo.analysis.models import EcosystemRun
from citydiplo.analysis.schemas import (
    EcosystemOut,
    NetworkAnalysisOut,
    PlaceAnalysisOut,
    RunOut,
    SuggestionOut,
)
from citydiplo.registry import selectors as registry_selectors
from citydiplo.registry.models import Actor, Theme
from citydiplo.registry.schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["analysis"])

READ = {401: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}
READ_ONE = {**READ, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}


def _caller(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _run_out(run: EcosystemRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "progress": run.progress,
        "stage": run.stage,
        "error": run.error,
        "created_at": run.created_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


def _current(user: Any) -> dict[str, Any]:
    state = services.ecosystem_ensure(user=user)
    if state.result is not None and not state.stale:
        return state.result
    return services.ecosystem_compute_and_store(user=user)


@router.get("/analysis/ecosystem", response={200: EcosystemOut, **READ}, auth=READ_AUTH)
def ecosystem_get(request: HttpRequest) -> Any:
    """Every network (members, countries, regions, Global South share, founders, board, fatigue), the
    overlap of every pair sharing members (shared, Jaccard), and every place's centralities. See the
    user guide (Ecosystem analysis) for definitions and normalisations."""
    return _current(_caller(request))


@router.post("/analysis/runs", response={202: RunOut, **WRITE}, auth=WRITE_AUTH)
def ecosystem_run_create(request: HttpRequest) -> Any:
    """Queue a fresh analysis of what the caller sees (an unfinished one is returned instead)."""
    return 202, _run_out(services.ecosystem_run_request(user=_caller(request)))


@router.get("/analysis/runs/{run_id}", response={200: RunOut, **READ_ONE}, auth=READ_AUTH)
def ecosystem_run_get(request: HttpRequest, run_id: int) -> Any:
    """A run of the caller's own scope: status and progress (0-100)."""
    return _run_out(selectors.run_get(user=_caller(request), pk=run_id))


def _actor(user: Any, slug: str) -> Actor:
    return registry_selectors.actor_get(user=user, slug=slug)


@router.get("/analysis/places/{slug}", response={200: PlaceAnalysisOut, **READ_ONE}, auth=READ_AUTH)
def place_analysis(request: HttpRequest, slug: str) -> Any:
    """A place's metrics, networks, twinning partners, most similar peers (with the networks they belong
    to and it does not) and its memberships that share a theme."""
    user = _caller(request)
    actor = _actor(user, slug)
    partners = registry_selectors.actor_pick(
        user=user, pks=selectors.place_partners(user=user, actor_id=actor.pk)
    )
    return {
        "metrics": selectors.result_place(_current(user), actor.pk),
        "networks": selectors.place_networks(user=user, actor_id=actor.pk),
        "twinning_partners": [p.slug for p in partners],
        "peers": selectors.peers_of(user=user, actor_id=actor.pk),
        "redundancy": [
            {"theme": r.theme_key, "networks": r.networks, "shared_members": r.shared_members}
            for r in selectors.portfolio_redundancy(user=user, actor_id=actor.pk)
        ],
    }


class SuggestionQuery(Schema):
    theme: list[str] = []
    objective: int | None = None


@router.get(
    "/analysis/places/{slug}/suggestions", response={200: list[SuggestionOut], **READ_ONE}, auth=READ_AUTH
)
def place_suggestions(request: HttpRequest, slug: str, query: Query[SuggestionQuery]) -> Any:
    """Partner suggestions for one or more themes, or for a strategy objective (the themes of its
    thematic axes): places on those themes reachable through existing relations, with the path."""
    user = _caller(request)
    actor = _actor(user, slug)
    themes = list(query.theme)
    if query.objective is not None:
        themes += selectors.objective_theme_keys(user=user, objective_id=query.objective)
    known = set(Theme.objects.values_list("key", flat=True))
    unknown = sorted(set(themes) - known)
    if unknown or not themes:
        raise ValidationError(
            {
                "theme": [
                    _("Unknown theme: %(keys)s") % {"keys": ", ".join(unknown)}
                    if unknown
                    else _("Name a theme or an objective.")
                ]
            }
        )
    found = selectors.partner_suggestions(user=user, actor_id=actor.pk, theme_keys=themes)
    return [{**s.__dict__, "path_text": s.path_text} for s in found]


@router.get("/analysis/networks/{slug}", response={200: NetworkAnalysisOut, **READ_ONE}, auth=READ_AUTH)
def network_analysis(request: HttpRequest, slug: str) -> Any:
    """A network's metrics, its overlap with every network sharing members, and its members' metrics."""
    user = _caller(request)
    network = _actor(user, slug)
    if not network.is_network:
        raise ObjectDoesNotExist
    result = _current(user)
    member_ids = set(selectors.network_members(user=user, key=network.slug))
    return {
        "metrics": selectors.result_network(result, network.slug),
        "overlap": [
            {
                "network": o["b"] if o["a"] == network.slug else o["a"],
                "shared": o["shared"],
                "jaccard": o["jaccard"],
            }
            for o in result["overlap"]
            if network.slug in (o["a"], o["b"])
        ],
        "members": [p for p in result["places"] if p["id"] in member_ids],
    }

"""Writes of the analysis app: computing and storing ecosystem runs.

A run is requested by a signed-in user (or the CLI) and computed by `ecosystem_run_execute`, in a
background task when the registry is large (the page polls its progress) or at once when it is small.
The result is stored whole or not at all: a failed run keeps its error and no partial result.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from citydiplo.analysis.graphs import registry_fingerprint, snapshot_load
from citydiplo.analysis.metrics import Progress, ecosystem_compute
from citydiplo.analysis.models import EcosystemRun, RunStatus
from citydiplo.analysis.selectors import (
    CACHE_SECONDS,
    OrganisationReader,
    analysis_scope,
    ecosystem_state,
    reader_of,
)
from citydiplo.registry.models import Agreement, Membership

logger = logging.getLogger(__name__)

# Registries with at most this many visible memberships and agreements are analysed inside the request
# that first needs them (well under a second); larger ones go through a background run with progress.
INLINE_MAX_RELATIONS = 3_000


def ecosystem_compute_for(*, user: Any, progress: Progress | None = None) -> dict[str, Any]:
    """Compute the analysis of what `user` may see, now, without storing it (the CLI's path)."""
    fingerprint = registry_fingerprint(user=user)
    snapshot = snapshot_load(user=user)
    snapshot.fingerprint = fingerprint
    result = ecosystem_compute(snapshot, progress=progress or (lambda percent, stage: None))
    result["scope"] = analysis_scope(user)
    return result


def ecosystem_run_request(*, user: Any) -> EcosystemRun:
    """Queue a run for the reader's scope (one at a time: an unfinished run is returned as it is)."""
    scope = analysis_scope(user)
    with transaction.atomic():
        pending = EcosystemRun.objects.filter(
            scope=scope, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        ).first()
        if pending is not None:
            return pending
        requester = user if getattr(user, "pk", None) and not isinstance(user, OrganisationReader) else None
        run = EcosystemRun.objects.create(
            scope=scope, fingerprint=registry_fingerprint(user=user), requested_by=requester
        )
    from citydiplo.analysis.tasks import run_ecosystem

    transaction.on_commit(lambda: run_ecosystem.enqueue(run.pk, _organisation_ids(user)))
    return run


def _organisation_ids(user: Any) -> list[int]:
    from citydiplo.accounts.records import organisation_ids_of

    return list(organisation_ids_of(user))


def ecosystem_run_execute(*, run_id: int, organisation_ids: list[int]) -> EcosystemRun:
    """Compute run `run_id` as a reader of `organisation_ids` would see the registry (the scope the run
    was requested for), recording progress as it goes."""
    run = EcosystemRun.objects.get(pk=run_id)
    reader = reader_of(organisation_ids)
    if analysis_scope(reader) != run.scope:
        raise ValueError(f"run {run_id} is for scope {run.scope}, not {analysis_scope(reader)}")

    def progress(percent: int, stage: str) -> None:
        EcosystemRun.objects.filter(pk=run.pk).update(progress=percent, stage=stage)

    EcosystemRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=1, stage="loading")
    try:
        result = ecosystem_compute_for(user=reader, progress=progress)
    except Exception as error:  # stored for the page; the task log keeps the traceback
        logger.exception("ecosystem run %s failed", run_id)
        EcosystemRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        run.refresh_from_db()
        return run
    EcosystemRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        progress=100,
        stage="done",
        result=result,
        fingerprint=result["fingerprint"],
        finished_at=timezone.now(),
    )
    cache.set(f"analysis:ecosystem:{run.scope}:{result['fingerprint']}", result, CACHE_SECONDS)
    run.refresh_from_db()
    return run


def ecosystem_ensure(*, user: Any) -> Any:
    """The reader's analysis state, computing it at once when the visible registry is small and nothing
    current is stored (a first page view on a small registry shows results, not a button)."""
    state = ecosystem_state(user=user)
    if state.result is not None and not state.stale:
        return state
    relations = Membership.objects.visible_to(user).count() + Agreement.objects.visible_to(user).count()
    if relations > INLINE_MAX_RELATIONS:
        return state  # the page offers a background run (or shows the one under way)
    ecosystem_compute_and_store(user=user)
    return ecosystem_state(user=user)


def ecosystem_compute_and_store(*, user: Any) -> dict[str, Any]:
    """Compute the reader's analysis now, store it as a finished run of its scope, and return it."""
    run = EcosystemRun.objects.create(scope=analysis_scope(user), fingerprint=registry_fingerprint(user=user))
    run = ecosystem_run_execute(run_id=run.pk, organisation_ids=_organisation_ids(user))
    if run.status != RunStatus.DONE:
        raise RuntimeError(run.error)
    return run.result

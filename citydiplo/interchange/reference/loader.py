"""The reference load as a list of steps, each run in its own transaction.

1. Every file the chosen groups need is read and checked; any error stops the load before a write.
2. The steps run in order. Each is one transaction, so a failing step leaves the database as the steps
   before it left it. With dry_run, all steps run in one transaction that is rolled back at the end.
3. One ImportRun (kind "reference") records who, when, from where, the counts, or the errors.

The order matters: networks first; then the Wikidata places, which bring coordinates and QIDs; then the
memberships, which match those places before creating any; the twinning agreements last, between the
actors the places step settled. A new reference source (the SDG framework) is one more Step in STEPS.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

from citydiplo.interchange.errors import ImportFailed, RowError
from citydiplo.interchange.models import ImportRun
from citydiplo.interchange.reference.context import LoadContext, Progress, no_progress
from citydiplo.interchange.reference.memberships import load_memberships
from citydiplo.interchange.reference.networks import load_networks, load_themes
from citydiplo.interchange.reference.report import LoadReport
from citydiplo.interchange.reference.sdg import load_sdg, sdg_skip_reason
from citydiplo.interchange.reference.sources import sources_read
from citydiplo.interchange.reference.twinning import load_twinning_edges, load_twinning_nodes
from citydiplo.interchange.runs import import_run_finish, import_run_progress, import_run_start
from citydiplo.registry.models import Actor, ActorKind

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    name: str
    group: str  # what `--only` selects
    run: Callable[[LoadContext], None]
    uses_gazetteer: bool = True


STEPS: tuple[Step, ...] = (
    Step("themes", "networks", load_themes, uses_gazetteer=False),
    Step("networks", "networks", load_networks),
    Step("twinning-nodes", "twinning", load_twinning_nodes),
    Step("memberships", "memberships", load_memberships),
    Step("twinning-edges", "twinning", load_twinning_edges),
    Step("sdg", "sdg", load_sdg, uses_gazetteer=False),
)
GROUPS: tuple[str, ...] = ("networks", "memberships", "twinning", "sdg")


def default_data_dir() -> Path | None:
    """settings.CITYDIPLO_REFERENCE_DATA (which falls back to ../shared/data when that exists), or None."""
    value = getattr(settings, "CITYDIPLO_REFERENCE_DATA", "")
    return Path(value) if value else None


def reference_load(
    *,
    data_dir: Path | None,
    only: Sequence[str] | None = None,
    dry_run: bool = False,
    progress: Progress = no_progress,
    user: Any = None,
) -> LoadReport:
    """Load the reference data from `data_dir` (None: the seed catalogue only). Raises ImportFailed,
    whose errors name file, row and column, when a file is wrong; nothing is written then."""
    unknown = sorted(set(only or ()) - set(GROUPS))
    if unknown:
        raise ValueError(f"unknown group(s) {', '.join(unknown)}: choose among {', '.join(GROUPS)}")
    groups = [g for g in GROUPS if not only or g in only]
    started = time.perf_counter()
    report = LoadReport(data_dir=str(data_dir or ""), dry_run=dry_run)
    run = import_run_start(
        kind="reference",
        file_name=str(data_dir or ""),
        user=user,
        options={"only": groups, "dry_run": dry_run},
    )
    report.run_id = run.pk
    committed = copy.deepcopy(report.counts)
    try:
        registry_networks = Actor.objects.filter(owner__isnull=True, kind=ActorKind.NETWORK).values_list(
            "slug", flat=True
        )
        sources = sources_read(
            data_dir=data_dir, groups=groups, explicit=bool(only), registry_networks=list(registry_networks)
        )
        # The SDG framework is third-party data: skipped (reported) when absent, unless asked for by name.
        if "sdg" in groups and not only and (why := sdg_skip_reason(data_dir)):
            sources.skipped["sdg"] = why
        for group, why in sources.skipped.items():
            report.notice("skipped_sdg" if group == "sdg" else "skipped", name=group, detail=why)
        steps = [s for s in STEPS if s.group in groups and s.group not in sources.skipped]
        report.steps = [s.name for s in steps]
        run.total_rows = sources.row_count
        import_run_progress(run=run, processed_rows=0, total_rows=run.total_rows)
        ctx = LoadContext(sources=sources, report=report, progress=progress)
        if any(s.uses_gazetteer for s in steps):
            clock = time.perf_counter()
            ctx.gazetteer  # noqa: B018 - loaded here so its time is reported on its own
            report.seconds["gazetteer"] = time.perf_counter() - clock
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            if dry_run:
                with transaction.atomic():
                    for step in steps:
                        _run(step, ctx)
                    transaction.set_rollback(True)
            else:
                for step in steps:
                    with transaction.atomic():
                        _run(step, ctx)
                    committed = copy.deepcopy(report.counts)
    except ImportFailed as exc:
        report.counts = committed
        import_run_finish(
            run=run, status=ImportRun.Status.FAILED, counts=report.counts_for_run(), errors=exc.errors
        )
        raise
    except Exception as exc:
        report.counts = committed
        logger.exception("reference load failed")
        import_run_finish(
            run=run,
            status=ImportRun.Status.FAILED,
            counts=report.counts_for_run(),
            errors=[RowError(str(data_dir or ""), None, "", f"{type(exc).__name__}: {exc}")],
        )
        raise
    report.seconds["total"] = time.perf_counter() - started
    import_run_finish(
        run=run,
        status=ImportRun.Status.DRY_RUN if dry_run else ImportRun.Status.SUCCEEDED,
        counts=report.counts_for_run(),
    )
    return report


def _run(step: Step, ctx: LoadContext) -> None:
    clock = time.perf_counter()
    step.run(ctx)
    ctx.report.seconds[step.name] = time.perf_counter() - clock
    logger.debug("reference load: %s done in %.1f s", step.name, ctx.report.seconds[step.name])

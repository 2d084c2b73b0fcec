"""Background ecosystem runs: the page queues one, a `manage.py db_worker` process runs it.

With the immediate backend (tests, or an installation without a worker) the task runs inside the request
that queued it.
"""

from __future__ import annotations

from django_tasks import task

from citydiplo.analysis.services import ecosystem_run_execute


@task()
def run_ecosystem(run_id: int, organisation_ids: list[int]) -> str:
    """Compute run `run_id` for a reader of `organisation_ids`; returns the run's final status."""
    return ecosystem_run_execute(run_id=run_id, organisation_ids=organisation_ids).status

"""Background imports: the web upload queues one, a `manage.py db_worker` process runs it.

With the immediate backend (tests, or an installation without a worker) the task runs inside the
request that queued it.
"""

from __future__ import annotations

from django_tasks import task

from citydiplo.interchange.services import import_run_execute


@task()
def run_import(run_id: int) -> str:
    """Run the queued import `run_id`; returns the run's final status."""
    return import_run_execute(run_id=run_id).status

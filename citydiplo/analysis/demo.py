"""The analysis app's part of the demo: the demo office's ecosystem analysis, computed once, so the
Ecosystem pages show results at the first visit instead of a "compute" button. Idempotent: a second run
finds the stored result for the unchanged registry and computes nothing."""

from __future__ import annotations

from typing import Any

from citydiplo.analysis.selectors import ecosystem_state
from citydiplo.analysis.services import ecosystem_compute_and_store


def demo_load(*, office: Any, user: Any, result: Any) -> None:
    state = ecosystem_state(user=user)
    if state.result is not None and not state.stale:
        result.note("ecosystem analysis", created=False)
        return
    ecosystem_compute_and_store(user=user)
    result.note("ecosystem analysis", created=True)

"""Suspending the change history for bulk writes.

An import of a thousand rows is recorded as one ImportRun (who, when, file, counts), not as a thousand
history rows: the issue of record is the run. Code that writes in bulk through the services wraps the
writes in `history_suspended()`; while it holds, a pre_save receiver (connected by the history app) marks every
saved instance with simple-history's `skip_history_when_saving`, whichever code path saves it. A context variable, unlike simple-history's global SIMPLE_HISTORY_ENABLED
setting, leaves other requests served at the same time untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_suspended: ContextVar[bool] = ContextVar("citydiplo_history_suspended", default=False)


@contextmanager
def history_suspended() -> Iterator[None]:
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def history_is_suspended() -> bool:
    return _suspended.get()


def skip_history_while_suspended(sender: type, instance: object, **kwargs: object) -> None:
    """pre_save receiver: inside history_suspended(), the save writes no history row."""
    if _suspended.get():
        instance.skip_history_when_saving = True  # type: ignore[attr-defined]

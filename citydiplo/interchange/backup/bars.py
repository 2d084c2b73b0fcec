"""Terminal progress bars for the `backup` and `restore` commands (the CLI edge; services take a callback)."""

from __future__ import annotations

from typing import Any

from tqdm import tqdm

# The unit of the steps that are not a table's rows.
STEP_UNITS = {
    "checking the archive": "table",
    "verifying": "table",
    "checking the documents": "file",
    "documents": "file",
}


class StepBars:
    """One tqdm bar per step (a table, "verifying", "documents"), on a terminal only: tqdm hides itself
    when the stream is not a TTY, and verbosity 0 hides it everywhere."""

    def __init__(self, stream: Any, *, enabled: bool) -> None:
        self.stream, self.enabled = stream, enabled
        self.bar: tqdm | None = None
        self.step = ""

    def __call__(self, step: str, done: int, total: int) -> None:
        if step != self.step:
            self.close()
            self.step = step
            self.bar = tqdm(
                total=total,
                desc=step,
                unit=STEP_UNITS.get(step, "row"),
                file=self.stream,
                disable=None if self.enabled else True,
                leave=False,
                dynamic_ncols=True,
            )
        if self.bar is not None:
            self.bar.total = max(total, done)
            self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> StepBars:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

"""What the steps of one reference load share: the parsed files, the report, progress and the gazetteer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from citydiplo.interchange.reference.report import LoadReport
from citydiplo.interchange.reference.sources import Sources
from citydiplo.registry.places.gazetteer import Gazetteer, gazetteer

# progress(step label, rows done, rows in the step): the CLI draws a bar, the library only reports.
Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 250


def no_progress(label: str, done: int, total: int) -> None:
    return None


@dataclass
class LoadContext:
    sources: Sources
    report: LoadReport
    progress: Progress = no_progress
    # Wikidata QID -> actor pk, filled by the twinning-nodes step for the edges step (a QID of a merged
    # duplicate points at the kept actor; a node whose actor a curator edited points at that actor).
    qid_actor: dict[str, int] = field(default_factory=dict)
    _gazetteer: Gazetteer | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = gazetteer()
        return self._gazetteer

    def tick(self, label: str, done: int, total: int) -> None:
        if done == total or done % PROGRESS_EVERY == 0:
            self.progress(label, done, total)

"""What a reference load did: counts per record type, merges, and the rows a person should look at.

The loader fills a LoadReport; the CLI prints it as a table (`render_text`) or as JSON (`as_dict`), and the
import run keeps the counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

OUTCOMES = ("added", "changed", "unchanged", "left_alone")
OUTCOME_LABELS = {
    "added": "added",
    "changed": "changed",
    "unchanged": "unchanged",
    "left_alone": "left alone",
}
# Record types in the order a reader meets them.
RECORD_TYPES = (
    "themes",
    "networks",
    "actors",
    "memberships",
    "agreements",
    "sdg_goals",
    "sdg_targets",
    "sdg_indicators",
)
RECORD_LABELS = {
    "themes": "themes",
    "networks": "networks",
    "actors": "places and bodies",
    "memberships": "memberships",
    "agreements": "twinning agreements",
    "sdg_goals": "SDG goals",
    "sdg_targets": "SDG targets",
    "sdg_indicators": "SDG indicators",
}

# Notice categories, in the order the summary prints them (what a curator should check first), each with
# the sentence printed before its rows.
NOTICE_LABELS = {
    "unresolved": "Members with no GeoNames place (kept, unverified)",
    "ambiguous": "Members matching several GeoNames places (kept unlinked, unverified)",
    "no_country": "Rows with no country (kept, unverified)",
    "chosen_by_population": "Members linked to the largest of several same-named places",
    "duplicate_row": "Rows for a membership that already exists",
    "body": "Members that are not towns (metropolitan bodies, regions, associations: no GeoNames place by design)",
    "node_unlinked": "Wikidata items with no matching GeoNames place (kept, unverified)",
    "node_nearest": "Wikidata items linked to the nearest GeoNames place (name differs; unverified)",
    "node_country": "Wikidata items whose country comes from the GeoNames place, not the label",
    "node_body": "Wikidata items that are regions or metropolitan bodies (no GeoNames place by design)",
    "twinned_with_itself": "Wikidata pairs that became one actor after merging (no agreement)",
    "joined_edges": "Wikidata pairs joined into one agreement after merging",
    "stale": "Agreements no longer in the file",
    "secretariat": "Secretariats",
    "theme": "Theme text no rule maps",
    "network_name": "Network names differing between the two files",
    "skipped": "Skipped",
    "skipped_sdg": "Skipped: SDG framework",
    "sdg_translation": "SDG titles shown in English (translation missing or outdated)",
}


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    left_alone: int = 0

    def add(self, outcome: str, n: int = 1) -> None:
        setattr(self, outcome, getattr(self, outcome) + n)

    @property
    def total(self) -> int:
        return self.added + self.changed + self.unchanged + self.left_alone


@dataclass(frozen=True)
class Notice:
    category: str
    file: str
    row: int | None
    name: str
    detail: str

    def __str__(self) -> str:
        where = f" (row {self.row})" if self.row is not None else ""
        return f"{self.name}{where}: {self.detail}" if self.detail else f"{self.name}{where}"


@dataclass(frozen=True)
class Merge:
    kept: str  # "Amsterdam (NL) Q727"
    merged: str  # "Q9899"
    reason: str


@dataclass
class LoadReport:
    data_dir: str
    dry_run: bool = False
    run_id: int | None = None
    steps: list[str] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in RECORD_TYPES})
    merges: list[Merge] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def count(self, record_type: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(record_type, Counts()).add(outcome, n)

    def notice(
        self, category: str, *, file: str = "", row: int | None = None, name: str = "", detail: str = ""
    ) -> None:
        self.notices.append(Notice(category, file, row, name, detail))

    def counts_for_run(self) -> dict[str, dict[str, int]]:
        """The counts as the import run stores them: per record type, plus the number of merges."""
        stored: dict[str, dict[str, int]] = {t: asdict(c) for t, c in self.counts.items() if c.total}
        if self.merges:
            stored.setdefault("actors", asdict(Counts()))["merged"] = len(self.merges)
        return stored

    def as_dict(self) -> dict[str, Any]:
        return {
            "data_dir": self.data_dir,
            "dry_run": self.dry_run,
            "import_run": self.run_id,
            "steps": self.steps,
            "counts": {t: asdict(c) for t, c in self.counts.items()},
            "merges": [asdict(m) for m in self.merges],
            "notices": [asdict(n) for n in self.notices],
            "notice_counts": dict(Counter(n.category for n in self.notices)),
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }


def render_text(report: LoadReport, *, notices_per_category: int = 5) -> str:
    """A summary table a person reads at the end of `citydiplo load-reference`."""
    total = report.seconds.get("total", 0.0)
    head = "Dry run (nothing written)" if report.dry_run else "Reference load"
    lines = [
        f"{head} from {report.data_dir or 'the seed catalogue'}: {', '.join(report.steps)} in {total:.1f} s"
    ]
    if report.run_id is not None:
        lines[0] += f" (import run {report.run_id})"
    width = max(len(label) for label in RECORD_LABELS.values())
    lines.append("")
    lines.append(f"{'':<{width}}  " + "  ".join(f"{OUTCOME_LABELS[o]:>10}" for o in OUTCOMES))
    for record_type in RECORD_TYPES:
        counts = report.counts.get(record_type)
        if counts is None or not counts.total:
            continue
        row = "  ".join(f"{getattr(counts, o):>10,}" for o in OUTCOMES)
        lines.append(f"{RECORD_LABELS[record_type]:<{width}}  {row}")
    if report.merges:
        lines.append("")
        lines.append(f"Merged duplicates: {len(report.merges)} (the other QID kept in other_ids)")
        for merge in report.merges[:notices_per_category]:
            lines.append(f"  {merge.merged} into {merge.kept}: {merge.reason}")
        if len(report.merges) > notices_per_category:
            lines.append(f"  … and {len(report.merges) - notices_per_category} more (--json lists all)")
    by_category: dict[str, list[Notice]] = {}
    for notice in report.notices:
        by_category.setdefault(notice.category, []).append(notice)
    order = list(NOTICE_LABELS)
    for category, notices in sorted(by_category.items(), key=lambda item: (order + [item[0]]).index(item[0])):
        lines.append("")
        lines.append(f"{NOTICE_LABELS.get(category, category)}: {len(notices)}")
        for notice in notices[:notices_per_category]:
            lines.append(f"  {notice}")
        if len(notices) > notices_per_category:
            lines.append(f"  … and {len(notices) - notices_per_category} more (--json lists all)")
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items() if k != "total")
    if timing:
        lines.append("")
        lines.append(f"Time: {timing}")
    return "\n".join(lines)

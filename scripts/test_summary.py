"""Summarise `make test`: one line per stage, then the closing count over every pytest run.

Usage: test_summary.py RESULTS_DIR "key|title|status|seconds" ...

Reads RESULTS_DIR/<key>.xml (pytest's JUnit report) for each stage that ran pytest and
RESULTS_DIR/<key>.skipped for the reason a stage could not run. Prints the closing line
"total: N passed, N failed, N skipped" that CI reads, and exits 1 if any stage failed.
Standard library only: it must run even when the project's install is broken.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET  # noqa: S405 - our own pytest's report, not untrusted input
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Counts:
    passed: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, other: Counts) -> None:
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped


def junit_counts(path: Path) -> Counts | None:
    if not path.is_file():
        return None
    root = ET.parse(path).getroot()  # noqa: S314
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    counts = Counts()
    for suite in suites:
        tests = int(suite.get("tests", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        counts.add(Counts(passed=tests - failed - skipped, failed=failed, skipped=skipped))
    return counts


def main(argv: list[str]) -> int:
    results = Path(argv[1])
    total = Counts()
    any_failed = False
    out = sys.stdout
    out.write("\n================ summary ================\n")
    for spec in argv[2:]:
        key, title, status, seconds = spec.split("|")
        counts = junit_counts(results / f"{key}.xml")
        detail = ""
        if counts is not None:
            total.add(counts)
            detail = f"{counts.passed} passed, {counts.failed} failed, {counts.skipped} skipped"
        skipped_file = results / f"{key}.skipped"
        if status == "SKIPPED" and skipped_file.is_file():
            detail = skipped_file.read_text().strip()
        if status == "FAILED":
            any_failed = True
            if counts is None or counts.failed == 0:
                total.failed += 1  # the stage failed outside any test: count it, never report "0 failed"
                detail = (detail + "; " if detail else "") + "the stage itself failed (see its output above)"
        out.write(f"  {title:<42} {status:<8} {seconds:>5}s  {detail}\n")
    out.write(f"total: {total.passed} passed, {total.failed} failed, {total.skipped} skipped\n")
    return 1 if any_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

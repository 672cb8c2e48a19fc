# -*- coding: utf-8 -*-
"""Run the named `make` steps one after another, keep going after a failure, and finish with one
summary: a line per step and a pytest-style closing line.

Tests counted: every test case in the JUnit files the steps write under tests/output/junit/
(pytest, ansible-test units), plus one check for each step that has no JUnit file of its own
(sanity, lint, docs lint, build, molecule): a step's failure is never hidden by its test counts.

With --home-before FILE, one more check closes the summary: "home-unchanged", which fails when the tool state in
the home directory (HOME_PATHS: ansible's, the caches of ansible-lint, ansible-compat, molecule, pip and pylint,
antsibull's log) differs from the snapshot that --home-snapshot FILE took before the set-up: every tool must keep its
state under the checkout's .build/ (the Makefile points each one there). A snapshot lists each entry's type, and a
file's size and modification time or a link's target; a directory's own time is left out, so something created and
removed again leaves no difference. Anything else writing there at the same time (another user's ansible run) shows
too: the check is for a machine where `make test` runs alone.

Usage: python tools/run_suite.py [--home-before FILE] STEP [STEP ...]   (each STEP is a make target)
       python tools/run_suite.py --home-snapshot FILE    (write the snapshot)
       python tools/run_suite.py --home-check FILE       (only the comparison: its line, and exit 1 on a difference)
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUNIT = ROOT / "tests" / "output" / "junit"
HOME_PATHS = (".ansible", ".cache/ansible-compat", ".cache/ansible-lint", ".cache/molecule", ".cache/pip", ".cache/pylint",
              "antsibull.log")
HOME_CHECK = "home-unchanged"


def home_state(home: Path) -> dict[str, list]:
    """Path relative to home -> [type, size, mtime_ns] (a file), [type, target] (a link) or [type] (a directory)."""
    state: dict[str, list] = {}

    def record(path: Path) -> None:
        info = path.lstat()
        rel = str(path.relative_to(home))
        if path.is_symlink():
            state[rel] = ["link", os.readlink(path)]
        elif path.is_dir():
            state[rel] = ["dir"]
        else:
            state[rel] = ["file", info.st_size, info.st_mtime_ns]

    for name in HOME_PATHS:
        top = home / name
        if not top.exists() and not top.is_symlink():
            continue
        record(top)
        if top.is_dir() and not top.is_symlink():
            for folder, dirs, files in os.walk(top):
                for entry in sorted(dirs + files):
                    record(Path(folder, entry))
    return state


def _topmost(paths: set[str]) -> list[str]:
    """The paths whose folder is not in paths too, each with how many of paths lie below it."""
    tops = sorted(p for p in paths if os.path.dirname(p) not in paths)
    below = {top: sum(1 for p in paths if p.startswith(top + "/")) for top in tops}
    return [f"~/{top}" + (f" (and {below[top]} below it)" if below[top] else "") for top in tops]


def home_changes(before: dict[str, list], after: dict[str, list]) -> list[str]:
    """What differs: "added" or "removed" and the topmost path of each added or removed tree, "changed" and the path."""
    lines = [f"added    {p}" for p in _topmost(after.keys() - before.keys())]
    lines += [f"removed  {p}" for p in _topmost(before.keys() - after.keys())]
    lines += [f"changed  ~/{p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]]
    return lines


def check_home(snapshot: Path) -> bool:
    """Compare the home directory with the snapshot; print the outcome (and up to 30 differences)."""
    before, after = json.loads(snapshot.read_text()), home_state(Path.home())
    changes = home_changes(before, after)
    if changes:
        count = len(before.keys() ^ after.keys()) + sum(1 for p in before.keys() & after.keys() if before[p] != after[p])
        print(f"{HOME_CHECK}: tools left state in the home directory ({count} paths), which belongs under .build/:")
        for line in changes[:30]:
            print(f"  {line}")
    else:
        print(f"{HOME_CHECK}: no tool state left in the home directory ({', '.join(f'~/{p}' for p in HOME_PATHS)})")
    return not changes


def junit_counts(step: str) -> tuple[int, int, int] | None:
    files = sorted(JUNIT.glob(f"{step}*.xml"))
    if not files:
        return None
    passed = failed = skipped = 0
    for path in files:
        for case in ET.parse(path).getroot().iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            elif case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
    return passed, failed, skipped


def run_step(step: str) -> tuple[bool, float]:
    started = time.monotonic()
    print(f"\n===== {step} =====", flush=True)
    result = subprocess.run(["make", "--no-print-directory", step], cwd=ROOT, check=False)
    return result.returncode == 0, time.monotonic() - started


def main(steps: list[str], home_before: Path | None = None) -> int:
    JUNIT.mkdir(parents=True, exist_ok=True)
    for old in JUNIT.glob("*.xml"):
        old.unlink()
    rows = []
    totals = [0, 0, 0]
    for step in steps:
        ok, seconds = run_step(step)
        counts = junit_counts(step)
        if counts is None:
            counts = (1, 0, 0) if ok else (0, 1, 0)
        elif not ok and counts[1] == 0:
            counts = (counts[0], 1, counts[2])  # the step failed outside its tests
        totals = [t + c for t, c in zip(totals, counts)]
        rows.append((step, ok, seconds, counts))
    if home_before is not None:
        print(f"\n===== {HOME_CHECK} =====", flush=True)
        started = time.monotonic()
        ok = check_home(home_before)
        counts = (1, 0, 0) if ok else (0, 1, 0)
        totals = [t + c for t, c in zip(totals, counts)]
        rows.append((HOME_CHECK, ok, time.monotonic() - started, counts))
    print("\n===== summary =====")
    for step, ok, seconds, (p, f, s) in rows:
        print(f"{'PASS' if ok else 'FAIL'}  {step:<24} {seconds:7.1f} s   {p} passed, {f} failed, {s} skipped")
    passed, failed, skipped = totals
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if all(row[1] for row in rows) else 1


def cli(args: list[str]) -> int:
    if args[:1] == ["--home-snapshot"] and len(args) == 2:
        Path(args[1]).write_text(json.dumps(home_state(Path.home()), indent=1, sort_keys=True))
        return 0
    if args[:1] == ["--home-check"] and len(args) == 2:
        return 0 if check_home(Path(args[1])) else 1
    if args[:1] == ["--home-before"] and len(args) >= 2:
        return main(args[2:], Path(args[1]))
    if not args or args[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    return main(args)


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))

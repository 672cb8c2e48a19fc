# -*- coding: utf-8 -*-
"""Run the named `make` steps one after another, keep going after a failure, and finish with one
summary: a line per step and a pytest-style closing line.

Tests counted: every test case in the JUnit files the steps write under tests/output/junit/
(pytest, ansible-test units), plus one check for each step that has no JUnit file of its own
(sanity, lint, docs lint, build, molecule): a step's failure is never hidden by its test counts.

Usage: python tools/run_suite.py STEP [STEP ...]   (each STEP is a make target)
"""
from __future__ import annotations

import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUNIT = ROOT / "tests" / "output" / "junit"


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


def main(steps: list[str]) -> int:
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
    print("\n===== summary =====")
    for step, ok, seconds, (p, f, s) in rows:
        print(f"{'PASS' if ok else 'FAIL'}  {step:<24} {seconds:7.1f} s   {p} passed, {f} failed, {s} skipped")
    passed, failed, skipped = totals
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if all(row[1] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

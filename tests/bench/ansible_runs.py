# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ansible-playbook runs for the benchmarks: wall time, exit code, per-host stats and when each task started
(callback_plugins/bench_timeline.py), with the collection from this checkout and tool state under .build/."""
from __future__ import annotations

import bisect
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CALLBACKS = Path(__file__).resolve().parent / "callback_plugins"


@dataclasses.dataclass
class Run:
    seconds: float
    rc: int
    output: str
    tasks: list[dict]  # [{"name", "start"}] in order, wall-clock seconds
    end: float
    stats: dict  # host -> {"ok", "changed", "failures", "unreachable", ...}

    @property
    def changed(self) -> int:
        return sum(host["changed"] for host in self.stats.values())

    @property
    def failed(self) -> int:
        return sum(host["failures"] + host["unreachable"] for host in self.stats.values())

    def task_at(self, when: float) -> str | None:
        """The name of the task that was running at wall-clock time ``when`` (None before the first or after the end)."""
        index = bisect.bisect_right([task["start"] for task in self.tasks], when) - 1
        return self.tasks[index]["name"] if index >= 0 and when <= self.end else None

    def expect(self, what: str, changed: int | None = None) -> Run:
        """Stop the benchmark on a failed run, or when it did not change what it should (a timing of a broken run is noise)."""
        if self.rc or self.failed or (changed is not None and self.changed != changed):
            raise SystemExit(f"{what}: rc {self.rc}, {self.failed} failed, {self.changed} changed (expected {changed}):\n"
                             f"{self.output[-3000:]}")
        return self


def collection_dir() -> Path:
    """The collection under test: this checkout (through .build/collections, as the Makefile exports it), or the one
    ANSIBLE_COLLECTIONS_PATH names, e.g. an unpacked `git archive` of a commit."""
    root = os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep)[0] or REPO / ".build" / "collections"
    return Path(root) / "ansible_collections" / "mdi" / "action_accounts"


def environment(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.setdefault("ANSIBLE_HOME", str(REPO / ".build" / "ansible-home"))  # as the Makefile sets it: nothing under ~/.ansible
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(collection_dir().parents[2]),
        "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS),
        "ANSIBLE_CALLBACKS_ENABLED": "bench_timeline",
        "ANSIBLE_HOST_KEY_CHECKING": "false",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_NOCOLOR": "1",
        "PATH": f"{VENV_BIN}:{env.get('PATH', '')}",
    })
    env.update(extra or {})
    return env


def run_playbook(playbook: Path, inventory: Path, *args: str, env: dict | None = None) -> Run:
    """One ansible-playbook run, timed from start to exit."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        timeline = Path(tmp) / "timeline.json"
        started = time.perf_counter()
        proc = subprocess.run([str(VENV_BIN / "ansible-playbook"), "-i", str(inventory), str(playbook), *args], capture_output=True,
                              text=True, env=environment({**(env or {}), "MDI_BENCH_TIMELINE": str(timeline)}), check=False, timeout=900)
        seconds = time.perf_counter() - started
        data = json.loads(timeline.read_text(encoding="utf-8")) if timeline.exists() else {"tasks": [], "end": time.time(), "stats": {}}
    return Run(seconds, proc.returncode, proc.stdout + proc.stderr, data["tasks"], data["end"], data["stats"])

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark (not a test): where the ad_ace task's time inside the play goes, from the task's start to its result.

Runs bench_peers.py's play (one ad_ace task granting the preset, then the DACL put back) N times, each in its own
ansible-playbook process started by this file in child mode, which timestamps (time.perf_counter, one clock for the
parent and its forked worker): the task's start and its result in the parent's callbacks, the worker's start,
TaskExecutor.run, the action plugin's run, and each ldap3 operation (open, bind, search, modify, unbind). Prints the
median of each phase: Ansible's own (strategy, fork, templating, sending the result back) and ours (before the first
LDAP operation, each operation, our Python between them). --profile adds cProfile's top functions of one action run.

Run: python tests/bench/task_breakdown.py [--repeat N] [--profile]  (the lab must be up: make lab-up)
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

LDAP_OPERATIONS = ("bind", "search", "modify", "unbind")
ACTION_MODULE = "ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action"
EVENTS: list = []


def _event(name: str, detail: str = "") -> None:
    EVENTS.append({"pid": os.getpid(), "at": time.perf_counter(), "name": name, "detail": detail})


def _dump(path: Path) -> None:
    """This process's events (the worker inherits the parent's list at the fork)."""
    path.write_text(json.dumps([e for e in EVENTS if e["pid"] == os.getpid()]), encoding="utf-8")


def _timed(owner, name: str, label, detail=lambda *args, **kwargs: ""):
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        _event(f"{label} start", detail(*args, **kwargs))
        try:
            return original(*args, **kwargs)
        finally:
            _event(f"{label} end")

    setattr(owner, name, wrapper)


def _profiled_action_run(original, out: str):
    def run(self, *args, **kwargs):
        profile = cProfile.Profile()
        try:
            return profile.runcall(original, self, *args, **kwargs)
        finally:
            profile.dump_stats(out)
    return run


def _instrument(events_dir: str) -> None:
    """Patch, in the ansible-playbook process, what the worker it forks will run too."""
    import ldap3  # pylint: disable=import-outside-toplevel
    from ldap3.strategy.sync import SyncStrategy  # pylint: disable=import-outside-toplevel
    from ansible.executor.process.worker import WorkerProcess  # pylint: disable=import-outside-toplevel
    from ansible.executor.task_executor import TaskExecutor  # pylint: disable=import-outside-toplevel
    from ansible.executor.task_queue_manager import TaskQueueManager  # pylint: disable=import-outside-toplevel

    for operation in LDAP_OPERATIONS:
        _timed(ldap3.Connection, operation, f"ldap {operation}", lambda conn, *args, **kwargs: str(args[0]) if args else "")
    _timed(SyncStrategy, "open", "ldap open")  # TCP and TLS; a Connection takes its strategy's open as its own
    _timed(WorkerProcess, "start", "worker")
    callbacks = TaskQueueManager.send_callback

    def send_callback(self, method_name, *args, **kwargs):
        if method_name in ("v2_playbook_on_task_start", "v2_runner_on_ok", "v2_runner_on_failed"):
            _event(method_name)
        return callbacks(self, method_name, *args, **kwargs)

    TaskQueueManager.send_callback = send_callback
    executor_run = TaskExecutor.run

    def run(self):
        _event("executor start")
        action_class = __import__(ACTION_MODULE, fromlist=["ControllerModuleAction"]).ControllerModuleAction
        if os.environ.get("BREAKDOWN_PROFILE"):
            action_class.run = _profiled_action_run(action_class.run, os.environ["BREAKDOWN_PROFILE"])
        _timed(action_class, "run", "action")
        try:
            return executor_run(self)
        finally:
            _event("executor end")
            _dump(Path(events_dir, f"worker-{os.getpid()}.json"))

    TaskExecutor.run = run


def child(events_dir: str, playbook: str) -> None:
    _instrument(events_dir)
    from ansible.cli.playbook import main as playbook_main  # pylint: disable=import-outside-toplevel
    sys.argv = ["ansible-playbook", playbook]
    try:
        playbook_main()
    finally:
        _dump(Path(events_dir, "parent.json"))


def _first(events: list, name: str) -> float:
    return next(e["at"] for e in events if e["name"] == name)


def phases(events: list) -> dict:
    """Milliseconds per phase of one task, from the merged events of the parent and its worker."""
    ops = [e for e in events if e["name"].startswith("ldap ")]
    pairs = list(zip(ops[::2], ops[1::2]))
    found = collections.OrderedDict()
    found["Ansible: task start to the worker's fork"] = _first(events, "worker start") - _first(events, "v2_playbook_on_task_start")
    found["Ansible: fork to TaskExecutor.run"] = _first(events, "executor start") - _first(events, "worker start")
    found["Ansible: TaskExecutor to the action plugin (templating, plugin lookup)"] = (_first(events, "action start")
                                                                                       - _first(events, "executor start"))
    found["ours: action plugin to the first LDAP operation"] = pairs[0][0]["at"] - _first(events, "action start")
    for start, end in pairs:
        name = start["name"].split()[1]
        found[f"LDAP {name}"] = found.get(f"LDAP {name}", 0.0) + end["at"] - start["at"]
    found["ours: Python between LDAP operations"] = sum(nxt[0]["at"] - cur[1]["at"] for cur, nxt in zip(pairs, pairs[1:]))
    found["ours: last LDAP operation to the action's result"] = _first(events, "action end") - pairs[-1][1]["at"]
    found["Ansible: action result to the worker's end"] = _first(events, "executor end") - _first(events, "action end")
    found["Ansible: worker's result to the parent's callback"] = _first(events, "v2_runner_on_ok") - _first(events, "executor end")
    found["total: task start to its result"] = _first(events, "v2_runner_on_ok") - _first(events, "v2_playbook_on_task_start")
    return {name: seconds * 1000 for name, seconds in found.items()}


def _round(playbook: Path, extra_env: dict) -> tuple[list, list]:
    """(the merged events, the LDAP operations in order) of one play."""
    from bench_peers import play  # pylint: disable=import-outside-toplevel
    with tempfile.TemporaryDirectory() as events_dir:
        play(playbook, [sys.executable, __file__, "--child", events_dir], extra_env)
        events = sorted((e for f in Path(events_dir).glob("*.json") for e in json.loads(f.read_text(encoding="utf-8"))), key=lambda e: e["at"])
    starts = [e for e in events if e["name"].startswith("ldap ") and e["name"].endswith("start")]
    return events, [f"{e['name'].split()[1]} {e['detail']}".strip() for e in starts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--profile", action="store_true", help="also print cProfile's top functions of one action run")
    parser.add_argument("--child", nargs=2, metavar=("EVENTS_DIR", "PLAYBOOK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from bench_peers import _dacl, _directory, _restore, load_lab, write_playbook  # pylint: disable=import-outside-toplevel
    lab = load_lab()
    target = lab["samba"]["ous"]["servers"]
    conn = _directory(lab)
    saved = _dacl(conn, target)
    samples = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        playbook = Path(tmp) / "grant.yml"
        write_playbook(lab, target, playbook)
        try:
            for _round_number in range(args.repeat):
                events, operations = _round(playbook, {})
                _restore(conn, target, saved)
                for name, value in phases(events).items():
                    samples[name].append(value)
            if args.profile:
                stats = Path(tmp) / "action.prof"
                _round(playbook, {"BREAKDOWN_PROFILE": str(stats)})
                _restore(conn, target, saved)
        finally:
            _restore(conn, target, saved)
            conn.unbind()
        print(f"the ad_ace task inside the play on {target} ({args.repeat} runs, medians, ms; one run's phases add up to its total)")
        for name, values in samples.items():
            print(f"{name:<76} {statistics.median(values):>7.1f}")
        print("LDAP operations in order: " + "; ".join(operations))
        if args.profile:
            pstats.Stats(str(stats)).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()

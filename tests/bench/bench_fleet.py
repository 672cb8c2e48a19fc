# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark (not a test): user_right over a fleet of fake domain controllers against ansible.builtin.raw of a trivial
command on the same hosts, the WinRM transport floor (one command through Ansible's winrm connection per host).

It starts 100 of the lab's fake WinRM hosts on loopback (tests/lab/fake_winrm_fleet.py; no lab needed) and runs
ansible-playbook with forks 25 over the first 10, 50 and 100 of them: an empty play (Ansible's own start-up),
`raw: hostname`, user_right granting "Log on as a service" to NT SERVICE\\AATPSensor (the MDI sensor's service SID: it
resolves on a DC without AD) from a fresh state, and its idempotent rerun. Rounds are interleaved so all see the same
machine load. Each host's own command log (commands.jsonl) must show exactly one WinRM command per host per task.
Prints medians and ratios measured in this one run; no thresholds.

Run: python tests/bench/bench_fleet.py [--sizes 10,50,100] [--rounds 5] [--forks 25]
"""
from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "lab"))

import fake_winrm_fleet  # noqa: E402  pylint: disable=wrong-import-position
from ansible_runs import run_playbook  # noqa: E402  pylint: disable=wrong-import-position
from fake_winrm_hosts import state, write_state  # noqa: E402  pylint: disable=wrong-import-position
from winrm_log import CommandLogs, describe, per_host  # noqa: E402  pylint: disable=wrong-import-position

PRINCIPAL = "NT SERVICE\\AATPSensor"
PLAYS = {
    "empty": "[]",
    "raw": "\n    - ansible.builtin.raw: hostname\n      changed_when: false",
    "user_right": ("\n    - mdi.action_accounts.user_right:\n        name: SeServiceLogonRight\n"
                   f"        users: ['{PRINCIPAL}']\n        action: add"),
}
# case -> (play, changed hosts expected: "all" or 0, the fake host's logged operation)
CASES = {"empty": ("empty", 0, None), "raw": ("raw", 0, "hostname"), "user_right change": ("user_right", "all", "user_rights"),
         "user_right no-op": ("user_right", 0, "user_rights")}


def write_files(directory: Path, fleet: dict, sizes: list[int]) -> dict:
    """The playbooks and one inventory per fleet size; returns {"play:<name>": path, size: inventory path}."""
    files = {}
    for name, tasks in PLAYS.items():
        files[f"play:{name}"] = directory / f"{name}.yml"
        files[f"play:{name}"].write_text(f"- name: {name}\n  hosts: fleet\n  gather_facts: false\n  tasks: {tasks}\n", encoding="utf-8")
    names = sorted(fleet["hosts"])
    for size in sizes:
        files[size] = directory / f"inventory-{size}.json"  # JSON is YAML: Ansible's yaml inventory plugin reads it
        files[size].write_text(json.dumps(fake_winrm_fleet.inventory(fleet, names[:size])), encoding="utf-8")
    return files


def run_case(case: str, size: int, files: dict, fleet: dict, logs: CommandLogs, forks: int) -> tuple[float, collections.Counter]:
    """One timed run; checks its result and that each targeted host, and only those, logged one command of the task."""
    play, changed, operation = CASES[case]
    logs.mark()
    run = run_playbook(files[f"play:{play}"], files[size], "--forks", str(forks))
    run.expect(f"{case} over {size} hosts", changed=size if changed == "all" else changed)
    commands = logs.since_mark()
    targeted = sorted(fleet["hosts"])[:size]
    stray = [name for name, records in commands.items() if records and name not in targeted]
    wrong = [name for name in targeted if operation and any(r["operation"] != operation for r in commands[name])]
    counted = per_host({name: commands[name] for name in targeted}) if operation else collections.Counter()
    if stray or wrong or (operation and set(counted) != {1}):
        raise SystemExit(f"{case} over {size} hosts: not one WinRM command per host for the task ({describe(counted)}), or "
                         f"commands on hosts outside the play {stray[:5]} or of another kind {wrong[:5]}; the first host's log:\n"
                         + "\n".join(f"  {r['time']} {r['operation']} {r['command'][:100]}" for r in commands[targeted[0]]))
    return run.seconds, counted


def measure(fleet: dict, files: dict, sizes: list[int], rounds: int, forks: int) -> tuple[dict, dict]:
    initial = {name: state(host) for name, host in fleet["hosts"].items()}  # no right granted yet
    logs = CommandLogs(fleet["hosts"])
    samples, commands = collections.defaultdict(list), collections.defaultdict(collections.Counter)
    for _round in range(rounds):
        for size in sizes:
            for name in sorted(fleet["hosts"])[:size]:  # the change run starts where the right is not granted
                write_state(fleet["hosts"][name], initial[name])
            for case in CASES:
                seconds, counted = run_case(case, size, files, fleet, logs, forks)
                samples[(size, case)].append(seconds)
                commands[(size, case)] += counted
    return {key: statistics.median(values) for key, values in samples.items()}, commands


def report(medians: dict, commands: dict, sizes: list[int], rounds: int, forks: int) -> None:
    print(f"user_right against ansible.builtin.raw over fake DCs (forks {forks}, {rounds} rounds, medians of wall time, one run)")
    print(f"{'hosts':>5} {'empty s':>8} {'raw s':>7} {'change s':>9} {'no-op s':>8} {'change/raw':>11} {'no-op/raw':>10} "
          f"{'beyond start-up: change/raw':>28} {'no-op/raw':>10}  WinRM commands per host per task (raw; user_right)")
    for size in sizes:
        empty, raw = medians[(size, "empty")], medians[(size, "raw")]
        change, noop = medians[(size, "user_right change")], medians[(size, "user_right no-op")]
        tasks = commands[(size, "user_right change")] + commands[(size, "user_right no-op")]
        beyond = ((change - empty) / (raw - empty), (noop - empty) / (raw - empty))
        print(f"{size:>5} {empty:>8.2f} {raw:>7.2f} {change:>9.2f} {noop:>8.2f} {change / raw:>10.2f}x {noop / raw:>9.2f}x "
              f"{beyond[0]:>27.2f}x {beyond[1]:>9.2f}x  {describe(commands[(size, 'raw')], 'host runs')}; {describe(tasks, 'host runs')}")
    print("beyond start-up: the time each play takes beyond the empty play's (Ansible's start-up, inventory, forks).")
    print("A host run is one host in one run of the task: '1 on N host runs' is one command per host per task, every time.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,50,100", help="fleet sizes, comma-separated (default 10,50,100)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--forks", type=int, default=25)
    args = parser.parse_args()
    sizes = sorted({int(size) for size in args.sizes.split(",")})
    with tempfile.TemporaryDirectory(prefix="bench-fleet-") as tmp:
        fleet = fake_winrm_fleet.start(max(sizes), Path(tmp))
        try:
            files = write_files(Path(tmp), fleet, sizes)
            medians, commands = measure(fleet, files, sizes, args.rounds, args.forks)
        finally:
            fake_winrm_fleet.stop(fleet)
    report(medians, commands, sizes, args.rounds, args.forks)


if __name__ == "__main__":
    main()

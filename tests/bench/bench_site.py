# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark (not a test): playbooks/site.yml against the lab, the first run (from teardown.yml's state: no gMSA, no
ACEs, no right, no registration) and the idempotent rerun: wall time, and per task the LDAP operations and SMB opens
the Samba DC served and the WinRM commands the hosts ran, each against the minimum the work needs.

Measured at the servers, not in the controller: Samba's own log (samba_log.py: every LDAP request, bind and SMB2
request, with the debug levels raised for the run and put back), and the fake hosts' command logs (commands.jsonl).
Lines go to the task that was running when the server logged them (callback_plugins/bench_timeline.py). LDAP
connections that the lab's own fakes hold (a fake DC resolving a name, as LSA does on a real DC) are told apart by
their client address and counted separately. Prints medians of --rounds rounds and the counts of the last; no
thresholds.

With --logon-right-scope gpo, step 2 changes the DCs' GPO over LDAP and SMB instead of each DC's LSA over WinRM; the
right is defined in the GPO first (untimed), as a fresh domain's GPO does not define it.

Run: python tests/bench/bench_site.py [--rounds 3] [--logon-right-scope local|gpo]  (the lab must be up: make lab-up;
it ends in site.yml's state). ANSIBLE_COLLECTIONS_PATH may point at another copy of the collection, e.g. a commit's.
"""
from __future__ import annotations

import argparse
import collections
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests" / "lab"))

from ansible_runs import Run, collection_dir, run_playbook  # noqa: E402  pylint: disable=wrong-import-position
from labinfo import lab_dir, load_lab  # noqa: E402  pylint: disable=wrong-import-position
from samba_log import SambaLog, client_addresses  # noqa: E402  pylint: disable=wrong-import-position
from site_minimum import WHY, minima_for  # noqa: E402  pylint: disable=wrong-import-position
from winrm_log import CommandLogs  # noqa: E402  pylint: disable=wrong-import-position

SITE, TEARDOWN = collection_dir() / "playbooks" / "site.yml", collection_dir() / "playbooks" / "teardown.yml"
# With logon_right_scope=gpo, step 2 adds the gMSA to the right in the DCs' GPO, which a fresh domain's GPO does not
# define (and add refuses to define it): this defines it first with the local default's one account, once, untimed.
DEFINE_IN_GPO = """- name: Define Log on as a service in the domain controllers' GPO (benchmark set-up)
  hosts: domain_controllers
  gather_facts: false
  tasks:
    - mdi.action_accounts.user_right:
        name: SeServiceLogonRight
        users: ['NT SERVICE\\ALL SERVICES']
        action: set
        scope: gpo
      run_once: true
"""
LDAPS = 636
CONTROLLER, FAKES = "controller", "fake DCs' own lookups"


class Counts:
    """Per task: LDAP operations by origin and kind, SMB requests by kind, WinRM commands per host."""

    def __init__(self):
        self.ldap = collections.defaultdict(collections.Counter)  # (task, origin) -> kind -> n
        self.smb = collections.defaultdict(collections.Counter)  # task -> SMB2 opcode -> n
        self.winrm = collections.defaultdict(collections.Counter)  # task -> host -> n
        self.order: list[str] = []

    def task(self, name: str | None) -> str:
        name = name or "(outside any task)"
        if name not in self.order:
            self.order.append(name)
        return name


def count(run: Run, operations, commands: dict, helpers: set[str], dc_ip: str) -> Counts:
    counts = Counts()
    for task in run.tasks:
        counts.task(task["name"])
    for op in operations:
        task = counts.task(run.task_at(op.when))
        if op.protocol == "smb":
            counts.smb[task][op.kind] += 1
            continue
        # dc1's fake host runs in the DC's own network namespace: its lookups come from the DC's address
        own = op.client and (op.client in helpers or op.client.rsplit(":", 1)[0] == dc_ip)
        counts.ldap[(task, FAKES if own else CONTROLLER)][op.kind] += 1
    for host, records in commands.items():
        for record in records:
            counts.winrm[counts.task(run.task_at(record["when"]))][host] += 1
    return counts


def measured(lab: dict, log: SambaLog, logs: CommandLogs, helper_pids: set[int], what: str, changed_expected,
             extra: tuple) -> tuple[Run, Counts]:
    helpers = client_addresses(helper_pids, LDAPS)  # connections the fakes already hold, and those they open in the run
    log.mark()
    logs.mark()
    run = run_playbook(SITE, lab_dir() / "inventory.yml", *extra)
    helpers |= client_addresses(helper_pids, LDAPS)
    if changed_expected == 0:
        run.expect(what, changed=0)
    else:
        run.expect(what)
        if not run.changed:
            raise SystemExit(f"{what}: nothing changed: did teardown.yml leave the lab as before site.yml?")
    operations = log.since_mark()
    if not any(op.kind == "bind" for op in operations):  # site.yml always binds: Samba did not log what is counted
        raise SystemExit(f"{what}: Samba's log ({log.path}) shows no LDAP bind: the debug levels did not take effect")
    return run, count(run, operations, logs.since_mark(), helpers, lab["samba"]["ip"])


def _kinds(counter) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counter.items())) or "-"


def _versus(actual, minimum: int | None) -> str:
    return f"{actual} / {'?' if minimum is None else minimum}"


def report(name: str, seconds: float, counts: Counts, minima: dict, hosts: int) -> None:
    """Per task: actual / minimum of LDAP operations (controller), SMB opens, WinRM commands per host."""
    print(f"\n{name}: {seconds:.1f} s wall time (median); actual / minimum")
    print(f"  {'task':<76} {'LDAP':>8} {'SMB opens':>10} {'WinRM/host':>11}  LDAP operations; SMB requests")
    totals = collections.Counter()
    for task in counts.order:
        ldap, smb, winrm = counts.ldap.get((task, CONTROLLER), {}), counts.smb.get(task, {}), counts.winrm.get(task, {})
        minimum = minima.get(task.rpartition(" : ")[2])
        if not (ldap or smb or winrm or minimum):
            continue
        ldap_min, opens_min, winrm_min = minimum or (None, None, None)
        per_host = sorted(set(winrm.values()) | ({0} if len(winrm) < hosts else set()))
        totals.update({"ldap": sum(ldap.values()), "opens": smb.get("create", 0), "winrm": sum(winrm.values()),
                       "ldap_min": ldap_min or 0, "opens_min": opens_min or 0, "winrm_min": (winrm_min or 0) * hosts})
        cells = (_versus(sum(ldap.values()), ldap_min), _versus(smb.get("create", 0), opens_min),
                 _versus("-".join(map(str, per_host)), winrm_min))  # "0-1": not the same on every host
        print(f"  {task.replace('mdi.action_accounts.', '')[:76]:<76} {cells[0]:>8} {cells[1]:>10} {cells[2]:>11}  "
              f"{_kinds(ldap)}; {_kinds(smb)}")
    fakes = sum((counter for (_task, origin), counter in counts.ldap.items() if origin == FAKES), collections.Counter())
    print(f"  total: LDAP {totals['ldap']} / {totals['ldap_min']}, SMB opens {totals['opens']} / {totals['opens_min']}, "
          f"WinRM commands {totals['winrm']} / {totals['winrm_min']} ({hosts} hosts); "
          f"{FAKES} (not the controller's): {_kinds(fakes)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--logon-right-scope", choices=("local", "gpo"), default="local",
                        help="step 2 on each DC's LSA over WinRM (site.yml's default) or in the DCs' GPO over LDAP and SMB")
    args = parser.parse_args()
    extra = ("-e", f"logon_right_scope={args.logon_right_scope}")
    lab = load_lab()
    missing = {"samba", "winrm", "cloud"} - set(lab["components"])
    if missing:
        raise SystemExit(f"the lab runs without {', '.join(sorted(missing))}: start the whole lab (make lab-up)")
    helper_pids = {host["pid"] for host in lab["winrm"]["hosts"].values()} | {lab["cloud"]["pid"]}
    logs = CommandLogs(lab["winrm"]["hosts"])
    samples, last = collections.defaultdict(list), {}
    if args.logon_right_scope == "gpo":
        with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
            Path(tmp, "define.yml").write_text(DEFINE_IN_GPO, encoding="utf-8")
            run_playbook(Path(tmp, "define.yml"), lab_dir() / "inventory.yml").expect("defining the right in the GPO")
    with SambaLog(lab["samba"]) as log:
        for _round in range(args.rounds):
            run_playbook(TEARDOWN, lab_dir() / "inventory.yml", *extra).expect("teardown.yml")
            for name, expected in (("first run", None), ("rerun", 0)):
                run, last[name] = measured(lab, log, logs, helper_pids, f"site.yml {name}", expected, extra)
                samples[name].append(run.seconds)
    print(f"playbooks/site.yml against the lab, logon_right_scope={args.logon_right_scope} ({args.rounds} rounds; wall time median, "
          "counts of the last round)")
    minima = minima_for(args.logon_right_scope)
    for name, counts in last.items():
        report(name, statistics.median(samples[name]), counts, minima[name], len(lab["winrm"]["hosts"]))
    print(WHY)


if __name__ == "__main__":
    main()

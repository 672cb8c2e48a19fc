# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark (not a test): ad_ace against the peers an administrator would use, on the lab's Samba DC.

The peers live in their own venv (.build/peers, made by tests/bench/peers_venv.sh: impacket 0.13.1, bloodyAD 2.5.7).
impacket's dacledit.py is tried first; it cannot log in to Samba (its LDAP client binds with NTLM over Sicily, which
Samba refuses, or Kerberos, which fails without TLS channel bindings), so the peer is bloodyAD. bloodyAD has no command
for the four MDI ACEs: the closest is `add genericAll`, one command and one ACE that grants far more (full control on
the target and everything below it). Its simple bind (-ss) goes out without TLS in 2.5.7 and Samba refuses it; it
binds with NTLM over LDAPS (-s).

Each round, interleaved: the peer's command line as a process, as an administrator runs it (wall time), then
ansible-playbook with one ad_ace task granting the preset (the task's time inside the play from a tiny callback,
tests/bench/task_timing/task_seconds.py, and the whole run). The target's DACL is put back byte for byte after each.
Prints medians, the ratios and the LDAP operations of each (ad_ace's counted in this process, bloodyAD's through
tests/bench/peer_op_count.py).

Run: python tests/bench/bench_peers.py [--repeat N]  (the lab must be up: make lab-up)
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ldap3
from ldap3.protocol.microsoft import security_descriptor_control

from bench_ad_ace import PRINCIPAL, REPO, Counter, load_lab, module  # noqa: E402  pylint: disable=wrong-import-order

PEERS = REPO / ".build" / "peers"
DACL_ONLY = security_descriptor_control(sdflags=0x04)
PLAY = """
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: grant
      mdi.action_accounts.ad_ace:
        target: "{target}"
        principal: {principal}
        preset: mdi_action_account
        server: {server}
        username: {username}
        password: "{password}"
        ca_cert: {ca_cert}
"""


def _directory(lab: dict):
    samba = lab["samba"]
    tls = ldap3.Tls(ca_certs_file=lab["ca_cert"], validate=2)
    return ldap3.Connection(ldap3.Server(samba["ip"], port=636, use_ssl=True, tls=tls), samba["admin_upn"], samba["admin_password"],
                            auto_bind=True)


def _dacl(conn, target: str) -> bytes:
    conn.search(target, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"], controls=DACL_ONLY)
    return conn.response[0]["raw_attributes"]["nTSecurityDescriptor"][0]


def _restore(conn, target: str, saved: bytes) -> None:
    conn.modify(target, {"nTSecurityDescriptor": [(ldap3.MODIFY_REPLACE, [saved])]}, controls=DACL_ONLY)


def _peer_env(lab: dict) -> dict:
    return {**os.environ, "SSL_CERT_FILE": lab["ca_cert"]}  # badldap verifies LDAPS against the default CA file


def _bloodyad_args(lab: dict, target: str) -> list:
    samba = lab["samba"]
    return ["-d", samba["domain_dns"], "-u", samba["admin_user"], "-p", samba["admin_password"], "-H", samba["ip"], "-s",
            "add", "genericAll", target, PRINCIPAL]


def dacledit_login(lab: dict, target: str) -> str:
    """What dacledit.py says when it tries to read the target's DACL (its last line)."""
    samba = lab["samba"]
    cred = f"{samba['domain_dns']}/{samba['admin_user']}:{samba['admin_password']}"
    done = subprocess.run([str(PEERS / "bin" / "dacledit.py"), "-action", "read", "-principal", PRINCIPAL, "-target-dn", target,
                           "-use-ldaps", "-dc-ip", samba["ip"], cred], capture_output=True, text=True, timeout=120, check=False)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    return f"rc {done.returncode}: {lines[-1] if lines else 'no output'}"


def peer(lab: dict, target: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(PEERS / "bin" / "bloodyAD"), *_bloodyad_args(lab, target)], capture_output=True, text=True,
                          env=_peer_env(lab), timeout=120, check=False)
    seconds = time.perf_counter() - started
    if done.returncode or "has now GenericAll" not in done.stdout:
        raise SystemExit(f"bloodyAD failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return seconds


def peer_operations(lab: dict, target: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ops.json"
        subprocess.run([str(PEERS / "bin" / "python"), str(Path(__file__).with_name("peer_op_count.py")), str(out),
                        *_bloodyad_args(lab, target)], capture_output=True, env=_peer_env(lab), timeout=120, check=True)
        return json.loads(out.read_text(encoding="utf-8"))


def play(lab: dict, target: str, playbook: Path) -> tuple[float, float]:
    """(the ad_ace task's time inside the play, from tests/bench/task_timing's callback; the whole ansible-playbook run)."""
    build = REPO / ".build"
    timing = playbook.with_suffix(".json")
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(build / "collections"), "ANSIBLE_HOME": str(build / "ansible-home"),
           "ANSIBLE_LOCAL_TEMP": str(build / "ansible-home" / "tmp"), "ANSIBLE_LOCALHOST_WARNING": "false",
           "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false", "ANSIBLE_CALLBACK_PLUGINS": str(Path(__file__).with_name("task_timing")),
           "ANSIBLE_CALLBACKS_ENABLED": "task_seconds", "BENCH_TASK_SECONDS": str(timing)}
    started = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), str(playbook)], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    whole = time.perf_counter() - started
    tasks = json.loads(timing.read_text(encoding="utf-8")) if timing.exists() else []
    if done.returncode or len(tasks) != 1 or not tasks[0]["changed"]:
        raise SystemExit(f"ad_ace play failed or changed nothing: {done.stdout[-3000:]} {done.stderr[-3000:]}")
    return tasks[0]["seconds"], whole


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    subprocess.run([str(Path(__file__).with_name("peers_venv.sh")), str(PEERS)], check=True)
    lab = load_lab()
    samba, target = lab["samba"], lab["samba"]["ous"]["servers"]
    conn = _directory(lab)
    saved = _dacl(conn, target)
    samples = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        playbook = Path(tmp) / "grant.yml"
        playbook.write_text(PLAY.format(target=target, principal=PRINCIPAL, server=samba["ip"], username=samba["admin_upn"],
                                        password=samba["admin_password"], ca_cert=lab["ca_cert"]), encoding="utf-8")
        try:
            login = dacledit_login(lab, target)
            for _round in range(args.repeat):  # interleaved, so both see the same machine load
                samples["bloodyAD add genericAll (1 process)"].append(peer(lab, target))
                _restore(conn, target, saved)
                task, whole = play(lab, target, playbook)
                samples["ad_ace task in the play"].append(task)
                samples["ansible-playbook, whole run"].append(whole)
                _restore(conn, target, saved)
            peer_ops = peer_operations(lab, target)
            _restore(conn, target, saved)
            with Counter() as counter:
                module(lab, target, "present")
            _restore(conn, target, saved)
        finally:
            _restore(conn, target, saved)
            conn.unbind()
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"ad_ace against the peers on {target} ({args.repeat} rounds, medians, one run)")
    print(f"dacledit.py (impacket 0.13.1) login: {login}")
    for name, value in medians.items():
        print(f"{name:<38} {value * 1000:>8.1f} ms")
    ours = ", ".join(f"{op} {n}" for op, n in counter.counts.items() if n)
    print(f"LDAP operations: ad_ace {ours}; bloodyAD {', '.join(f'{op} {n}' for op, n in peer_ops.items())}")
    peer_time = medians["bloodyAD add genericAll (1 process)"]
    print(f"ratio bloodyAD command line / ad_ace task:       {peer_time / medians['ad_ace task in the play']:.1f}x")
    print(f"ratio ansible-playbook whole run / bloodyAD:     {medians['ansible-playbook, whole run'] / peer_time:.2f}x")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()

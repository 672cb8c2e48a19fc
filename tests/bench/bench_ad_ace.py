# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark (not a test): the ad_ace module's own work against the floor, on the lab's Samba DC.

The floor is raw ldap3 doing the same change with the same connection setup: a new LDAPS connection (TCP_NODELAY,
as the module's), a simple bind, the principal's SID by sAMAccountName, the DACL read with the DACL-only control, the four MDI ACEs added,
the modify, the DACL read again. The module's work is ad_ace's backend from connection to result, in this process
(what its action plugin runs, without Ansible's own start-up). Both change the same OU and put it back.
Prints medians, the ratio and the LDAP operations of each, measured in this one run; no thresholds.

Run: python tests/bench/bench_ad_ace.py [--repeat N]  (the lab must be up: make lab-up)
"""
from __future__ import annotations

import argparse
import collections
import socket
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

import ldap3
from ldap3.protocol.microsoft import security_descriptor_control

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "lab"))
sys.path.insert(0, str(REPO / ".build" / "collections"))

from labinfo import load_lab  # noqa: E402  pylint: disable=wrong-import-position

# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import task as ad_ace  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_from_bytes  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action import ControllerModule, ModuleExit  # noqa: E402

DACL_ONLY = security_descriptor_control(sdflags=0x04)
PRINCIPAL = "carol"  # a seeded user: the ACEs name her, nothing else of the lab uses them on this target
OPERATIONS = ("bind", "search", "modify", "add", "delete")


class Counter:
    """Counts ldap3 Connection operations while it is active."""

    def __init__(self):
        self.counts = collections.Counter()
        self._patches = []

    def __enter__(self):
        for name in OPERATIONS:
            original = getattr(ldap3.Connection, name)

            def counted(conn, *args, _name=name, _original=original, **kwargs):
                self.counts[_name] += 1
                return _original(conn, *args, **kwargs)

            patch = mock.patch.object(ldap3.Connection, name, counted)
            patch.start()
            self._patches.append(patch)
        return self

    def __exit__(self, *exc):
        for patch in self._patches:
            patch.stop()


def floor(lab: dict, target: str, state: str) -> None:
    """Raw ldap3: the same change as the module, nothing more (no idempotence beyond a membership test)."""
    samba = lab["samba"]
    tls = ldap3.Tls(ca_certs_file=lab["ca_cert"], validate=2)
    conn = ldap3.Connection(ldap3.Server(samba["ip"], port=636, use_ssl=True, tls=tls, get_info=ldap3.NONE),
                            samba["admin_upn"], samba["admin_password"])
    conn.open()
    conn.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as the module's connection: no Nagle stall
    conn.bind()
    conn.search(samba["base_dn"], f"(sAMAccountName={PRINCIPAL})", attributes=["objectSid"])
    sid = sid_from_bytes(conn.response[0]["raw_attributes"]["objectSid"][0])
    conn.search(target, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"], controls=DACL_ONLY)
    descriptor = SecurityDescriptor.parse(conn.response[0]["raw_attributes"]["nTSecurityDescriptor"][0])
    for ace in mdi_action_account_aces(sid):
        if state == "present":
            descriptor.dacl.ensure(ace)
        else:
            descriptor.dacl.remove(ace)
    conn.modify(target, {"nTSecurityDescriptor": [(ldap3.MODIFY_REPLACE, [descriptor.encode()])]}, controls=DACL_ONLY)
    conn.search(target, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"], controls=DACL_ONLY)
    conn.unbind()


def module(lab: dict, target: str, state: str) -> dict:
    samba = lab["samba"]
    params = {"target": target, "principal": PRINCIPAL, "preset": "mdi_action_account", "state": state, "server": samba["ip"],
              "username": samba["admin_upn"], "password": samba["admin_password"], "ca_cert": lab["ca_cert"]}
    try:
        ad_ace.run(ControllerModule(ad_ace.argument_spec(), params, "ad_ace", **ad_ace.CONSTRAINTS))
    except ModuleExit as end:
        if end.result.get("failed"):
            raise SystemExit(f"ad_ace failed: {end.result['msg']}") from None
        return end.result
    raise SystemExit("ad_ace ended without a result")


def timed(function, *args) -> tuple[float, collections.Counter]:
    with Counter() as counter:
        started = time.perf_counter()
        function(*args)
        return time.perf_counter() - started, counter.counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    lab = load_lab()
    target = lab["samba"]["ous"]["servers"]
    samples = collections.defaultdict(list)
    ops = {}
    module(lab, target, "absent")  # a known start
    for _round in range(args.repeat):
        # Interleaved, so both see the same machine load.
        for name, function in (("floor", floor), ("ad_ace", module)):
            seconds, counts = timed(function, lab, target, "present")
            samples[f"{name} change"].append(seconds)
            ops[f"{name} change"] = counts
            function(lab, target, "absent")
        module(lab, target, "present")
        seconds, counts = timed(module, lab, target, "present")
        samples["ad_ace no-op"].append(seconds)
        ops["ad_ace no-op"] = counts
        module(lab, target, "absent")
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"ad_ace against raw ldap3 on {target} ({args.repeat} rounds, medians, one run)")
    print(f"{'case':<16} {'ms':>8} {'LDAP operations':<40}")
    for name, value in medians.items():
        counted = ", ".join(f"{op} {ops[name][op]}" for op in OPERATIONS if ops[name][op])
        print(f"{name:<16} {value * 1000:>8.1f} {counted:<40}")
    print(f"ratio ad_ace change / floor change: {medians['ad_ace change'] / medians['floor change']:.2f}x")
    print(f"ratio ad_ace no-op / floor change:  {medians['ad_ace no-op'] / medians['floor change']:.2f}x")


if __name__ == "__main__":
    main()

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark (not a test): ad_ace against the peers an administrator would use, on the lab's Samba DC.

The peers live in their own venv (.build/peers, made by tests/bench/peers_venv.sh: impacket 0.13.1, bloodyAD 2.5.7).
impacket's dacledit.py is tried first; it cannot log in to Samba (its LDAP client binds with NTLM over Sicily, which
Samba refuses, or Kerberos, which fails without TLS channel bindings), so the peer is bloodyAD. Its simple bind (-ss)
goes out without TLS in 2.5.7 and Samba refuses it; it binds with NTLM over LDAPS (-s). Two peer cases:
- the same four ACEs (the goal's case): bloodyAD's command lines that read the principal's SID and the target's
  descriptor as SDDL, the four ACE strings put in, and the command line that writes it (bloodyad_four_aces.py);
  each round checks on the DC that the DACL is exactly the one ad_ace writes;
- `add genericAll`, bloodyAD's closest single command: one ACE that grants far more (full control on the target and
  everything below it).

Each round, interleaved: each peer's command lines as processes, as an administrator runs them (wall time), then
ansible-playbook with one ad_ace task granting the preset (the task's time inside the play from a tiny callback,
tests/bench/task_timing/task_seconds.py, and the whole run). After each, what it wrote is put back from the descriptor
read at the start, with the SD flags of the parts it wrote: the DACL (4) after ad_ace and `add genericAll`, all four
parts (0xF) after bloodyAD's `set object`, which writes the whole descriptor (see bloodyad_four_aces.py); then the whole
descriptor (control, owner, group, SACL, DACL) must be the start's, byte for byte, or the bench stops and says what
differs (descriptor_diff.py). Once, on a scratch OU that holds an explicit audit ACE, it shows what `set object` changes
besides the DACL.
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
from descriptor_diff import differences  # noqa: E402
from bloodyad_four_aces import printed_value, read_sddl_command, read_sid_command, with_mdi_aces, write_sddl_command  # noqa: E402

# pylint: disable=wrong-import-order
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import descriptor_from_sddl  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_from_bytes  # noqa: E402

PEERS = REPO / ".build" / "peers"
DACL_PART, ALL_PARTS, SACL_PART = 0x04, 0x0F, 0x08  # SD flags: the parts of a descriptor a read returns or a write sets
DACL_ONLY = security_descriptor_control(sdflags=DACL_PART)
WHOLE_DESCRIPTOR = security_descriptor_control(sdflags=ALL_PARTS)
PROBE_OU = "OU=bench-bloodyad-probe"
PROBE_AUDIT_ACE = "S:(AU;SA;WP;;;WD)"  # an explicit audit ACE, as admins (and MDI's auditing) put on OUs and the domain
GENERIC_ALL = "bloodyAD add genericAll (1 process)"
FOUR_ACES = "bloodyAD the same four ACEs (3 processes)"
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


def _dacl(conn, target: str, controls=DACL_ONLY) -> bytes:
    conn.search(target, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"], controls=controls)
    return conn.response[0]["raw_attributes"]["nTSecurityDescriptor"][0]


def _restore(conn, target: str, saved: bytes, parts: int = DACL_PART) -> None:
    """Writes the ``parts`` (SD flags) of the descriptor ``saved`` to ``target``."""
    conn.modify(target, {"nTSecurityDescriptor": [(ldap3.MODIFY_REPLACE, [saved])]}, controls=security_descriptor_control(sdflags=parts))
    if conn.result["result"]:
        raise SystemExit(f"putting back the descriptor of {target} (SD flags 0x{parts:x}) failed: {conn.result}")


def _left_behind(conn, target: str, whole: bytes, parts: int, domain_sid: str) -> list:
    """What still differs from the whole descriptor ``whole`` once its ``parts`` are written back to ``target``."""
    _restore(conn, target, whole, parts)
    return differences(whole, _dacl(conn, target, WHOLE_DESCRIPTOR), domain_sid)


def _put_back(conn, target: str, whole: bytes, parts: int, after: str, domain_sid: str) -> None:
    """Puts back what ``after`` wrote; stops the bench, loudly, when the descriptor is still not the start's."""
    left = _left_behind(conn, target, whole, parts, domain_sid)
    if left:
        raise SystemExit(f"FAILED: after {after}, the descriptor of {target} still differs from the start's: {'; '.join(left)}")


def _peer_env(lab: dict) -> dict:
    return {**os.environ, "SSL_CERT_FILE": lab["ca_cert"]}  # badldap verifies LDAPS against the default CA file


def _bloodyad_args(lab: dict, command: list) -> list:
    samba = lab["samba"]
    return ["-d", samba["domain_dns"], "-u", samba["admin_user"], "-p", samba["admin_password"], "-H", samba["ip"], "-s", *command]


def _generic_all(target: str) -> list:
    return ["add", "genericAll", target, PRINCIPAL]


def _bloodyad(lab: dict, command: list, expected: str) -> str:
    """One bloodyAD command line as a process; its output, which must hold ``expected``."""
    done = subprocess.run([str(PEERS / "bin" / "bloodyAD"), *_bloodyad_args(lab, command)], capture_output=True, text=True,
                          env=_peer_env(lab), timeout=120, check=False)
    if done.returncode or expected not in done.stdout:
        raise SystemExit(f"bloodyAD {command[:2]} failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return done.stdout


def dacledit_login(lab: dict, target: str) -> str:
    """What dacledit.py says when it tries to read the target's DACL (its last line)."""
    samba = lab["samba"]
    cred = f"{samba['domain_dns']}/{samba['admin_user']}:{samba['admin_password']}"
    done = subprocess.run([str(PEERS / "bin" / "dacledit.py"), "-action", "read", "-principal", PRINCIPAL, "-target-dn", target,
                           "-use-ldaps", "-dc-ip", samba["ip"], cred], capture_output=True, text=True, timeout=120, check=False)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    return f"rc {done.returncode}: {lines[-1] if lines else 'no output'}"


def peer_generic_all(lab: dict, target: str) -> float:
    started = time.perf_counter()
    _bloodyad(lab, _generic_all(target), "has now GenericAll")
    return time.perf_counter() - started


def peer_four_aces(lab: dict, target: str) -> tuple[float, list]:
    """(the wall time of the three command lines and the edit between them; the command lines, for counting)."""
    started = time.perf_counter()
    sid = printed_value(_bloodyad(lab, read_sid_command(PRINCIPAL), "objectSid: "), "objectSid")
    sddl = printed_value(_bloodyad(lab, read_sddl_command(target), "nTSecurityDescriptor: "), "nTSecurityDescriptor")
    write = write_sddl_command(target, with_mdi_aces(sddl, sid))
    _bloodyad(lab, write, "has been updated")
    return time.perf_counter() - started, [read_sid_command(PRINCIPAL), read_sddl_command(target), write]


def check_four_aces(conn, target: str, saved: bytes, sid: str) -> None:
    """The peer left exactly the DACL ad_ace writes: the one read before, with the four ACEs in canonical place."""
    expected = SecurityDescriptor.parse(saved)
    for ace in mdi_action_account_aces(sid):
        expected.dacl.ensure(ace)
    if SecurityDescriptor.parse(_dacl(conn, target)).dacl.encode() != expected.dacl.encode():
        raise SystemExit(f"bloodyAD's SDDL write left another DACL on {target} than ad_ace writes")


def set_object_side_effects(lab: dict, conn, parent: str) -> list:
    """What bloodyAD's `set object ... nTSecurityDescriptor` changes besides the DACL, on a scratch OU below ``parent``
    given an explicit audit ACE first (the lab's target has inherited ones only); the OU is put back, checked, deleted."""
    probe, domain_sid = f"{PROBE_OU},{parent}", lab["samba"]["domain_sid"]
    conn.add(probe, ["organizationalUnit"])
    if conn.result["result"]:
        raise SystemExit(f"cannot create the probe OU {probe}: {conn.result}")
    try:
        _restore(conn, probe, descriptor_from_sddl(PROBE_AUDIT_ACE).encode(), SACL_PART)
        before = _dacl(conn, probe, WHOLE_DESCRIPTOR)
        peer_four_aces(lab, probe)
        changed = differences(before, _dacl(conn, probe, WHOLE_DESCRIPTOR), domain_sid, dacl=False)
        _put_back(conn, probe, before, ALL_PARTS, "bloodyAD's set object on the probe OU", domain_sid)
    finally:
        conn.delete(probe)
    return changed


def peer_operations(lab: dict, commands: list) -> dict:
    """The LDAP operations of ``commands`` (bloodyAD command lines), added up."""
    total: collections.Counter = collections.Counter()
    for command in commands:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "ops.json"
            subprocess.run([str(PEERS / "bin" / "python"), str(Path(__file__).with_name("peer_op_count.py")), str(out),
                            *_bloodyad_args(lab, command)], capture_output=True, env=_peer_env(lab), timeout=120, check=True)
            total.update(json.loads(out.read_text(encoding="utf-8")))
    return dict(total)


def write_playbook(lab: dict, target: str, playbook: Path) -> None:
    """The play of one ad_ace task granting the preset on ``target``."""
    samba = lab["samba"]
    playbook.write_text(PLAY.format(target=target, principal=PRINCIPAL, server=samba["ip"], username=samba["admin_upn"],
                                    password=samba["admin_password"], ca_cert=lab["ca_cert"]), encoding="utf-8")


def play(playbook: Path, command: list | None = None, extra_env: dict | None = None) -> tuple[float, float]:
    """(the ad_ace task's time inside the play, from tests/bench/task_timing's callback; the whole run of ``command``,
    ansible-playbook by default)."""
    build = REPO / ".build"
    timing = playbook.with_suffix(".json")
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(build / "collections"), "ANSIBLE_HOME": str(build / "ansible-home"),
           "ANSIBLE_LOCAL_TEMP": str(build / "ansible-home" / "tmp"), "ANSIBLE_LOCALHOST_WARNING": "false",
           "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false", "ANSIBLE_CALLBACK_PLUGINS": str(Path(__file__).with_name("task_timing")),
           "ANSIBLE_CALLBACKS_ENABLED": "task_seconds", "BENCH_TASK_SECONDS": str(timing), **(extra_env or {})}
    started = time.perf_counter()
    done = subprocess.run([*(command or [str(Path(sys.executable).parent / "ansible-playbook")]), str(playbook)], capture_output=True,
                          text=True, env=env, timeout=300, check=False)
    whole = time.perf_counter() - started
    tasks = json.loads(timing.read_text(encoding="utf-8")) if timing.exists() else []
    if done.returncode or len(tasks) != 1 or not tasks[0]["changed"]:
        raise SystemExit(f"ad_ace play failed or changed nothing: {done.stdout[-3000:]} {done.stderr[-3000:]}")
    return tasks[0]["seconds"], whole


def _sid(conn, base: str) -> str:
    conn.search(base, f"(sAMAccountName={PRINCIPAL})", attributes=["objectSid"])
    return sid_from_bytes(conn.response[0]["raw_attributes"]["objectSid"][0])


def _ratio_lines(medians: dict) -> list:
    task = medians["ad_ace task in the play"]
    four, generic = medians[FOUR_ACES] / task, medians[GENERIC_ALL] / task
    verdict = "met" if four >= 5 else "not met"
    return [f"ratio bloodyAD the same four ACEs / ad_ace task:  {four:.1f}x",
            f"ratio bloodyAD add genericAll / ad_ace task:     {generic:.1f}x",
            f"goal (issue 13, >= 5x) {verdict} at {four:.1f}x: judged on the same four ACEs, the only peer case that does the "
            "same work (genericAll writes one broader ACE)",
            f"ratio ansible-playbook whole run / bloodyAD four:  {medians['ansible-playbook, whole run'] / medians[FOUR_ACES]:.2f}x",
            f"ratio ansible-playbook whole run / genericAll:     {medians['ansible-playbook, whole run'] / medians[GENERIC_ALL]:.2f}x"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    subprocess.run([str(Path(__file__).with_name("peers_venv.sh")), str(PEERS)], check=True)
    lab = load_lab()
    samba, target = lab["samba"], lab["samba"]["ous"]["servers"]
    conn = _directory(lab)
    whole, domain_sid = _dacl(conn, target, WHOLE_DESCRIPTOR), samba["domain_sid"]
    sid = _sid(conn, samba["base_dn"])
    samples, on_target = collections.defaultdict(list), []

    def put_back(parts: int, after: str) -> None:
        _put_back(conn, target, whole, parts, after, domain_sid)

    with tempfile.TemporaryDirectory() as tmp:
        playbook = Path(tmp) / "grant.yml"
        write_playbook(lab, target, playbook)
        try:
            login = dacledit_login(lab, target)
            for round_number in range(args.repeat):  # interleaved, so all see the same machine load
                seconds, commands = peer_four_aces(lab, target)
                samples[FOUR_ACES].append(seconds)
                if not round_number:
                    on_target = differences(whole, _dacl(conn, target, WHOLE_DESCRIPTOR), domain_sid, dacl=False)
                check_four_aces(conn, target, whole, sid)
                put_back(ALL_PARTS, "bloodyAD's set object")
                samples[GENERIC_ALL].append(peer_generic_all(lab, target))
                put_back(DACL_PART, "bloodyAD add genericAll")
                task, run = play(playbook)
                samples["ad_ace task in the play"].append(task)
                samples["ansible-playbook, whole run"].append(run)
                put_back(DACL_PART, "the ad_ace play")
            four_ops = peer_operations(lab, commands)
            put_back(ALL_PARTS, "bloodyAD's set object (operations counted)")
            generic_ops = peer_operations(lab, [_generic_all(target)])
            put_back(DACL_PART, "bloodyAD add genericAll (operations counted)")
            with Counter() as counter:
                module(lab, target, "present")
            put_back(DACL_PART, "ad_ace (operations counted)")
            on_probe = set_object_side_effects(lab, conn, target)
        finally:
            left = _left_behind(conn, target, whole, ALL_PARTS, domain_sid)
            conn.unbind()
            if left:
                print(f"FAILED: at the end, the descriptor of {target} still differs from the start's: {'; '.join(left)}", file=sys.stderr)
    if left:
        raise SystemExit(1)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"ad_ace against the peers on {target} ({args.repeat} rounds, medians, one run)")
    print(f"dacledit.py (impacket 0.13.1) login: {login}")
    for name, value in medians.items():
        print(f"{name:<44} {value * 1000:>8.1f} ms")
    ours = ", ".join(f"{op} {n}" for op, n in counter.counts.items() if n)
    print(f"LDAP operations: ad_ace {ours}; bloodyAD four ACEs {', '.join(f'{op} {n}' for op, n in four_ops.items())}; "
          f"bloodyAD genericAll {', '.join(f'{op} {n}' for op, n in generic_ops.items())}")
    for line in _ratio_lines(medians):
        print(line)
    print(f"bloodyAD set object changed besides the DACL, on the target: {'; '.join(on_target) or 'nothing'}")
    print(f"  on an OU with an explicit audit ACE: {'; '.join(on_probe) or 'nothing'}")
    print("  put back each time with SD flags 0xf (owner, group, DACL, SACL); ad_ace and add genericAll with 0x4 (DACL)")
    print(f"descriptor of {target} at the end: the start's, byte for byte (control, owner, group, SACL, DACL)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()

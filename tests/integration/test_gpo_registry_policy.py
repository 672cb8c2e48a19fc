# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""gpo_registry_policy against the lab's Samba DC, on the settings test GPO (test_gpo_settings.py) holding another
extension pair and a Registry.pol record written by Samba. The judge is independent: Samba's own PReg parser (NDR
preg.file, under the system Python) reads the file fetched over our own SMB session; versions and extension names
are read as test_gpo_settings.py reads them (our LDAP connection, GPT.INI, samba-tool gpo listall)."""
from __future__ import annotations

import json
import subprocess

from test_gpo_settings import ADMIN_PAIR, AUDIT_PAIR, NAME, _task, fixture_gpo  # noqa: F401  pylint: disable=unused-import

POL = r"Machine\Registry.pol"
POWER = "Software\\Policies\\Microsoft\\Power\\PowerSettings"
HIGH_PERFORMANCE = "8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c"
# Another setting of the GPO, REG_SZ: it must keep its bytes through every edit.
SCREEN_SAVER = ["Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop", "ScreenSaveActive", 1, "1"]
# Samba's NDR marshalling of Registry.pol (librpc/idl/preg.idl): "pack" a JSON list of [key, name, type, data] into the
# file's bytes on stdout, "unpack" the file's bytes on stdin into that JSON list (binary data in hex).
SAMBA_PREG = r"""
import json, sys
from samba.ndr import ndr_pack, ndr_unpack
from samba.dcerpc import preg
if sys.argv[1] == "pack":
    entries = []
    for key, name, kind, data in json.load(sys.stdin):
        entry = preg.entry(); entry.keyname, entry.valuename, entry.type, entry.data = key, name, kind, data
        entries.append(entry)
    pol = preg.file(); pol.header.signature, pol.header.version, pol.num_entries, pol.entries = "PReg", 1, len(entries), entries
    sys.stdout.buffer.write(ndr_pack(pol))
else:
    pol = ndr_unpack(preg.file, sys.stdin.buffer.read())
    assert (pol.header.signature, pol.header.version, pol.num_entries) == ("PReg", 1, len(pol.entries))
    print(json.dumps([[e.keyname, e.valuename, e.type, e.data.hex() if isinstance(e.data, bytes) else e.data] for e in pol.entries]))
"""


def _samba_preg(command: str, data: bytes) -> bytes:
    return subprocess.run(["/usr/bin/python3", "-c", SAMBA_PREG, command], input=data, capture_output=True, check=True, timeout=60).stdout


def _samba_reads(data: bytes) -> list:
    return json.loads(_samba_preg("unpack", data))


def test_processor_performance_is_merged_kept_and_removed(playbook, gpo, directory):
    seeded = _samba_preg("pack", json.dumps([SCREEN_SAVER]).encode())
    gpo.write(POL, seeded)
    directory.modify(gpo.dn, {"gPCMachineExtensionNames": [("MODIFY_REPLACE", [AUDIT_PAIR])]})  # admin templates' pair is missing
    args = {"gpo": NAME, "values": [{"key": POWER, "name": "ActivePowerScheme", "type": "REG_SZ", "data": HIGH_PERFORMANCE}],
            "state": "present"}
    planned = _task(playbook, "gpo_registry_policy", args, "--check", "--diff")
    assert planned["changed"] and f"ActivePowerScheme = REG_SZ '{HIGH_PERFORMANCE}'" in planned["diff"]["after"]
    assert "ScreenSaveActive = REG_SZ '1'" in planned["diff"]["before"]
    assert gpo.file(POL) == seeded and gpo.ad() == (0, AUDIT_PAIR) and gpo.ini_version() == 0  # check mode wrote nothing

    done = _task(playbook, "gpo_registry_policy", args)
    assert done["changed"] and done["policy_values"] == planned["policy_values"] == [
        {"key": POWER, "name": "ActivePowerScheme", "type": "REG_SZ", "data": HIGH_PERFORMANCE}]
    after = gpo.file(POL)
    assert after.startswith(seeded)  # the other record keeps its bytes and its place
    assert _samba_reads(after) == [SCREEN_SAVER, [POWER, "ActivePowerScheme", 1, HIGH_PERFORMANCE]]
    assert gpo.versions_agree() == 1 and gpo.ad()[1] == ADMIN_PAIR + AUDIT_PAIR
    assert not _task(playbook, "gpo_registry_policy", args)["changed"] and gpo.file(POL) == after and gpo.ad()[0] == 1

    gone = {"gpo": NAME, "values": [{"key": POWER.upper(), "name": "activepowerscheme"}], "state": "absent"}
    assert _task(playbook, "gpo_registry_policy", gone, "--check")["changed"] and gpo.file(POL) == after and gpo.ad()[0] == 1
    removed = _task(playbook, "gpo_registry_policy", gone)
    assert removed["changed"] and removed["policy_values"] == [] and gpo.file(POL) == seeded
    assert _samba_reads(gpo.file(POL)) == [SCREEN_SAVER]
    assert gpo.versions_agree() == 2 and gpo.ad()[1] == ADMIN_PAIR + AUDIT_PAIR

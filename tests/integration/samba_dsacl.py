# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The whole security descriptor of an object as Samba itself prints it (`samba-tool dsacl get`), read from the DC's
own sam.ldb as its system account: owner, DACL and SACL, Deleted Objects included, independent of the collection's codec."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import ldap3
from enforcement import bind  # tests/lab, on sys.path through conftest.py
from ldap3.protocol.microsoft import security_descriptor_control

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / ".build" / "collections"))
# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import descriptor_from_sddl  # noqa: E402

SHOW_DELETED = ("1.2.840.113556.1.4.417", True, None)

_PART = re.compile(r"([DS]):(?:P|AR|AI)*((?:\([^)]*\))*)")


def samba_tool(lab: dict, *args: str) -> str:
    """What ``samba-tool <args>`` prints, run on the DC's own database (-H sam.ldb) in its network namespace."""
    samba = lab["samba"]
    inner = "mount -t tmpfs run /run && mkdir -p /run/samba && exec \"$@\""  # Samba's tools want the DC's private /run
    out = subprocess.run(["ip", "netns", "exec", samba["netns"], "unshare", "-m", "--propagation", "private", "sh", "-c", inner, "sh",
                          "samba-tool", *args, "-H", f"{samba['dir']}/private/sam.ldb",
                          "-s", f"{samba['dir']}/etc/smb.conf"], capture_output=True, text=True, check=False, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def dsacl_get(lab: dict, dn: str) -> str:
    """The SDDL of ``dn``'s descriptor (O:..G:..D:..S:..)."""
    return samba_tool(lab, "dsacl", "get", f"--objectdn={dn}").strip().splitlines()[-1]


def aces_of(sddl: str, part: str) -> list:
    """The ACE strings of the D: or S: part of an SDDL descriptor, in order."""
    found = dict(_PART.findall(sddl))
    return re.findall(r"\([^)]*\)", found.get(part, ""))


def owner_of(sddl: str) -> str:
    return sddl.split("O:", 1)[1].split("G:", 1)[0]


def _write(conn, dn: str, descriptor: SecurityDescriptor, flags: int) -> None:
    conn.modify(dn, {"nTSecurityDescriptor": [(ldap3.MODIFY_REPLACE, [descriptor.encode()])]},
                controls=security_descriptor_control(sdflags=flags) + [SHOW_DELETED])
    assert conn.result["result"] == 0, conn.result


def put_back(lab: dict, dn: str, before: str) -> None:
    """Writes the owner and DACL of ``before`` (dsacl_get's SDDL) back to ``dn``, taking ownership first whatever a test
    left, and checks that Samba prints the same again. For CN=Deleted Objects, whose ownership a test may take."""
    saved = descriptor_from_sddl(before, lab["samba"]["domain_sid"])
    conn = bind(lab)
    try:
        _write(conn, dn, SecurityDescriptor(owner="S-1-5-32-544"), 0x1)  # own it, to write its DACL
        _write(conn, dn, SecurityDescriptor(owner=saved.owner, dacl=saved.dacl, control=saved.control), 0x5)
    finally:
        conn.unbind()
    assert dsacl_get(lab, dn) == before

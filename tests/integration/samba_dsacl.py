# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The whole security descriptor of an object as Samba itself prints it (`samba-tool dsacl get`), read from the DC's
own sam.ldb as its system account: owner, DACL and SACL, Deleted Objects included, independent of the collection's codec."""
from __future__ import annotations

import re
import subprocess

_PART = re.compile(r"([DS]):(?:P|AR|AI)*((?:\([^)]*\))*)")


def dsacl_get(lab: dict, dn: str) -> str:
    """The SDDL of ``dn``'s descriptor (O:..G:..D:..S:..)."""
    samba = lab["samba"]
    inner = "mount -t tmpfs run /run && mkdir -p /run/samba && exec \"$@\""  # Samba's tools want the DC's private /run
    out = subprocess.run(["ip", "netns", "exec", samba["netns"], "unshare", "-m", "--propagation", "private", "sh", "-c", inner, "sh",
                          "samba-tool", "dsacl", "get", f"--objectdn={dn}", "-H", f"{samba['dir']}/private/sam.ldb",
                          "-s", f"{samba['dir']}/etc/smb.conf"], capture_output=True, text=True, check=False, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip().splitlines()[-1]


def aces_of(sddl: str, part: str) -> list:
    """The ACE strings of the D: or S: part of an SDDL descriptor, in order."""
    found = dict(_PART.findall(sddl))
    return re.findall(r"\([^)]*\)", found.get(part, ""))


def owner_of(sddl: str) -> str:
    return sddl.split("O:", 1)[1].split("G:", 1)[0]

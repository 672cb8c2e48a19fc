# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The four MDI ACEs written with bloodyAD 2.5.7's own command lines, as an administrator would, for bench_peers.py.

bloodyAD has no command for them, but it reads and writes a descriptor as SDDL: one command line reads the principal's
SID, one the target's descriptor (owner, group, DACL), the administrator puts the four ACE strings in the DACL's SDDL
before its first inherited ACE (where ad_ace puts them: canonical order), and one command line writes it back.
`get object` cannot be used on Samba: it sends the critical control 1.2.840.113556.1.4.2065 (show deactivated links),
which Samba refuses (unavailableCriticalExtension); `get search` sends none. The rights go as hex (0x30, 0x100), the
way bloodyAD prints them: its SDDL reader (winacl) takes one rights token or a number, not `RPWP`.

The write changes more than the DACL. `get search` reads the descriptor with the SD flags control set to owner, group
and DACL (0x7, bloodysearch's default), so the SDDL holds no SACL; `set object` sends no SD flags control, which the DC
takes as all four parts (MS-ADTS 6.1.3.2: without the control, 0xF). So it writes "no SACL": Samba drops the object's
explicit audit ACEs and re-derives only the inherited ones from the parent (a protected SACL, which inherits none, goes
altogether). And SDDL has no token for the SE_OWNER_DEFAULTED and SE_GROUP_DEFAULTED control bits, so winacl's
descriptor comes without them and the write clears them (the owner and group SIDs go back as read). bloodyAD's own ACE
commands (`add genericAll`, ...) send the control with the DACL alone. bench_peers.py shows both and puts them back.
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_to_sddl

_FIRST_INHERITED = re.compile(r"\([^;()]*;[A-Z]*ID[A-Z]*;")


def read_sid_command(principal: str) -> list:
    return ["get", "search", "--filter", f"(sAMAccountName={principal})", "--attr", "objectSid"]


def read_sddl_command(target: str) -> list:
    return ["get", "search", "--base", target, "--filter", f"(distinguishedName={target})", "--attr", "nTSecurityDescriptor"]


def write_sddl_command(target: str, sddl: str) -> list:
    return ["set", "object", target, "nTSecurityDescriptor", "-v", sddl]


def printed_value(output: str, attribute: str) -> str:
    """The value bloodyAD printed for ``attribute`` (`name: value` lines)."""
    found = re.search(rf"^{attribute}: (.+)$", output, re.MULTILINE)
    if not found:
        raise SystemExit(f"bloodyAD printed no {attribute}: {output[-2000:]}")
    return found.group(1).strip()


def _hex_rights(ace) -> str:
    fields = ace_to_sddl(ace)[1:-1].split(";")
    fields[2] = hex(ace.mask)
    return "(" + ";".join(fields) + ")"


def with_mdi_aces(sddl: str, sid: str) -> str:
    """``sddl`` (O:G:D: as bloodyAD prints it) with the preset's four ACEs for ``sid`` before the first inherited ACE."""
    dacl = sddl.index("D:")
    first = _FIRST_INHERITED.search(sddl, dacl)
    at = first.start() if first else len(sddl)
    return sddl[:at] + "".join(_hex_rights(ace) for ace in mdi_action_account_aces(sid)) + sddl[at:]

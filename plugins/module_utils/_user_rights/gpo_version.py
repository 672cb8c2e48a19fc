# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: what tells clients a GPO changed (MS-GPOL 3.3.4.5).

- The GPO container's ``versionNumber`` (in AD) and the ``Version=`` of GPT.INI (in SYSVOL) are each
  ``user << 16 | machine``. A computer-policy change increments the machine part of BOTH, each from its own
  current value; a part that wraps to 0 becomes 1. Clients skip a GPO whose version did not change.
- ``gPCMachineExtensionNames`` lists the client-side extensions that must process the GPO:
  ``[{CSE}{tool}...][{CSE}{tool}...]``, groups sorted by CSE GUID. Without the Security extension
  pair the security template (user rights) is never applied.
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import GpoError

SECURITY_CSE = "{827D319E-6EAC-11D2-A4EA-00C04F79F83A}"
SECURITY_TOOL = "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}"
_GROUP = re.compile(r"\[([^\]]*)\]")
_GUID = re.compile(r"\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}")
_SECTION = re.compile(r"^\s*\[(?P<name>[^\]]*)\]\s*$")
_VERSION = re.compile(r"^(?P<prefix>\s*version\s*=\s*)(?P<value>-?\d+)\s*$", re.IGNORECASE)


def bump_machine(version: int) -> int:
    """``version`` with its machine (low 16 bits) part incremented; 0 after wrapping becomes 1."""
    version &= 0xFFFFFFFF  # versionNumber is a signed 32-bit INTEGER in AD; the parts are unsigned
    machine = ((version & 0xFFFF) + 1) & 0xFFFF or 1
    return (version & 0xFFFF0000) | machine


def to_ad_integer(version: int) -> int:
    """The value to store in versionNumber (signed 32-bit)."""
    version &= 0xFFFFFFFF
    return version - (1 << 32) if version >= (1 << 31) else version


def _general_version(lines: list[str]) -> tuple[int | None, int | None]:
    """(index of [General], index of its Version= line)."""
    general = found = None
    inside = False
    for index, line in enumerate(lines):
        header = _SECTION.match(line.rstrip("\r\n"))
        if header:
            inside = header.group("name").strip().lower() == "general"
            general = index if inside and general is None else general
        elif inside and found is None and _VERSION.match(line.rstrip("\r\n")):
            found = index
    return general, found


def ini_version(text: str) -> int:
    """Version= of GPT.INI's [General] section; a missing one counts as 0 (a GPO without settings)."""
    lines = text.splitlines()
    _general, index = _general_version(lines)
    return int(_VERSION.match(lines[index]).group("value")) & 0xFFFFFFFF if index is not None else 0


def set_ini_version(text: str, version: int) -> str:
    """GPT.INI with Version= set to ``version``; every other line kept as it is."""
    lines = text.splitlines(keepends=True)
    eol = "\n" if lines and lines[0].endswith("\n") and not lines[0].endswith("\r\n") else "\r\n"  # CRLF unless the file says LF
    general, index = _general_version(lines)
    if index is not None:
        line = lines[index]
        body = line.rstrip("\r\n")
        lines[index] = _VERSION.match(body).group("prefix") + str(version & 0xFFFFFFFF) + line[len(body):]
        return "".join(lines)
    if general is None:
        if lines and not lines[-1].endswith(("\r\n", "\n")):
            lines[-1] += eol
        return "".join(lines) + f"[General]{eol}Version={version & 0xFFFFFFFF}{eol}"
    if not lines[general].endswith(("\r\n", "\n")):
        lines[general] += eol
    lines.insert(general + 1, f"Version={version & 0xFFFFFFFF}{eol}")
    return "".join(lines)


def add_extension(value: str | None, cse: str = SECURITY_CSE, tool: str = SECURITY_TOOL) -> str:
    """gPCMachineExtensionNames with the pair [cse][tool] in it; groups and tools that are there stay as written.

    A new group goes where Windows sorts it (by CSE GUID); a missing tool joins its CSE's group, sorted.
    """
    value = (value or "").strip()
    groups = [_GUID.findall(group) for group in _GROUP.findall(value)]
    if "".join("[" + "".join(g) + "]" for g in groups) != value:
        raise GpoError(f"gPCMachineExtensionNames is not a list of [{{GUID}}...] groups: {value!r}")
    cse, tool = cse.upper(), tool.upper()
    for group in groups:
        if group and group[0].upper() == cse:
            if tool not in (guid.upper() for guid in group[1:]):
                group[1:] = sorted(group[1:] + [tool], key=str.upper)
            break
    else:
        at = next((i for i, group in enumerate(groups) if group and group[0].upper() > cse), len(groups))
        groups.insert(at, [cse, tool])
    return "".join("[" + "".join(group) + "]" for group in groups)

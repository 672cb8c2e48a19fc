# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the version that tells clients a GPO changed (MS-GPOL 3.3.4.5).

The GPO container's ``versionNumber`` (in AD) and the ``Version=`` of GPT.INI (in SYSVOL) are each
``user << 16 | machine``. A computer-policy change increments the machine part of BOTH, each from its own
current value; a part that wraps to 0 becomes 1. Clients skip a GPO whose version did not change.
"""
from __future__ import annotations

import re

_SECTION = re.compile(r"^\s*\[(?P<name>[^\]]*)\]\s*$")
_VERSION = re.compile(r"^(?P<prefix>\s*version\s*=\s*)(?P<value>-?\d+)\s*$", re.IGNORECASE)
NEW_GPT_INI = "[General]\r\nVersion=0\r\n"  # what samba-tool gpo create writes (GPMC adds displayName=)


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

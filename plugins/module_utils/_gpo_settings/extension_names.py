# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: ``gPCMachineExtensionNames``, the client-side extensions of a GPO.

The value is a run of groups ``[{CSE}{tool}{tool}...]``: a client-side extension (CSE) GUID, then the GUIDs of the
editor tools that wrote settings for it. Without its CSE's group a client never applies a settings file, so a
task that writes audit.csv must make sure ``[{AUDIT_CSE}{AUDIT_TOOL}]`` is there - and must keep every other group:
Microsoft's DefenderForIdentity module (1.0.0.4, Set-MDIGPOMachineExtension) replaces the attribute with its own
pairs, and every other extension of the GPO silently stops applying. ``merge`` only adds: it unions the pairs
asked for into the groups already there, groups sorted by CSE GUID (as MS-GPOL 3.2.1.24 keeps its extension list)
and tools sorted within a group; GUIDs compare case-insensitively and keep the case they were written in. A value
that already holds every pair asked for comes back exactly as it was, sorted or not.
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError

# CSE and tool GUIDs (DefenderForIdentity 1.0.0.4's gpoExtensions table, checked against MS-GPAC, MS-GPSB 1.9,
# MS-GPPREF 1.9, MS-GPREG 1.9; the admin-templates tool is the one GPMC writes with Set-GPRegistryValue).
AUDIT_CSE, AUDIT_TOOL = "{F3CCC681-B74C-4060-9F26-CD84525DCA2A}", "{0F3F3735-573D-9804-99E4-AB2A69BA5FD4}"
SECURITY_CSE, SECURITY_TOOL = "{827D319E-6EAC-11D2-A4EA-00C04F79F83A}", "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}"
PREFERENCES_REGISTRY_CSE, PREFERENCES_REGISTRY_TOOL = "{B087BE9D-ED37-454F-AF9C-04291E351182}", "{BEE07A6A-EC9F-4659-B8C9-0B1937907C83}"
ADMIN_TEMPLATES_CSE, ADMIN_TEMPLATES_TOOL = "{35378EAC-683F-11D2-A89A-00C04FBBCFA2}", "{D02B1F72-3407-48AE-BA88-E8213C6761F1}"
AUDIT = (AUDIT_CSE, AUDIT_TOOL)
SECURITY = (SECURITY_CSE, SECURITY_TOOL)
PREFERENCES_REGISTRY = (PREFERENCES_REGISTRY_CSE, PREFERENCES_REGISTRY_TOOL)
ADMIN_TEMPLATES = (ADMIN_TEMPLATES_CSE, ADMIN_TEMPLATES_TOOL)

_GROUP = re.compile(r"\[([^\]]*)\]")
_GUID = re.compile(r"\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}")


def parse(value: str | None) -> list[list[str]]:
    """The groups, each ``[CSE, tool, ...]`` as written; an empty or missing value has none."""
    value = (value or "").strip()
    groups = [_GUID.findall(group) for group in _GROUP.findall(value)]
    if format_groups(groups) != value or any(not group for group in groups):
        raise GpoSettingsError(f"gPCMachineExtensionNames is not a run of [{{CSE GUID}}{{tool GUID}}...] groups: {value!r}")
    return groups


def format_groups(groups: list[list[str]]) -> str:
    return "".join("[" + "".join(group) + "]" for group in groups)


def pairs(value: str | None) -> set[tuple[str, str]]:
    """Every (CSE, tool) pair of the value, upper-cased: for checks such as ``AUDIT in pairs(value)``."""
    return {(group[0].upper(), tool.upper()) for group in parse(value) for tool in group[1:]}


def merge(value: str | None, wanted: list[tuple[str, str]]) -> str:
    """The value with every (CSE, tool) pair of ``wanted`` in it; nothing is ever removed."""
    for cse, tool in wanted:
        if not (_GUID.fullmatch(cse) and _GUID.fullmatch(tool)):
            raise GpoSettingsError(f"Not a {{GUID}} pair for gPCMachineExtensionNames: {cse!r}, {tool!r}")
    have = pairs(value)
    if all((cse.upper(), tool.upper()) in have for cse, tool in wanted):
        return value or ""
    groups = {}  # upper-cased CSE -> [CSE as first written, tools...], the union of every group of that CSE
    for group in parse(value) + [[cse, tool] for cse, tool in wanted]:
        merged = groups.setdefault(group[0].upper(), [group[0]])
        for tool in group[1:]:
            if tool.upper() not in (known.upper() for known in merged[1:]):
                merged.append(tool)
    return format_groups([[group[0]] + sorted(group[1:], key=str.upper) for _key, group in sorted(groups.items())])

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: ACEs described in words, for diffs and audits.

For example "Allow CORP\\mdiAction$: Read/Write property pwdLastSet on descendant user objects".
Callers pass callbacks that name GUIDs (from the schema) and SIDs (from the directory); without them
the well-known names are used, then the raw GUID or SID.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import ace as ace_mod
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import Ace, RawAce
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import well_known_sid_name
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.well_known_guids import WELL_KNOWN_GUID_NAMES

GuidNamer = Callable[[uuid.UUID], "str | None"]
SidNamer = Callable[[str], "str | None"]

_FULL_CONTROL = ace_mod.DS_GENERIC_ALL
# Rights named one by one, after the property/child/extended-right bits have been phrased.
_SIMPLE_RIGHTS = (
    (ace_mod.ADS_RIGHT_ACTRL_DS_LIST, "List contents"),
    (ace_mod.ADS_RIGHT_DS_LIST_OBJECT, "List object"),
    (ace_mod.ADS_RIGHT_DS_DELETE_TREE, "Delete subtree"),
    (ace_mod.DELETE, "Delete"),
    (ace_mod.READ_CONTROL, "Read permissions"),
    (ace_mod.WRITE_DAC, "Modify permissions"),
    (ace_mod.WRITE_OWNER, "Modify owner"),
    (ace_mod.SYNCHRONIZE, "Synchronize"),
    (ace_mod.ACCESS_SYSTEM_SECURITY, "Access system security"),
    (ace_mod.MAXIMUM_ALLOWED, "Maximum allowed"),
    (ace_mod.GENERIC_ALL, "Generic all"),
    (ace_mod.GENERIC_EXECUTE, "Generic execute"),
    (ace_mod.GENERIC_WRITE, "Generic write"),
    (ace_mod.GENERIC_READ, "Generic read"),
)
_PAIRED_RIGHTS = (
    # (first bit, second bit, both, first only, second only, suffix with a name, suffix without)
    (ace_mod.ADS_RIGHT_DS_READ_PROP, ace_mod.ADS_RIGHT_DS_WRITE_PROP, "Read/Write", "Read", "Write", "property {}", "all properties"),
    (ace_mod.ADS_RIGHT_DS_CREATE_CHILD, ace_mod.ADS_RIGHT_DS_DELETE_CHILD, "Create/Delete", "Create", "Delete", "child {} objects", "all child objects"),
)
_SINGLE_OBJECT_RIGHTS = (
    (ace_mod.ADS_RIGHT_DS_CONTROL_ACCESS, "Extended right {}", "All extended rights"),
    (ace_mod.ADS_RIGHT_DS_SELF, "Validated write {}", "All validated writes"),
)


def _guid_name(guid: uuid.UUID, guid_name: GuidNamer | None) -> str:
    return (guid_name(guid) if guid_name else None) or WELL_KNOWN_GUID_NAMES.get(guid) or str(guid)


def _sid_name(sid: str, sid_name: SidNamer | None) -> str:
    return (sid_name(sid) if sid_name else None) or well_known_sid_name(sid) or sid


def describe_rights(mask: int, object_name: str | None = None) -> str:
    """An access mask in words; ``object_name`` names the property, class or right of an object ACE."""
    if mask & _FULL_CONTROL == _FULL_CONTROL and not object_name:
        parts, mask = ["Full control"], mask & ~_FULL_CONTROL
    else:
        parts = []
    for first, second, both, first_word, second_word, named, unnamed in _PAIRED_RIGHTS:
        verb = both if mask & first and mask & second else first_word if mask & first else second_word if mask & second else None
        if verb:
            parts.append(f"{verb} {named.format(object_name) if object_name else unnamed}")
        mask &= ~(first | second)
    for bit, named, unnamed in _SINGLE_OBJECT_RIGHTS:
        if mask & bit:
            parts.append(named.format(object_name) if object_name else unnamed)
        mask &= ~bit
    for bit, word in _SIMPLE_RIGHTS:
        if mask & bit:
            parts.append(word)
        mask &= ~bit
    if mask:
        parts.append(f"rights 0x{mask:X}")
    return ", ".join(parts) if parts else "no rights"


def describe_scope(flags: int, inherited_class: str | None = None) -> str:
    """Which objects an ACE applies to, from its inheritance flags and InheritedObjectType."""
    inherits = flags & (ace_mod.CONTAINER_INHERIT_ACE | ace_mod.OBJECT_INHERIT_ACE)
    if not inherits:
        scope = "this object"
    else:
        depth = "child" if flags & ace_mod.NO_PROPAGATE_INHERIT_ACE else "descendant"
        targets = f"{depth} {inherited_class} objects" if inherited_class else f"all {depth} objects"
        scope = targets if flags & ace_mod.INHERIT_ONLY_ACE else f"this object and {targets}"
    return scope + (" (inherited)" if flags & ace_mod.INHERITED_ACE else "")


def _verb(ace: Ace) -> str:
    if ace.is_allow:
        return "Allow"
    if ace.is_deny:
        return "Deny"
    if ace.ace_type in ace_mod.AUDIT_ACE_TYPES:
        outcomes = [word for bit, word in ((ace_mod.SUCCESSFUL_ACCESS_ACE_FLAG, "success"), (ace_mod.FAILED_ACCESS_ACE_FLAG, "failure")) if ace.flags & bit]
        return "Audit " + (" and ".join(outcomes) if outcomes else "nothing") + " of"
    if ace.ace_type == ace_mod.SYSTEM_MANDATORY_LABEL_ACE_TYPE:
        return "Mandatory label"
    return f"ACE type 0x{ace.ace_type:02X}"


def describe_ace(ace: Ace | RawAce, guid_name: GuidNamer | None = None, sid_name: SidNamer | None = None) -> str:
    """One ACE in words, e.g. "Allow CORP\\\\mdiAction$: Reset Password ... on descendant user objects"."""
    if isinstance(ace, RawAce):
        return f"ACE of type 0x{ace.ace_type:02X} ({len(ace.data)} bytes), not interpreted and kept unchanged"
    object_name = _guid_name(ace.object_type, guid_name) if ace.object_type is not None else None
    inherited_class = _guid_name(ace.inherited_object_type, guid_name) if ace.inherited_object_type is not None else None
    rights = describe_rights(ace.mask, object_name)
    return f"{_verb(ace)} {_sid_name(ace.sid, sid_name)}: {rights} on {describe_scope(ace.flags, inherited_class)}"


def describe_aces(aces: Iterable[Ace | RawAce], guid_name: GuidNamer | None = None, sid_name: SidNamer | None = None) -> list[str]:
    """Every ACE in words, in order."""
    return [describe_ace(ace, guid_name, sid_name) for ace in aces]

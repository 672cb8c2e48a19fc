# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the ad_ace module's ACE entries turned into Ace objects.

An entry is {access, rights, object_type, applies_to, inherited_object_type, audit_flags}, worded like the "Advanced
Security Settings" dialog; access=audit with audit_flags makes an audit ACE (for the SACL), as its Auditing tab does.
Names of attributes, classes and rights are resolved by a callback
``resolve(name, kinds) -> GUID`` (the schema over LDAP in the module, a dict in unit tests).
"""
from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import ace as sd

Resolver = Callable[[str, tuple], "uuid.UUID | str"]

RIGHTS = {
    "create_child": sd.ADS_RIGHT_DS_CREATE_CHILD,
    "delete_child": sd.ADS_RIGHT_DS_DELETE_CHILD,
    "list_children": sd.ADS_RIGHT_ACTRL_DS_LIST,
    "self_write": sd.ADS_RIGHT_DS_SELF,
    "validated_write": sd.ADS_RIGHT_DS_SELF,
    "read_property": sd.ADS_RIGHT_DS_READ_PROP,
    "write_property": sd.ADS_RIGHT_DS_WRITE_PROP,
    "delete_tree": sd.ADS_RIGHT_DS_DELETE_TREE,
    "list_object": sd.ADS_RIGHT_DS_LIST_OBJECT,
    "control_access": sd.ADS_RIGHT_DS_CONTROL_ACCESS,
    "extended_right": sd.ADS_RIGHT_DS_CONTROL_ACCESS,
    "delete": sd.DELETE,
    "read_control": sd.READ_CONTROL,
    "read_permissions": sd.READ_CONTROL,
    "write_dac": sd.WRITE_DAC,
    "write_owner": sd.WRITE_OWNER,
    "generic_all": sd.GENERIC_ALL,
    "generic_read": sd.GENERIC_READ,
    "generic_write": sd.GENERIC_WRITE,
    "generic_execute": sd.GENERIC_EXECUTE,
}
# What an object_type may name, by the rights it qualifies (MS-ADTS 5.1.3.2): kinds of _ldap/schema.py.
_KINDS_OF_RIGHT = {
    sd.ADS_RIGHT_DS_READ_PROP: ("attribute", "property_set"),
    sd.ADS_RIGHT_DS_WRITE_PROP: ("attribute", "property_set"),
    sd.ADS_RIGHT_DS_CONTROL_ACCESS: ("extended_right",),
    sd.ADS_RIGHT_DS_SELF: ("validated_write",),
    sd.ADS_RIGHT_DS_CREATE_CHILD: ("class",),
    sd.ADS_RIGHT_DS_DELETE_CHILD: ("class",),
}
ALL_KINDS = ("attribute", "class", "extended_right", "property_set", "validated_write")
CLASS_KINDS = ("class",)
# "Applies to" -> ACE flags; descendant_objects narrows to one class with InheritedObjectType.
APPLIES_TO = {
    "this_object": 0,
    "this_object_and_descendants": sd.CONTAINER_INHERIT_ACE,
    "descendants": sd.CONTAINER_INHERIT_ACE | sd.INHERIT_ONLY_ACE,
    "descendant_objects": sd.CONTAINER_INHERIT_ACE | sd.INHERIT_ONLY_ACE,
}
ACCESS = {"allow": (sd.ACCESS_ALLOWED_ACE_TYPE, sd.ACCESS_ALLOWED_OBJECT_ACE_TYPE),
          "deny": (sd.ACCESS_DENIED_ACE_TYPE, sd.ACCESS_DENIED_OBJECT_ACE_TYPE),
          "audit": (sd.SYSTEM_AUDIT_ACE_TYPE, sd.SYSTEM_AUDIT_OBJECT_ACE_TYPE)}
# Which outcomes an audit ACE logs (ACE flags, MS-DTYP 2.4.4.1), named as win_audit_rule's audit_flags.
AUDIT_FLAGS = {"success": sd.SUCCESSFUL_ACCESS_ACE_FLAG, "failure": sd.FAILED_ACCESS_ACE_FLAG}
ENTRY_KEYS = ("access", "rights", "object_type", "applies_to", "inherited_object_type", "audit_flags")
# Looks like a GUID attempt (hex and dashes only): reported as a bad GUID rather than looked up as a name.
_GUID_LIKE = re.compile(r"^\{?[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+\}?$")


class AceSpecError(MdiError):
    """An ACE entry of the task is invalid; the message names the entry and the field."""


@dataclasses.dataclass(frozen=True)
class GivenGuid:
    """A GUID the task wrote as such (not a name): guid_check.py makes sure it names something of ``kinds``."""

    index: int
    field: str
    guid: uuid.UUID
    kinds: tuple
    ace: sd.Ace  # the ACE of that entry


def fail(index: int, field: str, message: str):
    """Raise AceSpecError for ``aces[index].field``."""
    raise AceSpecError(f"aces[{index}].{field}: {message}", entry=index, field=field)


def _bits(index: int, field: str, names, table: dict, missing: str) -> int:
    """The OR of ``table``'s values for ``names`` (one name or a list) of ``aces[index].field``; fails naming it."""
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, (list, tuple)) or not names:
        fail(index, field, missing)
    bits = 0
    for given in names:
        name = given.strip().lower() if isinstance(given, str) else given
        if name not in table:
            fail(index, field, f"unknown {field.rstrip('s').replace('_', ' ')} {given!r}; choose from {', '.join(sorted(table))}")
        bits |= table[name]
    return bits


def _mask(index: int, rights) -> int:
    return _bits(index, "rights", rights, RIGHTS, "give a non-empty list of rights, e.g. [read_property, write_property]")


def _guid(index: int, field: str, value, kinds: tuple, resolve: Resolver | None) -> uuid.UUID | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        fail(index, field, f"give a name or a GUID, not {value!r}")
    text = value.strip()
    if _GUID_LIKE.match(text):
        try:
            return uuid.UUID(text.strip("{}"))
        except ValueError:
            fail(index, field, f"{value!r} is not a valid GUID (expected 8-4-4-4-12 hexadecimal digits)")
    if resolve is None:
        fail(index, field, f"{value!r} is a name, and no schema is available to resolve it: give its GUID")
    try:
        return uuid.UUID(str(resolve(text, kinds)))
    except MdiError as exc:
        fail(index, field, str(exc))
    return None  # unreachable: fail raises


def _audit_flags(index: int, access: str, flags) -> int:
    """The ACE flags of ``audit_flags``: required for access=audit, refused for allow and deny."""
    if access != "audit":
        if flags:
            fail(index, "audit_flags", f"only an audit ACE (access: audit) logs success or failure, not an {access} ACE: "
                                       "remove audit_flags, or set access: audit")
        return 0
    return _bits(index, "audit_flags", flags, AUDIT_FLAGS,
                 "an audit ACE needs what to log: give audit_flags [success], [failure] or [success, failure]")


def _kinds(mask: int) -> tuple:
    kinds = [kind for bit, bit_kinds in _KINDS_OF_RIGHT.items() if mask & bit for kind in bit_kinds]
    return tuple(dict.fromkeys(kinds)) or ALL_KINDS


def ace_from_entry(index: int, entry: dict, sid: str, resolve: Resolver | None = None, given: list | None = None) -> sd.Ace:
    """One entry of the task's ``aces`` as an explicit Ace for ``sid``; its fields written as GUIDs are appended to
    ``given`` (GivenGuid), when given."""
    if not isinstance(entry, dict):
        fail(index, "", f"an ACE entry is a dictionary with {', '.join(ENTRY_KEYS)}")
    unknown = sorted(set(entry) - set(ENTRY_KEYS))
    if unknown:
        fail(index, unknown[0], f"unknown field; an entry has {', '.join(ENTRY_KEYS)}")
    access = entry.get("access") or "allow"
    if access not in ACCESS:
        fail(index, "access", f"{access!r} is not one of {', '.join(ACCESS)}")
    audit = _audit_flags(index, access, entry.get("audit_flags"))
    mask = _mask(index, entry.get("rights"))
    inherited_type = _guid(index, "inherited_object_type", entry.get("inherited_object_type"), CLASS_KINDS, resolve)
    applies_to = entry.get("applies_to") or ("descendant_objects" if inherited_type else "this_object")
    if applies_to not in APPLIES_TO:
        fail(index, "applies_to", f"{applies_to!r} is not one of {', '.join(APPLIES_TO)}")
    if applies_to == "descendant_objects" and inherited_type is None:
        fail(index, "inherited_object_type", "applies_to=descendant_objects needs the class of those objects, e.g. user or group")
    if applies_to != "descendant_objects" and inherited_type is not None:
        fail(index, "inherited_object_type", f"only used with applies_to=descendant_objects, not {applies_to}")
    object_type = _guid(index, "object_type", entry.get("object_type"), _kinds(mask), resolve)
    plain, with_object = ACCESS[access]
    is_object = object_type is not None or inherited_type is not None
    ace = sd.Ace(with_object if is_object else plain, APPLIES_TO[applies_to] | audit, mask, sid, object_type, inherited_type)
    if given is not None:
        for field, guid, kinds in (("object_type", object_type, _kinds(mask)), ("inherited_object_type", inherited_type, CLASS_KINDS)):
            if guid is not None and _GUID_LIKE.match(str(entry.get(field)).strip()):
                given.append(GivenGuid(index, field, guid, kinds, ace))
    return ace


def aces_from_entries(entries, sid: str, resolve: Resolver | None = None, given: list | None = None) -> list[sd.Ace]:
    """Every entry as an Ace, in order, duplicates dropped (``given`` as for ace_from_entry)."""
    if not isinstance(entries, (list, tuple)):
        raise AceSpecError("aces must be a list of ACE entries")
    aces = [ace_from_entry(index, entry, sid, resolve, given) for index, entry in enumerate(entries)]
    return list(dict.fromkeys(aces))

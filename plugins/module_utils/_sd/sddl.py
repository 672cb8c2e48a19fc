# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: SDDL (MS-DTYP 2.5.1) for ACEs and descriptors.

Output follows what Windows and Samba write (flags and rights in bit order, lower-case GUIDs, SID
aliases when known), so SDDL -> bytes -> SDDL is exact. Input also takes rights as hex or decimal,
GUID-less ACEs, and names in the GUID fields when a resolver callback turns them into GUIDs.
Conditional (callback) expressions and resource attributes are not supported.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import (
    ACE_FLAG_TOKENS,
    COMPOSITE_RIGHT_TOKENS,
    OBJECT_ACE_TYPES,
    RIGHT_TOKENS,
    Ace,
    RawAce,
)
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import ACL_REVISION_DS, Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import (
    SE_DACL_AUTO_INHERIT_REQ,
    SE_DACL_AUTO_INHERITED,
    SE_DACL_PRESENT,
    SE_DACL_PROTECTED,
    SE_SACL_AUTO_INHERIT_REQ,
    SE_SACL_AUTO_INHERITED,
    SE_SACL_PRESENT,
    SE_SACL_PROTECTED,
    SE_SELF_RELATIVE,
    SecurityDescriptor,
)
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SddlError, SecurityDescriptorError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import resolve_sid, sid_alias

GuidResolver = Callable[[str], "uuid.UUID | str | None"]

ACE_TYPE_TOKENS = {
    "A": 0x00,
    "D": 0x01,
    "AU": 0x02,
    "AL": 0x03,
    "OA": 0x05,
    "OD": 0x06,
    "OU": 0x07,
    "OL": 0x08,
    "XA": 0x09,
    "XD": 0x0A,
    "ZA": 0x0B,
    "XU": 0x0D,
    "ML": 0x11,
    "SP": 0x13,
}
_TOKEN_OF_TYPE = {value: token for token, value in ACE_TYPE_TOKENS.items()}
_FLAG_OF_TOKEN = dict(ACE_FLAG_TOKENS)
_RIGHT_OF_TOKEN = {**dict(RIGHT_TOKENS), **COMPOSITE_RIGHT_TOKENS}
# Whole-mask tokens written instead of single bits, as Windows and Samba do ("FA", not "CCDC...SY").
_WRITTEN_COMPOSITES = {COMPOSITE_RIGHT_TOKENS[token]: token for token in ("FA", "FR", "FW", "FX")}
_ALL_RIGHT_BITS = sum(value for _token, value in RIGHT_TOKENS)

# Descriptor-level ACL flags, in the order Windows writes them.
_DACL_FLAG_TOKENS = (("P", SE_DACL_PROTECTED), ("AR", SE_DACL_AUTO_INHERIT_REQ), ("AI", SE_DACL_AUTO_INHERITED))
_SACL_FLAG_TOKENS = (("P", SE_SACL_PROTECTED), ("AR", SE_SACL_AUTO_INHERIT_REQ), ("AI", SE_SACL_AUTO_INHERITED))
_NULL_ACL = "NO_ACCESS_CONTROL"
_SECTION = re.compile(r"\s*([OGDS]):")
_SID_TOKEN = re.compile(r"[Ss]-1-(?:0[xX][0-9A-Fa-f]{1,12}|\d+)(?:-\d+)*|[A-Za-z]{2}")
_ACL_FLAGS = re.compile(r"NO_ACCESS_CONTROL|(?:P|AR|AI)*")


# ---------------------------------------------------------------- ACE -> SDDL
def _flags_to_sddl(flags: int) -> str:
    text = "".join(token for token, bit in ACE_FLAG_TOKENS if flags & bit)
    leftover = flags & ~sum(bit for _token, bit in ACE_FLAG_TOKENS)
    if leftover:
        raise SddlError(f"ACE flag 0x{leftover:02X} has no SDDL token")
    return text


def rights_to_sddl(mask: int) -> str:
    """SDDL rights for an access mask: tokens in bit order, or hex when a bit has no token."""
    if mask in _WRITTEN_COMPOSITES:
        return _WRITTEN_COMPOSITES[mask]
    if mask & ~_ALL_RIGHT_BITS:
        return f"0x{mask:x}"
    return "".join(token for token, bit in RIGHT_TOKENS if mask & bit)


def ace_to_sddl(ace: Ace | RawAce, domain_sid: str | None = None, root_domain_sid: str | None = None) -> str:
    """One ACE as an SDDL ace string, e.g. ``(OA;CIIO;RPWP;<guid>;<guid>;S-1-5-21-...)``."""
    if isinstance(ace, RawAce) or ace.ace_type not in _TOKEN_OF_TYPE:
        raise SddlError(f"ACE type 0x{ace.ace_type:02X} cannot be written as SDDL")
    if ace.application_data:
        raise SddlError(f"ACE type 0x{ace.ace_type:02X} carries {len(ace.application_data)} bytes of application data that SDDL here cannot express")
    object_type = str(ace.object_type) if ace.object_type is not None else ""
    inherited = str(ace.inherited_object_type) if ace.inherited_object_type is not None else ""
    trustee = sid_alias(ace.sid, domain_sid, root_domain_sid) or ace.sid
    fields = (_TOKEN_OF_TYPE[ace.ace_type], _flags_to_sddl(ace.flags), rights_to_sddl(ace.mask), object_type, inherited, trustee)
    return "(" + ";".join(fields) + ")"


# ---------------------------------------------------------------- SDDL -> ACE
def _pairs(text: str, what: str) -> list[str]:
    if len(text) % 2:
        raise SddlError(f"{what} '{text}' is not a sequence of two-letter tokens")
    return [text[index:index + 2].upper() for index in range(0, len(text), 2)]


def _flags_from_sddl(text: str) -> int:
    flags = 0
    for token in _pairs(text, "ACE flags"):
        if token not in _FLAG_OF_TOKEN:
            raise SddlError(f"unknown ACE flag '{token}' (known: {', '.join(_FLAG_OF_TOKEN)})")
        flags |= _FLAG_OF_TOKEN[token]
    return flags


def rights_from_sddl(text: str) -> int:
    """An access mask from SDDL rights: tokens (RPWP, GA, FA...), hex (0x30) or decimal."""
    text = text.strip()
    try:
        mask = int(text, 16) if text[:2].lower() == "0x" else int(text) if text.isdigit() else None
    except ValueError as exc:
        raise SddlError(f"rights '{text}' are not a number") from exc
    if mask is None:
        mask = 0
        for token in _pairs(text, "rights"):
            if token not in _RIGHT_OF_TOKEN:
                raise SddlError(f"unknown right '{token}' in '{text}'")
            mask |= _RIGHT_OF_TOKEN[token]
    if not 0 <= mask <= 0xFFFFFFFF:
        raise SddlError(f"rights '{text}' do not fit in 32 bits")
    return mask


def _guid_from_sddl(text: str, field: str, resolver: GuidResolver | None) -> uuid.UUID | None:
    text = text.strip()
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        pass
    resolved = resolver(text) if resolver else None
    if resolved is None:
        hint = "" if resolver else "; names need a resolver"
        raise SddlError(f"{field} '{text}' is not a GUID and was not resolved to one{hint}")
    return resolved if isinstance(resolved, uuid.UUID) else uuid.UUID(str(resolved))


def ace_from_sddl(text: str, domain_sid: str | None = None, root_domain_sid: str | None = None,
                  guid_resolver: GuidResolver | None = None) -> Ace:
    """Parse one SDDL ace string (parentheses optional).

    ``guid_resolver`` turns a name in a GUID field (e.g. ``pwdLastSet``) into a GUID, or returns None.
    """
    body = text.strip()
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1]
    if "(" in body or ")" in body:
        raise SddlError(f"ACE '{text}': conditional expressions and resource attributes are not supported")
    fields = body.split(";")
    if len(fields) != 6:
        raise SddlError(f"ACE '{text}' has {len(fields)} fields; expected 6: type;flags;rights;object_guid;inherit_object_guid;sid")
    type_token, flags, rights, object_guid, inherited_guid, trustee = fields
    ace_type = ACE_TYPE_TOKENS.get(type_token.strip().upper())
    if ace_type is None:
        raise SddlError(f"ACE '{text}': unknown ACE type '{type_token}' (known: {', '.join(ACE_TYPE_TOKENS)})")
    object_type = _guid_from_sddl(object_guid, "object type", guid_resolver)
    inherited_object_type = _guid_from_sddl(inherited_guid, "inherited object type", guid_resolver)
    if ace_type not in OBJECT_ACE_TYPES and (object_type or inherited_object_type):
        raise SddlError(f"ACE '{text}': only object ACE types (OA, OD, OU, OL, ZA) take GUIDs")
    try:
        return Ace(ace_type, _flags_from_sddl(flags.strip()), rights_from_sddl(rights), resolve_sid(trustee, domain_sid, root_domain_sid),
                   object_type, inherited_object_type)
    except SddlError:
        raise
    except SecurityDescriptorError as exc:
        raise SddlError(f"ACE '{text}': {exc}") from exc


# ---------------------------------------------------------------- descriptors
def acl_to_sddl(acl: Acl, domain_sid: str | None = None, root_domain_sid: str | None = None) -> str:
    """The ACEs of an ACL as concatenated SDDL ace strings."""
    return "".join(ace_to_sddl(ace, domain_sid, root_domain_sid) for ace in acl)


def descriptor_to_sddl(sd: SecurityDescriptor, domain_sid: str | None = None, root_domain_sid: str | None = None) -> str:
    """A security descriptor as SDDL: ``O:..G:..D:<flags>(..)..S:<flags>(..)..``."""
    text = ""
    for key, sid in (("O", sd.owner), ("G", sd.group)):
        if sid is not None:
            text += f"{key}:{sid_alias(sid, domain_sid, root_domain_sid) or sid}"
    sections = (("D", sd.dacl, SE_DACL_PRESENT, _DACL_FLAG_TOKENS), ("S", sd.sacl, SE_SACL_PRESENT, _SACL_FLAG_TOKENS))
    for key, acl, present, flag_tokens in sections:
        if acl is None and not sd.control & present:
            continue
        flags = "".join(token for token, bit in flag_tokens if sd.control & bit)
        text += f"{key}:{flags}" + (_NULL_ACL if acl is None else acl_to_sddl(acl, domain_sid, root_domain_sid))
    return text


def _acl_from_sddl(text: str, pos: int, key: str, resolve: dict, revision: int) -> tuple[Acl | None, int, int]:
    """Parse the flags and ACEs of a D: or S: section from ``pos``; return (acl, control bits, end)."""
    flags_match = _ACL_FLAGS.match(text, pos)
    flags_text, pos = flags_match.group(0), flags_match.end()
    tokens = dict(_DACL_FLAG_TOKENS if key == "D" else _SACL_FLAG_TOKENS)
    control = SE_DACL_PRESENT if key == "D" else SE_SACL_PRESENT
    if flags_text == _NULL_ACL:
        return None, control, pos
    for token in re.findall(r"P|AR|AI", flags_text):
        control |= tokens[token]
    aces = []
    while pos < len(text) and text[pos] == "(":
        end = text.find(")", pos)
        if end < 0:
            raise SddlError(f"unterminated ACE at position {pos} of '{text}'")
        aces.append(ace_from_sddl(text[pos:end + 1], **resolve))
        pos = end + 1
    return Acl(aces, revision), control, pos


def descriptor_from_sddl(text: str, domain_sid: str | None = None, root_domain_sid: str | None = None,
                         guid_resolver: GuidResolver | None = None, acl_revision: int = ACL_REVISION_DS) -> SecurityDescriptor:
    """Parse a whole SDDL security descriptor into a SecurityDescriptor.

    ACLs get revision 4 (ACL_REVISION_DS), as AD and Samba store them; Windows' own converter uses 2
    unless an object ACE needs 4: pass ``acl_revision=2`` to match it (object ACEs still force 4).
    """
    sd = SecurityDescriptor(control=SE_SELF_RELATIVE)
    resolve = {"domain_sid": domain_sid, "root_domain_sid": root_domain_sid, "guid_resolver": guid_resolver}
    seen, pos = set(), 0
    text = text.strip()
    while pos < len(text):
        section = _SECTION.match(text, pos)
        if not section:
            raise SddlError(f"expected O:, G:, D: or S: at position {pos} of '{text}'")
        key, pos = section.group(1), section.end()
        if key in seen:
            raise SddlError(f"section {key}: appears twice in '{text}'")
        seen.add(key)
        if key in "OG":
            token = _SID_TOKEN.match(text, pos)
            if not token:
                raise SddlError(f"section {key}: needs a SID or a two-letter alias at position {pos} of '{text}'")
            try:
                setattr(sd, "owner" if key == "O" else "group", resolve_sid(token.group(0), domain_sid, root_domain_sid))
            except SecurityDescriptorError as exc:
                raise SddlError(f"section {key}: {exc}") from exc
            pos = token.end()
            continue
        acl, control, pos = _acl_from_sddl(text, pos, key, resolve, acl_revision)
        sd.control |= control
        setattr(sd, "dacl" if key == "D" else "sacl", acl)
    return sd

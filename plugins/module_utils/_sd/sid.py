# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: SIDs (MS-DTYP 2.4.2) between string and bytes.

SIDs travel through the package as canonical strings ("S-1-5-32-544"); this module converts them to
and from their binary form, validates them, and maps the SDDL two-letter aliases (MS-DTYP 2.5.1.1).
"""
from __future__ import annotations

import functools
import re
import struct

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SecurityDescriptorError

SID_REVISION = 1
MAX_SUB_AUTHORITIES = 15
_MAX_AUTHORITY = (1 << 48) - 1
_MAX_UINT32 = 0xFFFFFFFF
_SID_STRING = re.compile(r"^S-(\d+)-(0[xX][0-9A-Fa-f]{1,12}|\d+)((?:-\d+)*)$", re.IGNORECASE)

# Aliases whose SID is the same everywhere.
SDDL_SID_ALIASES = {
    "AA": "S-1-5-32-579",  # Access Control Assistance Operators
    "AC": "S-1-15-2-1",  # All App Packages
    "AN": "S-1-5-7",  # Anonymous
    "AO": "S-1-5-32-548",  # Account Operators
    "AS": "S-1-18-1",  # Authentication authority asserted identity
    "AU": "S-1-5-11",  # Authenticated Users
    "BA": "S-1-5-32-544",  # Administrators
    "BG": "S-1-5-32-546",  # Guests
    "BO": "S-1-5-32-551",  # Backup Operators
    "BU": "S-1-5-32-545",  # Users
    "CD": "S-1-5-32-574",  # Certificate Service DCOM Access
    "CG": "S-1-3-1",  # Creator Group
    "CO": "S-1-3-0",  # Creator Owner
    "CY": "S-1-5-32-569",  # Cryptographic Operators
    "ED": "S-1-5-9",  # Enterprise Domain Controllers
    "ER": "S-1-5-32-573",  # Event Log Readers
    "ES": "S-1-5-32-576",  # RDS Endpoint Servers
    "HA": "S-1-5-32-578",  # Hyper-V Administrators
    "HI": "S-1-16-12288",  # High mandatory level
    "IS": "S-1-5-32-568",  # IIS_IUSRS
    "IU": "S-1-5-4",  # Interactive
    "LS": "S-1-5-19",  # Local Service
    "LU": "S-1-5-32-559",  # Performance Log Users
    "LW": "S-1-16-4096",  # Low mandatory level
    "ME": "S-1-16-8192",  # Medium mandatory level
    "MP": "S-1-16-8448",  # Medium Plus mandatory level
    "MS": "S-1-5-32-577",  # RDS Management Servers
    "MU": "S-1-5-32-558",  # Performance Monitor Users
    "NO": "S-1-5-32-556",  # Network Configuration Operators
    "NS": "S-1-5-20",  # Network Service
    "NU": "S-1-5-2",  # Network
    "OW": "S-1-3-4",  # Owner Rights
    "PO": "S-1-5-32-550",  # Print Operators
    "PS": "S-1-5-10",  # Principal Self
    "PU": "S-1-5-32-547",  # Power Users
    "RA": "S-1-5-32-575",  # RDS Remote Access Servers
    "RC": "S-1-5-12",  # Restricted Code
    "RD": "S-1-5-32-555",  # Remote Desktop Users
    "RE": "S-1-5-32-552",  # Replicator
    "RM": "S-1-5-32-580",  # Remote Management Users
    "RU": "S-1-5-32-554",  # Pre-Windows 2000 Compatible Access
    "SI": "S-1-16-16384",  # System mandatory level
    "SO": "S-1-5-32-549",  # Server Operators
    "SS": "S-1-18-2",  # Service asserted identity
    "SU": "S-1-5-6",  # Service
    "SY": "S-1-5-18",  # Local System
    "UD": "S-1-5-84-0-0-0-0-0",  # User-mode drivers
    "WD": "S-1-1-0",  # Everyone
    "WR": "S-1-5-33",  # Write Restricted Code
}

# Aliases relative to the domain SID: alias -> RID.
SDDL_DOMAIN_RID_ALIASES = {
    "LA": 500,  # Administrator
    "LG": 501,  # Guest
    "DA": 512,  # Domain Admins
    "DU": 513,  # Domain Users
    "DG": 514,  # Domain Guests
    "DC": 515,  # Domain Computers
    "DD": 516,  # Domain Controllers
    "CA": 517,  # Cert Publishers
    "PA": 520,  # Group Policy Creator Owners
    "CN": 522,  # Cloneable Domain Controllers
    "AP": 525,  # Protected Users
    "KA": 526,  # Key Admins
    "RS": 553,  # RAS and IAS Servers
}

# Aliases relative to the forest root domain SID: alias -> RID.
SDDL_ROOT_DOMAIN_RID_ALIASES = {
    "RO": 498,  # Enterprise Read-only Domain Controllers
    "SA": 518,  # Schema Admins
    "EA": 519,  # Enterprise Admins
    "EK": 527,  # Enterprise Key Admins
}

# Account names Windows shows for well-known SIDs (used when describing ACEs in words).
WELL_KNOWN_SID_NAMES = {
    "S-1-1-0": "Everyone",
    "S-1-3-0": "CREATOR OWNER",
    "S-1-3-1": "CREATOR GROUP",
    "S-1-3-4": "OWNER RIGHTS",
    "S-1-5-2": "NT AUTHORITY\\NETWORK",
    "S-1-5-4": "NT AUTHORITY\\INTERACTIVE",
    "S-1-5-6": "NT AUTHORITY\\SERVICE",
    "S-1-5-7": "NT AUTHORITY\\ANONYMOUS LOGON",
    "S-1-5-9": "NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS",
    "S-1-5-10": "NT AUTHORITY\\SELF",
    "S-1-5-11": "NT AUTHORITY\\Authenticated Users",
    "S-1-5-12": "NT AUTHORITY\\RESTRICTED",
    "S-1-5-18": "NT AUTHORITY\\SYSTEM",
    "S-1-5-19": "NT AUTHORITY\\LOCAL SERVICE",
    "S-1-5-20": "NT AUTHORITY\\NETWORK SERVICE",
    "S-1-5-32-544": "BUILTIN\\Administrators",
    "S-1-5-32-545": "BUILTIN\\Users",
    "S-1-5-32-546": "BUILTIN\\Guests",
    "S-1-5-32-548": "BUILTIN\\Account Operators",
    "S-1-5-32-549": "BUILTIN\\Server Operators",
    "S-1-5-32-550": "BUILTIN\\Print Operators",
    "S-1-5-32-551": "BUILTIN\\Backup Operators",
    "S-1-5-32-554": "BUILTIN\\Pre-Windows 2000 Compatible Access",
    "S-1-5-32-560": "BUILTIN\\Windows Authorization Access Group",
    "S-1-5-32-561": "BUILTIN\\Terminal Server License Servers",
}

# Names of the domain-relative RIDs (the domain's NetBIOS name is not known here).
DOMAIN_RID_NAMES = {
    498: "Enterprise Read-only Domain Controllers",
    500: "Administrator",
    501: "Guest",
    502: "krbtgt",
    512: "Domain Admins",
    513: "Domain Users",
    514: "Domain Guests",
    515: "Domain Computers",
    516: "Domain Controllers",
    517: "Cert Publishers",
    518: "Schema Admins",
    519: "Enterprise Admins",
    520: "Group Policy Creator Owners",
    521: "Read-only Domain Controllers",
    522: "Cloneable Domain Controllers",
    525: "Protected Users",
    526: "Key Admins",
    527: "Enterprise Key Admins",
    553: "RAS and IAS Servers",
}


def _require_str(text) -> str:
    # Checked before the caches below, which need a hashable argument.
    if not isinstance(text, str):
        raise SecurityDescriptorError(f"a SID must be a string like S-1-5-21-...; got {type(text).__name__}")
    return text


def _parse(text: str) -> tuple[int, tuple[int, ...]]:
    """Split a SID string into (authority, sub-authorities), validating every part."""
    match = _SID_STRING.match(text.strip())
    if not match:
        raise SecurityDescriptorError(f"'{text}' is not a SID (expected S-1-<authority>-<sub-authority>..., e.g. S-1-5-32-544)")
    revision, authority_text, rest = match.groups()
    if int(revision) != SID_REVISION:
        raise SecurityDescriptorError(f"SID '{text}' has revision {revision}; only revision 1 exists")
    authority = int(authority_text, 16) if authority_text[:2].lower() == "0x" else int(authority_text)
    if authority > _MAX_AUTHORITY:
        raise SecurityDescriptorError(f"SID '{text}' has an identifier authority larger than 48 bits")
    subs = tuple(int(part) for part in rest.split("-")[1:])
    if len(subs) > MAX_SUB_AUTHORITIES:
        raise SecurityDescriptorError(f"SID '{text}' has {len(subs)} sub-authorities; at most {MAX_SUB_AUTHORITIES} are allowed")
    for sub in subs:
        if sub > _MAX_UINT32:
            raise SecurityDescriptorError(f"SID '{text}' has sub-authority {sub}, larger than 32 bits")
    return authority, subs


def _format(authority: int, subs: tuple[int, ...]) -> str:
    # MS-DTYP 2.4.2.1: authorities of 2**32 and more are written as 12 hex digits.
    authority_text = str(authority) if authority < (1 << 32) else f"0x{authority:012X}"
    return "S-1-" + authority_text + "".join(f"-{sub}" for sub in subs)


def normalize_sid(text: str) -> str:
    """Return the canonical form of a SID string (upper-case S, no leading zeros); raise if invalid."""
    return _normalized(_require_str(text))


@functools.lru_cache(maxsize=4096)
def _normalized(text: str) -> str:
    return _format(*_parse(text))


def is_sid(text: str) -> bool:
    """True when ``text`` is a valid SID string."""
    try:
        normalize_sid(text)
    except SecurityDescriptorError:
        return False
    return True


def sid_to_bytes(text: str) -> bytes:
    """Encode a SID string to its binary form."""
    return _encoded(_require_str(text))


@functools.lru_cache(maxsize=4096)
def _encoded(text: str) -> bytes:
    authority, subs = _parse(text)
    return struct.pack(f"<BB6s{len(subs)}I", SID_REVISION, len(subs), authority.to_bytes(6, "big"), *subs)


def sid_length(data: bytes, offset: int = 0, limit: int | None = None) -> int:
    """Length in bytes of the binary SID at ``offset``, checked to end before ``limit`` (default: end of data)."""
    end = len(data) if limit is None else limit
    if offset + 8 > end:
        raise SecurityDescriptorError(f"SID at offset {offset} is truncated: {max(end - offset, 0)} bytes left, a SID needs at least 8")
    if data[offset] != SID_REVISION:
        raise SecurityDescriptorError(f"SID at offset {offset} has revision {data[offset]}; only revision 1 exists")
    count = data[offset + 1]
    if count > MAX_SUB_AUTHORITIES:
        raise SecurityDescriptorError(f"SID at offset {offset} claims {count} sub-authorities; at most {MAX_SUB_AUTHORITIES} are allowed")
    size = 8 + 4 * count
    if offset + size > end:
        raise SecurityDescriptorError(f"SID at offset {offset} is truncated: it needs {size} bytes, {end - offset} are left")
    return size


def sid_from_bytes(data: bytes, offset: int = 0, limit: int | None = None) -> str:
    """Decode the binary SID at ``offset`` to its string form."""
    size = sid_length(data, offset, limit)
    return _decoded(bytes(data[offset:offset + size]))


@functools.lru_cache(maxsize=4096)
def _decoded(raw: bytes) -> str:
    return _format(int.from_bytes(raw[2:8], "big"), struct.unpack_from(f"<{raw[1]}I", raw, 8))


def split_rid(sid: str) -> tuple[str, int] | None:
    """Split a SID into (domain SID, RID); None when it has no sub-authority."""
    authority, subs = _parse(_require_str(sid))
    if not subs:
        return None
    return _format(authority, subs[:-1]), subs[-1]


def _domain_alias_sid(alias: str, domain_sid: str | None, root_domain_sid: str | None) -> str:
    root = alias in SDDL_ROOT_DOMAIN_RID_ALIASES
    base = (root_domain_sid or domain_sid) if root else domain_sid
    if not base:
        which = "forest root domain SID (or the domain SID)" if root else "domain SID"
        raise SecurityDescriptorError(f"SID alias '{alias}' is relative to a domain: the {which} is needed to resolve it")
    rid = SDDL_ROOT_DOMAIN_RID_ALIASES[alias] if root else SDDL_DOMAIN_RID_ALIASES[alias]
    return f"{normalize_sid(base)}-{rid}"


def resolve_sid(token: str, domain_sid: str | None = None, root_domain_sid: str | None = None) -> str:
    """Turn an SDDL SID token (two-letter alias or SID string) into a canonical SID string."""
    key = _require_str(token).strip().upper()
    if key in SDDL_SID_ALIASES:
        return SDDL_SID_ALIASES[key]
    if key in SDDL_DOMAIN_RID_ALIASES or key in SDDL_ROOT_DOMAIN_RID_ALIASES:
        return _domain_alias_sid(key, domain_sid, root_domain_sid)
    return normalize_sid(token)


_ALIAS_OF_SID = {sid: alias for alias, sid in SDDL_SID_ALIASES.items()}
_DOMAIN_ALIAS_OF_RID = {rid: alias for alias, rid in SDDL_DOMAIN_RID_ALIASES.items()}
_ROOT_ALIAS_OF_RID = {rid: alias for alias, rid in SDDL_ROOT_DOMAIN_RID_ALIASES.items()}


def sid_alias(sid: str, domain_sid: str | None = None, root_domain_sid: str | None = None) -> str | None:
    """The SDDL alias of a SID, or None; domain-relative aliases only when the (root) domain SID is given."""
    if sid in _ALIAS_OF_SID:
        return _ALIAS_OF_SID[sid]
    if not (domain_sid or root_domain_sid):
        return None
    parts = split_rid(sid)
    if parts is None:
        return None
    base, rid = parts
    domain_sid = normalize_sid(domain_sid) if domain_sid else None
    root_domain_sid = normalize_sid(root_domain_sid) if root_domain_sid else domain_sid
    if base == domain_sid and rid in _DOMAIN_ALIAS_OF_RID:
        return _DOMAIN_ALIAS_OF_RID[rid]
    if base == root_domain_sid and rid in _ROOT_ALIAS_OF_RID:
        return _ROOT_ALIAS_OF_RID[rid]
    return None


def well_known_sid_name(sid: str) -> str | None:
    """The name Windows shows for a well-known SID or a well-known domain RID, or None."""
    if sid in WELL_KNOWN_SID_NAMES:
        return WELL_KNOWN_SID_NAMES[sid]
    parts = split_rid(sid) if sid.upper().startswith("S-1-5-21-") else None
    if parts and parts[1] in DOMAIN_RID_NAMES:
        return DOMAIN_RID_NAMES[parts[1]]
    return None

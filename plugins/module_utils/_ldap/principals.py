# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: find a security principal the way a user names it.

Accepted forms: a SID string (S-1-5-21-..., or a well-known SID such as S-1-5-32-544 or S-1-5-11, which
may live under CN=Builtin or have no object at all), a DN, DOMAIN\\name (DOMAIN = the domain's NetBIOS or
DNS name, or BUILTIN / NT AUTHORITY), a UPN (user@domain), or a sAMAccountName, with or without the
trailing $ of computer and gMSA accounts. A plain name that fits both ``name`` and ``name$`` is ambiguous
(an ACE for the wrong account is worse than an error). Results are cached per client.

The first search by name of a connection also brings what client.domain_info() would read in two more (the domain's
SID from its head object, its DNS and NetBIOS names from its crossRef): a phantom-root search reaches the domain NC and
CN=Partitions in the configuration NC in one round trip. A task that names its principal thus costs one search for it.
"""
from __future__ import annotations

import dataclasses

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import DomainInfo, domain_info
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.phantom_root import common_parent, phantom_root_control
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import WELL_KNOWN_SID_NAMES, is_sid, normalize_sid, sid_to_bytes

try:
    from ldap3.utils.conv import escape_bytes, escape_filter_chars
except ImportError:  # connection.py reports the missing library; no client exists without it
    escape_bytes = escape_filter_chars = None

PRINCIPAL_ATTRIBUTES = ("objectSid", "sAMAccountName", "objectClass", "userAccountControl", "cn")
_BUILTIN_PREFIX = "S-1-5-32-"
_WELL_KNOWN_BY_NAME = {name.lower(): sid for sid, name in WELL_KNOWN_SID_NAMES.items()}
# Windows also takes the bare name of a well-known principal ("Authenticated Users", "SYSTEM").
_WELL_KNOWN_BY_TAIL = {name.rsplit("\\", 1)[-1].lower(): sid for sid, name in WELL_KNOWN_SID_NAMES.items()}
_WELL_KNOWN_DOMAINS = ("builtin", "nt authority")
_NOT_FOUND_FIX = "check the name, or give the account's DN or SID"
_DOMAIN_TERMS = "(objectClass=domainDNS)(objectClass=crossRef)"  # the domain head, and every NC's crossRef
_DOMAIN_ATTRIBUTES = ("nCName", "dnsRoot", "nETBIOSName")


class PrincipalError(LdapError):
    """A principal cannot be found, or its name fits more than one."""


class PrincipalNotFound(PrincipalError):
    """No object answers to the name: for a lookup, an answer, not a fault."""


@dataclasses.dataclass(frozen=True)
class Principal:
    dn: str | None  # None for a well-known SID that has no object in the directory
    sid: str
    sam: str | None  # sAMAccountName
    object_classes: tuple  # objectClass values, most specific last
    name: str  # as Windows shows it: CORP\alice, BUILTIN\Administrators, NT AUTHORITY\SYSTEM, Everyone
    user_account_control: int | None = None

    def is_a(self, object_class: str) -> bool:
        return object_class.lower() in (c.lower() for c in self.object_classes)

    def to_dict(self) -> dict:
        return {"dn": self.dn, "sid": self.sid, "sAMAccountName": self.sam, "objectClass": list(self.object_classes), "display": self.name}

    @staticmethod
    def none_dict() -> dict:
        """to_dict's keys for a principal that was not found: every value empty."""
        return {"dn": None, "sid": None, "sAMAccountName": None, "objectClass": [], "display": None}


def parse_principal(text: str) -> tuple[str, str, str | None]:
    """(form, name, domain) without asking the directory; form is sid, dn, domain_name, upn or sam."""
    if not isinstance(text, str) or not text.strip():
        raise PrincipalError(f"a principal must be a non-empty name, UPN, DOMAIN\\name, DN or SID; got {text!r}")
    text = text.strip()
    if is_sid(text):
        return "sid", normalize_sid(text), None
    if "=" in text:  # never part of a sAMAccountName, DOMAIN\name or UPN
        return "dn", text, None
    if "\\" in text:
        domain, _sep, name = text.partition("\\")
        if not domain or not name:
            raise PrincipalError(f"{text!r} is not DOMAIN\\name")
        return "domain_name", name, domain
    if "@" in text:
        name, _sep, domain = text.rpartition("@")
        if not name or not domain:
            raise PrincipalError(f"{text!r} is not a UPN (user@domain)")
        return "upn", text, domain
    return "sam", text, None


def resolve_principal(client, text: str) -> Principal:
    """The principal ``text`` names in the client's domain; raises PrincipalError (an LdapError)."""
    cache = client.cache.setdefault("principals", {})
    key = text.strip().lower() if isinstance(text, str) else text
    if key not in cache:
        cache[key] = _resolve(client, text)
        cache.setdefault(cache[key].sid.lower(), cache[key])  # naming an ACE's SID later costs no search
    return cache[key]


def _resolve(client, text: str) -> Principal:
    form, name, domain = parse_principal(text)
    if form == "sid":
        return _by_sid(client, name)
    if form == "dn":
        entry = client.read(name, PRINCIPAL_ATTRIBUTES)
        if entry is None:
            raise PrincipalNotFound(f"principal {name!r} not found: no such object; {_NOT_FOUND_FIX}")
        return _principal(client, entry, text)
    if form == "domain_name":
        return _by_domain_name(client, name, domain, text)
    if form == "upn":
        return _by_upn(client, name, domain)
    return _by_sam(client, name, text)


def _naming_context(dn: str, contexts: list) -> str | None:
    """The NC (lower case) that holds ``dn``: the longest of ``contexts`` that it ends with."""
    dn = dn.lower()
    held = [nc for nc in contexts if dn == nc or dn.endswith("," + nc)]
    return max(held, key=len) if held else None


def _domain_search(client, ldap_filter: str) -> list:
    """Entries of the domain NC that match ``ldap_filter`` (sAMAccountName or UPN terms, which the domain head and
    crossRefs never match); the connection's first such search also caches the domain's facts for domain_info()."""
    if "domain" not in client.cache:
        try:
            found = client.search(common_parent(client.default_nc, client.config_nc), f"(|{ldap_filter}{_DOMAIN_TERMS})",
                                  PRINCIPAL_ATTRIBUTES + _DOMAIN_ATTRIBUTES, controls=phantom_root_control())
        except LdapError:  # e.g. a server that ignores the control, and holds no object at the base
            found = None
        if found is not None and _remember_domain(client, found):
            contexts = [nc.lower() for e in found for nc in e.texts("nCName")]
            own = client.default_nc.lower()
            return [e for e in found if e.dn.lower() != own and not e.texts("nCName") and _naming_context(e.dn, contexts) == own]
        domain_info(client)
    return client.search(client.default_nc, ldap_filter, PRINCIPAL_ATTRIBUTES)


def _remember_domain(client, found: list) -> bool:
    """Cache the DomainInfo of the domain head and crossRef among ``found``; False when either is missing."""
    own = client.default_nc.lower()
    head = next((e for e in found if e.dn.lower() == own and e.sid()), None)
    ref = next((e for e in found if (e.text("nCName") or "").lower() == own and e.text("nETBIOSName")), None)
    if head is None or ref is None:
        return False
    client.cache["domain"] = DomainInfo(client.default_nc, head.sid(), ref.text("dnsRoot"), ref.text("nETBIOSName"))
    return True


def _single(found: list, text: str):
    if len(found) > 1:
        raise PrincipalError(f"{text!r} is ambiguous: it names {', '.join(e.dn for e in found)}; give the DN or SID instead")
    return found[0] if found else None


def _by_sid(client, sid: str) -> Principal:
    sid_filter = f"(objectSid={escape_bytes(sid_to_bytes(sid))})"
    entry = _single(client.search(client.default_nc, sid_filter, PRINCIPAL_ATTRIBUTES), sid)
    if entry is None and not sid.startswith("S-1-5-21-"):  # Everyone, Authenticated Users, ... live in the configuration NC
        base = f"CN=WellKnown Security Principals,{client.config_nc}"
        entry = _single(client.search(base, sid_filter, PRINCIPAL_ATTRIBUTES, scope="LEVEL"), sid)
    if entry is not None:
        return _principal(client, entry, sid)
    if sid in WELL_KNOWN_SID_NAMES:
        return Principal(None, sid, None, (), WELL_KNOWN_SID_NAMES[sid])
    raise PrincipalNotFound(f"principal {sid} not found in {domain_info(client).dns}; {_NOT_FOUND_FIX}")


def _by_sam(client, name: str, text: str, domain: str | None = None) -> Principal:
    """By sAMAccountName; ``domain`` (of DOMAIN\\name) is checked after the search, which brings the domain's names."""
    candidates = [name] if name.endswith("$") else [name, name + "$"]
    ldap_filter = "(|" + "".join(f"(sAMAccountName={escape_filter_chars(c)})" for c in candidates) + ")"
    found = _domain_search(client, ldap_filter)
    own = domain_info(client)
    if domain is not None and domain.lower() not in (own.netbios.lower(), own.dns.lower()):
        raise PrincipalError(f"{text!r} is in domain {domain!r}, but the domain controller serves {own.netbios} ({own.dns}): "
                             "name a principal of this domain, or give its SID")
    entry = _single(found, text)
    if entry is None and name.lower() in _WELL_KNOWN_BY_TAIL:
        return _by_sid(client, _WELL_KNOWN_BY_TAIL[name.lower()])
    if entry is None:
        looked = " or ".join(repr(c) for c in candidates)
        raise PrincipalNotFound(f"principal {text!r} not found in {own.dns} (no sAMAccountName {looked}); {_NOT_FOUND_FIX}")
    return _principal(client, entry, text)


def _by_domain_name(client, name: str, domain: str, text: str) -> Principal:
    if domain.lower() in _WELL_KNOWN_DOMAINS:
        sid = _WELL_KNOWN_BY_NAME.get(f"{domain}\\{name}".lower())
        if sid:
            return _by_sid(client, sid)
        if domain.lower() == "builtin":  # a builtin group the table lacks: CN=Builtin holds it
            return _by_sam(client, name, text)
        raise PrincipalError(f"{text!r} is a well-known principal this collection does not know by name: give its SID")
    return _by_sam(client, name, text, domain)


def _by_upn(client, upn: str, suffix: str) -> Principal:
    entry = _single(_domain_search(client, f"(userPrincipalName={escape_filter_chars(upn)})"), upn)
    if entry is not None:
        return _principal(client, entry, upn)
    # Accounts without a UPN (gMSAs, computers, most seeded users) answer to sAMAccountName@domain, as Windows logons do.
    own = domain_info(client)
    if suffix.lower() in (own.dns.lower(), own.netbios.lower()):
        return _by_sam(client, upn.rpartition("@")[0], upn)
    raise PrincipalNotFound(f"principal {upn!r} not found in {own.dns} (no such userPrincipalName); {_NOT_FOUND_FIX}")


def _principal(client, entry, text: str) -> Principal:
    sid = entry.sid()
    if sid is None:
        raise PrincipalError(f"{text!r} ({entry.dn}) is not a security principal: it has no objectSid")
    sam = entry.text("sAMAccountName")
    if sam and sid.startswith(_BUILTIN_PREFIX):
        name = f"BUILTIN\\{sam}"
    elif sam:
        name = f"{domain_info(client).netbios}\\{sam}"
    else:  # well-known and foreign security principals have no sAMAccountName
        name = WELL_KNOWN_SID_NAMES.get(sid) or entry.text("cn") or sid
    return Principal(entry.dn, sid, sam, tuple(entry.texts("objectClass")), name, entry.integer("userAccountControl"))

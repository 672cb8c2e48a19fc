# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a bound LDAP connection with the few operations the
modules need, and what they need to know about the domain.

Values come back raw (bytes) in Entry objects and are decoded by the caller that knows their syntax.
Every failure becomes an LdapError that names the operation, the object and the LDAP result.
"""
from __future__ import annotations

import dataclasses
import uuid

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import (
    LdapError, broken_connection_error, operation_error,
)
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_from_bytes

try:
    from ldap3.core.exceptions import LDAPException, LDAPInvalidDnError
    from ldap3.utils.conv import escape_filter_chars
except ImportError:  # connection.py reports the missing library; no client exists without it
    LDAPException = LDAPInvalidDnError = escape_filter_chars = None

PAGE_SIZE = 500  # AD answers at most 1000 entries per request (MaxPageSize)
PAGED_RESULTS_OID = "1.2.840.113556.1.4.319"
SCOPES = ("BASE", "LEVEL", "SUBTREE")
ROOT_DSE_ATTRIBUTES = ("defaultNamingContext", "configurationNamingContext", "schemaNamingContext", "rootDomainNamingContext",
                       "dnsHostName", "serverName", "forestFunctionality", "domainFunctionality")


class Entry:
    """One object: its DN and raw attribute values, names case-insensitive."""

    def __init__(self, dn: str, raw: dict):
        self.dn = dn
        self._raw = {name.lower(): list(values) for name, values in raw.items()}

    def values(self, name: str) -> list[bytes]:
        return self._raw.get(name.lower(), [])

    def first(self, name: str) -> bytes | None:
        values = self.values(name)
        return values[0] if values else None

    def text(self, name: str) -> str | None:
        value = self.first(name)
        return value.decode("utf-8") if value is not None else None

    def texts(self, name: str) -> list[str]:
        return [v.decode("utf-8") for v in self.values(name)]

    def integer(self, name: str) -> int | None:
        value = self.text(name)
        return int(value) if value is not None else None

    def sid(self, name: str = "objectSid") -> str | None:
        value = self.first(name)
        return sid_from_bytes(value) if value is not None else None

    def guid(self, name: str = "objectGUID") -> str | None:
        value = self.first(name)
        return str(uuid.UUID(bytes_le=value)) if value is not None else None


@dataclasses.dataclass(frozen=True)
class DomainInfo:
    """The domain of the DC we are bound to."""

    dn: str
    sid: str
    dns: str
    netbios: str


def domain_info(client) -> DomainInfo:
    """SID from the domain object, DNS and NetBIOS names from its crossRef in CN=Partitions; cached per client."""
    if "domain" not in client.cache:
        base = client.default_nc
        head = client.read(base, ["objectSid"])
        refs = client.search(f"CN=Partitions,{client.config_nc}", f"(&(objectClass=crossRef)(nCName={escape_filter_chars(base)}))",
                             ["dnsRoot", "nETBIOSName"], scope="LEVEL")
        if head is None or head.sid() is None or not refs:
            raise LdapError(f"cannot read the domain {base} (its objectSid or its crossRef) on {client.server}")
        client.cache["domain"] = DomainInfo(base, head.sid(), refs[0].text("dnsRoot"), refs[0].text("nETBIOSName"))
    return client.cache["domain"]


class LdapClient:
    """A bound connection (create it with connection.create_ldap_connection); close it, or use it as a context manager."""

    def __init__(self, conn, server: str, username: str | None = None):
        self.conn = conn
        self.server = server
        self.username = username
        self._root: Entry | None = None
        self.cache: dict = {}  # per-connection caches of the resolvers (schema names, principals)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        try:
            self.conn.unbind()
        except LDAPException:  # already broken: nothing left to close
            pass

    # ------------------------------------------------------------ what the DC tells about itself

    @property
    def root_dse(self) -> Entry:
        if self._root is None:
            self._root = self.read("", ROOT_DSE_ATTRIBUTES)
            if self._root is None or not self._root.text("defaultNamingContext"):
                raise LdapError(f"{self.server} returned no rootDSE naming contexts: is it an Active Directory domain controller?")
        return self._root

    @property
    def default_nc(self) -> str:
        return self.root_dse.text("defaultNamingContext")

    @property
    def config_nc(self) -> str:
        return self.root_dse.text("configurationNamingContext")

    @property
    def schema_nc(self) -> str:
        return self.root_dse.text("schemaNamingContext")

    @property
    def dns_host_name(self) -> str | None:
        return self.root_dse.text("dnsHostName")

    @property
    def domain(self) -> DomainInfo:
        return domain_info(self)

    # ------------------------------------------------------------ operations

    def _call(self, operation: str, dn: str, method, *args, **kwargs) -> None:
        """Run one ldap3 call; an error result or a broken connection becomes an LdapError."""
        try:
            method(*args, **kwargs)
        except LDAPInvalidDnError as exc:  # ldap3 refuses it before sending anything
            raise LdapError(f"{dn!r} is not a valid distinguished name ({exc}): give a DN such as OU=Servers,DC=corp,DC=example,DC=com",
                            dn=dn) from exc
        except LDAPException as exc:
            raise broken_connection_error(operation, dn, self.server, exc) from exc
        if self.conn.result.get("result") != 0:
            raise operation_error(operation, dn, self.conn.result, self.username)

    def search(self, base: str, ldap_filter: str, attributes, scope: str = "SUBTREE", controls=None, paged: bool = True) -> list[Entry]:
        """All matching entries; with paged (not for BASE), fetched in pages of PAGE_SIZE so large results are complete."""
        if scope not in SCOPES:
            raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
        page_size = PAGE_SIZE if paged and scope != "BASE" else None
        entries, cookie = [], None
        while True:
            self._call("search", base, self.conn.search, base, ldap_filter, search_scope=scope, attributes=list(attributes) or None,
                       controls=controls, paged_size=page_size, paged_cookie=cookie)
            entries += [Entry(item["dn"], item.get("raw_attributes", {})) for item in self.conn.response or []
                        if item.get("type") == "searchResEntry"]
            cookie = (self.conn.result.get("controls") or {}).get(PAGED_RESULTS_OID, {}).get("value", {}).get("cookie")
            if not page_size or not cookie:
                return entries

    def read(self, dn: str, attributes, controls=None) -> Entry | None:
        """One object by DN, or None when it does not exist."""
        try:
            found = self.search(dn, "(objectClass=*)", attributes, scope="BASE", controls=controls)
        except LdapError as exc:
            if (exc.details.get("ldap_result") or {}).get("description") == "noSuchObject":
                return None
            raise
        return found[0] if found else None

    def add(self, dn: str, object_class, attributes: dict, controls=None) -> None:
        self._call("add", dn, self.conn.add, dn, object_class, attributes, controls=controls)

    def modify(self, dn: str, changes: dict, controls=None) -> None:
        self._call("modify", dn, self.conn.modify, dn, changes, controls=controls)

    def modify_root_dse(self, changes: dict) -> None:
        """A rootDSE modify operation (MS-ADTS 3.1.1.3.3): its DN is empty, which ldap3's DN check refuses."""
        checking, self.conn.check_names = self.conn.check_names, False
        try:
            self._call("modify", "", self.conn.modify, "", changes)
        finally:
            self.conn.check_names = checking

    def delete(self, dn: str, controls=None) -> None:
        self._call("delete", dn, self.conn.delete, dn, controls=controls)

    def move(self, dn: str, new_parent: str) -> None:
        """Move the object under ``new_parent``, keeping its RDN (an LDAP modify DN)."""
        rdn = dn.split(",", 1)[0]  # callers pass RDNs without escaped commas (gMSA names cannot hold one)
        self._call("move", dn, self.conn.modify_dn, dn, rdn, new_superior=new_parent)

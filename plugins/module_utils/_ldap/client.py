# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a bound LDAP connection with the few operations
the modules need. Values come back raw (bytes), decoded by the caller that knows their syntax;
every failure becomes an LdapError that names the operation and the object."""
from __future__ import annotations

import uuid

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError, describe_result
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_from_bytes

PAGE_SIZE = 500


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


class LdapClient:
    def __init__(self, conn, server: str):
        self.conn = conn
        self.server = server
        self._root = None
        self.cache: dict = {}  # per-connection caches of resolvers (schema names, principals)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        self.conn.unbind()

    def _check(self, ok: bool, action: str, dn: str) -> None:
        if not ok:
            result = self.conn.result
            raise LdapError(f"Failed to {action} {dn}: {describe_result(result)}", result=result.get("description"), dn=dn)

    @property
    def root_dse(self) -> Entry:
        if self._root is None:
            self._root = self.read("", ["defaultNamingContext", "configurationNamingContext", "schemaNamingContext",
                                        "rootDomainNamingContext", "dnsHostName", "domainFunctionality"])
            if self._root is None:
                raise LdapError(f"Failed to read the rootDSE of {self.server}")
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

    def search(self, base: str, ldap_filter: str, attributes, scope: str = "SUBTREE", controls=None) -> list[Entry]:
        """All matching entries, fetched in pages (AD returns at most 1000 per request otherwise)."""
        entries = []
        cookie = None
        while True:
            ok = self.conn.search(base, ldap_filter, search_scope=scope, attributes=list(attributes), controls=controls,
                                  paged_size=PAGE_SIZE if scope != "BASE" else None, paged_cookie=cookie)
            if not ok and self.conn.result.get("description") not in ("success", "noSuchObject"):
                self._check(False, f"search {ldap_filter} under", base or "the rootDSE")
            for item in self.conn.response or []:
                if item.get("type") == "searchResEntry":
                    entries.append(Entry(item["dn"], item.get("raw_attributes", {})))
            cookie = (self.conn.result.get("controls") or {}).get("1.2.840.113556.1.4.319", {}).get("value", {}).get("cookie")
            if not cookie:
                return entries

    def read(self, dn: str, attributes, controls=None) -> Entry | None:
        found = self.search(dn, "(objectClass=*)", attributes, scope="BASE", controls=controls)
        return found[0] if found else None

    def add(self, dn: str, object_class, attributes: dict) -> None:
        self._check(self.conn.add(dn, object_class, attributes), "create", dn)

    def modify(self, dn: str, changes: dict, controls=None) -> None:
        self._check(self.conn.modify(dn, changes, controls=controls), "modify", dn)

    def delete(self, dn: str) -> None:
        self._check(self.conn.delete(dn), "delete", dn)

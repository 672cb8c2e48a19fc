# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: names of attributes, classes and control access rights
to their GUIDs (for object ACEs) and back.

- attributes and classes: the schema, by lDAPDisplayName or cn -> schemaIDGUID; fetched on demand, a batch
  of names with one OR-filter search (the schema holds thousands of entries);
- extended rights, property sets and validated writes: CN=Extended-Rights in the configuration NC, by
  displayName or cn -> rightsGuid; the container (a few hundred entries) is read once.

Names are case-insensitive; a GUID string is accepted as it is (validated). Everything is cached per client.
known_guids() finds what GUIDs name in one search of both (a phantom-root search of the configuration NC, which
reaches the schema NC below it).
"""
from __future__ import annotations

import dataclasses
import uuid

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.phantom_root import phantom_root_control

try:
    from ldap3.utils.conv import escape_bytes, escape_filter_chars
except ImportError:  # connection.py reports the missing library; no client exists without it
    escape_bytes = escape_filter_chars = None

SCHEMA_KINDS = ("attribute", "class")
RIGHT_KINDS = ("extended_right", "property_set", "validated_write")
ALL_KINDS = SCHEMA_KINDS + RIGHT_KINDS
# validAccesses of a controlAccessRight says what it is (MS-ADTS 5.1.3.2.1).
_RIGHT_KIND_OF_ACCESS = {0x100: "extended_right", 0x30: "property_set", 0x8: "validated_write"}
# Windows' displayName of these rights, which Samba spells like the cn ("User Force Change Password").
_WINDOWS_RIGHT_NAMES = {"user-force-change-password": "Reset Password", "user-change-password": "Change Password"}
_SCHEMA_ATTRIBUTES = ["lDAPDisplayName", "cn", "schemaIDGUID", "objectClass"]
_BATCH = 50  # names per OR-filter
_RIGHT_ATTRIBUTES = ["cn", "displayName", "rightsGuid", "validAccesses"]


class SchemaError(LdapError):
    """A name is in neither the schema nor CN=Extended-Rights, or fits several kinds."""


@dataclasses.dataclass(frozen=True)
class SchemaName:
    guid: str  # lower-case canonical form
    name: str  # lDAPDisplayName, or the right's displayName; the GUID itself when given as a GUID
    kind: str  # one of ALL_KINDS, or "guid" for a GUID given as such


def parse_guid(text: str) -> str | None:
    """The canonical form of a GUID string (braces allowed), or None when ``text`` is not one."""
    try:
        return str(uuid.UUID(text.strip().strip("{}")))
    except (ValueError, AttributeError):
        return None


class SchemaResolver:
    """Resolves on one client; the caches live in ``client.cache`` so every resolver of a task shares them."""

    def __init__(self, client):
        self.client = client
        # by_name: lower-case name -> [SchemaName]; schema_checked: names already looked up in the schema, found or not.
        self._cache = client.cache.setdefault("schema", {"by_name": {}, "by_guid": {}, "schema_checked": set(), "searched_guids": set(),
                                                         "rights_loaded": False})

    def resolve(self, name: str, kinds=ALL_KINDS) -> SchemaName:
        """The entry ``name`` names among ``kinds``; raises SchemaError when none or several do."""
        guid = parse_guid(name) if isinstance(name, str) else None
        if guid:
            return SchemaName(guid, guid, "guid")
        if not isinstance(name, str) or not name.strip():
            raise SchemaError(f"a schema name must be a non-empty string; got {name!r}")
        if set(kinds) & set(RIGHT_KINDS):
            self._load_rights()
        if set(kinds) & set(SCHEMA_KINDS):
            self.prefetch([name])
        found = {e for e in self._cache["by_name"].get(name.strip().lower(), []) if e.kind in kinds}
        if len(found) > 1:
            listed = ", ".join(f"{e.kind} {e.name} ({e.guid})" for e in sorted(found, key=lambda e: e.kind))
            raise SchemaError(f"{name!r} names several entries: {listed}; give the GUID")
        if not found:
            raise SchemaError(f"no {' or '.join(k.replace('_', ' ') for k in kinds)} named {name!r} (looked up by lDAPDisplayName "
                              "and cn in the schema, by displayName and cn in CN=Extended-Rights): check the name, or give its GUID")
        return found.pop()

    def guid_of(self, name: str, kinds=ALL_KINDS) -> str:
        return self.resolve(name, kinds).guid

    def name_of(self, guid: str) -> str | None:
        """The name of a schema or rights GUID, for display; None when neither knows it."""
        canonical = parse_guid(guid)
        if canonical is None:
            raise SchemaError(f"{guid!r} is not a GUID")
        if canonical in self._cache["by_guid"]:
            return self._cache["by_guid"][canonical].name
        self._load_rights()
        if canonical not in self._cache["by_guid"] and canonical not in self._cache["searched_guids"]:
            raw = escape_bytes(uuid.UUID(canonical).bytes_le)
            self._search_schema(f"(schemaIDGUID={raw})")
            self._cache["searched_guids"].add(canonical)  # found or not, never searched again
        found = self._cache["by_guid"].get(canonical)
        return found.name if found else None

    def prefetch(self, names) -> None:
        """Look up the schema names not cached yet, in batches of OR-filters (one search for a typical task)."""
        wanted = sorted({n.strip().lower() for n in names if isinstance(n, str) and parse_guid(n) is None} - self._cache["schema_checked"])
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start:start + _BATCH]
            terms = "".join(f"(lDAPDisplayName={escape_filter_chars(n)})(cn={escape_filter_chars(n)})" for n in batch)
            self._search_schema(f"(|{terms})")
            self._cache["schema_checked"].update(batch)  # found or not, never searched again

    def known_guids(self, guids) -> dict:
        """{GUID: SchemaName} for those of ``guids`` (canonical strings) that the schema or CN=Extended-Rights holds,
        in one search for those not looked up yet on this client."""
        wanted = sorted(set(guids) - set(self._cache["by_guid"]) - self._cache["searched_guids"])
        if wanted:
            schema_terms = "".join(f"(schemaIDGUID={escape_bytes(uuid.UUID(g).bytes_le)})" for g in wanted)
            right_terms = "".join(f"(rightsGuid={g})" for g in wanted)
            # The schema head (class dMD) in the answer shows that the phantom-root search reached the schema NC.
            ldap_filter = f"(|(objectClass=dMD){schema_terms}(&(objectClass=controlAccessRight)(|{right_terms})))"
            found = self.client.search(self.client.config_nc, ldap_filter, sorted(set(_SCHEMA_ATTRIBUTES + _RIGHT_ATTRIBUTES)),
                                       controls=phantom_root_control())
            for entry in found:
                self._add_entry(entry)
            if not any("dmd" in (c.lower() for c in entry.texts("objectClass")) for entry in found):
                self._search_schema(f"(|{schema_terms})")  # the phantom root was ignored: the schema NC on its own
            self._cache["searched_guids"].update(wanted)  # found or not, never searched again
        return {g: self._cache["by_guid"][g] for g in guids if g in self._cache["by_guid"]}

    # ------------------------------------------------------------ loading

    def _add(self, entry: SchemaName, *names: str) -> None:
        for name in {n.lower() for n in names if n}:
            known = self._cache["by_name"].setdefault(name, [])
            if entry not in known:
                known.append(entry)
        self._cache["by_guid"].setdefault(entry.guid, entry)

    def _add_entry(self, entry) -> None:
        """An attributeSchema, classSchema or controlAccessRight entry, cached by its names and GUID; others are skipped."""
        classes = [c.lower() for c in entry.texts("objectClass")]
        raw_guid = entry.first("schemaIDGUID")
        kind = "attribute" if "attributeschema" in classes else "class" if "classschema" in classes else None
        if kind and raw_guid:
            name = entry.text("lDAPDisplayName") or entry.text("cn")
            self._add(SchemaName(str(uuid.UUID(bytes_le=raw_guid)), name, kind), name, entry.text("cn"))
            return
        guid = parse_guid(entry.text("rightsGuid") or "")
        kind = _RIGHT_KIND_OF_ACCESS.get(entry.integer("validAccesses") or 0)
        if guid and kind:
            name, cn = entry.text("displayName") or entry.text("cn"), entry.text("cn")
            self._add(SchemaName(guid, name, kind), name, cn, _WINDOWS_RIGHT_NAMES.get((cn or "").lower()))

    def _search_schema(self, ldap_filter: str) -> None:
        for entry in self.client.search(self.client.schema_nc, ldap_filter, _SCHEMA_ATTRIBUTES, scope="LEVEL"):
            self._add_entry(entry)

    def _load_rights(self) -> None:
        if self._cache["rights_loaded"]:
            return
        for entry in self.client.search(f"CN=Extended-Rights,{self.client.config_nc}", "(objectClass=controlAccessRight)",
                                        _RIGHT_ATTRIBUTES, scope="LEVEL"):
            self._add_entry(entry)
        self._cache["rights_loaded"] = True

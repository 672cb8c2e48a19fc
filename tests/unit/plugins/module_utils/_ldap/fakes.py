# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stand-ins for the LDAP tests: an ldap3 Connection that answers from a script, a client over an in-memory
directory (equality, &, | filters; the real DC is tested in tests/integration/lab), and a way to run an LDAP
module's backend over that client."""
from __future__ import annotations

import contextlib
import re
from unittest import mock

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import DomainInfo, Entry, domain_info
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_to_bytes
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action import ControllerModule, ModuleExit

try:
    from ldap3 import MODIFY_REPLACE
except ImportError:  # the unit tests need ldap3 anyway; keeps this importable for sanity checks
    MODIFY_REPLACE = "MODIFY_REPLACE"

BASE = "DC=corp,DC=example,DC=test"
CONFIG = f"CN=Configuration,{BASE}"
SCHEMA = f"CN=Schema,{CONFIG}"
DOMAIN_SID = "S-1-5-21-1004336348-1177238915-682003330"
SUCCESS = {"result": 0, "description": "success", "message": "", "dn": ""}


def result(code: int, description: str, message: str = "", **more) -> dict:
    return {"result": code, "description": description, "message": message, "dn": "", **more}


class ScriptedConnection:
    """An ldap3 Connection whose calls return the next scripted (result, response) and are recorded."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls: list[tuple[str, tuple, dict]] = []
        self.result, self.response, self.unbound = SUCCESS, [], False
        self.check_names = True  # ldap3's DN check before each operation

    def _answer(self, name, args, kwargs):
        self.calls.append((name, args, kwargs))
        answer = self.answers.pop(0) if self.answers else (SUCCESS, [])
        if isinstance(answer, Exception):
            raise answer  # pylint: disable=raising-bad-type  # scripted: a tuple or an exception
        self.result, self.response = answer
        return self.result["result"] == 0 and (name != "search" or bool(self.response))

    def search(self, *args, **kwargs):
        return self._answer("search", args, kwargs)

    def add(self, *args, **kwargs):
        return self._answer("add", args, kwargs)

    def modify(self, *args, **kwargs):
        return self._answer("modify", args, {**kwargs, "check_names": self.check_names})

    def delete(self, *args, **kwargs):
        return self._answer("delete", args, kwargs)

    def modify_dn(self, *args, **kwargs):
        return self._answer("modify_dn", args, kwargs)

    def unbind(self):
        self.unbound = True


def entry(dn: str, **attrs) -> dict:
    """A searchResEntry as ldap3 returns it (raw values)."""
    raw = {k: [v if isinstance(v, bytes) else str(v).encode() for v in (vals if isinstance(vals, list) else [vals])] for k, vals in attrs.items()}
    return {"type": "searchResEntry", "dn": dn, "raw_attributes": raw}


_ESCAPE = re.compile(rb"\\([0-9a-fA-F]{2})")


def parse_filter(text: str, pos: int = 0):
    """(filter tree, next position) for RFC 4515 filters made of &, |, equality and presence."""
    if text[pos + 1] in "&|":
        op, pos, items = text[pos + 1], pos + 2, []
        while text[pos] == "(":
            item, pos = parse_filter(text, pos)
            items.append(item)
        return (op, items), pos + 1
    end = text.index(")", pos)
    attr, _eq, value = text[pos + 1:end].partition("=")
    return ("=", attr.lower(), _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), value.encode())), end + 1


def filter_matches(tree, values: dict) -> bool:
    if tree[0] in "&|":
        return (all if tree[0] == "&" else any)(filter_matches(item, values) for item in tree[1])
    _op, attr, value = tree
    return value == b"*" and attr in values or any(v.lower() == value.lower() for v in values.get(attr, []))


def _raw_values(vals) -> list[bytes]:
    return [v if isinstance(v, bytes) else str(v).encode() for v in (vals if isinstance(vals, (list, tuple)) else [vals])]


class FakeClient:
    """What the modules use of LdapClient; ``searches`` records (base, filter, scope), ``writes`` records
    (operation, dn, changes or attributes, controls) of add/modify/delete as the client received them."""

    server = "dc1.corp.example.test"
    default_nc, config_nc, schema_nc = BASE, CONFIG, SCHEMA

    def __init__(self):
        self.objects: dict[str, dict[str, list[bytes]]] = {}
        self.cache: dict = {}
        self.searches: list[tuple[str, str, str]] = []
        self.writes: list[tuple[str, str, dict | None, object]] = []
        self.add(BASE, objectClass=["top", "domainDNS"], objectSid=sid_to_bytes(DOMAIN_SID))
        self.add(f"CN=CORP,CN=Partitions,{CONFIG}", objectClass="crossRef", nCName=BASE, nETBIOSName="CORP", dnsRoot="corp.example.test")

    @property
    def domain(self) -> DomainInfo:
        return domain_info(self)

    def add(self, dn: str, object_class=None, attributes: dict | None = None, controls=None, **attrs) -> str:
        """Seeds an object from keywords (``add(dn, objectClass=..., cn=...)``). Called like LdapClient.add(dn,
        object_class, attributes), it is a module's write: recorded in ``writes``."""
        if object_class is not None:
            self.writes.append(("add", dn, dict(attributes or {}), controls))
            attrs = {**(attributes or {}), "objectClass": object_class}
        self.objects[dn] = {k.lower(): v for k, v in entry(dn, **attrs)["raw_attributes"].items()}
        return dn

    def modify(self, dn: str, changes: dict, controls=None) -> None:
        """MODIFY_REPLACE only, the one operation the modules send; an empty list removes the attribute."""
        self.writes.append(("modify", dn, changes, controls))
        values = self._existing(dn, "modify")
        for attr, operations in changes.items():
            for operation, new in operations:
                assert operation == MODIFY_REPLACE, f"the fake directory only replaces values, not {operation}"
                values.pop(attr.lower(), None)
                if new:
                    values[attr.lower()] = _raw_values(new)

    def delete(self, dn: str, controls=None) -> None:
        self.writes.append(("delete", dn, None, controls))
        self._existing(dn, "delete")
        del self.objects[dn]

    def _existing(self, dn: str, operation: str) -> dict:
        if dn not in self.objects:  # what LdapClient raises for AD's noSuchObject
            raise LdapError(f"LDAP {operation} of {dn} failed: noSuchObject", ldap_result={"result": 32, "description": "noSuchObject"})
        return self.objects[dn]

    def account(self, sam: str, rid: int, container: str = "CN=Users", classes=("top", "user"), **attrs) -> str:
        name = sam.rstrip("$")
        return self.add(f"CN={name},{container},{BASE}", objectClass=list(classes), sAMAccountName=sam,
                        objectSid=sid_to_bytes(f"{DOMAIN_SID}-{rid}"), **attrs)

    def search(self, base: str, ldap_filter: str, attributes, scope: str = "SUBTREE", controls=None, paged: bool = True) -> list[Entry]:
        del controls, paged
        self.searches.append((base, ldap_filter, scope))
        tree, _end = parse_filter(ldap_filter)
        found = []
        for dn, values in self.objects.items():
            if not (dn.lower() == base.lower() or dn.lower().endswith("," + base.lower())):
                continue
            depth = dn.count(",") - base.count(",")
            if (scope == "BASE" and depth != 0) or (scope == "LEVEL" and depth != 1):
                continue
            if filter_matches(tree, values):
                found.append(Entry(dn, {a: values.get(a.lower(), []) for a in attributes}))
        return found

    def read(self, dn: str, attributes, controls=None) -> Entry | None:
        found = self.search(dn, "(objectClass=*)", attributes, scope="BASE", controls=controls)
        return found[0] if found else None


def run_backend(backend, client, params: dict, check_mode: bool = False, diff: bool = False) -> dict:
    """What ``backend.run(module)`` (a module_utils task of an LDAP module) returns over ``client``, with the action
    plugins' AnsibleModule stand-in: params validated by the module's own argument spec, no_log values masked."""
    connect = mock.patch.object(backend, "create_ldap_connection", lambda **options: contextlib.nullcontext(client))
    try:
        with connect:
            backend.run(ControllerModule(backend.argument_spec(), params, backend.__name__.rsplit(".", 1)[-1],
                                         check_mode=check_mode, diff=diff, **backend.CONSTRAINTS))
    except ModuleExit as end:
        return end.result
    raise AssertionError(f"{backend.__name__}.run ended without exit_json or fail_json")

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the ad_group module's work, for its action plugin.

One search finds the group by sAMAccountName anywhere in the domain; every principal the task names is resolved before
anything is written, and a scope change AD refuses is refused before any write too. Writes: the add (with its members),
or a scope change on its own (AD checks it against the members as they are), then the other attributes and the members
in one modify, then the move.
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._group import group_type
from ansible_collections.mdi.action_accounts.plugins.module_utils._group.members import foreign_principal_dn, member_value, plan_members
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.module_run import run_ensure
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import resolve_principal

try:
    from ldap3 import MODIFY_ADD, MODIFY_DELETE, MODIFY_REPLACE
    from ldap3.utils.conv import escape_filter_chars
except ImportError:  # connection.py reports the missing library; no client exists without it
    MODIFY_ADD, MODIFY_DELETE, MODIFY_REPLACE = "MODIFY_ADD", "MODIFY_DELETE", "MODIFY_REPLACE"
    escape_filter_chars = None

ATTRIBUTES = ("objectClass", "groupType", "description", "member", "objectSid")
MAX_NAME = 64  # the cn's upper bound in the schema
_ILLEGAL = re.compile(r'["/\\\[\]:;|=,+*?<>@]')  # characters a sAMAccountName cannot hold


def argument_spec() -> dict:
    members = {"add": {"type": "list", "elements": "str"}, "remove": {"type": "list", "elements": "str"},
               "set": {"type": "list", "elements": "str"}}
    return {
        "name": {"type": "str", "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "path": {"type": "str"},
        "scope": {"type": "str", "choices": list(group_type.SCOPE_BITS)},
        "category": {"type": "str", "choices": ["security", "distribution"]},
        "description": {"type": "str"},
        "members": {"type": "dict", "options": members},
        **ldap_connection_argument_spec(),
    }


CONSTRAINTS: dict = {}


def check_params(params: dict) -> None:
    name = params["name"]
    if not 0 < len(name) <= MAX_NAME or _ILLEGAL.search(name) or name.endswith(".") or name != name.strip():
        raise MdiError(f"name must be 1 to {MAX_NAME} characters without \" / \\ [ ] : ; | = , + * ? < > @, leading or trailing "
                       f"spaces or a final dot, not {name!r}")
    if params["path"] is not None and "=" not in params["path"]:
        raise MdiError(f"path must be the DN of an OU or container such as OU=Groups,DC=corp,DC=example,DC=com, not {params['path']!r}")
    if params["state"] == "absent" and any(params[k] is not None for k in ("scope", "category", "description", "members", "path")):
        raise MdiError("state=absent deletes the group: leave out path, scope, category, description and members")


def _find(client, name: str):
    found = client.search(client.default_nc, f"(sAMAccountName={escape_filter_chars(name)})", ATTRIBUTES)
    if not found:
        return None
    entry = found[0]
    if "group" not in [c.lower() for c in entry.texts("objectClass")]:
        raise MdiError(f"{name} is a {entry.texts('objectClass')[-1]}, not a group ({entry.dn}): choose another name")
    return entry


def _state(entry, members=None) -> dict:
    if entry is None:
        return {"state": "absent"}
    scope, category = group_type.decode(entry.integer("groupType"))
    return {"state": "present", "dn": entry.dn, "scope": scope, "category": category, "description": entry.text("description"),
            "members": sorted(entry.texts("member") if members is None else members, key=str.lower)}


class GroupTask:
    def __init__(self, client, params: dict, check_mode: bool):
        self.client, self.params, self.check_mode = client, params, check_mode
        self.name = params["name"]

    def _members_change(self) -> dict | None:
        change = self.params["members"]
        if not change:
            return None
        return {k: None if change.get(k) is None else [self._member_value(resolve_principal(self.client, p)) for p in change[k]]
                for k in ("add", "remove", "set")}

    def _member_value(self, principal) -> str:
        value = member_value(principal, self.client.default_nc)
        if value.startswith("<SID="):  # its foreign security principal, when one exists (Samba refuses <SID=...> then)
            fsp = foreign_principal_dn(principal.sid, self.client.default_nc)
            if self.client.read(fsp, ["objectClass"]) is not None:
                return fsp
        return value

    def _path(self, entry) -> str:
        path = self.params["path"]
        if entry is not None and (path is None or path.lower() == entry.dn.split(",", 1)[1].lower()):
            return entry.dn.split(",", 1)[1]
        path = path or f"CN=Users,{self.client.default_nc}"
        if self.client.read(path, ["objectClass"]) is None:
            raise MdiError(f"path {path!r} does not exist: create the OU or container first, or leave path out for CN=Users")
        return path

    def present(self, entry) -> tuple[bool, dict]:
        params = self.params
        change = self._members_change()
        path = self._path(entry)
        if entry is None:
            if params["scope"] is None:
                raise MdiError(f"group {self.name} does not exist: give scope (global, universal or domain_local) to create it")
            _added, _removed, members = plan_members([], change)
            dn = f"CN={self.name},{path}"
            attributes = {"sAMAccountName": self.name, "groupType": str(group_type.encode(params["scope"], params["category"] or "security"))}
            if params["description"]:
                attributes["description"] = params["description"]
            if members:
                attributes["member"] = members
            if not self.check_mode:
                self.client.add(dn, ["top", "group"], attributes)
            return True, {"state": "present", "dn": dn, "scope": params["scope"], "category": params["category"] or "security",
                          "description": params["description"] or None, "members": sorted(members, key=str.lower)}
        return self._update(entry, change, path)

    def _update(self, entry, change, path) -> tuple[bool, dict]:
        params, dn = self.params, entry.dn
        old_type = entry.integer("groupType")
        scope, category = group_type.decode(old_type)
        new_scope, new_category = params["scope"] or scope, params["category"] or category
        if new_scope is None:
            raise MdiError(f"group {self.name} has groupType {old_type}, whose scope this module does not know: leave the group alone")
        group_type.check_scope_change(self.name, old_type, new_scope)
        added, removed, members = plan_members(entry.texts("member"), change)
        modify = {}
        if params["description"] is not None and params["description"] != (entry.text("description") or ""):
            modify["description"] = [(MODIFY_REPLACE, [params["description"]] if params["description"] else [])]
        if added:
            modify["member"] = [(MODIFY_ADD, added)]
        if removed:
            modify.setdefault("member", []).append((MODIFY_DELETE, removed))
        new_type = group_type.encode(new_scope, new_category) | (old_type & group_type.BUILTIN_LOCAL_BIT)
        moved = path.lower() != dn.split(",", 1)[1].lower()
        if not self.check_mode:
            if new_type != old_type:
                self.client.modify(dn, {"groupType": [(MODIFY_REPLACE, [str(new_type)])]})
            if modify:
                self.client.modify(dn, modify)
            if moved:
                self.client.move(dn, path)
        new_dn = f"{dn.split(',', 1)[0]},{path}"
        description = entry.text("description") if params["description"] is None else params["description"] or None
        after = {"state": "present", "dn": new_dn, "scope": new_scope, "category": new_category, "description": description,
                 "members": sorted(members, key=str.lower)}
        return bool(new_type != old_type or modify or moved), after

    def absent(self, entry) -> tuple[bool, dict]:
        if entry is not None and not self.check_mode:
            self.client.delete(entry.dn)
        return entry is not None, {"state": "absent"}


def ensure(client, params: dict, check_mode: bool) -> dict:
    check_params(params)
    work = GroupTask(client, params, check_mode)
    entry = _find(client, params["name"])
    before = _state(entry)
    changed, after = work.present(entry) if params["state"] == "present" else work.absent(entry)
    if changed and not check_mode and params["state"] == "present":
        after = _state(_find(client, params["name"]))  # what the DC holds, with the DNs of new foreign security principals
    group = None if after["state"] == "absent" else {**after, "name": params["name"], "created": entry is None}
    if group is not None:
        group.pop("state")
    return {"changed": changed, "group": group, "diff": {"before": before, "after": after}}


def run(module) -> None:
    """Entry point for the action plugin; ends with exit_json or fail_json."""
    params = module.params
    verb = "delete" if params["state"] == "absent" else "ensure"
    run_ensure(module, create_ldap_connection, lambda client: ensure(client, params, module.check_mode),
               f"Failed to {verb} the group {params['name']!r}")

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the ad_ace module's work, for its action plugin and its
plain module entry point.

A DACL is one attribute: a write replaces it whole. So the DACL is re-read just before writing (and
planned again if someone changed it), and re-read after writing; if the task's ACEs are not there, a
concurrent writer replaced the DACL and the same intent is merged into what it left, at most MAX_ATTEMPTS times.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import plan as planning
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.directory import Namer, read_descriptor, write_dacl
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.guid_check import refuse_unknown_guids
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.spec import APPLIES_TO, aces_from_entries
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec, ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.schema import SchemaResolver
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import CONTAINER_INHERIT_ACE, OBJECT_INHERIT_ACE
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.well_known_guids import CLASS_GROUP

MAX_ATTEMPTS = 3
PRESETS = ("mdi_action_account",)
_SHOWN_PROTECTED = 10


def argument_spec() -> dict:
    entry = {
        "access": {"type": "str", "default": "allow", "choices": ["allow", "deny"]},
        "rights": {"type": "list", "elements": "str", "required": True},
        "object_type": {"type": "str"},
        "applies_to": {"type": "str", "choices": list(APPLIES_TO)},
        "inherited_object_type": {"type": "str"},
    }
    return {
        "target": {"type": "str"},
        "principal": {"type": "str", "required": True},
        "aces": {"type": "list", "elements": "dict", "options": entry},
        "preset": {"type": "str", "choices": list(PRESETS)},
        "include_groups": {"type": "bool", "default": True},
        "state": {"type": "str", "default": "present", "choices": list(planning.STATES)},
        **ldap_connection_argument_spec(),
    }


CONSTRAINTS = {"required_one_of": [("aces", "preset")]}


def desired_aces(client, params: dict, sid: str, given: list | None = None) -> list:
    """The task's ACEs for ``sid``: the preset's, then the entries' (their GUIDs written as such are appended to ``given``)."""
    aces = []
    if params["preset"] == "mdi_action_account":
        # Microsoft calls the group-membership part optional: include_groups=false leaves it out.
        aces += [ace for ace in mdi_action_account_aces(sid) if params["include_groups"] or ace.inherited_object_type != CLASS_GROUP]
    entries = params["aces"] or []
    if entries:
        schema = SchemaResolver(client)
        schema.prefetch([e.get(key) for e in entries if isinstance(e, dict) for key in ("object_type", "inherited_object_type")])
        aces += aces_from_entries(entries, sid, schema.guid_of, given)
    return aces


def _write(client, target: str, intent, descriptor, first):
    """Write, verify, and merge again after a concurrent change; returns the descriptor read last and whether
    this task wrote (not when a concurrent writer already made the change)."""
    plan = first
    for attempt in range(1, MAX_ATTEMPTS + 1):
        latest = read_descriptor(client, target)
        if latest.encode() != descriptor.encode():  # changed since our read: plan on what is there now
            descriptor, plan = latest, planning.merge(intent, latest.dacl, first)
            if not plan.acl.modified:
                return descriptor, False
        write_dacl(client, target, descriptor, plan.acl)
        descriptor = read_descriptor(client, target)
        if planning.satisfied(intent, descriptor.dacl):
            return descriptor, True
        if attempt < MAX_ATTEMPTS:  # a concurrent writer replaced the DACL after us: re-apply to what it left
            plan = planning.merge(intent, descriptor.dacl, first)
    raise MdiError(f"the DACL of {target} kept changing under concurrent writers; {MAX_ATTEMPTS} attempts did not leave the ACEs "
                   "in place. Run the task again", target=target)


def _protected_accounts(client, target: str, aces) -> list:
    """adminCount=1 objects under ``target``: AdminSDHolder resets their DACL, so inherited ACEs never reach them."""
    if not any(ace.flags & (CONTAINER_INHERIT_ACE | OBJECT_INHERIT_ACE) for ace in aces):
        return []
    return [entry.dn for entry in client.search(target, "(adminCount=1)", ["cn"])]


def _warn_protected(client, target: str, intent, warn) -> None:
    protected = _protected_accounts(client, target, intent.aces) if intent.state != "absent" else []
    if protected:
        shown = "; ".join(protected[:_SHOWN_PROTECTED]) + ("; ..." if len(protected) > _SHOWN_PROTECTED else "")
        warn(f"{len(protected)} protected accounts (adminCount=1) under {target} do not inherit these ACEs: AdminSDHolder "
             f"replaces their DACL every hour. They are: {shown}")


def ensure(client, params: dict, check_mode: bool, warn) -> dict:
    target = params["target"] or client.default_nc
    principal = resolve_principal(client, params["principal"])
    given: list = []
    intent = planning.Intent(principal.sid, desired_aces(client, params, principal.sid, given), params["state"])
    descriptor = read_descriptor(client, target)
    namer = Namer(client)
    previous_sddl = namer.dacl_sddl(descriptor)  # before write_dacl changes the descriptor in place
    first = planning.apply(intent, descriptor.dacl)
    refuse_unknown_guids(client, given, first.added)  # after the size limits, before any write or check-mode report
    after, changed = first.after, first.acl.modified
    if changed and not check_mode:
        final, changed = _write(client, target, intent, descriptor, first)
        after = planning.explicit_aces_of(final.dacl, principal.sid)
    if changed:  # said when the ACEs are granted; a rerun that changes nothing need not search the subtree again
        _warn_protected(client, target, intent, warn)
    added, removed = planning.changes(first.before, after) if changed else ([], [])
    namer.prefetch(first.before + after)
    return {
        "changed": changed,
        "target": target,
        "principal": principal.to_dict(),
        "before": [namer.describe(ace) for ace in first.before],
        "aces": [namer.describe(ace) for ace in after],
        "added": [namer.describe(ace) for ace in added],
        "removed": [namer.describe(ace) for ace in removed],
        "previous_dacl_sddl": previous_sddl,
    }


def _diff(result: dict) -> dict:
    def side(aces):
        return {"principal": result["principal"]["display"], "aces": [a["sddl"] for a in aces], "descriptions": [a["description"] for a in aces]}
    return {"before": side(result["before"]), "after": side(result["aces"])}


def run(module) -> None:
    """Entry point for the module and its action plugin; ends with exit_json or fail_json."""
    params = module.params
    action = {"present": "grant", "absent": "remove", "exact": "set"}[params["state"]]
    try:
        with create_ldap_connection(**ldap_options(params)) as client:
            result = ensure(client, params, module.check_mode, module.warn)
    except MdiError as exc:
        module.fail_json(msg=f"Failed to {action} the ACEs of {params['principal']} on {params['target'] or 'the domain root'}: {exc}",
                         **exc.details)
    if module._diff:  # pylint: disable=protected-access
        result["diff"] = _diff(result)
    module.exit_json(**result)

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the ad_ace module's work, for its action plugin and its
plain module entry point.

A DACL (or SACL) is one part of one attribute: a write replaces it whole. Writers on this controller (a play's hosts,
two plays at once) take turns per target (_controller_lock.py), from the read the plan is made on to the read after
the write. Against writers elsewhere, the part is written soon after that read: re-read just before writing (and
planned again if someone changed it) unless that read was the task's last LDAP operation, and re-read after writing;
if the task's ACEs are not there, a concurrent writer replaced it and the same intent is merged into what it left, at
most MAX_ATTEMPTS times.
Access ACEs live in the DACL, audit ACEs in the SACL; a task reads and writes only the parts its ACEs are in.
"""
from __future__ import annotations

import dataclasses
from contextlib import nullcontext

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import plan as planning
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.directory import (
    DACL, SACL, DescriptorUnreadable, Namer, in_deleted_objects, protected_accounts, read_dacl_and_protected, read_descriptor,
    take_ownership, write_acl,
)
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.guid_check import refuse_unknown_guids
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.spec import ACCESS, APPLIES_TO, AUDIT_FLAGS, aces_from_entries
from ansible_collections.mdi.action_accounts.plugins.module_utils._controller_lock import controller_lock
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec, ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.schema import SchemaResolver
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import AUDIT_ACE_TYPES, CONTAINER_INHERIT_ACE, OBJECT_INHERIT_ACE
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import AUDIT_PRESETS, mdi_action_account_aces
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.well_known_guids import CLASS_GROUP

MAX_ATTEMPTS = 3
PRESETS = ("mdi_action_account", *AUDIT_PRESETS)
_SHOWN_PROTECTED = 10


def argument_spec() -> dict:
    entry = {
        "access": {"type": "str", "default": "allow", "choices": list(ACCESS)},
        "rights": {"type": "list", "elements": "str", "required": True},
        "object_type": {"type": "str"},
        "applies_to": {"type": "str", "choices": list(APPLIES_TO)},
        "inherited_object_type": {"type": "str"},
        "audit_flags": {"type": "list", "elements": "str", "choices": list(AUDIT_FLAGS)},
    }
    return {
        "target": {"type": "str"},
        "principal": {"type": "str", "required": True},
        "aces": {"type": "list", "elements": "dict", "options": entry},
        "preset": {"type": "str", "choices": list(PRESETS)},
        "include_groups": {"type": "bool", "default": True},
        "take_ownership": {"type": "bool", "default": False},
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
    elif params["preset"] in AUDIT_PRESETS:
        aces += AUDIT_PRESETS[params["preset"]](sid)
    entries = params["aces"] or []
    if entries:
        schema = SchemaResolver(client)
        schema.prefetch([e.get(key) for e in entries if isinstance(e, dict) for key in ("object_type", "inherited_object_type")])
        aces += aces_from_entries(entries, sid, schema.guid_of, given)
    return aces


def acl_part(ace) -> str:
    """Where an ACE lives: audit ACEs in the SACL, the others in the DACL."""
    return SACL if ace.ace_type in AUDIT_ACE_TYPES else DACL


def split_by_part(aces: list) -> dict:
    """part -> the ACEs for it, for each part the task reads; a task without audit ACEs works on the DACL only
    (so aces=[] with state=exact still empties the principal's DACL ACEs), one with audit ACEs only on the SACL only."""
    parts = {part: [ace for ace in aces if acl_part(ace) == part] for part in (DACL, SACL)}
    return {part: found for part, found in parts.items() if found or (part == DACL and not parts[SACL])}


@dataclasses.dataclass
class _Part:
    """One ACL of the target as the task plans it: the descriptor read with that part only, and the plan on it."""

    name: str
    intent: planning.Intent
    descriptor: object
    first: planning.Plan
    previous_sddl: str | None
    fresh: bool = False  # no LDAP operation since the read: the first write needs no re-read


def _read_owning(client, target: str, part: str, params: dict, check_mode: bool, result: dict):
    """The descriptor with ``part``; with take_ownership, an unreadable DACL makes the bind account the target's owner
    first (in check mode: None, planned as an empty DACL)."""
    try:
        return read_descriptor(client, target, part)
    except DescriptorUnreadable:
        if part != DACL or not params["take_ownership"]:
            raise
    result["owner_taken"] = True
    if check_mode:
        return None
    result["owner"] = take_ownership(client, target)
    return read_descriptor(client, target, part)


def _plan_part(client, target: str, part: str, intent, namer, params: dict, check_mode: bool, result: dict) -> _Part:
    descriptor = _read_owning(client, target, part, params, check_mode, result)
    current = getattr(descriptor, part) if descriptor is not None else Acl()
    previous = namer.dacl_sddl(descriptor) if descriptor is not None else None  # before write_acl changes the descriptor
    return _Part(part, intent, descriptor, planning.apply(intent, current), previous)


def _write(client, target: str, part: _Part, protection: bool):
    """Write, verify, and merge again after a concurrent change; returns the descriptor read last, whether this task
    wrote (not when a concurrent writer already made the change) and, with ``protection``, the protected accounts under
    ``target`` that the verifying read brought (None when this task did not write)."""
    intent, descriptor, first, name = part.intent, part.descriptor, part.first, part.name
    plan, reread = first, not part.fresh
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if reread:  # something ran since the plan's read: shorten the window a concurrent writer has
            latest = read_descriptor(client, target, name)
            if latest.encode() != descriptor.encode():  # changed since our read: plan on what is there now
                descriptor, plan = latest, planning.merge(intent, getattr(latest, name), first)
                if not plan.acl.modified:
                    return descriptor, False, None
        reread = True
        write_acl(client, target, descriptor, name, plan.acl)
        descriptor, protected = read_dacl_and_protected(client, target) if protection else (read_descriptor(client, target, name), None)
        if planning.satisfied(intent, getattr(descriptor, name)):
            return descriptor, True, protected
        if attempt < MAX_ATTEMPTS:  # a concurrent writer replaced the ACL after us: re-apply to what it left
            plan = planning.merge(intent, getattr(descriptor, name), first)
    raise MdiError(f"the {name.upper()} of {target} kept changing under concurrent writers; {MAX_ATTEMPTS} attempts did not leave the "
                   "ACEs in place. Run the task again", target=target)


def _protection_matters(target: str, part: _Part) -> bool:
    """Whether protected accounts (adminCount=1) under ``target`` need a warning: AdminSDHolder resets their DACL, so
    inherited DACL ACEs never reach them. Deleted objects are no accounts in use."""
    return (part.name == DACL and part.intent.state != "absent" and not in_deleted_objects(target)
            and any(ace.flags & (CONTAINER_INHERIT_ACE | OBJECT_INHERIT_ACE) for ace in part.intent.aces))


def _warn_protected(client, target: str, protected: list | None, warn) -> None:
    """Name the protected accounts under ``target``; ``protected`` None: not read yet (check mode, or another writer made
    the change), so search them."""
    if protected is None:
        protected = protected_accounts(client, target)
    if protected:
        shown = "; ".join(protected[:_SHOWN_PROTECTED]) + ("; ..." if len(protected) > _SHOWN_PROTECTED else "")
        warn(f"{len(protected)} protected accounts (adminCount=1) under {target} do not inherit these ACEs: AdminSDHolder "
             f"replaces their DACL every hour. They are: {shown}")


def _apply_part(client, target: str, part: _Part, sid: str, check_mode: bool, warn) -> tuple[list, bool]:
    """The principal's ACEs in ``part`` after the task, and whether it changed (or would); warns of protected accounts
    when it does (a rerun that changes nothing need not look for them)."""
    after, changed, protection = part.first.after, part.first.acl.modified, _protection_matters(target, part)
    protected = None
    if changed and not check_mode:
        final, changed, protected = _write(client, target, part, protection)
        after = planning.explicit_aces_of(getattr(final, part.name), sid)
    if changed and protection:
        _warn_protected(client, target, protected, warn)
    return after, changed


def ensure(client, params: dict, check_mode: bool, warn) -> dict:
    target = params["target"] or client.default_nc
    # The re-read before a write leaves a writer elsewhere a window of one round trip; a writer on this controller none.
    with nullcontext() if check_mode else controller_lock("acl", target):
        return _ensure(client, target, params, check_mode, warn)


def _ensure(client, target: str, params: dict, check_mode: bool, warn) -> dict:
    principal = resolve_principal(client, params["principal"])
    given: list = []
    wanted = split_by_part(desired_aces(client, params, principal.sid, given))
    namer = Namer(client)
    result: dict = {"owner_taken": False}
    parts = [_plan_part(client, target, name, planning.Intent(principal.sid, aces, params["state"]), namer, params, check_mode, result)
             for name, aces in wanted.items()]
    if result["owner_taken"] and check_mode:
        warn(f"the DACL of {target} is readable only after the bind account becomes its owner: check mode plans on an empty DACL")
    # After the size limits, before any write.
    looked_up = refuse_unknown_guids(client, given, [ace for part in parts for ace in part.first.added])
    parts[-1].fresh = len(parts) == 1 and not looked_up  # with two parts, the DACL's write comes after the SACL's read
    before, after, added, removed, changed = [], [], [], [], bool(result["owner_taken"])
    for part in parts:
        part_after, part_changed = _apply_part(client, target, part, principal.sid, check_mode, warn)
        part_added, part_removed = planning.changes(part.first.before, part_after) if part_changed else ([], [])
        before, after, added, removed = before + part.first.before, after + part_after, added + part_added, removed + part_removed
        changed = changed or part_changed
    namer.prefetch(before + after)
    sddl = {part.name: part.previous_sddl for part in parts}
    return {
        **result,
        "changed": changed,
        "target": target,
        "principal": principal.to_dict(),
        "before": [namer.describe(ace) for ace in before],
        "aces": [namer.describe(ace) for ace in after],
        "added": [namer.describe(ace) for ace in added],
        "removed": [namer.describe(ace) for ace in removed],
        "previous_dacl_sddl": sddl.get(DACL),
        "previous_sacl_sddl": sddl.get(SACL),
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

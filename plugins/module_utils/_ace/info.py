# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the ad_ace_info module's work (read only).

The SACL is read only when asked for (sacl=true), in a read of its own: it needs SeSecurityPrivilege, the DACL does not.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.directory import DACL, SACL, Namer, read_descriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.plan import explicit_aces_of
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.spec import AUDIT_FLAGS
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec, ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import AUDIT_ACE_TYPES, Ace
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SE_SACL_PROTECTED


def argument_spec() -> dict:
    return {"target": {"type": "str"}, "principal": {"type": "str"}, "sacl": {"type": "bool", "default": False},
            **ldap_connection_argument_spec()}


CONSTRAINTS: dict = {}


def _access(ace: Ace) -> str:
    if ace.is_allow:
        return "allow"
    return "deny" if ace.is_deny else "audit" if ace.ace_type in AUDIT_ACE_TYPES else "other"


def _explicit(acl, principal) -> list:
    return explicit_aces_of(acl, principal.sid) if principal else [ace for ace in acl if not ace.is_inherited]


def _listed(namer: Namer, aces: list) -> list:
    listed = []
    for ace in aces:
        item = namer.describe(ace)
        if isinstance(ace, Ace):
            item.update({"sid": ace.sid, "access": _access(ace)})
            if item["access"] == "audit":
                item["audit_flags"] = [name for name, bit in AUDIT_FLAGS.items() if ace.flags & bit]
        listed.append(item)
    return listed


def list_aces(client, params: dict) -> dict:
    target = params["target"] or client.default_nc
    descriptor = read_descriptor(client, target, DACL)
    principal = resolve_principal(client, params["principal"]) if params["principal"] else None
    aces = _explicit(descriptor.dacl, principal)
    namer = Namer(client)
    result = {"changed": False, "target": target, "principal": principal.to_dict() if principal else None,
              "dacl_sddl": namer.dacl_sddl(descriptor), "dacl_protected": descriptor.dacl_protected}
    if params.get("sacl"):
        audited = read_descriptor(client, target, SACL)
        audit_aces = _explicit(audited.sacl, principal)
        namer.prefetch(aces + audit_aces)
        result.update({"audit_aces": _listed(namer, audit_aces), "sacl_sddl": namer.dacl_sddl(audited),
                       "sacl_protected": bool(audited.control & SE_SACL_PROTECTED)})
    else:
        namer.prefetch(aces)
    result["aces"] = _listed(namer, aces)
    return result


def run(module) -> None:
    params = module.params
    try:
        with create_ldap_connection(**ldap_options(params)) as client:
            result = list_aces(client, params)
    except MdiError as exc:
        module.fail_json(msg=f"Failed to read the ACEs on {params['target'] or 'the domain root'}: {exc}", **exc.details)
    module.exit_json(**result)

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the ad_ace_info module's work (read only)."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.directory import Namer, read_descriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.plan import explicit_aces_of
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec, ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import Ace


def argument_spec() -> dict:
    return {"target": {"type": "str"}, "principal": {"type": "str"}, **ldap_connection_argument_spec()}


CONSTRAINTS: dict = {}


def list_aces(client, params: dict) -> dict:
    target = params["target"] or client.default_nc
    descriptor = read_descriptor(client, target)
    dacl = descriptor.dacl
    if params["principal"]:
        principal = resolve_principal(client, params["principal"])
        aces = explicit_aces_of(dacl, principal.sid)
    else:
        principal = None
        aces = [ace for ace in dacl if not ace.is_inherited]
    namer = Namer(client)
    namer.prefetch(aces)
    listed = []
    for ace in aces:
        item = namer.describe(ace)
        if isinstance(ace, Ace):
            item.update({"sid": ace.sid, "access": "allow" if ace.is_allow else "deny" if ace.is_deny else "other"})
        listed.append(item)
    return {"changed": False, "target": target, "principal": principal.to_dict() if principal else None, "aces": listed,
            "dacl_sddl": namer.dacl_sddl(descriptor), "dacl_protected": descriptor.dacl_protected}


def run(module) -> None:
    params = module.params
    try:
        with create_ldap_connection(**ldap_options(params)) as client:
            result = list_aces(client, params)
    except MdiError as exc:
        module.fail_json(msg=f"Failed to read the ACEs on {params['target'] or 'the domain root'}: {exc}", **exc.details)
    module.exit_json(**result)

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: ad_domain_info's reads - the domain and forest a domain controller
serves (from its rootDSE and the domain's crossRef), whether named objects exist, and the accounts named principals
are, for its action plugin.

Playbooks need the forest's configuration partition from the DC, not built from the domain's DN: in a child domain
CN=Configuration,<domain DN> does not exist (Microsoft's Set-MDIConfiguration makes that mistake).
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.functional_levels import level_name
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec, ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import Principal, PrincipalNotFound, resolve_principal

PLACEHOLDERS = ("domain", "configuration", "schema", "forest_root")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def argument_spec() -> dict:
    return {"objects": {"type": "list", "elements": "str", "default": []}, "principals": {"type": "list", "elements": "str", "default": []},
            **ldap_connection_argument_spec()}


CONSTRAINTS: dict = {}


def naming_contexts(client) -> dict:
    """Placeholder -> DN, from the rootDSE."""
    root = client.root_dse
    return {"domain": client.default_nc, "configuration": client.config_nc, "schema": client.schema_nc,
            "forest_root": root.text("rootDomainNamingContext") or client.default_nc}


def expand(index: int, text: str, contexts: dict) -> str:
    """``text`` with its placeholders replaced; an unknown placeholder or an empty DN is refused, naming the entry."""
    if not text.strip():
        raise MdiError(f"objects[{index}] is empty: give a DN, such as CN=ADFS,CN=Microsoft,CN=Program Data,{{domain}}")

    def replace(match) -> str:
        if match.group(1) not in contexts:
            raise MdiError(f"objects[{index}] {text!r} has the unknown placeholder {match.group(0)}: use "
                           + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS))
        return contexts[match.group(1)]

    return _PLACEHOLDER.sub(replace, text.strip())


def _level(client, attribute: str) -> dict:
    level = int(client.root_dse.text(attribute) or 0)
    return {"functional_level": level, "functional_level_name": level_name(level)}


def _probe(client, index: int, dn: str) -> dict:
    try:
        found = client.read(dn, ["objectClass"])
    except LdapError as exc:
        raise MdiError(f"objects[{index}] {dn!r}: {exc}", **exc.details) from exc
    return {"dn": dn, "exists": found is not None, "object_class": found.texts("objectClass")[-1] if found else None}


def _principal(client, index: int, name: str) -> dict:
    """The account ``name`` is; one that does not exist is an answer (found false), a name that fits two accounts is not."""
    try:
        return {"name": name, "found": True, **resolve_principal(client, name).to_dict()}
    except PrincipalNotFound as exc:
        return {"name": name, "found": False, **Principal.none_dict(), "reason": str(exc)}
    except LdapError as exc:
        raise MdiError(f"principals[{index}] {name!r}: {exc}", **exc.details) from exc


def report(client, objects: list, principals: list) -> dict:
    contexts = naming_contexts(client)
    wanted = [expand(index, text, contexts) for index, text in enumerate(objects)]  # all checked before any search
    domain = client.domain
    return {
        "domain": {"dn": domain.dn, "dns_name": domain.dns, "netbios_name": domain.netbios, "sid": domain.sid,
                   **_level(client, "domainFunctionality")},
        "forest": {"root_domain_dn": contexts["forest_root"], "configuration_dn": contexts["configuration"],
                   "schema_dn": contexts["schema"], **_level(client, "forestFunctionality")},
        "domain_controller": {"dns_host_name": client.dns_host_name, "server_dn": client.root_dse.text("serverName")},
        "objects": [_probe(client, index, dn) for index, dn in enumerate(wanted)],
        "principals": [_principal(client, index, name) for index, name in enumerate(principals)],
    }


def run(module) -> None:
    """Entry point for the action plugin; ends with exit_json or fail_json."""
    try:
        with create_ldap_connection(**ldap_options(module.params)) as client:
            result = report(client, module.params["objects"], module.params["principals"])
    except MdiError as exc:
        module.fail_json(msg=f"Failed to read the domain: {exc}", **exc.details)
    module.exit_json(changed=False, **result)

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: read the domain side of an action account over LDAP,
changing nothing, for the action_account_info module. Reads the directory afresh; it shares only the
codecs (descriptors, SIDs) and the definition of the MDI preset with the modules that write."""
from __future__ import annotations

import datetime

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.directory import read_descriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._gmsa.account import OBJECT_CLASS, UF_ACCOUNTDISABLE, encryption_names
from ansible_collections.mdi.action_accounts.plugins.module_utils._gmsa.retrieval import non_dc_reason
from ansible_collections.mdi.action_accounts.plugins.module_utils._kds.task import list_keys
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import domain_info
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import PrincipalNotFound, resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import Ace
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.gmsa_membership import allowed_principals
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_to_sddl

try:
    from ldap3.utils.conv import escape_filter_chars
except ImportError:  # reported by connection.create_ldap_connection, which runs first
    pass

ACCOUNT_ATTRIBUTES = ["objectClass", "objectSid", "userAccountControl", "msDS-SupportedEncryptionTypes", "msDS-GroupMSAMembership"]
GROUP_ACE_INDEX = 3  # the preset's last ACE: read/write member on groups


def read_account(client, name: str):
    """``(account dict or None, membership bytes or None)`` of the gMSA ``name`` (with or without ``$``)."""
    sam = name if name.endswith("$") else name + "$"
    found = client.search(client.default_nc, f"(sAMAccountName={escape_filter_chars(sam)})", ACCOUNT_ATTRIBUTES)
    found = [e for e in found if OBJECT_CLASS.lower() in (c.lower() for c in e.texts("objectClass"))]
    if not found:
        return None, None
    entry = found[0]
    uac = entry.integer("userAccountControl") or 0
    account = {"dn": entry.dn, "sid": entry.sid(), "enabled": not uac & UF_ACCOUNTDISABLE,
               "kerberos_encryption_types": encryption_names(entry.integer("msDS-SupportedEncryptionTypes"))}
    return account, entry.first("msDS-GroupMSAMembership")


def read_retrieval(client, membership: bytes | None) -> list[dict]:
    principals = []
    for sid in allowed_principals(membership) if membership else []:
        try:
            principal = resolve_principal(client, sid)
        except PrincipalNotFound:
            principals.append({"sid": sid, "name": None, "reason": f"{sid} does not resolve to an account of the domain"})
            continue
        principals.append({"sid": sid, "name": principal.name, "reason": non_dc_reason(client, principal)})
    return principals


def read_delegation(client, sid: str | None, targets: list[str], include_groups: bool) -> list[dict]:
    """Per target, the SDDL of the preset's ACEs that the target's DACL lacks as explicit ACEs; ``missing`` is None when
    there is no account to look for."""
    results = []
    for target in targets or [client.default_nc]:
        if sid is None:
            results.append({"target": target, "missing": None})
            continue
        expected = mdi_action_account_aces(sid)
        if not include_groups:
            del expected[GROUP_ACE_INDEX]
        explicit = {ace.encode() for ace in read_descriptor(client, target).dacl
                    if isinstance(ace, Ace) and not ace.is_inherited}
        results.append({"target": target, "missing": [ace_to_sddl(ace, domain_info(client).sid) for ace in expected if ace.encode() not in explicit]})
    return results


def read_domain(client, name: str, targets: list[str], include_groups: bool, now: datetime.datetime) -> dict:
    account, membership = read_account(client, name)
    return {
        "kds_root_keys": list_keys(client, now),
        "account": account,
        "retrieval_principals": read_retrieval(client, membership),
        "delegation": read_delegation(client, account["sid"] if account else None, targets, include_groups),
    }

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: who may retrieve the action account's password.

Microsoft's advice for MDI action accounts: only domain controllers. A server that can retrieve the
password and is compromised hands the attacker an account that resets passwords and disables users.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import PRINCIPAL_ATTRIBUTES, domain_info

try:
    from ldap3.utils.conv import escape_filter_chars
except ImportError:  # reported by connection.create_ldap_connection, which runs first
    pass

UF_SERVER_TRUST_ACCOUNT = 0x2000  # a writable DC's computer account
UF_PARTIAL_SECRETS_ACCOUNT = 0x4000000  # a read-only DC's computer account
# The domain controllers' groups, defined once for every module that asks who may retrieve a password (_dsa/checks.py too).
ENTERPRISE_DOMAIN_CONTROLLERS = "S-1-5-9"
DOMAIN_CONTROLLERS_RID, READ_ONLY_DOMAIN_CONTROLLERS_RID = 516, 521
DC_GROUP_RIDS = (DOMAIN_CONTROLLERS_RID, READ_ONLY_DOMAIN_CONTROLLERS_RID)
IN_CHAIN = "1.2.840.113556.1.4.1941"


def _is_dc_computer(uac: int) -> bool:
    return bool(uac & (UF_SERVER_TRUST_ACCOUNT | UF_PARTIAL_SECRETS_ACCOUNT))


def non_dc_reason(client, principal) -> str | None:
    """None when `principal` only ever covers domain controllers, else why it does not."""
    domain = domain_info(client)
    if principal.sid == ENTERPRISE_DOMAIN_CONTROLLERS or principal.sid in (f"{domain.sid}-{rid}" for rid in DC_GROUP_RIDS):
        return None
    if principal.is_a("computer"):
        return None if _is_dc_computer(principal.user_account_control) else f"{principal.name} is a computer that is not a domain controller"
    if not principal.is_a("group"):
        return f"{principal.name} is not a domain controller (object class {principal.object_classes[-1] if principal.object_classes else '?'})"
    # Every member at any depth, plus accounts that have the group as primary group.
    members = client.search(domain.dn, f"(memberOf:{IN_CHAIN}:={escape_filter_chars(principal.dn)})", PRINCIPAL_ATTRIBUTES)
    rid = principal.sid.rsplit("-", 1)[-1]
    members += client.search(domain.dn, f"(primaryGroupID={rid})", PRINCIPAL_ATTRIBUTES)
    outsiders = sorted({m.text("sAMAccountName") or m.dn for m in members
                        if "group" not in [c.lower() for c in m.texts("objectClass")]
                        and not ("computer" in [c.lower() for c in m.texts("objectClass")] and _is_dc_computer(m.integer("userAccountControl") or 0))})
    if outsiders:
        return f"group {principal.name} contains accounts that are not domain controllers: {', '.join(outsiders)}"
    return None

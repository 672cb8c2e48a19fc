# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: directory_service_account_info's reads, for its action plugin.

Test-MDIDSA runs on Windows in the caller's own domain (dsacls, Test-ADServiceAccount); the same questions are asked
here over LDAP from the controller. The account's groups come from its tokenGroups (every security group it is in,
nested ones and its primary group's too), so one read replaces Test-MDIDSA's member chain search.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._dsa import checks
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec, ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import PrincipalNotFound, resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import DACL_SECURITY_INFORMATION, SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SecurityDescriptorError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.gmsa_membership import parse_membership
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_from_bytes

try:
    from ldap3.protocol.microsoft import security_descriptor_control
    from ldap3.utils.conv import escape_filter_chars
except ImportError:  # connection.py reports the missing library; no client exists without it
    security_descriptor_control = escape_filter_chars = None

SHOW_DELETED_OID = "1.2.840.113556.1.4.417"  # CN=Deleted Objects is visible only with it
DELEGATION_FILTER = "(|(objectClass=domain)(objectClass=organizationalUnit)(objectClass=group))"
GMSA_CLASS = "msDS-GroupManagedServiceAccount"
CHECKS = ("account_exists", "sensitive_groups", "explicit_delegation", "manager_of", "deleted_objects", "password_retrieval")


def argument_spec() -> dict:
    return {"name": {"type": "str", "required": True}, **ldap_connection_argument_spec()}


CONSTRAINTS: dict = {}


def _dacl_control():
    return security_descriptor_control(sdflags=DACL_SECURITY_INFORMATION)


def _descriptor(entry) -> SecurityDescriptor | None:
    raw = entry.first("nTSecurityDescriptor") if entry is not None else None
    try:
        return SecurityDescriptor.parse(raw) if raw else None
    except SecurityDescriptorError:
        return None


def _groups(client, entry, principal) -> dict:
    """SID -> name of the account's security groups; only the sensitive ones are named (one search each)."""
    sids = {sid_from_bytes(value) for value in entry.values("tokenGroups")}
    return {sid: resolve_principal(client, sid).name if checks.is_sensitive(sid) else sid for sid in sids if sid != principal.sid}


def _delegated(client, sids: set) -> list:
    found = client.search(client.default_nc, DELEGATION_FILTER, ["nTSecurityDescriptor"], controls=_dacl_control())
    return [e.dn for e in found if (d := _descriptor(e)) is not None and checks.explicit_allows(d, sids)]


def _managed(client, dn: str) -> list:
    escaped = escape_filter_chars(dn)
    return [e.dn for e in client.search(client.default_nc, f"(|(managedBy={escaped})(manager={escaped}))", ["cn"])]


def _deleted_objects_mask(client, container: str, sids: set) -> int | None:
    entry = client.read(container, ["nTSecurityDescriptor"], controls=_dacl_control() + [(SHOW_DELETED_OID, True, None)])
    descriptor = _descriptor(entry)
    return None if descriptor is None else checks.granted_mask(descriptor, sids)


def report(client, name: str) -> dict:
    try:
        principal = resolve_principal(client, name)
    except PrincipalNotFound as exc:
        missing = [checks.row("account_exists", False, f"{exc}", checks.STATE_VAR)]
        missing += [checks.row(check, False, "not checked: the account does not exist", checks.STATE_VAR) for check in CHECKS[1:]]
        return {"account": None, "checks": missing}
    is_gmsa = principal.is_a(GMSA_CLASS)
    if not is_gmsa and (not principal.is_a("user") or principal.is_a("computer")):
        raise MdiError(f"{name} is {principal.name}, a {principal.object_classes[-1]}: name a user account or a gMSA")
    entry = client.read(principal.dn, ["tokenGroups", "primaryGroupID", "msDS-GroupMSAMembership"])
    domain = client.domain
    groups = _groups(client, entry, principal)
    primary = f"{domain.sid}-{entry.integer('primaryGroupID')}"
    # Test-MDIDSA follows member links, so the primary group (Domain Users, Domain Computers) is not the account's delegation
    trustees = {principal.sid, *groups} - {primary}
    membership = parse_membership(entry.first("msDS-GroupMSAMembership")) if is_gmsa and entry.first("msDS-GroupMSAMembership") else None
    container = f"CN=Deleted Objects,{domain.dn}"
    rows = [
        checks.row("account_exists", True, f"{principal.name} is {principal.dn}"),
        checks.sensitive_groups(principal.name, groups),
        checks.explicit_delegation(principal.name, _delegated(client, trustees)),
        checks.manager_of(principal.name, _managed(client, principal.dn)),
        checks.deleted_objects(principal.name, container, _deleted_objects_mask(client, container, {principal.sid, *groups})),
        checks.password_retrieval(principal.name, is_gmsa, membership.principals if membership else (), membership.denied if membership else (),
                                  domain.sid),
    ]
    account = {"name": principal.name, "dn": principal.dn, "sid": principal.sid, "kind": "gmsa" if is_gmsa else "user"}
    return {"account": account, "checks": rows}


def run(module) -> None:
    """Entry point for the action plugin; ends with exit_json or fail_json."""
    params = module.params
    try:
        with create_ldap_connection(**ldap_options(params)) as client:
            result = report(client, params["name"])
    except MdiError as exc:
        module.fail_json(msg=f"Failed to check the Directory Service account {params['name']!r}: {exc}", **exc.details)
    module.exit_json(changed=False, passed=all(r["status"] == "PASS" for r in result["checks"]), **result)

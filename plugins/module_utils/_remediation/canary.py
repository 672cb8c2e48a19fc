# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the remediation_canary module's work - prove that MDI can disable,
enable and force a password reset on a canary user, each effect read back over LDAP, then leave the canary as it was
found, and say why when an action does not show.

The canary is created (if asked and missing) over LDAP, enabled, with a random password nobody is told; it is kept,
so that MDI's sensors can learn it before the next run. Restoring goes over LDAP with the module's own bind, not
through MDI: the proof is over by then. pwdLastSet can only be written as 0 or -1 (now), so an original timestamp
comes back as "now".
"""
from __future__ import annotations

import secrets
import string

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import PrincipalNotFound
from ansible_collections.mdi.action_accounts.plugins.module_utils._remediation import diagnosis
from ansible_collections.mdi.action_accounts.plugins.module_utils._remediation import task as remediation
from ansible_collections.mdi.action_accounts.plugins.module_utils._remediation.state import UF_ACCOUNTDISABLE

try:
    from ldap3 import MODIFY_REPLACE
    from ldap3.utils.dn import escape_rdn
except ImportError:  # reported by create_ldap_connection, which runs first
    MODIFY_REPLACE = escape_rdn = None

USER_CLASSES = ["top", "person", "organizationalPerson", "user"]
UF_NORMAL_ACCOUNT = 0x200


def argument_spec() -> dict:
    spec = remediation.argument_spec()
    for name in ("account", "action", "wait"):
        del spec[name]
    return {"account": {"type": "str", "required": True}, "create": {"type": "bool", "default": False}, "path": {"type": "str"},
            "context": {"type": "dict", "default": {}}, **spec}


CONSTRAINTS: dict = {}


def _password() -> str:
    alphabet = string.ascii_letters + string.digits + "-_.!"
    return "Mdi1-" + "".join(secrets.choice(alphabet) for _position in range(28))


def _create(client, name: str, path: str | None) -> str:
    dn = f"CN={escape_rdn(name)},{path or 'CN=Users,' + client.default_nc}"  # AD's own default container for users
    password = ('"' + _password() + '"').encode("utf-16-le")
    client.add(dn, USER_CLASSES, {"sAMAccountName": name, "userPrincipalName": f"{name}@{client.domain.dns}",
                                  "unicodePwd": password, "userAccountControl": UF_NORMAL_ACCOUNT,
                                  "description": "MDI remediation canary (mdi.action_accounts verify role)"})
    return dn


def _canary(remediator, params: dict, check_mode: bool):
    """(principal, created?)"""
    try:
        return remediator.user(params["account"]), False
    except PrincipalNotFound:
        if not params["create"]:
            raise MdiError(f"the canary {params['account']} does not exist; create it, or set create=true") from None
    if check_mode:
        raise MdiError(f"the canary {params['account']} does not exist yet; check mode does not create it")
    _create(remediator.client, params["account"], params.get("path"))
    return remediator.user(params["account"]), True


def _steps(found: dict) -> list[str]:
    """Disable and enable in the order that ends where it started, then the reset."""
    first = ["disable", "enable"] if found["enabled"] else ["enable", "disable"]
    return [*first, "force_password_reset"]


def _restore(client, dn: str, found: dict) -> str:
    now = remediation.read_state(client, dn)
    uac = now["user_account_control"] & ~UF_ACCOUNTDISABLE | (0 if found["enabled"] else UF_ACCOUNTDISABLE)
    changes = {}
    if uac != now["user_account_control"]:
        changes["userAccountControl"] = [(MODIFY_REPLACE, [str(uac)])]
    wanted = "0" if found["must_change_password"] else "-1"
    if wanted != "0" or not now["must_change_password"]:
        changes["pwdLastSet"] = [(MODIFY_REPLACE, [wanted])]
    if changes:
        client.modify(dn, changes)
    state = "enabled" if found["enabled"] else "disabled"
    if found["must_change_password"]:
        return f"{state}, must change its password at next logon, as found"
    return f"{state} as found; pwdLastSet set to now (AD takes only 0 or -1, so the original time cannot come back)"


def prove(params: dict, check_mode: bool, warn) -> dict:
    remediation.check_wait_timeout(params)
    with create_ldap_connection(**ldap_options(params)) as client:
        remediator = remediation.Remediator(client, params, warn)
        principal, created = _canary(remediator, params, check_mode)
        found = remediator.state(principal)
        result = {"changed": created, "canary": {"dn": principal.dn, "sid": principal.sid, "created": created, "found": found},
                  "steps": [], "diagnosis": []}
        if check_mode:
            return {**result, "ok": None, "msg": f"would disable, enable and reset {principal.name} through MDI"}
        if found["must_change_password"]:
            client.modify(principal.dn, {"pwdLastSet": [(MODIFY_REPLACE, ["-1"])]})  # so the reset can be seen
        failure = None
        try:
            for action in _steps(found):
                step = remediator.act(principal, action)
                result["changed"] = True
                result["steps"].append({"action": action, "ok": True, "seconds_to_effect": step["seconds_to_effect"],
                                        "correlation_id": step["correlation_id"]})
        except MdiError as exc:
            failure = {"action": action, "ok": False, "msg": str(exc), "correlation_id": exc.details.get("correlation_id")}
            result["steps"].append(failure)
        finally:
            result["canary"]["restored"] = _restore(client, principal.dn, found)
        if failure:
            if failure["correlation_id"]:  # MDI took the action and no effect showed: find the broken step
                result["diagnosis"] = diagnosis.diagnose({"domain": client.domain.dns, **params["context"]}, principal.dn, found["protected"])
            return {**result, "ok": False, "msg": f"{failure['action']} of {principal.name} failed: {failure['msg']}"}
        timings = ", ".join(f"{s['action'].replace('_', ' ')} in {s['seconds_to_effect']} s" for s in result["steps"])
        return {**result, "ok": True, "msg": f"{timings}; {principal.name} left {result['canary']['restored']}"}


def run(module) -> None:
    remediation.run_with(module, prove, f"prove MDI remediation on {module.params['account']}")

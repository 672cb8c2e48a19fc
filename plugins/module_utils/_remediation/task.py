# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the identity_account_action module's work.

The account is resolved and read over LDAP (its SID, its state), found in MDI through Graph, the action asked for,
and then AD is watched until the effect shows: Graph's 200 only says MDI accepted the action, a sensor on a domain
controller carries it out later, or fails to, and Graph has no status for it.
"""
from __future__ import annotations

import time

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import identity_accounts as ia
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.options import graph_auth_argument_spec, http_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.tasks import graph_client, missing_library
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec, ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._remediation import state as st

POLL_SECONDS = 1.0
# Looked up at call time, so tests can put a simulated clock in their place.
_clock, _sleep = time.monotonic, time.sleep
# Graph's HTTP options carry a graph_ prefix here: ca_cert, validate_certs and timeout are the LDAP connection's.
GRAPH_HTTP_OPTIONS = {f"graph_{name}": name for name in ("ca_cert", "validate_certs", "timeout", "retries")}


def argument_spec() -> dict:
    graph_http = {f"graph_{name}": spec for name, spec in http_argument_spec().items()}
    graph_http["graph_ca_cert"] = {"type": "path", "fallback": graph_http["graph_ca_cert"]["fallback"]}
    return {
        "account": {"type": "str", "required": True},
        "action": {"type": "str", "required": True, "choices": list(ia.ACTIONS)},
        "wait": {"type": "bool", "default": True},
        "wait_timeout": {"type": "int", "default": 300},
        **ldap_connection_argument_spec(), **graph_auth_argument_spec(), **graph_http,
    }


CONSTRAINTS: dict = {}


def _graph_params(params: dict) -> dict:
    return {**params, **{plain: params[prefixed] for prefixed, plain in GRAPH_HTTP_OPTIONS.items()}}


def read_state(client, dn: str) -> dict:
    entry = client.read(dn, st.ATTRIBUTES)
    if entry is None:
        raise MdiError(f"{dn} disappeared from the directory")
    return st.account_state(entry.integer("userAccountControl"), entry.integer("pwdLastSet"), entry.integer("adminCount"))


def _wait(client, dn: str, action: str, timeout: int) -> tuple[dict, float | None]:
    """(the state when the effect showed, seconds until then), or (the last state, None) at the timeout."""
    started = _clock()
    while True:
        now = read_state(client, dn)
        elapsed = _clock() - started
        if st.effect_visible(action, now):
            return now, round(elapsed, 1)
        if elapsed >= timeout:
            return now, None
        _sleep(POLL_SECONDS)


class Remediator:
    """MDI actions on AD users over one LDAP connection and one Graph client (a single sign-in for several actions)."""

    def __init__(self, client, params: dict, warn):
        self.client, self.params, self.warn = client, params, warn
        self._graph = None

    @property
    def graph(self):
        if self._graph is None:
            self._graph = graph_client(_graph_params(self.params), option_prefix="graph_")
        return self._graph

    def user(self, name: str):
        principal = resolve_principal(self.client, name)
        if not principal.is_a("user") or principal.is_a("computer"):
            raise MdiError(f"{principal.name} is not a user account: MDI's actions disable, enable and reset users")
        return principal

    def state(self, principal) -> dict:
        return read_state(self.client, principal.dn)

    def act(self, principal, action: str, check_mode: bool = False, wait: bool = True) -> dict:
        """One action: asked of MDI unless already done, then (with wait) watched until AD shows it; MdiError when it does not."""
        before = self.state(principal)
        result = {"account": principal.to_dict(), "action": action, "before": before, "after": before,
                  "correlation_id": None, "seconds_to_effect": None}
        if before["protected"]:
            self.warn(f"{principal.name} is a protected account (adminCount=1): AdminSDHolder's permissions apply to it, not the"
                      " ones delegated to the action account, so MDI may not be able to act on it")
        if st.already_done(action, before):
            return {**result, "changed": False, "msg": f"{principal.name} is already {'disabled' if action == 'disable' else 'enabled'}"}
        identity = ia.pick_identity(self.graph.identity_accounts_by_sid(principal.sid, principal.name), principal.sid, principal.name)
        account = ia.ad_account(identity)
        result.update(identity_id=identity["id"], account_id=account["identifier"])
        if check_mode:
            return {**result, "changed": True, "msg": f"would ask MDI to {action} {principal.name}"}
        invoked = self.graph.invoke_action(identity["id"], ia.invoke_payload(account["identifier"], action), principal.name)
        result.update(changed=True, correlation_id=invoked["correlation_id"])
        if not st.observable(action, before):
            self.warn(f"{principal.name} already had to change its password at next logon (pwdLastSet 0): AD cannot show this reset")
        if not wait or not st.observable(action, before):
            return {**result, "msg": f"MDI accepted the action (correlation ID {invoked['correlation_id']}); not waited for"}
        after, seconds = _wait(self.client, principal.dn, action, self.params["wait_timeout"])
        result.update(after=after, seconds_to_effect=seconds)
        if seconds is None:
            raise MdiError(f"MDI accepted the action (correlation ID {invoked['correlation_id']}) but AD did not show it within"
                           f" {self.params['wait_timeout']} s: the sensor could not carry it out. Run verify.yml with"
                           " verify_remediation_canary to find which step is broken", result)
        return {**result, "msg": f"{action} of {principal.name} seen in AD after {seconds} s"}


def check_wait_timeout(params: dict) -> None:
    if params["wait_timeout"] < 1:
        raise MdiError(f"wait_timeout must be at least 1 second, not {params['wait_timeout']}")


def act(params: dict, check_mode: bool, warn) -> dict:
    check_wait_timeout(params)
    with create_ldap_connection(**ldap_options(params)) as client:
        remediator = Remediator(client, params, warn)
        return remediator.act(remediator.user(params["account"]), params["action"], check_mode, params["wait"])


def run_with(module, work, what: str) -> None:
    """End the module with ``work(params, check_mode, warn)``'s result; the collection's failure message otherwise."""
    missing = missing_library(msal=True)
    if missing:
        module.fail_json(msg=missing_required_lib(missing[0]), exception=missing[1])
    try:
        result = work(module.params, module.check_mode, module.warn)
    except MdiError as exc:
        module.fail_json(msg=f"Failed to {what}: {exc}", **exc.details)
    module.exit_json(**result)


def run(module) -> None:
    params = module.params
    run_with(module, act, f"{params['action'].replace('_', ' ')} {params['account']} through MDI")

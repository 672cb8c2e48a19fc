# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the cloud modules' backends.

run_action_account(module) / run_sensor_info(module) / run_action_identity(module) are what a module's main() and
its action plugin call (``module``: AnsibleModule or the action base's look-alike); action_account() / sensor_info() /
action_identity() / graph_client() take validated options and return results, for those and for the inventory plugin.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import action_account as aa
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import health, identity
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.auth import HAS_MSAL, MSAL_IMPORT_ERROR, TokenProvider
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError, failure_message
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.graph import GraphClient
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.http import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, HttpClient
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.options import (
    GRAPH_AUTH_OPTION_NAMES, HTTP_OPTION_NAMES, PORTAL_OPTION_NAMES, pick)
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.portal import PortalClient


def missing_library(msal: bool = False) -> tuple[str, str] | None:
    """(name, import traceback) of the first Python library the controller lacks, or None."""
    if not HAS_REQUESTS:
        return "requests", REQUESTS_IMPORT_ERROR
    if msal and not HAS_MSAL:
        return "msal", MSAL_IMPORT_ERROR
    return None


def graph_client(params: dict, option_prefix: str = "") -> GraphClient:
    """``option_prefix``: "graph_" for modules whose HTTP options carry it (their ca_cert is the LDAP connection's)."""
    http = HttpClient(**pick(params, HTTP_OPTION_NAMES), option_prefix=option_prefix)
    auth = pick(params, GRAPH_AUTH_OPTION_NAMES)
    return GraphClient(http, TokenProvider(http, **auth), auth["graph_url"])


def sensor_info(params: dict) -> dict:
    graph = graph_client(params)
    result = {"changed": False, "sensors": graph.sensors()}
    if params.get("health_issues"):
        result["health_issues"] = graph.health_issues()
    return result


def health_info(params: dict) -> dict:
    issues = [{**issue, "kind": health.kind(issue)} for issue in graph_client(params).health_issues()]
    chosen = health.select(issues, params["status"], params["domains"], params["sensors"], params["severities"], params["types"],
                           params.get("kinds") or ())
    return {"changed": False, "health_issues": chosen, "summary": health.summary(chosen)}


def _graph_configured(params: dict) -> bool:
    return bool(params.get("managed_identity") or (params.get("tenant_id") and params.get("client_id")))


def tenant_sensors(params: dict) -> tuple[list | None, str | None, str | None]:
    """(the tenant's sensors with their migration_state, why they could not be read, why the migration list could not).

    ``sensors`` given in the options wins; otherwise Graph is asked when credentials are configured.
    """
    if params.get("sensors") is not None:
        return params["sensors"], None, None
    if not _graph_configured(params):
        return None, "no sensors given and no Microsoft Graph credentials (tenant_id and client_id, or managed_identity)", None
    if missing_library(msal=True):
        return None, f"the Python library {missing_library(msal=True)[0]} is not installed on the controller", None
    graph = graph_client(params)
    try:
        sensors = graph.sensors()
    except CloudError as exc:
        return None, failure_message(exc, "list MDI sensors"), None
    if params.get("migration") is False:
        return sensors, None, "not asked (migration=false)"
    try:
        migrations = graph.sensor_migrations()
    except CloudError as exc:  # beta, and a permission of its own: best effort
        return sensors, None, failure_message(exc, "list MDI sensor migrations")
    return identity.merge_migration(sensors, migrations), None, None


def _portal_configured(params: dict) -> bool:
    return bool(params.get("portal_sccauth") and params.get("portal_xsrf_token"))


def _portal(params: dict) -> PortalClient:
    return PortalClient(HttpClient(**pick(params, HTTP_OPTION_NAMES)), **pick(params, PORTAL_OPTION_NAMES))


def action_identity(params: dict, warn=None) -> dict:
    """The tenant's response-action identity and why; with a portal session, also whether the portal matches it."""
    decision = identity.decide(params["identity"], *tenant_sensors(params))
    for text in decision.pop("warnings"):
        if warn:
            warn(text)
    result = {"changed": False, **decision}
    if _portal_configured(params):
        portal = _portal(params)
        accounts, local_system = portal.accounts(), portal.local_system()
        result["portal"] = {"accounts": accounts, "local_system": local_system}
        result["configuration"] = identity.configuration_check(decision, accounts, local_system)
    return result


def _guard(params: dict, desired: aa.Desired, turns_local_system_off: bool) -> list[str]:
    """identity.guard() with the sensors read only when the change needs the check."""
    if not (desired.registers_gmsa or turns_local_system_off):
        return []
    sensors, unreadable, _migration = tenant_sensors(params)
    return identity.guard(desired.registers_gmsa, turns_local_system_off, sensors, unreadable)


def _portal_home(portal_url: str) -> str:
    parts = urlsplit(portal_url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "https://security.microsoft.com"


def action_account(params: dict, check_mode: bool = False, warn=None) -> dict:
    """``warn(text)`` receives warnings (a module's warn method)."""
    desired = aa.Desired.from_params(params)
    if params.get("mode") == "manual":
        warnings = _guard(params, desired, desired.use_local_system is False)
        steps = aa.manual_steps(desired, _portal_home(params.get("portal_url")))
        _warn(warn, warnings)
        return {"changed": False, "mode": "manual", "manual_steps": steps,
                "msg": f"Nothing was changed: follow manual_steps in the Defender portal for {desired.id}."}
    portal = _portal(params)
    plan = aa.plan(desired, portal.accounts(), portal.local_system())
    warnings = _guard(params, desired, plan.local_system is False)  # raises before any change
    removed = [a for a in plan.before_accounts if a["id"] in plan.remove]
    accounts, local_system = plan.after_accounts, plan.after_local_system
    if plan.changed and not check_mode:
        _apply(portal, plan)
        accounts, local_system = portal.accounts(), portal.local_system()
        aa.verify(plan, desired, accounts, local_system)
    if desired.identity == "local_system":
        warnings += [aa.restore_hint(a, check_mode) for a in removed]
    _warn(warn, warnings + plan.warnings())
    result = {"changed": plan.changed, "mode": "api", "accounts": accounts, "local_system": local_system, "actions": plan.describe(),
              "diff": plan.diff()}
    if desired.identity == "local_system":
        result["removed"] = [{**a, "restore": aa.restore_hint(a, check_mode)} for a in removed]
    return result


def _warn(warn, texts: list[str]) -> None:
    for text in texts:
        if warn:
            warn(text)


def _apply(portal: PortalClient, plan: aa.Plan) -> None:
    for kind, value in plan.steps:
        try:
            if kind == "add":
                portal.add(value)
            elif kind == "remove":
                portal.delete(value)
            else:
                portal.set_local_system(value)
        except CloudError as exc:
            # A retried request may already have done its work: "exists" / "not found" are then success.
            # aa.verify() re-reads the portal afterwards, so a moved endpoint cannot pass for this.
            if (kind, exc.status) not in (("add", 409), ("remove", 404)):
                raise


def run_backend(module, backend, default_action: str, msal: bool) -> None:
    """Run ``backend()`` and end the module with its result, or with the collection's failure message."""
    missing = missing_library(msal=msal)
    if missing:
        module.fail_json(msg=missing_required_lib(missing[0]), exception=missing[1])
    try:
        result = backend()
    except CloudError as exc:
        module.fail_json(msg=failure_message(exc, default_action), **exc.details)
    module.exit_json(**result)


def run_action_account(module) -> None:
    run_backend(module, lambda: action_account(module.params, check_mode=module.check_mode, warn=module.warn),
                "manage the MDI action account", msal=False)


def run_action_identity(module) -> None:
    run_backend(module, lambda: action_identity(module.params, warn=module.warn), "decide the response-action identity", msal=False)


def run_health_info(module) -> None:
    run_backend(module, lambda: health_info(module.params), "list MDI health issues", msal=True)


def run_sensor_info(module) -> None:
    run_backend(module, lambda: sensor_info(module.params), "list MDI sensors", msal=True)

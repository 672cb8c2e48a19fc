# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the cloud modules' backends.

run_action_account(module) / run_sensor_info(module) are what a module's main() and its action plugin call
(``module``: AnsibleModule or the action base's look-alike); action_account() / sensor_info() / graph_client()
take validated options and return results, for those and for the inventory plugin.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import action_account as aa
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


def graph_client(params: dict) -> GraphClient:
    http = HttpClient(**pick(params, HTTP_OPTION_NAMES))
    auth = pick(params, GRAPH_AUTH_OPTION_NAMES)
    return GraphClient(http, TokenProvider(http, **auth), auth["graph_url"])


def sensor_info(params: dict) -> dict:
    graph = graph_client(params)
    result = {"changed": False, "sensors": graph.sensors()}
    if params.get("health_issues"):
        result["health_issues"] = graph.health_issues()
    return result


def _portal_home(portal_url: str) -> str:
    parts = urlsplit(portal_url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "https://security.microsoft.com"


def action_account(params: dict, check_mode: bool = False, warn=None) -> dict:
    """``warn(text)`` receives warnings (a module's warn method)."""
    desired = aa.Desired.from_params(params)
    if params.get("mode") == "manual":
        steps = aa.manual_steps(desired, _portal_home(params.get("portal_url")))
        return {"changed": False, "mode": "manual", "manual_steps": steps,
                "msg": f"Nothing was changed: follow manual_steps in the Defender portal for {desired.id}."}
    portal = PortalClient(HttpClient(**pick(params, HTTP_OPTION_NAMES)), **pick(params, PORTAL_OPTION_NAMES))
    plan = aa.plan(desired, portal.accounts(), portal.local_system())
    accounts, local_system = plan.after_accounts, plan.after_local_system
    if plan.changed and not check_mode:
        _apply(portal, plan)
        accounts, local_system = portal.accounts(), portal.local_system()
        aa.verify(plan, desired, accounts, local_system)
    for text in plan.warnings():
        if warn:
            warn(text)
    return {"changed": plan.changed, "mode": "api", "accounts": accounts, "local_system": local_system, "actions": plan.describe(),
            "diff": plan.diff()}


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


def _run(module, backend, default_action: str, msal: bool) -> None:
    missing = missing_library(msal=msal)
    if missing:
        module.fail_json(msg=missing_required_lib(missing[0]), exception=missing[1])
    try:
        result = backend()
    except CloudError as exc:
        module.fail_json(msg=failure_message(exc, default_action), **exc.details)
    module.exit_json(**result)


def run_action_account(module) -> None:
    _run(module, lambda: action_account(module.params, check_mode=module.check_mode, warn=module.warn),
         "manage the MDI action account", msal=False)


def run_sensor_info(module) -> None:
    _run(module, lambda: sensor_info(module.params), "list MDI sensors", msal=True)

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: MDI identity accounts and their remediation actions in
Microsoft Graph v1.0, without any I/O (GraphClient in graph.py does the calls).

GET  /security/identities/identityAccounts?$filter=onPremisesSecurityIdentifier eq '<SID>' (SecurityIdentitiesAccount.Read.All)
POST /security/identities/identityAccounts/{id}/invokeAction (SecurityIdentitiesActions.ReadWrite.All)

Microsoft's own examples contradict the schema (graph-identities notes, section 7): accounts[] entries with
"provider": "ActiveDirectory" instead of "identityProvider": "activeDirectory", "Enable" for "enable", single
results wrapped in "value". Both shapes are read; the schema's is sent. accountId is the activeDirectory entry's
"identifier", not the identity's "id" (which goes in the URL).
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError

PATH = "/v1.0/security/identities/identityAccounts"
READ_PERMISSION = "SecurityIdentitiesAccount.Read.All"
ACTION_PERMISSION = "SecurityIdentitiesActions.ReadWrite.All"
PROVIDER = "activeDirectory"
# The module's choices -> Graph's security.action members for activeDirectory accounts.
ACTIONS = {"disable": "disable", "enable": "enable", "force_password_reset": "forcePasswordReset"}
_SID = re.compile(r"^S-1-\d+(-\d+)+$")


def sid_filter(sid: str) -> str:
    """The documented $filter, for a SID that cannot break out of its quotes."""
    if not isinstance(sid, str) or not _SID.match(sid):
        raise CloudError(f"{sid!r} is not a SID", action="find the account in MDI")
    return f"onPremisesSecurityIdentifier eq '{sid}'"


def _unwrap(body):
    """A single entity or complex value, unwrapped from the docs' {"value": {...}} if so sent."""
    if isinstance(body, dict) and isinstance(body.get("value"), dict) and len([k for k in body if not k.startswith("@")]) == 1:
        return body["value"]
    return body


def _lower_first(text) -> str:
    return text[:1].lower() + text[1:] if isinstance(text, str) else ""


def normalize_account(item, action: str) -> dict:
    """One accounts[] entry: {"identifier", "provider", "actions"} whichever key names and casing came."""
    if not isinstance(item, dict):
        raise CloudError(f"Microsoft Graph returned an account entry that is {type(item).__name__}, not an object", action=action)
    identifier = item.get("identifier")
    provider = item.get("identityProvider", item.get("provider"))
    if not isinstance(identifier, str) or not identifier or not isinstance(provider, str):
        raise CloudError("Microsoft Graph returned an account entry without 'identifier' or 'identityProvider'", action=action)
    actions = item.get("actions") or []
    return {"identifier": identifier, "provider": _lower_first(provider),
            "actions": [_lower_first(a) for a in actions if isinstance(a, str)]}


def normalize_identity(item, action: str = "find the account in MDI") -> dict:
    item = _unwrap(item)
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
        raise CloudError("Microsoft Graph returned an identity account without an 'id'", action=action)
    accounts = item.get("accounts") or []
    if not isinstance(accounts, list):
        raise CloudError(f"Microsoft Graph returned identity account {item['id']} whose 'accounts' is not a list", action=action)
    return {"id": item["id"], "display_name": item.get("displayName"), "domain": item.get("domain"),
            "sid": item.get("onPremisesSecurityIdentifier"), "enabled": item.get("isEnabled"),
            "user_principal_name": item.get("userPrincipalName"),
            "accounts": [normalize_account(a, action) for a in accounts]}


def ad_account(identity: dict, action: str = "find the account in MDI") -> dict:
    """The identity's activeDirectory entry: its identifier is invokeAction's accountId."""
    for account in identity["accounts"]:
        if account["provider"] == PROVIDER:
            return account
    raise CloudError(f"MDI knows identity {identity['id']} but lists no Active Directory account for it", action=action)


def pick_identity(identities: list[dict], sid: str, name: str) -> dict:
    """The identity for the SID (Graph's filter is trusted only as far as it goes: the SID is checked again)."""
    matching = [i for i in identities if (i["sid"] or "").upper() == sid.upper()]
    if not matching:
        raise CloudError(f"Defender for Identity does not know {name} ({sid}): it lists only the accounts its sensors have seen."
                         " Check that a sensor of that domain is healthy (mdi_sensor_info, mdi_health_info), or try again later",
                         action=f"find {name} in MDI")
    return next((i for i in matching if any(a["provider"] == PROVIDER for a in i["accounts"])), matching[0])


def invoke_payload(account_id: str, action: str) -> dict:
    """The invokeAction body with the schema's names (not the docs examples' "provider")."""
    if action not in ACTIONS:
        raise CloudError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}", action="run an MDI action")
    return {"accountId": account_id, "action": ACTIONS[action], "identityProvider": PROVIDER}


def parse_invoke_result(body, action: str) -> dict:
    """invokeActionResult (top level, or wrapped in "value" as the docs show it)."""
    body = _unwrap(body)
    if not isinstance(body, dict):
        raise CloudError("Microsoft Graph accepted the action but its answer is not an invokeActionResult", action=action)
    correlation = body.get("correlationId")
    return {"correlation_id": correlation if isinstance(correlation, str) else None,
            "action": _lower_first(body.get("action")) or None,
            "account_id": body.get("accountId") if isinstance(body.get("accountId"), str) else None}

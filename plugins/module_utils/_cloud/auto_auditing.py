# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: MDI's automatic Windows auditing switch in Microsoft Graph
(``security/identities/settings/autoAuditingConfiguration``, property ``isAutomatic``), without any I/O.

v1.0 documents the update as PATCH (the OData convention for a single-valued entity, docs of 2026-03), beta as POST
(docs of 2025-09); each version is written with the verb its own docs give. The docs show the GET answer wrapped in
``{"value": {...}}`` while OData sends the entity at the top level: both are read.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError

PATH = "/security/identities/settings/autoAuditingConfiguration"
ODATA_TYPE = "#microsoft.graph.security.autoAuditingConfiguration"
READ_PERMISSION = "SecurityIdentitiesAutoConfig.Read.All"
WRITE_PERMISSION = "SecurityIdentitiesAutoConfig.ReadWrite.All"
WRITE_METHODS = {"v1.0": "PATCH", "beta": "POST"}
READ_ACTION = "read MDI automatic Windows auditing"
WRITE_ACTION = "set MDI automatic Windows auditing"
# Graph's 404 on this singleton: no MDI workspace behind it (or not Graph at all).
NO_WORKSPACE = ("the tenant has no Defender for Identity workspace (open Settings > Identities in the Microsoft Defender portal "
                "once to create it), or graph_url is not Microsoft Graph")


def path(api_version: str) -> str:
    return f"/{api_version}{PATH}"


def payload(enabled: bool) -> dict:
    return {"@odata.type": ODATA_TYPE, "isAutomatic": bool(enabled)}


def parse(body, action: str = READ_ACTION) -> bool:
    """``isAutomatic`` from a GET answer, top-level or inside ``value``; anything else is a CloudError."""
    entity = body.get("value") if isinstance(body, dict) and isinstance(body.get("value"), dict) else body
    value = entity.get("isAutomatic") if isinstance(entity, dict) else None
    if not isinstance(value, bool):
        found = sorted(entity) if isinstance(entity, dict) else type(entity).__name__
        raise CloudError(f"Microsoft Graph returned no boolean isAutomatic (found {found}); check graph_url and any proxy in between",
                         action=action)
    return value


def result(before: bool, after: bool, api_version: str) -> dict:
    return {"changed": before != after, "enabled": after, "api_version": api_version,
            "diff": {"before": {"enabled": before}, "after": {"enabled": after}}}

# -*- coding: utf-8 -*-
"""Fake Graph: MDI's automatic Windows auditing switch, security/identities/settings/autoAuditingConfiguration.

  GET            /{v1.0,beta}/.../autoAuditingConfiguration  role SecurityIdentitiesAutoConfig.Read.All or .ReadWrite.All
  PATCH          /v1.0/.../autoAuditingConfiguration          role SecurityIdentitiesAutoConfig.ReadWrite.All  -> 204
  PATCH or POST  /beta/.../autoAuditingConfiguration          (beta's docs say POST)                           -> 204 / 200

The value (isAutomatic, false at first) persists in state.json with the portal data and goes back to false on
a state reset. The body must be {"isAutomatic": bool} with at most "@odata.type" of this entity (else 400).
Settings: `mdi_workspace` false answers 404 as for a tenant without an MDI workspace; `wrap_single_values` true
answers GET in the {"value": {...}} shape the docs show instead of OData's top-level entity.

Not emulated: the sensors applying any audit policy (nothing reaches the lab's DCs), the 24-hour re-check,
delegated tokens and their Security Administrator role, the real wording of Graph's errors, the 403 of a tenant
that was never onboarded (a fault can answer it), sovereign clouds (where Microsoft documents no such endpoint).
"""
from __future__ import annotations

from .graph_answers import ODATA_JSON, error, ids, json_request
from .reply import Reply

SEGMENTS = ["security", "identities", "settings", "autoAuditingConfiguration"]
READ_ROLES = ("SecurityIdentitiesAutoConfig.Read.All", "SecurityIdentitiesAutoConfig.ReadWrite.All")
WRITE_ROLE = "SecurityIdentitiesAutoConfig.ReadWrite.All"
ODATA_TYPE = "#microsoft.graph.security.autoAuditingConfiguration"
WRITE_METHODS = {"v1.0": ("PATCH",), "beta": ("PATCH", "POST")}


def matches(segments: list[str]) -> bool:
    return segments[1:] == SEGMENTS


def _body_problem(body) -> str | None:
    if not isinstance(body, dict):
        return "The request body must be a JSON object."
    unknown = sorted(set(body) - {"isAutomatic", "@odata.type"})
    if unknown:
        return f"Property '{unknown[0]}' does not exist on type 'microsoft.graph.security.autoAuditingConfiguration'."
    if body.get("@odata.type", ODATA_TYPE) != ODATA_TYPE:
        return f"A type named '{body['@odata.type']}' could not be resolved for this resource."
    if not isinstance(body.get("isAutomatic"), bool):
        return "Property 'isAutomatic' is required and must be a Boolean."
    return None


def handle(state, base: str, method: str, version: str, roles: list, headers, raw: bytes) -> Reply:
    writing = method != "GET"
    if writing and method not in WRITE_METHODS[version]:
        return error(405, "BadRequest", f"The HTTP method '{method}' is not allowed for this resource in {version}.", headers)
    needed = (WRITE_ROLE,) if writing else READ_ROLES
    if not set(needed) & set(roles):
        return error(403, "Forbidden", f"Missing application roles. API required roles: {' or '.join(needed)}. "
                                       f"Application roles: {', '.join(roles) or 'none'}.", headers)
    with state.lock:
        workspace, wrap = state.settings["mdi_workspace"], state.settings["wrap_single_values"]
    if not workspace:
        return error(404, "ResourceNotFound", "No Microsoft Defender for Identity workspace exists for this tenant.", headers)
    if writing:
        body, refusal = json_request(raw, _body_problem, headers)
        if refusal:
            return refusal
        with state.lock:
            state.data["auto_auditing"] = body["isAutomatic"]
            state.save()
        if method == "PATCH":
            return Reply(204, None, ids(headers))
    entity = {"@odata.type": ODATA_TYPE, "isAutomatic": bool(state.data.get("auto_auditing", False))}
    context = f"{base}/{version}/$metadata#security/identities/settings/autoAuditingConfiguration/$entity"
    body = {"@odata.context": context, "value": entity} if wrap else {"@odata.context": context, **entity}
    return Reply(200, body, ids(headers), ODATA_JSON)

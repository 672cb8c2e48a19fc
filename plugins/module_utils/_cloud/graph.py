# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the MDI part of Microsoft Graph (documented API).

GET /v1.0/security/identities/sensors (SecurityIdentitiesSensors.Read.All) and
GET /v1.0/security/identities/healthIssues (SecurityIdentitiesHealth.Read.All) and
GET /beta/security/identities/sensorMigration (SecurityIdentitiesMigration.Read.All; beta, read where allowed),
with @odata.nextLink paging.
Responses are checked for the fields we use; anything else is a CloudError, never a silently empty list.
"""
from __future__ import annotations

from urllib.parse import quote, urlsplit

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import identity_accounts as ia
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError

SENSORS_PATH = "/v1.0/security/identities/sensors"
HEALTH_PATH = "/v1.0/security/identities/healthIssues"
MIGRATION_PATH = "/beta/security/identities/sensorMigration"
SENSORS_PERMISSION = "SecurityIdentitiesSensors.Read.All"
HEALTH_PERMISSION = "SecurityIdentitiesHealth.Read.All"
MIGRATION_PERMISSION = "SecurityIdentitiesMigration.Read.All"
MAX_PAGES = 500  # a bound against a nextLink loop; far above any real tenant's sensor count
# Sensors installed on a domain controller: the hosts that need "Log on as a service" for the action account.
DC_SENSOR_TYPES = ("domainControllerIntegrated",)


def _hints(permission: str) -> dict:
    return {
        401: "Microsoft Graph refused the access token (are tenant_id, authority_host and graph_url of the same cloud?)",
        403: f"the app lacks the Microsoft Graph application permission {permission} (grant it, then give admin consent)",
        404: "Microsoft Graph has no such endpoint here (check graph_url)",
    }


NOT_ONBOARDED = ("the tenant is not onboarded to Microsoft Defender for Identity (license it, open Settings > Identities in the "
                 "Microsoft Defender portal and install a sensor first)")
# An answer that is not Graph's (an HTML page, JSON of another shape) most often comes from a wrong URL or a proxy.
GRAPH_URL_FIX = "check graph_url (Microsoft Graph's endpoint, such as https://graph.microsoft.com) and any proxy in between"


def _shape_error(what: str, problem: str, action: str) -> CloudError:
    return CloudError(f"Microsoft Graph returned an unexpected {what}: {problem}", action=action)


def _field(item: dict, name: str, kind, what: str, action: str, required: bool = True):
    value = item.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise _shape_error(what, f"field {name!r} is {type(value).__name__}, expected {getattr(kind, '__name__', kind)}", action)
    return value


def normalize_sensor(item, action: str = "list MDI sensors") -> dict:
    if not isinstance(item, dict):
        raise _shape_error("sensor", f"an item is {type(item).__name__}, not an object", action)
    sensor_id = _field(item, "id", str, "sensor", action)
    what = f"sensor {sensor_id}"
    name = _field(item, "displayName", str, what, action)
    settings = _field(item, "settings", dict, what, action, required=False) or {}
    dns_names = _field(settings, "domainControllerDnsNames", list, what, action, required=False) or []
    if not all(isinstance(n, str) for n in dns_names):
        raise _shape_error(what, "settings.domainControllerDnsNames holds something other than names", action)
    return {
        "id": sensor_id, "name": name, "host_name": (dns_names[0] if dns_names else name).lower(),
        "domain": _field(item, "domainName", str, what, action).lower(),
        "type": _field(item, "sensorType", str, what, action),
        "health": _field(item, "healthStatus", str, what, action, required=False),
        "version": _field(item, "version", str, what, action, required=False),
        "deployment_status": _field(item, "deploymentStatus", str, what, action, required=False),
        "open_health_issues": _field(item, "openHealthIssuesCount", int, what, action, required=False),
        "dns_names": dns_names,
    }


def normalize_health_issue(item, action: str = "list MDI health issues") -> dict:
    if not isinstance(item, dict):
        raise _shape_error("health issue", f"an item is {type(item).__name__}, not an object", action)
    issue_id = _field(item, "id", str, "health issue", action)
    what = f"health issue {issue_id}"
    return {
        "id": issue_id,
        "display_name": _field(item, "displayName", str, what, action, required=False),
        "type": _field(item, "healthIssueType", str, what, action, required=False),
        "severity": _field(item, "severity", str, what, action, required=False),
        "status": _field(item, "status", str, what, action, required=False),
        "description": _field(item, "description", str, what, action, required=False),
        "domain_names": _field(item, "domainNames", list, what, action, required=False) or [],
        "sensor_dns_names": _field(item, "sensorDNSNames", list, what, action, required=False) or [],
        "recommendations": _field(item, "recommendations", list, what, action, required=False) or [],
        "recommended_action_commands": _field(item, "recommendedActionCommands", list, what, action, required=False) or [],
        "additional_information": _field(item, "additionalInformation", list, what, action, required=False) or [],
        "issue_type_id": _field(item, "issueTypeId", str, what, action, required=False),
        "created": _field(item, "createdDateTime", str, what, action, required=False),
        "last_modified": _field(item, "lastModifiedDateTime", str, what, action, required=False),
    }


def normalize_migration(item, action: str = "list MDI sensor migrations") -> dict:
    if not isinstance(item, dict):
        raise _shape_error("sensor migration", f"an item is {type(item).__name__}, not an object", action)
    migration_id = _field(item, "id", str, "sensor migration", action)
    what = f"sensor migration {migration_id}"
    return {
        "id": migration_id,
        "name": _field(item, "displayName", str, what, action, required=False),
        "domain": (_field(item, "domainName", str, what, action, required=False) or "").lower() or None,
        "version": _field(item, "version", str, what, action, required=False),
        "migration_state": _field(item, "migrationState", str, what, action),
    }


class GraphClient:
    def __init__(self, http, tokens, graph_url: str):
        self._http = http
        self._tokens = tokens
        self.graph_url = graph_url.rstrip("/")

    def sensors(self) -> list[dict]:
        action = "list MDI sensors"
        return [normalize_sensor(item, action) for item in self._list(SENSORS_PATH, SENSORS_PERMISSION, action)]

    def health_issues(self) -> list[dict]:
        action = "list MDI health issues"
        return [normalize_health_issue(item, action) for item in self._list(HEALTH_PATH, HEALTH_PERMISSION, action)]

    def sensor_migrations(self) -> list[dict]:
        """Beta: each sensor's migration state to v3.x (readyForMigration, migrating, upToDate, ...)."""
        action = "list MDI sensor migrations (Graph beta)"
        return [normalize_migration(item, action) for item in self._list(MIGRATION_PATH, MIGRATION_PERMISSION, action)]

    def identity_accounts_by_sid(self, sid: str, name: str) -> list[dict]:
        """The MDI identities of an on-premises SID (the documented $filter)."""
        action = f"find {name} in MDI"
        path = f"{ia.PATH}?$filter=" + quote(ia.sid_filter(sid), safe="'")
        return [ia.normalize_identity(item, action) for item in self._list(path, ia.READ_PERMISSION, action)]

    def invoke_action(self, identity_id: str, payload: dict, name: str) -> dict:
        """POST invokeAction; Graph's 200 says the action was accepted, not that a sensor carried it out."""
        action = f"ask MDI to {payload['action']} {name}"
        url = f"{self.graph_url}{ia.PATH}/{quote(identity_id, safe='')}/invokeAction"
        headers = {"Authorization": f"Bearer {self._tokens.token()}", "Accept": "application/json"}
        response = self._http.send("POST", url, json=payload, headers=headers, allow_redirects=False)
        if response.status_code != 200:
            hints = {**_hints(ia.ACTION_PERMISSION), 404: "MDI no longer knows this identity account (look it up again)"}
            raise self._http.status_error(response, hints, action)
        return ia.parse_invoke_result(self._http.json_body(response, "Microsoft Graph", action, GRAPH_URL_FIX), action)

    def get_entity(self, path: str, permission: str, action: str, hints: dict | None = None):
        """GET one entity or complex value: its JSON body as Graph sent it (the caller reads its shape)."""
        response = self._send("GET", path)
        if response.status_code != 200:
            raise self._refusal(response, permission, action, hints)
        return self._http.json_body(response, "Microsoft Graph", action, GRAPH_URL_FIX)

    def update(self, method: str, path: str, payload: dict, permission: str, action: str, hints: dict | None = None) -> None:
        """PATCH (or the POST some beta docs give) one entity; 200 and 204 are success, the body is not relied on."""
        response = self._send(method, path, json=payload)
        if response.status_code not in (200, 204):
            raise self._refusal(response, permission, action, hints)

    def _send(self, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {self._tokens.token()}", "Accept": "application/json"}
        return self._http.send(method, self.graph_url + path, headers=headers, allow_redirects=False, **kwargs)

    def _refusal(self, response, permission: str, action: str, hints: dict | None) -> CloudError:
        hints = {**_hints(permission), **(hints or {})}
        if response.status_code == 403 and "onboard" in self._http.error_detail(response).lower():
            hints[403] = NOT_ONBOARDED  # Graph's 403 for a tenant without MDI says so; no permission would help
        return self._http.status_error(response, hints, action)

    def _list(self, path: str, permission: str, action: str) -> list:
        url = self.graph_url + path
        origin = urlsplit(url)[:2]
        items: list = []
        for _page in range(MAX_PAGES):
            headers = {"Authorization": f"Bearer {self._tokens.token()}", "Accept": "application/json"}
            response = self._http.send("GET", url, headers=headers, allow_redirects=False)
            if response.status_code != 200:
                raise self._http.status_error(response, _hints(permission), action)
            body = self._http.json_body(response, "Microsoft Graph", action, GRAPH_URL_FIX)
            if not isinstance(body, dict) or not isinstance(body.get("value"), list):
                raise _shape_error("response", f"no 'value' list; {GRAPH_URL_FIX}", action)
            items.extend(body["value"])
            next_link = body.get("@odata.nextLink")
            if not next_link:
                return items
            # The bearer token goes only to graph_url's own scheme and host.
            if not isinstance(next_link, str) or urlsplit(next_link)[:2] != origin:
                raise _shape_error("response", "@odata.nextLink does not point at graph_url", action)
            url = next_link
        raise _shape_error("response", f"more than {MAX_PAGES} pages", action)

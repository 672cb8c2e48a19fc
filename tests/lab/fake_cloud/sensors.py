# -*- coding: utf-8 -*-
"""The MDI data behind the fake Graph: one microsoft.graph.security.sensor per lab domain controller
(plus the second domain's when switched on), a few microsoft.graph.security.healthIssue objects, with
the documented properties (Graph v1.0 reference, resources/security-sensor and -healthissue), and the
beta microsoft.graph.security.sensorMigration of each sensor, with the properties the beta docs list (the
same id as its sensor: a lab choice, the docs do not say how the two ids relate).

Versions and migration states follow the `sensor_generation` setting (generations.py). sensorType is
domainControllerIntegrated (the documented values are adConnectIntegrated, adcsIntegrated,
adfsIntegrated, domainControllerIntegrated, domainControllerStandalone); tests change any property of a
sensor through the `sensor_overrides` setting, e.g. {"dc2.corp.example.test": {"deploymentStatus": "disconnected"}},
applied last; a migration item copies the sensor as overridden. In the `mixed` generation a "Directory
services user credentials are incorrect" issue is open too, as MDI raises it for a stale DSA in mixed tenants.

Not emulated: networkAdapters, sensor candidates, deployment keys and packages, PATCH/DELETE, real
health evaluation (issues are fixed data), sensors on AD FS/AD CS/Entra Connect servers, a migration
item's serviceStatus other than "running" (v1.0 sensors show none, as the docs examples), the migrate action.
"""
from __future__ import annotations

import uuid

from . import generations

SENSOR_PROPERTIES = ("id", "displayName", "domainName", "sensorType", "deploymentStatus", "healthStatus",
                     "openHealthIssuesCount", "version", "createdDateTime", "settings")
# What a sensorMigration item shows of its sensor, besides migrationState and serviceStatus.
_MIGRATION_COPIED = ("id", "displayName", "domainName", "sensorType", "version", "healthStatus", "createdDateTime")
_SEVERITY = {"low": 1, "medium": 2, "high": 3}


def sensor_id(fqdn: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, fqdn.lower()))


def _hosts(config: dict, settings: dict) -> list[dict]:
    hosts = list(config["sensors"])
    if settings["second_domain"]:
        hosts += config["extra_sensors"]
    return hosts


def health_issues(config: dict, settings: dict) -> list[dict]:
    hosts = _hosts(config, settings)
    domains = sorted({h["domain"] for h in hosts})
    issues = [{
        "@odata.type": "#microsoft.graph.security.healthIssue",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "lab-issue-auditing")),
        "displayName": "Directory Services Object Auditing is not configured as required",
        "description": f"Directory Services Object Auditing is not configured as required on {', '.join(domains)}",
        "healthIssueType": "global", "issueTypeId": "1031", "severity": "medium", "status": "open",
        "domainNames": domains, "sensorDNSNames": [], "additionalInformation": [],
        "recommendations": ["Configure the Directory Services Object Auditing events as described in https://aka.ms/mdi/objectauditing"],
        "recommendedActionCommands": ["Set-MDIConfiguration -Mode Domain -Configuration ObjectAuditing"],
        "createdDateTime": "2026-01-15T10:20:00.0000000Z", "lastModifiedDateTime": "2026-01-15T10:20:00.0000000Z",
    }]
    if settings["sensor_generation"] == "mixed":
        # MDI's documented mixed-tenant effect: v3 sensors ignore the Directory Service account, but the workspace still
        # checks it, so a stale one raises this issue until it is removed. Microsoft lists no issueTypeId for it: none here.
        issues.append({
            "@odata.type": "#microsoft.graph.security.healthIssue",
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "lab-issue-dsa-credentials")),
            "displayName": "Directory services user credentials are incorrect",
            "description": f"The Directory Service account credentials configured for {', '.join(domains)} are incorrect",
            "healthIssueType": "global", "issueTypeId": None, "severity": "medium", "status": "open",
            "domainNames": domains, "sensorDNSNames": [], "additionalInformation": [],
            "recommendations": ["Check the Directory Service account's user name, password and domain"], "recommendedActionCommands": [],
            "createdDateTime": "2026-01-15T11:00:00.0000000Z", "lastModifiedDateTime": "2026-01-15T11:00:00.0000000Z",
        })
    if len(hosts) > 1:
        second = hosts[1]
        issues.append({
            "@odata.type": "#microsoft.graph.security.healthIssue",
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "lab-issue-power-" + second["fqdn"])),
            "displayName": "Power mode is not configured for optimal processor performance",
            "description": f"The power mode of {second['fqdn']} is not set to High performance",
            "healthIssueType": "sensor", "issueTypeId": "1065", "severity": "low", "status": "closed",
            "domainNames": [second["domain"]], "sensorDNSNames": [second["fqdn"]], "additionalInformation": [],
            "recommendations": ["Set the power option of the machine to High performance"], "recommendedActionCommands": [],
            "createdDateTime": "2026-01-16T08:00:00.0000000Z", "lastModifiedDateTime": "2026-01-17T08:00:00.0000000Z",
        })
    return issues


def sensors(config: dict, settings: dict) -> list[dict]:
    open_issues = [i for i in health_issues(config, settings) if i["status"] == "open" and i["healthIssueType"] == "sensor"]
    versions = generations.plan(config, settings["sensor_generation"])
    result = []
    for host in _hosts(config, settings):
        fqdn = host["fqdn"]
        label, _dot, rest = fqdn.partition(".")
        mine = [i for i in open_issues if fqdn.lower() in (n.lower() for n in i["sensorDNSNames"])]
        worst = max((i["severity"] for i in mine), key=_SEVERITY.get, default=None)
        sensor = {
            "@odata.type": "#microsoft.graph.security.sensor",
            "id": sensor_id(fqdn), "displayName": label.upper(), "domainName": host["domain"],
            "sensorType": "domainControllerIntegrated", "deploymentStatus": "upToDate",
            "healthStatus": f"notHealthy{worst.capitalize()}" if worst else "healthy",
            "openHealthIssuesCount": len(mine), "version": versions[fqdn.lower()][0], "createdDateTime": "2026-01-15T10:00:00.0000000Z",
            "settings": {"@odata.type": "microsoft.graph.security.sensorSettings", "description": None,
                         # As Graph shows them: the host label upper-case (match names case-insensitively).
                         "domainControllerDnsNames": [f"{label.upper()}.{rest}" if rest else label.upper()],
                         "isDelayedDeploymentEnabled": False},
        }
        sensor.update(settings["sensor_overrides"].get(fqdn.lower(), {}))
        result.append(sensor)
    return sorted(result, key=lambda s: (s["domainName"], s["displayName"]))


def migrations(config: dict, settings: dict) -> list[dict]:
    """The beta sensorMigration collection: one item per listed sensor, in the same order."""
    migrating = {sensor_id(fqdn) for fqdn, (_version, moving) in generations.plan(config, settings["sensor_generation"]).items() if moving}
    return [{"@odata.type": "#microsoft.graph.security.sensorMigration", **{k: sensor[k] for k in _MIGRATION_COPIED},
             "migrationState": generations.migration_state(sensor["version"], sensor["id"] in migrating), "serviceStatus": "running"}
            for sensor in sensors(config, settings)]

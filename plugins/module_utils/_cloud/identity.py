# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: which identity MDI response actions run as, decided from
the sensor generations, without any I/O.

Microsoft (defender-docs, "Manage action accounts" and the sensor v3.x pages): by default a domain controller's
sensor runs response actions as the DC's LocalSystem; a gMSA action account is optional and works with sensor
v2.x only. With sensor v3.x, or while migrating to it, a configured gMSA breaks response actions, automatic
attack disruption included; mixed v2/v3 tenants should use LocalSystem for every sensor. The portal switch
is tenant-wide, so the decision is one per tenant.

decide() is the one place that rule lives: the roles, the info module, the portal module's guard and the
verify report all call it (or guard(), configuration_check(), built on the same sensor views).
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError

CHOICES = ("auto", "gmsa", "local_system")
# Sensors that run AD response actions (Microsoft: only sensors on domain controllers do).
DC_SENSOR_TYPES = ("domainControllerIntegrated", "domainControllerStandalone")
# Beta sensorMigration states that mean "on the way to v3.x": the sensor may already act as v3.
MIGRATING_STATES = ("migrating",)
MICROSOFT_STATEMENT = ("Microsoft: sensor v3.x does not support gMSA action accounts; if a gMSA is configured, response actions,"
                       " including automatic attack disruption, don't work. Tenants on v3.x, migrating to it, or mixed must use"
                       " the sensors' LocalSystem account")
_MAJOR = re.compile(r"^\s*(\d+)\.")
_DECIDE = "decide the response-action identity"


def generation(version) -> int | None:
    """The major version of a sensor version string ("2.250.18972.18405" -> 2), None when unknown."""
    match = _MAJOR.match(version) if isinstance(version, str) else None
    return int(match.group(1)) if match else None


def _check_sensor(sensor, where: str) -> None:
    """A sensor as mdi_sensor_info returns it. A sensor without type or version would pass for a harmless one (no DC sensor,
    or one of unknown version), so both must be there; version may be null, which is what Graph says for unknown."""
    if not isinstance(sensor, dict) or not isinstance(sensor.get("name") or sensor.get("host_name"), str):
        raise CloudError(f"{where} must be a sensor as mdi_sensor_info returns it (a dict with name, version and type)", action=_DECIDE)
    name = sensor.get("host_name") or sensor["name"]
    missing = [f"{where}.{key}" for key in ("type", "version") if key not in sensor]
    if missing:
        raise CloudError(f"sensor {name} lacks {' and '.join(missing)}: give each sensor's name, type and version as"
                         " mdi_sensor_info returns them (version null when unknown)", action=_DECIDE)
    if not isinstance(sensor["type"], str) or not isinstance(sensor["version"], (str, type(None))):
        raise CloudError(f"{where} (sensor {name}): type and version must be strings, such as domainControllerIntegrated and"
                         f" 2.250.18972.18405, not {sensor['type']!r} and {sensor['version']!r} (quote a version in YAML)", action=_DECIDE)


def sensor_view(sensor: dict, index: int | None = None) -> dict:
    """The fields the decision uses, from mdi_sensor_info's sensor shape (plus migration_state when known).
    ``index``: the sensor's place in the sensors option, for the message when it is malformed."""
    _check_sensor(sensor, "sensors[]" if index is None else f"sensors[{index}]")
    version = sensor.get("version")
    return {"name": sensor.get("host_name") or sensor["name"], "domain": sensor.get("domain"), "type": sensor.get("type"),
            "version": version, "generation": generation(version), "migration_state": sensor.get("migration_state")}


def sensor_views(sensors: list) -> list[dict]:
    return [sensor_view(sensor, index) for index, sensor in enumerate(sensors)]


def merge_migration(sensors: list[dict], migrations: list[dict]) -> list[dict]:
    """Sensors with migration_state from the beta sensorMigration list, matched by id, else by name and domain."""
    by_id = {m["id"]: m for m in migrations if m.get("id")}
    by_name = {((m.get("name") or "").lower(), (m.get("domain") or "").lower()): m for m in migrations}
    merged = []
    for sensor in sensors:
        match = by_id.get(sensor.get("id")) or by_name.get(((sensor.get("name") or "").lower(), (sensor.get("domain") or "").lower()))
        merged.append({**sensor, "migration_state": match.get("migration_state") if match else None})
    return merged


def _is_conflict(view: dict) -> bool:
    return (view["generation"] or 0) >= 3 or view["migration_state"] in MIGRATING_STATES


def _label(view: dict) -> str:
    if view["migration_state"] in MIGRATING_STATES:
        return f"{view['name']} (version {view['version']}, {view['migration_state']})"
    return f"{view['name']} (version {view['version'] or 'unknown'})"


def conflicts(views: list[dict]) -> list[dict]:
    """The sensors with which a gMSA action account breaks response actions: v3.x, or migrating to it."""
    return [v for v in views if _is_conflict(v)]


def _decision(requested, identity, reason, views, checked, warnings=()) -> dict:
    return {"requested": requested, "identity": identity, "allowed": identity is not None, "reason": reason, "checked": checked,
            "sensors": views, "conflicts": [v["name"] for v in conflicts(views)], "warnings": list(warnings)}


def decide(requested: str, sensors: list[dict] | None, unreadable: str | None = None, migration_unreadable: str | None = None) -> dict:
    """The tenant's response-action identity.

    ``sensors``: the tenant's sensors (mdi_sensor_info's shape, with migration_state where known), or None when
    they could not be read (``unreadable`` says why). ``migration_unreadable``: why the beta migration list was
    not read, if it was not. Returns identity None (allowed False) when the request must be refused.
    """
    if requested not in CHOICES:
        raise CloudError(f"the action identity must be one of {', '.join(CHOICES)}, not {requested!r}", action=_DECIDE)
    views = sensor_views(sensors or [])
    checked = sensors is not None
    bad = conflicts(views)
    if requested == "local_system":
        return _decision(requested, "local_system", "requested; LocalSystem runs response actions with every sensor generation",
                         views, checked)
    if not checked:
        if requested == "gmsa":
            return _decision(requested, "gmsa", "requested", views, False, [
                f"The sensor generations could not be checked ({unreadable}): a gMSA action account breaks response actions"
                " on sensor v3.x. Give Graph credentials with SecurityIdentitiesSensors.Read.All to have this checked."])
        return _decision(requested, None, f"cannot decide without the tenant's sensor list ({unreadable}). Give Microsoft Graph"
                         " credentials with SecurityIdentitiesSensors.Read.All, or choose: local_system (works with every sensor"
                         " generation) or gmsa (sensor v2.x only)", views, False)
    if bad:
        named = ", ".join(_label(v) for v in bad)
        if requested == "gmsa":
            return _decision(requested, None, f"refused: a gMSA action account would break response actions on {named}. "
                             f"{MICROSOFT_STATEMENT}. Set the identity to local_system (or auto)", views, True)
        return _decision(requested, "local_system", f"sensor v3.x or a migration to it: {named}. {MICROSOFT_STATEMENT}", views, True)
    warnings = []
    if migration_unreadable:
        warnings.append(f"The sensors' migration state could not be read ({migration_unreadable}): a sensor migrating to v3.x"
                        " may not show it in its version yet. Grant SecurityIdentitiesMigration.Read.All to have it checked.")
    unknown = [v for v in views if v["generation"] is None]
    if requested == "gmsa":
        if unknown:
            warnings.append("Sensors of unknown version: " + ", ".join(v["name"] for v in unknown))
        return _decision(requested, "gmsa", "requested; every sensor is v2.x", views, True, warnings)
    dcs = [v for v in views if v["type"] in DC_SENSOR_TYPES]
    if not dcs:
        return _decision(requested, "local_system", "no domain-controller sensor in the tenant yet; LocalSystem is Microsoft's"
                         " default and works with every sensor generation", views, True)
    unknown_dcs = [v for v in dcs if v["generation"] is None]
    if unknown_dcs:
        return _decision(requested, "local_system", "the version of " + ", ".join(v["name"] for v in unknown_dcs) + " is unknown,"
                         " so a gMSA cannot be shown to work; LocalSystem works with every sensor generation", views, True)
    return _decision(requested, "gmsa", f"every domain-controller sensor is v2.x ({len(dcs)}) and none is migrating: the gMSA"
                     " action account of Microsoft's procedure", views, True, warnings)


def guard(registers_gmsa: bool, turns_local_system_off: bool, sensors: list[dict] | None, unreadable: str | None) -> list[str]:
    """mdi_action_account's safety check before any portal change: raises when the change would break response
    actions on the given sensors; returns warnings when they are unknown."""
    if not (registers_gmsa or turns_local_system_off):
        return []
    what = " and ".join(w for w, on in (("register a gMSA action account", registers_gmsa),
                                        ("turn LocalSystem off", turns_local_system_off)) if on)
    if sensors is None:
        return [f"Could not check the sensor generations before being asked to {what} ({unreadable}): on sensor v3.x that"
                " breaks response actions. Pass sensors, or Graph credentials, to have it checked."]
    bad = conflicts(sensor_views(sensors))
    if bad:
        raise CloudError(f"refused to {what}, before any change: it would break response actions on "
                         f"{', '.join(_label(v) for v in bad)}. {MICROSOFT_STATEMENT}. Use identity=local_system",
                         action="change the MDI action account")
    return []


def configuration_check(decision: dict, accounts: list[dict], local_system: bool) -> dict:
    """The verify report's tenant row: does the portal's configuration match the sensors?"""
    gmsas = [a["id"] for a in accounts if a.get("gmsa", True)]
    state = f"LocalSystem {'on' if local_system else 'off'}; registered gMSA: {', '.join(gmsas) or 'none'}"
    if not decision["checked"]:
        return {"ok": False, "detail": f"{state}. Not judged: {decision['reason']}"}
    if decision["conflicts"]:
        ok = local_system and not gmsas
        why = "" if ok else f" Broken: {MICROSOFT_STATEMENT}; run site.yml (identity auto) or migrate_to_local_system.yml"
        return {"ok": ok, "detail": f"{state}; v3.x or migrating: {', '.join(decision['conflicts'])}.{why}"}
    if local_system:
        return {"ok": True, "detail": f"{state}; every sensor is v2.x, LocalSystem works with it"}
    if gmsas:
        return {"ok": True, "detail": f"{state}; every sensor is v2.x: the gMSA is checked per domain below"}
    return {"ok": False, "detail": f"{state}: response actions have no identity to run as. Turn LocalSystem on or register a gMSA"}

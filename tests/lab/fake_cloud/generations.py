# -*- coding: utf-8 -*-
"""Sensor generations of the lab's tenant (setting `sensor_generation`, default from lab.json): which MDI
sensors run v2.x and which v3.x, and which one is migrating, as Graph shows it in v1.0 sensor `version`
and beta sensorMigration `migrationState`. The collection picks the action identity from this: a gMSA
only while every sensor is v2.x, LocalSystem once any is v3.x or migrating (mdi-facts.md).

  v2         every sensor v2.x
  v3         every sensor v3.x (the second domain's too)
  mixed      the lab domain's second sensor in sorted order (dc2) v3.x, the others v2.x
  migrating  every sensor v2.x, the lab domain's second sensor migrating

Not emulated: a migration that ends (the migrating sensor stays so), notReadyForMigration and
migrationFailed (no lab switch gives them), versions within a generation (one version each).
"""
from __future__ import annotations

GENERATIONS = ("v2", "v3", "mixed", "migrating")
DEFAULT = "v2"  # a lab that names none, as tenants were before v3.x
SENSOR_VERSION = "2.250.18972.18405"
# Microsoft documents no v3.x version string; a lab choice shaped like v2's: only the major number matters.
SENSOR_V3_VERSION = "3.11.2560.2"
_SECOND = 1  # the lab domain's second sensor (dc2): the one that differs in "mixed" and "migrating"


def plan(config: dict, generation: str) -> dict[str, tuple[str, bool]]:
    """Lower-case FQDN of every sensor the lab can list -> (version, migrating)."""
    own = sorted(s["fqdn"].lower() for s in config["sensors"])
    second = own[_SECOND] if len(own) > _SECOND else None
    result = {}
    for fqdn in own:
        v3 = generation == "v3" or (generation == "mixed" and fqdn == second)
        result[fqdn] = (SENSOR_V3_VERSION if v3 else SENSOR_VERSION, generation == "migrating" and fqdn == second)
    for sensor in config["extra_sensors"]:  # the second domain follows the tenant: v3 only when all are
        result[sensor["fqdn"].lower()] = (SENSOR_V3_VERSION if generation == "v3" else SENSOR_VERSION, False)
    return result


def migration_state(version: str, migrating: bool) -> str:
    """From the sensor's version as listed (after sensor_overrides), so an overridden version agrees in beta."""
    if migrating:
        return "migrating"
    major = version.split(".", 1)[0]
    return "upToDate" if major.isdigit() and int(major) >= 3 else "readyForMigration"

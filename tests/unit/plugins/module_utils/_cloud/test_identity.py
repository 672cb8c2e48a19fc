# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The response-action identity rule (sensor generations -> gMSA or LocalSystem), its guard and the verify row."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import identity
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError

V2, V3 = "2.250.18972.18405", "3.11.2560.2"
DC = "domainControllerIntegrated"


def sensor(name, version=V2, kind=DC, migration_state=None, **extra):
    return {"id": name, "name": name.split(".")[0].upper(), "host_name": name, "domain": "corp.example.test", "type": kind,
            "version": version, "migration_state": migration_state, **extra}


ALL_V2 = [sensor("dc1.corp.example.test"), sensor("dc2.corp.example.test"), sensor("dc3.corp.example.test")]
MIXED = [sensor("dc1.corp.example.test"), sensor("dc2.corp.example.test", V3), sensor("dc3.corp.example.test")]
ALL_V3 = [sensor(f"dc{n}.corp.example.test", V3) for n in (1, 2, 3)]
MIGRATING = [sensor("dc1.corp.example.test"), sensor("dc2.corp.example.test", migration_state="migrating")]


@pytest.mark.parametrize("version, expected", [("2.250.18972.18405", 2), ("3.11.2560.2", 3), ("10.0", 10), (" 2.1", 2),
                                               (None, None), ("", None), ("v3", None), (3, None)])
def test_generation_is_the_major_version(version, expected):
    assert identity.generation(version) == expected


def test_auto_picks_the_gmsa_only_when_every_dc_sensor_is_v2():
    decision = identity.decide("auto", ALL_V2)
    assert (decision["identity"], decision["allowed"], decision["checked"], decision["conflicts"]) == ("gmsa", True, True, [])
    assert "every domain-controller sensor is v2.x (3)" in decision["reason"]
    assert [s["generation"] for s in decision["sensors"]] == [2, 2, 2]


@pytest.mark.parametrize("sensors, named", [(ALL_V3, ["dc1.corp.example.test", "dc2.corp.example.test", "dc3.corp.example.test"]),
                                            (MIXED, ["dc2.corp.example.test"]), (MIGRATING, ["dc2.corp.example.test"])])
def test_auto_picks_local_system_with_any_v3_or_migrating_sensor(sensors, named):
    decision = identity.decide("auto", sensors)
    assert (decision["identity"], decision["allowed"], decision["conflicts"]) == ("local_system", True, named)
    assert "does not support gMSA action accounts" in decision["reason"]
    assert all(name in decision["reason"] for name in named)


def test_a_v3_sensor_of_another_type_counts_too():
    # Microsoft: mixed tenants use LocalSystem for all sensors, whatever runs v3.
    assert identity.decide("auto", ALL_V2 + [sensor("adfs1.corp.example.test", V3, kind="adfsIntegrated")])["identity"] == "local_system"


def test_auto_takes_local_system_when_a_dc_sensor_version_is_unknown():
    decision = identity.decide("auto", [sensor("dc1.corp.example.test"), sensor("dc2.corp.example.test", None)])
    assert decision["identity"] == "local_system" and "dc2.corp.example.test is unknown" in decision["reason"]


def test_auto_takes_local_system_without_any_dc_sensor():
    decision = identity.decide("auto", [sensor("adfs1.corp.example.test", kind="adfsIntegrated")])
    assert decision["identity"] == "local_system" and "no domain-controller sensor" in decision["reason"]
    assert identity.decide("auto", [])["identity"] == "local_system"


def test_auto_without_a_sensor_list_refuses_and_says_what_to_set():
    decision = identity.decide("auto", None, unreadable="Failed to list MDI sensors: 403")
    assert (decision["identity"], decision["allowed"], decision["checked"]) == (None, False, False)
    assert "Failed to list MDI sensors: 403" in decision["reason"]
    assert "SecurityIdentitiesSensors.Read.All" in decision["reason"] and "local_system" in decision["reason"]


@pytest.mark.parametrize("sensors", [ALL_V3, MIXED, MIGRATING])
def test_gmsa_is_refused_while_any_sensor_is_v3_or_migrating(sensors):
    decision = identity.decide("gmsa", sensors)
    assert (decision["identity"], decision["allowed"]) == (None, False)
    assert decision["reason"].startswith("refused: a gMSA action account would break response actions on dc")
    assert identity.MICROSOFT_STATEMENT in decision["reason"]


def test_gmsa_with_v2_sensors_is_allowed_and_unknown_versions_warn():
    assert identity.decide("gmsa", ALL_V2)["identity"] == "gmsa"
    decision = identity.decide("gmsa", [sensor("dc1.corp.example.test", None)])
    assert decision["identity"] == "gmsa" and "unknown version" in decision["warnings"][0]


def test_gmsa_without_a_sensor_list_is_allowed_with_a_warning():
    decision = identity.decide("gmsa", None, unreadable="no Microsoft Graph credentials")
    assert (decision["identity"], decision["allowed"], decision["checked"]) == ("gmsa", True, False)
    assert "could not be checked (no Microsoft Graph credentials)" in decision["warnings"][0]


@pytest.mark.parametrize("sensors", [ALL_V2, ALL_V3, None])
def test_local_system_is_always_allowed(sensors):
    decision = identity.decide("local_system", sensors, unreadable=None if sensors else "no credentials")
    assert (decision["identity"], decision["allowed"]) == ("local_system", True)


def test_an_unreadable_migration_list_warns_when_the_gmsa_is_chosen():
    decision = identity.decide("auto", ALL_V2, migration_unreadable="403 Forbidden")
    assert decision["identity"] == "gmsa" and "SecurityIdentitiesMigration.Read.All" in decision["warnings"][0]


def test_unknown_choices_and_malformed_sensors_are_refused():
    with pytest.raises(CloudError, match="one of auto, gmsa, local_system"):
        identity.decide("gMSA", ALL_V2)
    with pytest.raises(CloudError, match=r"sensors\[0\] must be a sensor as mdi_sensor_info returns it"):
        identity.decide("auto", ["dc1"])


@pytest.mark.parametrize("missing, named", [(("type", "version"), r"sensors\[1\]\.type and sensors\[1\]\.version:"),
                                            (("version",), r"sensors\[1\]\.version:"), (("type",), r"sensors\[1\]\.type:")])
@pytest.mark.parametrize("requested", identity.CHOICES)
def test_a_sensor_without_type_or_version_is_refused_not_taken_for_no_sensor(missing, named, requested):
    # Without them {"name": "dc1"} passed for a sensor that is no DC sensor, or of unknown version: gMSA allowed.
    partial = {k: v for k, v in sensor("dc2.corp.example.test", V3).items() if k not in missing}
    with pytest.raises(CloudError, match=rf"sensor dc2.corp.example.test lacks {named} give each sensor's name, type and version"):
        identity.decide(requested, [ALL_V2[0], partial])
    with pytest.raises(CloudError, match=named):
        identity.guard(True, False, [ALL_V2[0], partial], None)


@pytest.mark.parametrize("field, value", [("version", 3.0), ("version", 3), ("type", None), ("type", ["domainControllerIntegrated"])])
def test_a_version_or_type_that_is_no_string_is_refused(field, value):
    # YAML reads an unquoted version 3.0 as a number, which generation() cannot read: a v3 sensor would pass for unknown.
    with pytest.raises(CloudError, match=r"sensors\[0\] \(sensor dc1.corp.example.test\): type and version must be strings"):
        identity.decide("gmsa", [{**sensor("dc1.corp.example.test"), field: value}])


def test_a_null_version_is_an_unknown_one_as_graph_gives_it():
    decision = identity.decide("gmsa", [sensor("dc1.corp.example.test", None)])
    assert decision["allowed"] and decision["sensors"][0]["generation"] is None


def test_merge_migration_matches_by_id_then_by_name_and_domain():
    sensors = [sensor("dc1.corp.example.test"), {**sensor("dc2.corp.example.test"), "id": "other", "name": "DC2"}]
    migrations = [{"id": "dc1.corp.example.test", "name": "DC1", "domain": "corp.example.test", "migration_state": "readyForMigration"},
                  {"id": "x", "name": "dc2", "domain": "CORP.example.test", "migration_state": "migrating"}]
    assert [s["migration_state"] for s in identity.merge_migration(sensors, migrations)] == ["readyForMigration", "migrating"]
    assert identity.merge_migration(sensors, [])[0]["migration_state"] is None


def test_guard_refuses_a_gmsa_or_local_system_off_with_v3_sensors():
    with pytest.raises(CloudError, match=r"refused to register a gMSA action account, before any change: .*dc2.corp.example.test"):
        identity.guard(True, False, MIXED, None)
    with pytest.raises(CloudError, match="refused to turn LocalSystem off"):
        identity.guard(False, True, MIGRATING, None)


def test_guard_passes_harmless_changes_and_v2_tenants_and_warns_when_unchecked():
    assert identity.guard(False, False, ALL_V3, None) == []
    assert identity.guard(True, True, ALL_V2, None) == []
    warnings = identity.guard(True, False, None, "no credentials")
    assert len(warnings) == 1 and "Could not check the sensor generations" in warnings[0]


GMSA = {"id": "mdiAction@corp.example.test", "account_name": "mdiAction", "domain": "corp.example.test", "gmsa": True}


@pytest.mark.parametrize("sensors, accounts, local_system, ok", [
    (ALL_V3, [], True, True), (ALL_V3, [GMSA], True, False), (ALL_V3, [], False, False),
    (MIXED, [GMSA], False, False), (MIGRATING, [], True, True),
    (ALL_V2, [GMSA], False, True), (ALL_V2, [], True, True), (ALL_V2, [GMSA], True, True), (ALL_V2, [], False, False),
    (ALL_V2, [{**GMSA, "gmsa": False}], False, False),
])
def test_configuration_check_matches_the_portal_against_the_sensors(sensors, accounts, local_system, ok):
    check = identity.configuration_check(identity.decide("auto", sensors), accounts, local_system)
    assert check["ok"] is ok, check
    if not ok and sensors is not ALL_V2:
        assert identity.MICROSOFT_STATEMENT in check["detail"]


def test_configuration_check_fails_when_the_sensors_are_unknown():
    check = identity.configuration_check(identity.decide("auto", None, unreadable="403"), [], True)
    assert check["ok"] is False and "Not judged" in check["detail"]

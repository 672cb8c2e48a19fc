# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""action_identity_info against the lab's fake Graph and portal: the decision per sensor generation, the beta
migration list read where the app may, the portal judged against the sensors, and nothing ever written."""
from __future__ import annotations

import pytest

from .conftest import assert_no_secrets, play

MODULE = "mdi.action_accounts.action_identity_info"


def decide(run, cloud, app="sensors_reader", portal=False, **args):
    options = {**cloud.graph_args(app), **(cloud.portal_args() if portal else {}), **args}
    result = run(play([{"name": "decide", MODULE: options}]))
    return result.task_results("decide")["localhost"], result


@pytest.mark.parametrize("generation, identity, conflicts", [
    ("v2", "gmsa", []), ("v3", "local_system", ["dc1", "dc2", "dc3"]), ("mixed", "local_system", ["dc2"]),
    ("migrating", "local_system", ["dc2"])])
def test_the_decision_follows_the_sensor_generation(run, cloud, generation, identity, conflicts):
    cloud.settings(sensor_generation=generation)
    result, _run = decide(run, cloud)
    assert (result["identity"], result["allowed"], result["checked"], result["changed"]) == (identity, True, True, False)
    assert [name.split(".")[0] for name in result["conflicts"]] == conflicts
    states = {s["name"].split(".")[0]: s["migration_state"] for s in result["sensors"]}
    assert states["dc2"] == {"v2": "readyForMigration", "v3": "upToDate", "mixed": "upToDate", "migrating": "migrating"}[generation]


def test_without_the_migration_permission_it_decides_from_versions_and_warns(run, cloud):
    result, _run = decide(run, cloud, app="sensors_only")
    assert result["identity"] == "gmsa" and all(s["migration_state"] is None for s in result["sensors"])
    assert any("SecurityIdentitiesMigration.Read.All" in w for w in result["warnings"])


def test_gmsa_on_mixed_is_not_allowed_and_auto_without_permission_cannot_decide(run, cloud):
    cloud.settings(sensor_generation="mixed")
    refused, _run = decide(run, cloud, identity="gmsa")
    assert (refused["allowed"], refused["identity"]) == (False, None) and not refused.get("failed")
    assert "dc2.corp.example.test (version 3." in refused["reason"]
    blind, _run = decide(run, cloud, app="no_permissions")
    assert (blind["allowed"], blind["checked"]) == (False, False) and "SecurityIdentitiesSensors.Read.All" in blind["reason"]


def test_the_portal_is_judged_against_the_sensors_and_nothing_is_written(run, cloud):
    cloud.settings(sensor_generation="v3")
    result, raw = decide(run, cloud, portal=True)
    assert result["portal"] == {"accounts": [], "local_system": True} and result["configuration"]["ok"] is True
    assert [r for r in cloud.requests() if r["method"] != "GET"] == [r for r in cloud.requests() if r["path"].endswith("/token")]
    assert_no_secrets(raw.stdout + raw.stderr, cloud.secrets())

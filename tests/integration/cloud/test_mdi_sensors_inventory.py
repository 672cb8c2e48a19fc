# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The mdi_sensors inventory plugin against the lab's fake Graph, through real ansible-inventory runs."""
from __future__ import annotations

import json

from .conftest import assert_no_secrets


def plain(value):
    """ansible-inventory marks values from inventory plugins as unsafe (never templated): {"__ansible_unsafe": value}."""
    return value.get("__ansible_unsafe", value) if isinstance(value, dict) else value


def test_graph_groups_the_domain_controllers_by_domain(run_inventory, cloud):
    proc = run_inventory(cloud.graph_args(), "--graph")
    assert proc.returncode == 0, proc.stderr
    lines = [line.strip(" |-") for line in proc.stdout.splitlines()]
    hosts = cloud.sensor_hosts()
    for group in ("@domain_controllers:", "@domain_corp_example_test:"):
        start = lines.index(group)
        assert sorted(lines[start + 1:start + 1 + len(hosts)]) == hosts


def test_second_domain_and_sensor_types(run_inventory, cloud):
    second = cloud.info["second_domain_sensors"][0]
    adfs = cloud.sensor_hosts()[1]
    cloud.settings(second_domain=True, sensor_overrides={adfs: {"sensorType": "adfsIntegrated"}})
    proc = run_inventory(cloud.graph_args(), "--list")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    child_group = "domain_" + second["domain"].replace(".", "_")
    assert data[child_group]["hosts"] == [second["fqdn"]]
    assert sorted(data["domain_controllers"]["hosts"]) == sorted({*cloud.sensor_hosts(), second["fqdn"]} - {adfs})
    assert sorted(data["domain_corp_example_test"]["hosts"]) == cloud.sensor_hosts()


def test_host_variables_and_keyed_groups(run_inventory, cloud):
    config = {**cloud.graph_args(), "keyed_groups": [{"key": "mdi_sensor_health", "prefix": "mdi"}],
              "compose": {"mdi_short_name": "mdi_sensor_name | lower"}}
    proc = run_inventory(config, "--list")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    host = cloud.sensor_hosts()[0]
    hostvars = {k: plain(v) for k, v in data["_meta"]["hostvars"][host].items()}
    assert hostvars["mdi_sensor_id"] and hostvars["mdi_domain"] == "corp.example.test"
    assert hostvars["mdi_sensor_type"] == "domainControllerIntegrated" and hostvars["mdi_sensor_health"] == "healthy"
    assert hostvars["mdi_sensor_version"] and hostvars["mdi_short_name"] == host.split(".")[0]
    assert sorted(data["mdi_healthy"]["hosts"]) == cloud.sensor_hosts()


def test_secret_from_the_environment(run_inventory, cloud):
    args = cloud.graph_args()
    secret = args.pop("client_secret")
    proc = run_inventory(args, "--graph", env={"AZURE_CLIENT_SECRET": secret})
    assert proc.returncode == 0 and "@domain_controllers:" in proc.stdout, proc.stderr


def test_a_refusal_fails_the_source_clearly_without_secrets(run_inventory, cloud):
    proc = run_inventory(cloud.graph_args(app="no_permissions"), "--graph", "-vvvv", env={"ANSIBLE_INVENTORY_UNPARSED_FAILED": "true"})
    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert "Failed to list MDI sensors: the app lacks the Microsoft Graph application permission SecurityIdentitiesSensors.Read.All" in output
    ok = run_inventory(cloud.graph_args(), "--list", "-vvvv")
    assert ok.returncode == 0
    assert_no_secrets(output + ok.stdout + ok.stderr, cloud.secrets())

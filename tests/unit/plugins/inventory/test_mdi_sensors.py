# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.mdi.action_accounts.plugins.inventory import mdi_sensors
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError

SENSORS = [
    {"id": "s1", "name": "DC1", "host_name": "dc1.corp.example.test", "domain": "corp.example.test", "type": "domainControllerIntegrated",
     "health": "healthy", "version": "2.250", "deployment_status": "upToDate", "open_health_issues": 0, "dns_names": []},
    {"id": "s2", "name": "ADFS1", "host_name": "adfs1.corp.example.test", "domain": "corp.example.test", "type": "adfsIntegrated",
     "health": "notHealthyLow", "version": "2.250", "deployment_status": "upToDate", "open_health_issues": 1, "dns_names": []},
    {"id": "s3", "name": "DC9", "host_name": "dc9.emea.fabrikam-x.test", "domain": "emea.fabrikam-x.test", "type": "domainControllerIntegrated",
     "health": "healthy", "version": "2.251", "deployment_status": "upToDate", "open_health_issues": 0, "dns_names": []},
]


@pytest.mark.parametrize("domain, group", [("corp.example.test", "domain_corp_example_test"), ("EMEA.Fabrikam-X.test", "domain_emea_fabrikam_x_test")])
def test_domain_groups_are_sanitised(domain, group):
    assert mdi_sensors.domain_group(domain) == group


@pytest.fixture(name="parse")
def fixture_parse(tmp_path, monkeypatch):
    """parse(config text, sensors or exception) -> (InventoryData, params the backend got)."""
    seen = {}

    def parse(config: str, result=None):
        result = SENSORS if result is None else result

        class FakeGraph:
            def sensors(self):
                if isinstance(result, Exception):
                    raise result
                return result

        def graph_client(params):
            seen.update(params)
            return FakeGraph()

        monkeypatch.setattr(mdi_sensors, "graph_client", graph_client)
        path = tmp_path / "lab.mdi_sensors.yml"
        path.write_text(config)
        plugin = inventory_loader.get("mdi.action_accounts.mdi_sensors")
        assert plugin.verify_file(str(path)) and not plugin.verify_file(str(tmp_path / "other.yml"))
        inventory = InventoryData()
        plugin.parse(inventory, DataLoader(), str(path), cache=False)
        return inventory, seen
    return parse


def test_groups_and_host_vars(parse, monkeypatch):
    monkeypatch.setenv("AZURE_CLIENT_SECRET", "secret-from-env")
    inventory, params = parse("plugin: mdi.action_accounts.mdi_sensors\ntenant_id: t1\nclient_id: c1\ntimeout: 5\n")
    assert params["tenant_id"] == "t1" and params["client_secret"] == "secret-from-env" and params["timeout"] == 5
    assert params["graph_url"] == "https://graph.microsoft.com" and params["retries"] == 3
    groups = inventory.groups
    assert sorted(h.name for h in groups["domain_controllers"].get_hosts()) == ["dc1.corp.example.test", "dc9.emea.fabrikam-x.test"]
    assert sorted(h.name for h in groups["domain_corp_example_test"].get_hosts()) == ["adfs1.corp.example.test", "dc1.corp.example.test"]
    assert [h.name for h in groups["domain_emea_fabrikam_x_test"].get_hosts()] == ["dc9.emea.fabrikam-x.test"]
    assert inventory.get_host("dc1.corp.example.test").vars == {
        "mdi_sensor_id": "s1", "mdi_sensor_name": "DC1", "mdi_sensor_type": "domainControllerIntegrated", "mdi_sensor_health": "healthy",
        "mdi_sensor_version": "2.250", "mdi_domain": "corp.example.test", "inventory_file": None, "inventory_dir": None}


def test_options_set_in_the_file_win_over_the_environment(parse, monkeypatch):
    monkeypatch.setenv("MDI_GRAPH_URL", "https://graph.from.env")
    monkeypatch.setenv("AZURE_TENANT_ID", "tenant-from-env")
    _inventory, params = parse("plugin: mdi.action_accounts.mdi_sensors\ngraph_url: https://graph.microsoft.us\n")
    assert params["graph_url"] == "https://graph.microsoft.us" and params["tenant_id"] == "tenant-from-env"


def test_constructed_options(parse):
    config = ("plugin: mdi.action_accounts.mdi_sensors\ndomain_controller_types: [domainControllerIntegrated, adfsIntegrated]\n"
              "compose:\n  mdi_short: mdi_sensor_name | lower\nkeyed_groups:\n  - key: mdi_sensor_health\n    prefix: health\n")
    inventory, _params = parse(config)
    assert len(inventory.groups["domain_controllers"].get_hosts()) == 3
    assert inventory.get_host("adfs1.corp.example.test").vars["mdi_short"] == "adfs1"
    assert [h.name for h in inventory.groups["health_notHealthyLow"].get_hosts()] == ["adfs1.corp.example.test"]


def test_cloud_errors_fail_the_source_with_the_collection_message(parse):
    with pytest.raises(AnsibleParserError, match="Failed to list MDI sensors: the app lacks"):
        parse("plugin: mdi.action_accounts.mdi_sensors\n", CloudError("the app lacks SecurityIdentitiesSensors.Read.All"))


def test_bad_option_values_fail_clearly(parse):
    with pytest.raises(AnsibleError, match="'retries'.* invalid value"):
        parse("plugin: mdi.action_accounts.mdi_sensors\nretries: lots\n")

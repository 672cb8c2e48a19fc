# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import graph
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._cloud.fakes import FakeResponse

BASE = "https://graph.example.test"


def sensor(n, **extra):
    item = {"id": f"id-{n}", "displayName": f"DC{n}", "domainName": "Corp.Example.Test", "sensorType": "domainControllerIntegrated",
            "healthStatus": "healthy", "version": "2.250.1.1", "deploymentStatus": "upToDate", "openHealthIssuesCount": 0,
            "settings": {"domainControllerDnsNames": [f"DC{n}.corp.example.test"]}}
    item.update(extra)
    return item


class Tokens:
    def __init__(self):
        self.calls = 0

    def token(self):
        self.calls += 1
        return "tok-abcdef"


def _client(make_http, *replies):
    http, session, _sleeps = make_http(*replies)
    return graph.GraphClient(http, Tokens(), BASE + "/"), session


def test_sensors_follow_next_link_and_normalize(make_http):
    page1 = {"value": [sensor(1), sensor(2)], "@odata.nextLink": f"{BASE}{graph.SENSORS_PATH}?$skiptoken=2"}
    client, session = _client(make_http, FakeResponse(200, page1), FakeResponse(200, {"value": [sensor(3)]}))
    sensors = client.sensors()
    assert [s["host_name"] for s in sensors] == ["dc1.corp.example.test", "dc2.corp.example.test", "dc3.corp.example.test"]
    assert sensors[0] == {"id": "id-1", "name": "DC1", "host_name": "dc1.corp.example.test", "domain": "corp.example.test",
                          "type": "domainControllerIntegrated", "health": "healthy", "version": "2.250.1.1",
                          "deployment_status": "upToDate", "open_health_issues": 0, "dns_names": ["DC1.corp.example.test"]}
    assert [c["url"] for c in session.calls] == [BASE + graph.SENSORS_PATH, page1["@odata.nextLink"]]
    assert all(c["headers"]["Authorization"] == "Bearer tok-abcdef" and c["allow_redirects"] is False for c in session.calls)


def test_a_next_link_to_another_host_is_not_followed(make_http):
    page = {"value": [sensor(1)], "@odata.nextLink": "https://evil.example/steal"}
    client, session = _client(make_http, FakeResponse(200, page))
    with pytest.raises(CloudError, match="nextLink does not point at graph_url"):
        client.sensors()
    assert len(session.calls) == 1


@pytest.mark.parametrize("status, method, text", [
    (403, "sensors", "lacks the Microsoft Graph application permission SecurityIdentitiesSensors.Read.All"),
    (403, "health_issues", "lacks the Microsoft Graph application permission SecurityIdentitiesHealth.Read.All"),
    (403, "sensor_migrations", "lacks the Microsoft Graph application permission SecurityIdentitiesMigration.Read.All"),
    (401, "sensors", "Microsoft Graph refused the access token"),
    (404, "sensors", "check graph_url"),
])
def test_refusals_are_explained(make_http, status, method, text):
    client, _session = _client(make_http, FakeResponse(status, {"error": {"code": "Forbidden", "message": "nope"}}))
    with pytest.raises(CloudError, match=text) as caught:
        getattr(client, method)()
    assert caught.value.status == status


@pytest.mark.parametrize("body, text", [
    ({"values": []}, "no 'value' list; check graph_url"),
    ([], "no 'value' list"),
    ({"value": ["DC1"]}, "an item is str"),
    ({"value": [{"displayName": "DC1"}]}, "field 'id' is NoneType"),
    ({"value": [sensor(1, domainName=None)]}, "field 'domainName'"),
    ({"value": [sensor(1, openHealthIssuesCount="3")]}, "field 'openHealthIssuesCount' is str"),
    ({"value": [sensor(1, openHealthIssuesCount=True)]}, "field 'openHealthIssuesCount' is bool"),
    ({"value": [sensor(1, settings={"domainControllerDnsNames": [1]})]}, "holds something other than names"),
])
def test_unexpected_shapes_fail(make_http, body, text):
    client, _session = _client(make_http, FakeResponse(200, body))
    with pytest.raises(CloudError, match=text):
        client.sensors()


def test_html_is_not_a_sensor_list(make_http):
    client, _session = _client(make_http, FakeResponse(200, text="<html/>", headers={"Content-Type": "text/html"}))
    with pytest.raises(CloudError, match="HTML page"):
        client.sensors()


def test_host_name_falls_back_to_display_name():
    assert graph.normalize_sensor(sensor(1, settings=None))["host_name"] == "dc1"


def test_health_issues_normalize(make_http):
    issue = {"id": "h1", "displayName": "Sensor stopped", "healthIssueType": "sensor", "severity": "high", "status": "open",
             "domainNames": ["corp.example.test"], "sensorDNSNames": ["dc1.corp.example.test"], "recommendations": ["Start it"],
             "createdDateTime": "2026-01-01T00:00:00Z", "description": "The sensor stopped.", "issueTypeId": "1010",
             "recommendedActionCommands": ["Start-Service AATPSensor"], "lastModifiedDateTime": "2026-01-02T00:00:00Z"}
    client, _session = _client(make_http, FakeResponse(200, {"value": [issue]}))
    assert client.health_issues() == [{
        "id": "h1", "display_name": "Sensor stopped", "type": "sensor", "severity": "high", "status": "open",
        "description": "The sensor stopped.", "domain_names": ["corp.example.test"], "sensor_dns_names": ["dc1.corp.example.test"],
        "recommendations": ["Start it"], "recommended_action_commands": ["Start-Service AATPSensor"], "additional_information": [],
        "issue_type_id": "1010", "created": "2026-01-01T00:00:00Z", "last_modified": "2026-01-02T00:00:00Z"}]


def test_sensor_migrations_come_from_beta_and_normalize(make_http):
    item = {"id": "id-2", "displayName": "DC2", "domainName": "Corp.Example.Test", "version": "2.250.1.1", "migrationState": "migrating",
            "sensorType": "domainControllerIntegrated"}
    client, session = _client(make_http, FakeResponse(200, {"value": [item]}))
    assert client.sensor_migrations() == [{"id": "id-2", "name": "DC2", "domain": "corp.example.test", "version": "2.250.1.1",
                                           "migration_state": "migrating"}]
    assert session.calls[0]["url"] == BASE + "/beta/security/identities/sensorMigration"


def test_a_migration_without_its_state_is_a_shape_error(make_http):
    client, _session = _client(make_http, FakeResponse(200, {"value": [{"id": "id-2", "displayName": "DC2"}]}))
    with pytest.raises(CloudError, match="field 'migrationState' is NoneType"):
        client.sensor_migrations()

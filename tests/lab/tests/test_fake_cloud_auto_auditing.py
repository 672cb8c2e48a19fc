# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fake Graph's autoAuditingConfiguration (fake_cloud/auto_auditing.py), spoken to with plain requests: the verbs
each version documents, the permission per token role, the body it accepts, the two answer shapes and the 404 of a
tenant without an MDI workspace."""
from __future__ import annotations

import pytest
import requests

from test_fake_cloud import _control, _graph, _settings, _token
from test_fake_cloud import fixture_cloud  # noqa: F401  pylint: disable=unused-import  # the `cloud` fixture

PATH = "/security/identities/settings/autoAuditingConfiguration"
TYPE = "#microsoft.graph.security.autoAuditingConfiguration"


def _write(cloud: dict, method: str, version: str, body, app: str = "sensors_reader"):
    token = _token(cloud, app)["access_token"]
    return requests.request(method, f"{cloud['graph_url']}/{version}{PATH}", json=body, headers={"Authorization": f"Bearer {token}"},
                            verify=cloud["ca_cert"], timeout=10)


def _value(cloud: dict, version: str = "v1.0", app: str = "sensors_reader"):
    resp = _graph(cloud, f"/{version}{PATH}", _token(cloud, app)["access_token"])
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_get_is_a_top_level_entity_false_at_first(cloud):
    body = _value(cloud)
    assert body["isAutomatic"] is False and body["@odata.type"] == TYPE
    assert body["@odata.context"].endswith("/v1.0/$metadata#security/identities/settings/autoAuditingConfiguration/$entity")


@pytest.mark.parametrize("version, method, status", [("v1.0", "PATCH", 204), ("beta", "PATCH", 204), ("beta", "POST", 200)])
def test_the_documented_verbs_set_it_and_it_persists(cloud, version, method, status):
    resp = _write(cloud, method, version, {"@odata.type": TYPE, "isAutomatic": True})
    assert resp.status_code == status, resp.text
    assert _value(cloud, "beta")["isAutomatic"] is True and _control(cloud, "GET", "state").json()["auto_auditing"] is True
    assert _write(cloud, method, version, {"isAutomatic": False}).status_code == status
    assert _value(cloud)["isAutomatic"] is False


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_v1_takes_patch_only(cloud, method):
    resp = _write(cloud, method, "v1.0", {"isAutomatic": True})
    assert resp.status_code == 405 and _value(cloud)["isAutomatic"] is False


@pytest.mark.parametrize("body", [{"isAutomatic": "true"}, {}, {"isAutomatic": True, "extra": 1}, [True],
                                  {"@odata.type": "#microsoft.graph.security.sensor", "isAutomatic": True}])
def test_a_bad_body_is_400(cloud, body):
    resp = _write(cloud, "PATCH", "v1.0", body)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "BadRequest"
    assert _value(cloud)["isAutomatic"] is False


def test_permissions_per_token_role(cloud):
    assert _value(cloud, app="auditing_reader")["isAutomatic"] is False  # Read.All reads
    refused = _write(cloud, "PATCH", "v1.0", {"isAutomatic": True}, app="auditing_reader")
    assert refused.status_code == 403 and "SecurityIdentitiesAutoConfig.ReadWrite.All" in refused.json()["error"]["message"]
    nothing = _graph(cloud, f"/v1.0{PATH}", _token(cloud, "no_permissions")["access_token"])
    assert nothing.status_code == 403 and "SecurityIdentitiesAutoConfig.Read.All" in nothing.json()["error"]["message"]
    assert _graph(cloud, f"/v1.0{PATH}").status_code == 401


def test_settings_wrap_the_value_and_remove_the_workspace(cloud):
    _settings(cloud, wrap_single_values=True)
    assert _value(cloud)["value"] == {"@odata.type": TYPE, "isAutomatic": False}
    _settings(cloud, mdi_workspace=False)
    resp = _graph(cloud, f"/v1.0{PATH}", _token(cloud)["access_token"])
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "ResourceNotFound"


def test_a_state_reset_turns_it_off(cloud):
    assert _write(cloud, "PATCH", "v1.0", {"isAutomatic": True}).status_code == 204
    assert _control(cloud, "POST", "reset", {"state": True}).json()["auto_auditing"] is False

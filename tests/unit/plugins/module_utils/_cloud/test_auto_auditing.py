# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The automatic auditing switch: payload, both answer shapes, and the task's reads and writes over scripted HTTP."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import auto_auditing as aud
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import auto_auditing_task, graph
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._cloud.fakes import FakeResponse

BASE = "https://graph.example.test"
URL = BASE + "/v1.0/security/identities/settings/autoAuditingConfiguration"


def answer(value: bool, wrapped: bool = False) -> FakeResponse:
    entity = {"@odata.type": aud.ODATA_TYPE, "isAutomatic": value}
    return FakeResponse(200, {"@odata.context": "ctx", "value": entity} if wrapped else {"@odata.context": "ctx", **entity})


def refusal(status: int, code: str = "Forbidden", message: str = "Missing application roles.") -> FakeResponse:
    return FakeResponse(status, {"error": {"code": code, "message": message}})


@pytest.mark.parametrize("wrapped", [False, True])
@pytest.mark.parametrize("value", [True, False])
def test_parse_reads_both_shapes(value, wrapped):
    assert aud.parse(answer(value, wrapped).json()) is value


@pytest.mark.parametrize("body", [{}, {"value": []}, {"isAutomatic": "true"}, {"value": {"isAutomatic": None}}, [], None])
def test_parse_refuses_anything_else(body):
    with pytest.raises(CloudError, match="no boolean isAutomatic"):
        aud.parse(body)


def test_payload_and_paths():
    assert aud.payload(1) == {"@odata.type": "#microsoft.graph.security.autoAuditingConfiguration", "isAutomatic": True}
    assert aud.path("beta") == "/beta/security/identities/settings/autoAuditingConfiguration"
    assert aud.WRITE_METHODS == {"v1.0": "PATCH", "beta": "POST"}


class Tokens:
    def token(self):
        return "tok-abcdef"


def params(enabled=None, api_version="v1.0") -> dict:
    return {"enabled": enabled, "api_version": api_version}


@pytest.fixture(name="run")
def fixture_run(make_http, monkeypatch):
    """run(params, *replies, check_mode=False) -> (result, the requests made)."""
    def run(task_params, *replies, check_mode=False):
        http, session, _sleeps = make_http(*replies)
        monkeypatch.setattr(auto_auditing_task, "graph_client", lambda _params: graph.GraphClient(http, Tokens(), BASE))
        return auto_auditing_task.auto_auditing(task_params, check_mode=check_mode), session.calls
    return run


def test_reading_only_never_writes(run):
    result, calls = run(params(), answer(True))
    assert result == {"changed": False, "enabled": True, "api_version": "v1.0",
                      "diff": {"before": {"enabled": True}, "after": {"enabled": True}}}
    assert [(c["method"], c["url"]) for c in calls] == [("GET", URL)]


def test_equal_value_sends_no_patch(run):
    result, calls = run(params(enabled=False), answer(False, wrapped=True))
    assert result["changed"] is False and [c["method"] for c in calls] == ["GET"]


def test_check_mode_only_reads_and_predicts(run):
    result, calls = run(params(enabled=True), answer(False), check_mode=True)
    assert result["changed"] is True and result["enabled"] is True
    assert result["diff"] == {"before": {"enabled": False}, "after": {"enabled": True}}
    assert [c["method"] for c in calls] == ["GET"]


@pytest.mark.parametrize("version, method, status", [("v1.0", "PATCH", 204), ("beta", "POST", 200)])
def test_a_change_is_written_with_the_versions_verb_then_read_back(run, version, method, status):
    result, calls = run(params(enabled=True, api_version=version), answer(False), FakeResponse(status), answer(True))
    assert result["changed"] is True and result["enabled"] is True and result["api_version"] == version
    assert [c["method"] for c in calls] == ["GET", method, "GET"]
    assert calls[1]["url"] == f"{BASE}/{version}/security/identities/settings/autoAuditingConfiguration"
    assert calls[1]["json"] == aud.payload(True)


def test_a_write_graph_ignored_fails(run):
    with pytest.raises(CloudError, match="accepted the change but still reports isAutomatic=false .try api_version=beta"):
        run(params(enabled=True), answer(False), FakeResponse(204), answer(False))


@pytest.mark.parametrize("enabled, permission", [(None, aud.READ_PERMISSION), (True, aud.WRITE_PERMISSION)])
def test_a_read_refusal_names_the_permission_the_task_needs(run, enabled, permission):
    with pytest.raises(CloudError, match=f"lacks the Microsoft Graph application permission {permission} .grant it"):
        run(params(enabled=enabled), refusal(403))


def test_a_write_refusal_names_the_write_permission(run):
    with pytest.raises(CloudError, match=f"permission {aud.WRITE_PERMISSION} .grant it") as caught:
        run(params(enabled=True), answer(False), refusal(403))
    assert caught.value.action == aud.WRITE_ACTION and caught.value.status == 403


def test_no_workspace_is_404_explained(run):
    with pytest.raises(CloudError, match="no Defender for Identity workspace") as caught:
        run(params(), refusal(404, "ResourceNotFound", "Resource not found"))
    assert caught.value.status == 404


def test_a_tenant_never_onboarded_is_not_told_to_grant_a_permission(run):
    message = "Tenant is not onboarded to Microsoft Defender for Identity."
    with pytest.raises(CloudError, match="not onboarded to Microsoft Defender for Identity .license it") as caught:
        run(params(), refusal(403, "Forbidden", message))
    assert "permission" not in str(caught.value).split("(HTTP", maxsplit=1)[0]


def test_throttling_is_waited_out(make_http, monkeypatch):
    throttled = FakeResponse(429, {"error": {"code": "TooManyRequests", "message": "slow down"}}, headers={"Retry-After": "7"})
    http, session, sleeps = make_http(throttled, answer(True))
    monkeypatch.setattr(auto_auditing_task, "graph_client", lambda _params: graph.GraphClient(http, Tokens(), BASE))
    assert auto_auditing_task.auto_auditing(params())["enabled"] is True
    assert sleeps == [7.0] and len(session.calls) == 2

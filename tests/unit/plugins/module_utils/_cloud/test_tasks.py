# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import tasks
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError

DOMAIN = "corp.example.test"
PARAMS = {"state": "present", "name": "mdiAction$", "domain": DOMAIN, "use_local_system": None, "mode": "api",
          "portal_url": "https://security.microsoft.us/apiproxy/aatp", "portal_sccauth": "cookie-value", "portal_xsrf_token": "xsrf-value",
          "ca_cert": None, "validate_certs": True, "timeout": 30, "retries": 3}


class FakePortal:
    """The portal's observable behaviour, in memory; ``fail`` maps a write kind to a CloudError status to raise once."""
    accounts_state: list = []
    local_system_state = True
    writes: list = []
    fail: dict = {}
    ignore_writes = False

    def __init__(self, http, portal_url, portal_sccauth, portal_xsrf_token):
        self.http = http

    def accounts(self):
        return [dict(a) for a in FakePortal.accounts_state]

    def local_system(self):
        return FakePortal.local_system_state

    def _write(self, kind, value, apply):
        FakePortal.writes.append((kind, value))
        if not FakePortal.ignore_writes:
            apply()
        if kind in FakePortal.fail:
            raise CloudError("injected", action=kind, status=FakePortal.fail.pop(kind))

    def add(self, payload):
        account = {"id": f"{payload['AccountName']}@{payload['DomainDnsName']}", "account_name": payload["AccountName"],
                   "domain": payload["DomainDnsName"]}
        self._write("add", payload["AccountName"], lambda: FakePortal.accounts_state.append(account))

    def delete(self, account_id):
        self._write("remove", account_id, lambda: FakePortal.accounts_state.remove(
            next(a for a in FakePortal.accounts_state if a["id"] == account_id)))

    def set_local_system(self, enabled):
        self._write("local_system", enabled, lambda: setattr(FakePortal, "local_system_state", enabled))


@pytest.fixture(name="fake_portal", autouse=True)
def fixture_fake_portal(monkeypatch):
    FakePortal.accounts_state, FakePortal.local_system_state, FakePortal.writes = [], True, []
    FakePortal.fail, FakePortal.ignore_writes = {}, False
    monkeypatch.setattr(tasks, "PortalClient", FakePortal)
    return FakePortal


def test_check_mode_predicts_and_writes_nothing(fake_portal):
    result = tasks.action_account(PARAMS, check_mode=True)
    assert result["changed"] and fake_portal.writes == []
    assert result["accounts"] == [{"id": f"mdiAction@{DOMAIN}", "account_name": "mdiAction", "domain": DOMAIN}]
    assert result["local_system"] is False
    assert result["actions"] == [f"register mdiAction@{DOMAIN}", "turn LocalSystem off"]


def test_apply_then_idempotent(fake_portal):
    first = tasks.action_account(PARAMS)
    assert first["changed"] and fake_portal.writes == [("add", "mdiAction"), ("local_system", False)]
    assert first["diff"]["after"] == {"accounts": [f"mdiAction@{DOMAIN}"], "local_system": False}
    second = tasks.action_account(PARAMS)
    assert not second["changed"] and second["actions"] == [] and len(fake_portal.writes) == 2


def test_a_conflict_after_a_retry_is_fine_when_the_portal_then_shows_the_account(fake_portal):
    fake_portal.fail = {"add": 409}
    assert tasks.action_account(PARAMS)["changed"]


def test_a_write_the_portal_does_not_show_afterwards_fails(fake_portal):
    fake_portal.ignore_writes = True
    with pytest.raises(CloudError, match="accepted the changes but then showed otherwise"):
        tasks.action_account(PARAMS)


def test_other_write_failures_propagate(fake_portal):
    fake_portal.fail = {"local_system": 403}
    with pytest.raises(CloudError) as caught:
        tasks.action_account(PARAMS)
    assert caught.value.status == 403


def test_warnings_go_to_the_callback(fake_portal):
    fake_portal.accounts_state = [{"id": f"mdiAction@{DOMAIN}", "account_name": "mdiAction", "domain": DOMAIN}]
    fake_portal.local_system_state = False
    warned = []
    result = tasks.action_account({**PARAMS, "state": "absent", "use_local_system": False}, warn=warned.append)
    assert result["changed"] and result["accounts"] == [] and len(warned) == 1 and "no identity" in warned[0]


def test_manual_mode_talks_to_nobody(fake_portal, monkeypatch):
    monkeypatch.setattr(tasks, "PortalClient", None)  # would raise if used
    result = tasks.action_account({**PARAMS, "mode": "manual", "portal_sccauth": None})
    assert result["changed"] is False and result["mode"] == "manual"
    assert result["manual_steps"][0].startswith("Sign in to the Microsoft Defender portal (https://security.microsoft.us)")
    assert fake_portal.writes == []


def test_sensor_info_adds_health_issues_only_when_asked(monkeypatch):
    class FakeGraph:
        def sensors(self):
            return [{"id": "s1"}]

        def health_issues(self):
            return [{"id": "h1"}]

    monkeypatch.setattr(tasks, "graph_client", lambda params: FakeGraph())
    assert tasks.sensor_info({"health_issues": False}) == {"changed": False, "sensors": [{"id": "s1"}]}
    assert tasks.sensor_info({"health_issues": True})["health_issues"] == [{"id": "h1"}]


def test_missing_libraries_are_named(monkeypatch):
    assert tasks.missing_library(msal=True) is None
    monkeypatch.setattr(tasks, "HAS_MSAL", False)
    monkeypatch.setattr(tasks, "MSAL_IMPORT_ERROR", "Traceback: no msal")
    assert tasks.missing_library() is None
    assert tasks.missing_library(msal=True) == ("msal", "Traceback: no msal")


class FakeModule:
    """The AnsibleModule interface the backends use."""

    def __init__(self, params, check_mode=False):
        self.params, self.check_mode, self.warnings = params, check_mode, []

    def warn(self, text):
        self.warnings.append(text)

    def exit_json(self, **result):
        raise SystemExit(("exit", result))

    def fail_json(self, msg, **result):
        raise SystemExit(("fail", {"msg": msg, **result}))


def _outcome(run, module):
    with pytest.raises(SystemExit) as caught:
        run(module)
    return caught.value.args[0]


def test_run_action_account_exits_with_the_result(fake_portal):
    kind, result = _outcome(tasks.run_action_account, FakeModule(PARAMS, check_mode=True))
    assert kind == "exit" and result["changed"] is True and fake_portal.writes == []


def test_run_action_account_fails_with_the_collection_message(fake_portal):
    fake_portal.fail = {"add": 403}
    kind, result = _outcome(tasks.run_action_account, FakeModule(PARAMS))
    assert (kind, result["msg"], result["status"]) == ("fail", "Failed to add: injected", 403)


def test_run_sensor_info_reports_a_missing_library(monkeypatch):
    monkeypatch.setattr(tasks, "HAS_MSAL", False)
    monkeypatch.setattr(tasks, "MSAL_IMPORT_ERROR", "Traceback: no msal")
    kind, result = _outcome(tasks.run_sensor_info, FakeModule({}))
    assert kind == "fail" and "msal" in result["msg"] and result["exception"] == "Traceback: no msal"

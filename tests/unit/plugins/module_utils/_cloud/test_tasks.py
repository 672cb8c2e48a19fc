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
                   "domain": payload["DomainDnsName"], "gmsa": payload["IsGroupManagedServiceAccount"]}
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
    assert result["accounts"] == [{"id": f"mdiAction@{DOMAIN}", "account_name": "mdiAction", "domain": DOMAIN, "gmsa": True}]
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


# The sensor-generation guard and identity=local_system ------------------------------------------------------------------
V3_SENSORS = [{"name": "DC1", "host_name": "dc1.corp.example.test", "type": "domainControllerIntegrated", "version": "2.250.1.1"},
              {"name": "DC2", "host_name": "dc2.corp.example.test", "type": "domainControllerIntegrated", "version": "3.11.2560.2"}]
V2_SENSORS = [dict(V3_SENSORS[0])]
REGISTERED = {"id": f"mdiAction@{DOMAIN}", "account_name": "mdiAction", "domain": DOMAIN, "gmsa": True}


@pytest.mark.parametrize("check_mode", [True, False])
def test_registering_a_gmsa_with_a_v3_sensor_is_refused_before_any_write(fake_portal, check_mode):
    with pytest.raises(CloudError, match=r"refused to register a gMSA action account and turn LocalSystem off, before any change"
                                         r".*dc2.corp.example.test \(version 3.11.2560.2\)"):
        tasks.action_account({**PARAMS, "sensors": V3_SENSORS}, check_mode=check_mode)
    assert fake_portal.writes == [] and fake_portal.local_system_state is True


def test_keeping_a_registered_gmsa_with_a_v3_sensor_is_refused(fake_portal):
    fake_portal.accounts_state, fake_portal.local_system_state = [dict(REGISTERED)], True
    with pytest.raises(CloudError, match="refused to register a gMSA action account"):
        tasks.action_account({**PARAMS, "use_local_system": True, "sensors": V3_SENSORS})
    assert fake_portal.writes == []


def test_turning_local_system_off_on_removal_with_a_v3_sensor_is_refused(fake_portal):
    fake_portal.accounts_state, fake_portal.local_system_state = [dict(REGISTERED)], True
    with pytest.raises(CloudError, match="refused to turn LocalSystem off"):
        tasks.action_account({**PARAMS, "state": "absent", "use_local_system": False, "sensors": V3_SENSORS})
    assert fake_portal.writes == []


def test_removal_is_never_refused(fake_portal):
    fake_portal.accounts_state, fake_portal.local_system_state = [dict(REGISTERED)], False
    result = tasks.action_account({**PARAMS, "state": "absent", "sensors": V3_SENSORS})
    assert result["changed"] and fake_portal.writes == [("local_system", True), ("remove", REGISTERED["id"])]


def test_v2_sensors_let_the_gmsa_through_and_no_sensors_warn(fake_portal):
    assert tasks.action_account({**PARAMS, "sensors": V2_SENSORS})["changed"]
    fake_portal.accounts_state, fake_portal.writes = [], []
    warned = []
    tasks.action_account(PARAMS, warn=warned.append)
    assert any("Could not check the sensor generations" in w and "no Microsoft Graph credentials" in w for w in warned)


def test_the_guard_reads_graph_only_when_the_change_needs_it(fake_portal, monkeypatch):
    asked = []
    monkeypatch.setattr(tasks, "tenant_sensors", lambda params: asked.append(1) or (V3_SENSORS, None, None))
    fake_portal.accounts_state, fake_portal.local_system_state = [dict(REGISTERED)], False
    tasks.action_account({**PARAMS, "state": "absent"})
    assert asked == []
    with pytest.raises(CloudError, match="refused"):
        tasks.action_account({**PARAMS, "tenant_id": "t", "client_id": "c"})
    assert asked == [1]


def test_manual_mode_is_guarded_too(fake_portal, monkeypatch):
    monkeypatch.setattr(tasks, "PortalClient", None)
    with pytest.raises(CloudError, match="refused"):
        tasks.action_account({**PARAMS, "mode": "manual", "sensors": V3_SENSORS})


LOCAL_SYSTEM = {**PARAMS, "identity": "local_system", "name": None, "domain": None}


def test_local_system_turns_it_on_first_then_removes_every_gmsa_and_says_how_to_restore(fake_portal):
    other = {"id": "other@fabrikam.test", "account_name": "other", "domain": "fabrikam.test", "gmsa": True}
    password_account = {"id": "svc@corp.example.test", "account_name": "svc", "domain": DOMAIN, "gmsa": False}
    fake_portal.accounts_state, fake_portal.local_system_state = [dict(REGISTERED), dict(other), dict(password_account)], False
    warned = []
    predicted = tasks.action_account(LOCAL_SYSTEM, check_mode=True)
    assert fake_portal.writes == [] and predicted["removed"][0]["restore"].startswith("Would remove the gMSA action account mdiAction@")
    result = tasks.action_account(LOCAL_SYSTEM, warn=warned.append)
    assert fake_portal.writes == [("local_system", True), ("remove", REGISTERED["id"]), ("remove", other["id"])]
    assert (predicted["changed"], predicted["actions"], predicted["local_system"]) == (True, result["actions"], True)
    assert predicted["accounts"] == result["accounts"] == [password_account]
    assert [r["id"] for r in result["removed"]] == [REGISTERED["id"], other["id"]]
    assert "mdi_action_account name=mdiAction domain=corp.example.test" in result["removed"][0]["restore"]
    assert len(warned) == 2 and warned[0] == result["removed"][0]["restore"]
    again = tasks.action_account(LOCAL_SYSTEM)
    assert (again["changed"], again["removed"], len(fake_portal.writes)) == (False, [], 3)


def test_local_system_refuses_the_gmsa_options(fake_portal):
    with pytest.raises(CloudError, match="leave out name, domain"):
        tasks.action_account({**PARAMS, "identity": "local_system"})
    with pytest.raises(CloudError, match="leave out state=absent"):
        tasks.action_account({**LOCAL_SYSTEM, "state": "absent"})


def test_local_system_in_manual_mode_lists_the_steps(fake_portal):
    steps = tasks.action_account({**LOCAL_SYSTEM, "mode": "manual"})["manual_steps"]
    assert "Turn on the option to use the LocalSystem account" in steps[2] and "delete every group managed service account" in steps[3]


def test_action_identity_decides_from_given_sensors_and_judges_the_portal(fake_portal):
    fake_portal.accounts_state, fake_portal.local_system_state = [dict(REGISTERED)], False
    warned = []
    result = tasks.action_identity({**PARAMS, "identity": "auto", "sensors": V3_SENSORS}, warn=warned.append)
    assert (result["identity"], result["allowed"], result["conflicts"]) == ("local_system", True, ["dc2.corp.example.test"])
    assert "warnings" not in result and result["portal"] == {"accounts": [REGISTERED], "local_system": False}
    assert result["configuration"]["ok"] is False
    without_portal = tasks.action_identity({"identity": "auto", "sensors": V2_SENSORS})
    assert without_portal["identity"] == "gmsa" and "portal" not in without_portal


def test_action_identity_auto_without_credentials_is_not_allowed():
    result = tasks.action_identity({"identity": "auto"})
    assert (result["allowed"], result["checked"]) == (False, False) and "no Microsoft Graph credentials" in result["reason"]


def test_tenant_sensors_merges_the_migration_states_and_survives_a_refused_beta(monkeypatch):
    class FakeGraph:
        refuse = False

        def sensors(self):
            return [{"id": "s1", "name": "DC1", "domain": "corp.example.test", "version": "2.1"}]

        def sensor_migrations(self):
            if FakeGraph.refuse:
                raise CloudError("403 Forbidden", action="list MDI sensor migrations (Graph beta)", status=403)
            return [{"id": "s1", "name": "DC1", "domain": "corp.example.test", "migration_state": "migrating"}]

    monkeypatch.setattr(tasks, "graph_client", lambda params: FakeGraph())
    creds = {"tenant_id": "t", "client_id": "c"}
    sensors, unreadable, migration = tasks.tenant_sensors(creds)
    assert (sensors[0]["migration_state"], unreadable, migration) == ("migrating", None, None)
    FakeGraph.refuse = True
    sensors, unreadable, migration = tasks.tenant_sensors(creds)
    assert "migration_state" not in sensors[0] and unreadable is None and "403 Forbidden" in migration
    assert tasks.tenant_sensors({**creds, "migration": False})[2] == "not asked (migration=false)"


def test_health_info_marks_each_issue_with_its_kind_and_filters_on_it(monkeypatch):
    def one(issue_id, title):
        return {"id": issue_id, "display_name": title, "issue_type_id": None, "status": "open", "severity": "medium", "type": "global",
                "domain_names": [DOMAIN], "sensor_dns_names": []}

    class FakeGraph:
        def health_issues(self):
            return [one("a", "NTLM Auditing is not enabled"), one("d", "Read-only user password expired"), one("x", "Sensor outdated")]

    monkeypatch.setattr(tasks, "graph_client", lambda params: FakeGraph())
    filters = {"status": ["open"], "domains": [], "sensors": [], "severities": [], "types": []}
    every = tasks.health_info({**filters, "kinds": []})["health_issues"]
    assert [(i["id"], i["kind"]) for i in every] == [("a", "auditing"), ("d", "directory_service_account"), ("x", None)]
    chosen = tasks.health_info({**filters, "kinds": ["directory_service_account"]})
    assert [i["id"] for i in chosen["health_issues"]] == ["d"] and chosen["summary"]["total"]["count"] == 1

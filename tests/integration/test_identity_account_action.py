# -*- coding: utf-8 -*-
"""identity_account_action and mdi_health_info against the lab: the action asked of the fake Graph, carried out by the
lab's MDI 'sensor' on dc1 (as LocalSystem here: the portal's default), each effect read back over LDAP by the test
itself; check mode asks for nothing; an unknown account, a missing permission and throttling give clear outcomes."""
from __future__ import annotations

import json

import ldap3
import pytest

MODULE = "mdi.action_accounts.identity_account_action"


def _play(task: dict, check: bool = False) -> str:
    entry = {"name": "act", **({"check_mode": True} if check else {}), **task}
    return json.dumps([{"name": "mdi", "hosts": "dc1", "gather_facts": False, "tasks": [entry]}])


def _graph(cloud, app="sensors_reader") -> dict:
    args = cloud.graph_args(app)
    args["graph_ca_cert"] = args.pop("ca_cert")
    return args


def _act(playbook, cloud, check=False, app="sensors_reader", **args):
    result = playbook(_play({MODULE: {**_graph(cloud, app), **args}}, check))
    return result.task_results("act")["dc1"]


def _state(directory, dn) -> tuple[bool, int]:
    directory.search(dn, "(objectClass=*)", search_scope="BASE", attributes=["userAccountControl", "pwdLastSet"])
    entry = directory.entries[0]
    return not int(entry.userAccountControl.value) & 2, int(entry.pwdLastSet.raw_values[0])


def _actions(cloud) -> list[dict]:
    return cloud._control("GET", "actions")  # pylint: disable=protected-access  # the fake's own outcome log


def _invocations(cloud) -> list[dict]:
    return [r for r in cloud.requests("graph") if r["method"] == "POST" and r["path"].endswith("/invokeAction")]


@pytest.fixture(name="bob")
def fixture_bob(lab, directory):
    """bob, put back enabled with a set password whatever the test did."""
    dn = lab["samba"]["users"]["bob"]["dn"]
    yield dn
    directory.modify(dn, {"userAccountControl": [(ldap3.MODIFY_REPLACE, [512])], "pwdLastSet": [(ldap3.MODIFY_REPLACE, [-1])]})


def test_disable_enable_and_reset_are_carried_out_by_the_sensor(playbook, cloud, directory, bob):
    assert _state(directory, bob)[0] is True
    disabled = _act(playbook, cloud, account="CORP\\bob", action="disable", wait_timeout=30)
    assert disabled["changed"] is True and not disabled.get("failed"), disabled
    assert _state(directory, bob)[0] is False, "the test's own LDAP read does not see bob disabled"
    assert disabled["after"]["enabled"] is False and disabled["seconds_to_effect"] is not None and disabled["correlation_id"]
    [outcome] = _actions(cloud)
    assert (outcome["correlationId"], outcome["identity"], outcome["ok"]) == (disabled["correlation_id"], "LocalSystem", True)

    again = _act(playbook, cloud, account="bob@corp.example.test", action="disable")
    assert again["changed"] is False and len(_invocations(cloud)) == 1, "a disabled account was disabled again"

    enabled = _act(playbook, cloud, account=bob, action="enable", wait_timeout=30)
    assert enabled["changed"] and _state(directory, bob)[0] is True
    reset = _act(playbook, cloud, account="bob", action="force_password_reset", wait_timeout=30)
    assert reset["changed"] and reset["after"]["must_change_password"] and _state(directory, bob)[1] == 0
    assert [a["action"] for a in _actions(cloud)] == ["disable", "enable", "forcePasswordReset"]


def test_check_mode_finds_bob_in_mdi_and_asks_for_nothing(playbook, cloud, directory, bob):
    checked = _act(playbook, cloud, check=True, account="bob", action="disable")
    assert checked["changed"] is True and checked["identity_id"] and checked["account_id"] != checked["identity_id"]
    assert _invocations(cloud) == [] and _actions(cloud) == [] and _state(directory, bob)[0] is True


def test_an_unknown_account_and_a_missing_permission_fail_clearly(playbook, cloud):
    unknown = _act(playbook, cloud, account="nosuchuser", action="disable")
    assert unknown.get("failed") and "nosuchuser" in unknown["msg"]
    refused = _act(playbook, cloud, app="sensors_only", account="bob", action="disable")
    assert refused.get("failed") and "SecurityIdentitiesAccount.Read.All" in refused["msg"]
    assert _invocations(cloud) == []


def test_throttling_is_waited_out_as_graph_says(playbook, cloud, directory, bob):
    cloud.fault("graph", path="invokeAction$", status=429, retry_after="1", count=1)
    disabled = _act(playbook, cloud, account="bob", action="disable", wait_timeout=30)
    assert disabled["changed"] and not disabled.get("failed") and _state(directory, bob)[0] is False
    assert [r["status"] for r in _invocations(cloud)] == [429, 200]
    assert len(_actions(cloud)) == 1, "the throttled request must not have acted"


def test_health_issues_of_the_lab_domain(playbook, cloud, lab):
    domain = lab["samba"]["domain_dns"]
    task = {"mdi.action_accounts.mdi_health_info": {**cloud.graph_args(), "domains": [domain]}}
    result = playbook(_play(task)).task_results("act")["dc1"]
    assert [i["issue_type_id"] for i in result["health_issues"]] == ["1031"]
    assert result["summary"]["domains"][domain]["count"] == 1 and result["summary"]["total"]["worst"] == "medium"
    every = playbook(_play({"mdi.action_accounts.mdi_health_info": {**cloud.graph_args(), "status": []}})).task_results("act")["dc1"]
    assert {i["status"] for i in every["health_issues"]} == {"open", "closed"}
    refused = playbook(_play({"mdi.action_accounts.mdi_health_info": cloud.graph_args("sensors_only")})).task_results("act")["dc1"]
    assert refused.get("failed") and "SecurityIdentitiesHealth.Read.All" in refused["msg"]

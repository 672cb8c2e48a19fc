# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""identity_account_action's work over the fake directory and a fake Graph whose sensor changes the directory
after a few polls, as the real one does some time after Graph's 200."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._remediation import state as st
from ansible_collections.mdi.action_accounts.plugins.module_utils._remediation import task
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import DOMAIN_SID, run_backend

SID = f"{DOMAIN_SID}-1105"
PARAMS = {"account": "CORP\\alice", "server": "dc1.corp.example.test", "username": "admin", "password": "secret-pass", "wait_timeout": 5}


def _run(client, check_mode=False, **params):
    return run_backend(task, client, {**PARAMS, **params}, check_mode=check_mode)


def test_disable_asks_mdi_with_the_ad_account_and_waits_for_the_effect(lab):
    client, graph = lab
    result = _run(client, action="disable")
    assert result["changed"] is True and not result.get("failed"), result
    assert graph.lookups == [SID]
    assert graph.invoked == [("ident-1", {"accountId": "ad-1", "action": "disable", "identityProvider": "activeDirectory"})]
    assert (result["before"]["enabled"], result["after"]["enabled"], result["correlation_id"]) == (True, False, "corr-1")
    assert result["seconds_to_effect"] is not None and "seen in AD" in result["msg"]
    assert client.writes == [], "the module itself never writes to AD: the sensor does"
    assert "secret-pass" not in repr(result)


def test_disable_of_a_disabled_account_changes_nothing_and_asks_nobody(lab):
    client, graph = lab
    client.objects[next(dn for dn in client.objects if dn.startswith("CN=alice"))]["useraccountcontrol"] = [b"514"]
    result = _run(client, action="disable")
    assert result["changed"] is False and "already disabled" in result["msg"] and graph.lookups == [] and graph.invoked == []


def test_enable_and_force_password_reset(lab):
    client, graph = lab
    dn = next(dn for dn in client.objects if dn.startswith("CN=alice"))
    client.objects[dn]["useraccountcontrol"] = [b"514"]
    assert _run(client, action="enable")["after"]["enabled"] is True
    graph.delay = 1
    reset = _run(client, action="force_password_reset")
    assert reset["changed"] and reset["after"]["must_change_password"] and graph.invoked[-1][1]["action"] == "forcePasswordReset"


def test_check_mode_finds_the_account_in_mdi_and_asks_for_nothing(lab):
    client, graph = lab
    result = _run(client, check_mode=True, action="disable")
    assert result["changed"] is True and result["identity_id"] == "ident-1" and result["account_id"] == "ad-1"
    assert graph.invoked == [] and result["correlation_id"] is None


def test_a_sensor_that_never_acts_fails_with_the_correlation_id(lab):
    client, graph = lab
    graph.acts = False
    result = _run(client, action="disable", wait_timeout=3)
    assert result["failed"] and "corr-1" in result["msg"] and "did not show it within 3 s" in result["msg"]
    assert "verify_remediation_canary" in result["msg"] and result["after"]["enabled"] is True


def test_without_wait_it_ends_when_mdi_accepted(lab):
    client, graph = lab
    graph.acts = False
    result = _run(client, action="disable", wait=False)
    assert result["changed"] and "not waited for" in result["msg"] and result["seconds_to_effect"] is None


def test_a_reset_that_ad_cannot_show_warns_instead_of_waiting(lab):
    client, graph = lab
    client.objects[next(dn for dn in client.objects if dn.startswith("CN=alice"))]["pwdlastset"] = [b"0"]
    graph.acts = False
    result = _run(client, action="force_password_reset")
    assert result["changed"] and any("AD cannot show this reset" in w for w in result["warnings"])


def test_an_account_mdi_does_not_know_is_a_clear_failure(lab):
    client, graph = lab
    graph.known = False
    result = _run(client, action="disable")
    assert result["failed"] and "Defender for Identity does not know CORP\\alice" in result["msg"] and graph.invoked == []


def test_only_users_and_an_unknown_name_fails(lab):
    client, _graph = lab
    assert "is not a user account" in _run(client, action="disable", account="srv1$")["msg"]
    assert _run(client, action="disable", account="nobody")["failed"]


def test_bad_timeouts_are_refused_before_anything(lab):
    client, graph = lab
    result = _run(client, action="disable", wait_timeout=0)
    assert result["failed"] and "wait_timeout must be at least 1 second" in result["msg"] and graph.lookups == []


@pytest.mark.parametrize("action, before, expected", [("disable", 512, False), ("disable", 514, True), ("enable", 514, False),
                                                      ("enable", 512, True), ("force_password_reset", 512, False)])
def test_already_done(action, before, expected):
    assert st.already_done(action, st.account_state(before, 1)) is expected

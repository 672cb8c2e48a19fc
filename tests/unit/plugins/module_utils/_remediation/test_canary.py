# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""remediation_canary over the fake directory and Graph: the three actions proven and the canary left as found, or the
failing action named with a diagnosis; a missing canary created only when asked, never in check mode."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._remediation import canary
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_to_bytes
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, DOMAIN_SID, run_backend

PARAMS = {"account": "alice", "server": "dc1.corp.example.test", "username": "admin", "password": "secret-pass", "wait_timeout": 5}


def _alice(client):
    return client.objects[next(dn for dn in client.objects if dn.startswith("CN=alice"))]


def _run(client, check_mode=False, **params):
    return run_backend(canary, client, {**PARAMS, **params}, check_mode=check_mode)


def test_all_three_actions_proven_and_the_canary_left_as_found(lab):
    client, graph = lab
    result = _run(client)
    assert result["ok"] is True and not result.get("failed"), result
    assert [s["action"] for s in result["steps"]] == ["disable", "enable", "force_password_reset"]
    assert all(s["ok"] and s["seconds_to_effect"] is not None for s in result["steps"])
    assert [p["action"] for _i, p in graph.invoked] == ["disable", "enable", "forcePasswordReset"]
    assert _alice(client)["useraccountcontrol"] == [b"512"] and _alice(client)["pwdlastset"] == [b"-1"]
    assert "pwdLastSet set to now" in result["canary"]["restored"] and "secret-pass" not in repr(result)


def test_a_disabled_canary_is_enabled_first_and_left_disabled(lab):
    client, graph = lab
    _alice(client)["useraccountcontrol"] = [b"514"]
    result = _run(client)
    assert result["ok"] and [p["action"] for _i, p in graph.invoked] == ["enable", "disable", "forcePasswordReset"]
    assert _alice(client)["useraccountcontrol"] == [b"514"]


def test_a_canary_that_must_already_change_its_password_is_made_observable_then_put_back(lab):
    client, _graph = lab
    _alice(client)["pwdlastset"] = [b"0"]
    result = _run(client)
    assert result["ok"] and _alice(client)["pwdlastset"] == [b"0"] and "as found" in result["canary"]["restored"]


def test_a_failing_action_is_named_diagnosed_and_the_canary_restored(lab):
    client, graph = lab
    graph.acts = {"disable", "enable"}
    context = {"identity": {"sensors": [], "conflicts": [], "portal": {"accounts": [], "local_system": False}}}
    result = _run(client, context=context)
    assert result["ok"] is False and not result.get("failed")
    assert result["steps"][-1] == {"action": "force_password_reset", "ok": False, "correlation_id": "corr-1",
                                   "msg": result["steps"][-1]["msg"]}
    assert result["msg"].startswith("force_password_reset of CORP\\alice failed: MDI accepted the action")
    assert any("no action account is registered for corp.example.test" in c for c in result["diagnosis"])
    assert _alice(client)["useraccountcontrol"] == [b"512"] and _alice(client)["pwdlastset"] == [b"-1"]


def test_a_missing_canary_is_created_only_when_asked(lab):
    client, graph = lab
    missing = _run(client, account="canary1")
    assert missing["failed"] and "or set create=true" in missing["msg"]
    checked = _run(client, check_mode=True, account="canary1", create=True, path=f"OU=Users,{BASE}")
    assert checked["failed"] and "check mode does not create it" in checked["msg"] and not client.writes
    graph.known = False  # created, but MDI does not know it yet: a clear failure after the creation
    add = client.add

    def add_with_sid(dn, object_class=None, attributes=None, controls=None, **attrs):  # AD gives every new user its SID
        add(dn, object_class, attributes, controls, **attrs)
        client.objects[dn]["objectsid"] = [sid_to_bytes(f"{DOMAIN_SID}-1200")]
        return dn

    client.add = add_with_sid
    created = _run(client, account="canary1", create=True, path=f"OU=Users,{BASE}")
    adds = [w for w in client.writes if w[0] == "add"]
    assert len(adds) == 1 and adds[0][1] == f"CN=canary1,OU=Users,{BASE}"
    client.delete(adds[0][1])
    client.cache.clear()  # the principal lookups of the first run
    _run(client, account="canary1", create=True)
    assert [w[1] for w in client.writes if w[0] == "add"][-1] == f"CN=canary1,CN=Users,{BASE}", "CN=Users without a path"
    assert adds[0][2]["userAccountControl"] == 0x200 and adds[0][2]["unicodePwd"].decode("utf-16-le").startswith('"Mdi1-')
    assert created["canary"]["created"] is True and created["ok"] is False
    assert "does not know" in created["steps"][0]["msg"] and adds[0][2]["unicodePwd"].decode("utf-16-le") not in repr(created)
    assert created["diagnosis"] == [], "MDI never took the action: the setup's steps are not the cause"


def test_an_ambiguous_canary_name_fails_and_creates_nothing(lab):
    client, _graph = lab
    client.account("canary1", 1300, container="OU=Users")
    client.account("canary1$", 1301, container="OU=Servers", classes=("top", "user", "computer"))
    result = _run(client, account="canary1", create=True, path=f"OU=Users,{BASE}")
    assert result["failed"] and "'canary1' is ambiguous" in result["msg"] and not client.writes


def test_check_mode_finds_the_canary_and_asks_for_nothing(lab):
    client, graph = lab
    result = _run(client, check_mode=True)
    assert result["ok"] is None and graph.invoked == [] and client.writes == []

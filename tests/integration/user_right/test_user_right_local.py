# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""user_right scope=local against the lab's fake domain controllers (real WinRM over HTTPS, real ansible-playbook):
check mode, add, idempotence, set, remove, one command per host per task, GPO conflicts (a failure changes nothing,
warn changes), and failures that stay on the host they happen to."""
from __future__ import annotations

import json

import fake_winrm_hosts as hosts_api
from labinfo import lab_dir
from user_right_lab import DDCP, LOCAL_DEFAULT, RIGHT, local_sids, play, user_right_commands

HOSTS = ("dc1", "dc2", "dc3")


def _run(playbook, args: dict, extra=(), inventory=None):
    result = playbook(play(args), extra_args=extra, inventory=inventory)
    return result, result.task_results("ur")


def _commands_per_host(hosts) -> dict:
    return {name: len(user_right_commands(host)) for name, host in hosts.items()}


def test_check_add_rerun_set_remove(playbook, hosts, alice):
    add = {"name": "Log on as a service", "users": [alice["name"]]}
    before = _commands_per_host(hosts)

    out = _run(playbook, add, extra=["--check", "--diff"])[1]
    for name in HOSTS:
        assert out[name]["changed"] and not out[name].get("failed"), out[name]
        assert local_sids(hosts[name]) == LOCAL_DEFAULT  # check mode stored nothing
        assert f"{alice['name']} ({alice['sid']})" in out[name]["diff"]["after"][RIGHT]

    out = _run(playbook, add)[1]
    for name in HOSTS:
        assert out[name]["changed"] and out[name]["added"] == [{"sid": alice["sid"], "name": alice["name"]}], out[name]
        assert local_sids(hosts[name]) == LOCAL_DEFAULT + [alice["sid"]]
        assert out[name]["gpo"] is None and out[name]["scope"] == "local"

    out = _run(playbook, {**add, "users": [alice["sid"]]})[1]  # the same account, by SID
    assert all(not out[name]["changed"] for name in HOSTS), out

    out = _run(playbook, {**add, "action": "set", "users": [alice["name"].lower()]})[1]
    for name in HOSTS:
        assert out[name]["changed"] and [m["sid"] for m in out[name]["removed"]] == LOCAL_DEFAULT, out[name]
        assert local_sids(hosts[name]) == [alice["sid"]]

    out = _run(playbook, {**add, "action": "set", "users": ["NT SERVICE\\ALL SERVICES", alice["name"]]})[1]
    assert all(out[name]["changed"] for name in HOSTS)

    out = _run(playbook, {**add, "action": "remove", "users": [f"alice@{hosts['dc1']['fqdn'].split('.', 1)[1]}"]})[1]
    for name in HOSTS:
        assert out[name]["changed"] and local_sids(hosts[name]) == LOCAL_DEFAULT, out[name]

    after = _commands_per_host(hosts)
    assert {name: after[name] - before[name] for name in HOSTS} == {name: 6 for name in HOSTS}  # 6 tasks, 1 command each


def test_one_command_per_host_carries_the_request(playbook, hosts, alice):
    before = {name: len(hosts_api.commands(host)) for name, host in hosts.items()}
    _run(playbook, {"name": "SeServiceLogonRight", "users": [alice["name"]]})
    for name, host in hosts.items():
        new = hosts_api.commands(host)[before[name]:]
        assert len(new) == 1 and new[0]["operation"] == "user_rights", new  # nothing else: no file copy, no probe
        assert new[0]["stdin_bytes"] > 5000  # the script body travelled on stdin of that same command
        assert new[0]["request"] == {"right": RIGHT, "action": "add", "principals": [alice["name"]], "check_mode": False,
                                     "refuse_gpo_conflict": True}  # on_gpo_conflict=fail, the default


def test_gpo_defined_right_fails_on_that_host_changing_nothing_and_warn_proceeds(playbook, hosts, alice):
    state = hosts_api.state(hosts["dc2"])
    definition = {"gpo_name": "Default Domain Controllers Policy", "gpo_guid": DDCP, "members": ["*S-1-5-80-0"]}
    state.setdefault("gpo_rights", {})[RIGHT] = definition
    hosts_api.write_state(hosts["dc2"], state)
    add = {"name": RIGHT, "users": [alice["name"]]}

    for extra in (["--check"], []):
        sent = len(user_right_commands(hosts["dc2"]))
        result, out = _run(playbook, add, extra=extra)
        failure = out["dc2"]
        assert failure["failed"] and not failure["changed"] and failure["gpo"]["guid"] == DDCP, failure
        for words in ("Default Domain Controllers Policy", "scope=gpo", "on_gpo_conflict=warn", "Nothing was changed"):
            assert words in failure["msg"], failure["msg"]
        # The fake host's own records, read independently of the module's answer: one command, which asked to refuse,
        # and a state that is exactly what it was (not even rewritten).
        commands = user_right_commands(hosts["dc2"])[sent:]
        assert len(commands) == 1 and commands[0]["request"]["refuse_gpo_conflict"] is True, commands
        assert hosts_api.state(hosts["dc2"]) == state
        assert not out["dc1"].get("failed") and not out["dc3"].get("failed") and out["dc1"]["changed"] and out["dc3"]["changed"]
        assert result.stats["dc2"]["failures"] == 1 and result.stats["dc1"]["failures"] == 0

    out = _run(playbook, {**add, "on_gpo_conflict": "warn"})[1]
    assert out["dc2"]["changed"] and not out["dc2"].get("failed"), out["dc2"]
    assert any("Default Domain Controllers Policy" in w for w in out["dc2"]["warnings"]), out["dc2"]
    assert local_sids(hosts["dc2"]) == LOCAL_DEFAULT + [alice["sid"]]
    assert user_right_commands(hosts["dc2"])[-1]["request"]["refuse_gpo_conflict"] is False


def test_unknown_right_fails_before_any_command(playbook, hosts, alice):
    before = _commands_per_host(hosts)
    out = _run(playbook, {"name": "Log on as a servise", "users": [alice["name"]]})[1]
    for name in HOSTS:
        assert out[name]["failed"] and "did you mean 'SeServiceLogonRight'" in out[name]["msg"], out[name]
    assert _commands_per_host(hosts) == before


def test_unknown_principal(playbook, hosts):
    out = _run(playbook, {"name": RIGHT, "users": ["CORP\\nobody-here"]})[1]
    for name in HOSTS:
        assert out[name]["failed"] and "could not be translated" in out[name]["msg"] and "CORP\\nobody-here" in out[name]["msg"]
        assert local_sids(hosts[name]) == LOCAL_DEFAULT


def test_unreachable_and_http_500_stay_on_their_host(playbook, hosts, alice):
    hosts_api.set_faults(hosts["dc3"], refuse=True)
    hosts_api.set_faults(hosts["dc2"], http_500=True)
    result, out = _run(playbook, {"name": RIGHT, "users": [alice["name"]]})
    assert out["dc3"].get("unreachable"), out["dc3"]
    assert out["dc2"].get("failed") or out["dc2"].get("unreachable"), out["dc2"]
    assert out["dc1"]["changed"] and not out["dc1"].get("failed"), out["dc1"]
    assert result.stats["dc1"]["ok"] == 1
    assert local_sids(hosts["dc1"]) == LOCAL_DEFAULT + [alice["sid"]]


def test_wrong_password_on_one_host(playbook, hosts, alice, tmp_path):
    text = (lab_dir() / "inventory.yml").read_text(encoding="utf-8")
    inventory = json.loads("\n".join(line for line in text.splitlines() if not line.startswith("#")))
    inventory["all"]["children"]["domain_controllers"]["hosts"]["dc2"]["ansible_password"] = "wrong-password"
    path = tmp_path / "inventory.yml"
    path.write_text(json.dumps(inventory), encoding="utf-8")
    out = _run(playbook, {"name": RIGHT, "users": [alice["name"]]}, inventory=path)[1]
    assert out["dc2"].get("unreachable") or out["dc2"].get("failed"), out["dc2"]
    assert out["dc1"]["changed"] and out["dc3"]["changed"]
    assert local_sids(hosts["dc2"]) == LOCAL_DEFAULT


def test_user_right_info_reads_each_host_and_names_the_gpo_changing_nothing(playbook, hosts, alice):
    dc1 = hosts_api.state(hosts["dc1"])
    hosts_api.write_state(hosts["dc1"], {**dc1, "rights": {**dc1["rights"], RIGHT: LOCAL_DEFAULT + [alice["sid"]]}})
    state = hosts_api.state(hosts["dc2"])
    state.setdefault("gpo_rights", {})[RIGHT] = {"gpo_name": "Default Domain Controllers Policy", "gpo_guid": DDCP, "members": ["*S-1-5-80-0"]}
    hosts_api.write_state(hosts["dc2"], state)
    states = {name: hosts_api.state(host) for name, host in hosts.items()}
    sent = _commands_per_host(hosts)

    text = ("- hosts: domain_controllers\n  gather_facts: false\n  tasks:\n    - name: ur\n"
            "      mdi.action_accounts.user_right_info: {name: Log on as a service}\n")
    result = playbook(text)
    out = result.task_results("ur")
    assert result.rc == 0 and result.changed == 0, result.stats
    assert [m["sid"] for m in out["dc1"]["members"]] == LOCAL_DEFAULT + [alice["sid"]] and out["dc1"]["source"] == "local"
    assert out["dc2"]["source"] == "gpo" and out["dc2"]["gpo"]["guid"] == DDCP and [m["sid"] for m in out["dc2"]["members"]] == LOCAL_DEFAULT
    assert [m["sid"] for m in out["dc3"]["members"]] == LOCAL_DEFAULT and out["dc3"]["gpo"] is None
    assert {name: n - sent[name] for name, n in _commands_per_host(hosts).items()} == {name: 1 for name in HOSTS}  # one read each
    assert all(user_right_commands(host)[-1]["request"]["action"] == "query" for host in hosts.values())
    assert {name: hosts_api.state(host) for name, host in hosts.items()} == states

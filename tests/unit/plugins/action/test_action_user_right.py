# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the user_right action plugin: one command through the host's connection, option defaults from
the host's variables for scope=gpo, and failures worded for the user."""
from __future__ import annotations

import base64
import importlib
import json
import sys
from pathlib import Path
from unittest.mock import MagicMock

import pytest
from ansible.plugins.shell.powershell import ShellModule
from ansible.plugins.shell.sh import ShellModule as ShModule

from ansible_collections.mdi.action_accounts.plugins.action import user_right as plugin

LAB = Path(__file__).resolve().parents[3] / "lab"


class FakeConnection:
    """The host's connection: runs what the plugin sends on the lab's fake host, and records it."""

    transport = "winrm"

    def __init__(self, host, shell=None):
        self._shell = shell or ShellModule()
        self.host, self.calls = host, []

    def run(self, cmd, sudoable=True, in_data=None, **_kwargs):
        self.calls.append({"cmd": cmd, "sudoable": sudoable, "in_data": in_data})
        script = base64.b64decode(cmd.split(" ")[-1]).decode("utf-16-le")
        answer, code = importlib.import_module("fake_winrm.user_rights").handle(script, self.host)
        return {"rc": code, "stdout": json.dumps(answer) + "\r\n", "stderr": ""}


@pytest.fixture(name="fake_host")
def fixture_fake_host(tmp_path):
    if str(LAB) not in sys.path:
        sys.path.insert(0, str(LAB))
    host = importlib.import_module("fake_winrm.host")
    return host.Host({"name": "dc1", "fqdn": "dc1.corp.example.test", "domain_dns": "corp.example.test", "netbios": "CORP",
                      "state_dir": str(tmp_path / "dc1"), "directory": None})


def _action(args: dict, connection, check_mode=False):
    task = MagicMock(args=args, check_mode=check_mode, diff=False, async_val=0, action="mdi.action_accounts.user_right")
    templar = MagicMock()
    templar.template.side_effect = lambda value: value
    action = plugin.ActionModule(task, connection, MagicMock(), MagicMock(), templar, None)
    action._low_level_execute_command = connection.run  # pylint: disable=protected-access
    return action


def test_local_is_one_command_with_the_script_on_stdin(fake_host):
    connection = FakeConnection(fake_host)
    result = _action({"name": "Log on as a service", "users": ["NT AUTHORITY\\LOCAL SERVICE"]}, connection).run(task_vars={})
    assert result["changed"] is True and result["right"] == "SeServiceLogonRight" and not result.get("failed")
    assert len(connection.calls) == 1
    call = connection.calls[0]
    assert call["sudoable"] is False and b"LsaAddAccountRights" in call["in_data"]
    assert call["cmd"].startswith("PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand ")


def test_gpo_conflict_fails_and_changes_nothing(fake_host):
    fake_host.state["gpo_rights"]["SeServiceLogonRight"] = {"gpo_name": "MDI rights", "gpo_guid": "{1}", "members": ["S-1-5-80-0"]}
    fake_host.save()
    stored = fake_host.state_path.read_bytes()
    result = _action({"name": "SeServiceLogonRight", "users": ["S-1-5-19"]}, FakeConnection(fake_host)).run(task_vars={"inventory_hostname": "dc1"})
    assert result["failed"] is True and result["changed"] is False and "Nothing was changed" in result["msg"]
    assert fake_host.state_path.read_bytes() == stored
    assert result["msg"].startswith("Failed to grant Log on as a service (SeServiceLogonRight) on dc1: Group Policy object 'MDI rights'")


def test_unknown_right_fails_before_contacting_the_host(fake_host):
    connection = FakeConnection(fake_host)
    result = _action({"name": "Logon as a service", "users": ["x"]}, connection).run(task_vars={"inventory_hostname": "dc1"})
    assert result["failed"] and result["msg"].startswith("Failed to grant 'Logon as a service' on dc1: ") and "did you mean" in result["msg"]
    assert connection.calls == []


def test_not_a_windows_connection(fake_host):
    result = _action({"name": "SeServiceLogonRight", "users": ["x"]}, FakeConnection(fake_host, ShModule())).run(task_vars={})
    assert result["failed"] and "PowerShell" in result["msg"] and "scope=gpo" in result["msg"]


def test_invalid_options(fake_host):
    result = _action({"name": "SeServiceLogonRight", "users": ["x"], "scope": "forest"}, FakeConnection(fake_host)).run(task_vars={})
    assert result["failed"] and "scope" in result["msg"]


@pytest.fixture(name="gpo_calls")
def fixture_gpo_calls(monkeypatch):
    """create_ldap_connection, Sysvol and run_gpo replaced by recorders."""
    calls = {}

    class Recorder:
        def __init__(self, *args, **kwargs):
            calls.setdefault("opened", []).append((args, kwargs))

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            return False

    monkeypatch.setattr(plugin, "create_ldap_connection", lambda **kwargs: calls.setdefault("ldap", kwargs) and Recorder())
    monkeypatch.setattr(plugin, "Sysvol", Recorder)
    monkeypatch.setattr(plugin, "run_gpo", lambda right, params, *args: ({"changed": False, "right": right}, ["w"]))
    return calls


HOST_VARS = {"inventory_hostname": "dc2", "ansible_host": "192.0.2.2", "ansible_user": "CORP\\admin", "ansible_password": "Secret-123",
             "mdi_ldap_server": "192.0.2.1", "mdi_ldap_ca_cert": "/lab/ca.pem"}


def test_gpo_takes_ldap_options_from_the_host(gpo_calls, fake_host):
    connection = FakeConnection(fake_host)
    result = _action({"name": "SeServiceLogonRight", "users": ["x"], "scope": "gpo"}, connection).run(task_vars=HOST_VARS)
    assert result == {"changed": False, "right": "SeServiceLogonRight", "warnings": ["w"]}
    ldap = gpo_calls["ldap"]
    assert (ldap["server"], ldap["username"], ldap["password"], ldap["ca_cert"]) == ("192.0.2.1", "CORP\\admin", "Secret-123", "/lab/ca.pem")
    assert gpo_calls["opened"][1][0][:3] == ("192.0.2.1", "CORP\\admin", "Secret-123")  # SMB to the same DC, same account
    assert connection.calls == []  # scope=gpo does not use the Windows connection


def test_task_options_win_over_host_variables(gpo_calls, fake_host):
    args = {"name": "SeServiceLogonRight", "users": ["x"], "scope": "gpo", "server": "dc9", "username": "u@corp", "password": "p2",
            "smb_server": "dc8"}
    _action(args, FakeConnection(fake_host)).run(task_vars={k: v for k, v in HOST_VARS.items() if k != "mdi_ldap_server"})
    assert (gpo_calls["ldap"]["server"], gpo_calls["ldap"]["username"]) == ("dc9", "u@corp")
    assert gpo_calls["opened"][1][0][0] == "dc8"


def test_server_falls_back_to_ansible_host(gpo_calls, fake_host):
    task_vars = {k: v for k, v in HOST_VARS.items() if k != "mdi_ldap_server"}
    _action({"name": "SeServiceLogonRight", "users": ["x"], "scope": "gpo"}, FakeConnection(fake_host)).run(task_vars=task_vars)
    assert gpo_calls["ldap"]["server"] == "192.0.2.2"

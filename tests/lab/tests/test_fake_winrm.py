# -*- coding: utf-8 -*-
"""The fake WinRM domain controllers: pywinrm and Ansible's winrm connection work against them,
faults fire and clear, unknown commands fail like PowerShell, the user-rights contract holds."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import requests
import winrm
from winrm.exceptions import InvalidCredentialsError, WinRMTransportError

import fake_winrm_hosts as hosts_api

MARKER = "# mdi.action_accounts/user_rights v1"


def _session(lab, host, https=True, password=None):
    scheme, port = ("https", host["https_port"]) if https else ("http", host["http_port"])
    return winrm.Session(f"{scheme}://{host['ip']}:{port}/wsman", auth=(host["user"], password or host["password"]),
                         transport="basic", server_cert_validation="validate", ca_trust_path=lab["ca_cert"],
                         read_timeout_sec=10, operation_timeout_sec=8)


def _user_rights(session, request: dict):
    script = f"{MARKER}\n$Request = @'\n{json.dumps(request)}\n'@\n# (the real script body runs LSA here)\n"
    result = session.run_ps(script)
    return result.status_code, json.loads(result.std_out)


@pytest.fixture(name="dc2")
def fixture_dc2(lab):
    host = lab["winrm"]["hosts"]["dc2"]
    yield host
    hosts_api.set_faults(host)


@pytest.mark.parametrize("name", ["dc1", "dc2", "dc3"])
def test_run_ps_over_https_and_http(lab, name):
    host = lab["winrm"]["hosts"][name]
    for https in (True, False):
        result = _session(lab, host, https=https).run_ps("hostname")
        assert result.status_code == 0
        assert result.std_out.decode().strip() == name.upper()


def test_wrong_password_is_rejected(lab, dc2):
    with pytest.raises(InvalidCredentialsError):
        _session(lab, dc2, password="wrong").run_ps("hostname")


def test_unknown_command_fails_like_powershell(lab, dc2):
    result = _session(lab, dc2).run_ps("Get-Nonexistent -Foo")
    assert result.status_code == 1
    assert b"is not recognized as the name of a cmdlet" in result.std_err


def test_fault_refuse(lab, dc2):
    hosts_api.set_faults(dc2, refuse=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        _session(lab, dc2).run_ps("hostname")
    hosts_api.set_faults(dc2)
    assert _session(lab, dc2).run_ps("hostname").status_code == 0


def test_fault_http_500(lab, dc2):
    hosts_api.set_faults(dc2, http_500=True)
    with pytest.raises((winrm.exceptions.WSManFaultError, WinRMTransportError)):
        _session(lab, dc2).run_ps("hostname")


def test_fault_auth_fail(lab, dc2):
    hosts_api.set_faults(dc2, auth_fail=True)
    with pytest.raises(InvalidCredentialsError):
        _session(lab, dc2).run_ps("hostname")


def test_fault_delay_times_out(lab, dc2):
    hosts_api.set_faults(dc2, delay_seconds=3)
    session = winrm.Session(f"https://{dc2['ip']}:{dc2['https_port']}/wsman", auth=(dc2["user"], dc2["password"]),
                            transport="basic", ca_trust_path=lab["ca_cert"], read_timeout_sec=2, operation_timeout_sec=1)
    with pytest.raises(requests.exceptions.ReadTimeout):
        session.run_ps("hostname")


def test_user_rights_contract(lab):
    host = lab["winrm"]["hosts"]["dc3"]
    session = _session(lab, host)
    alice = lab["samba"]["users"]["alice"]
    before = len(hosts_api.commands(host))
    code, out = _user_rights(session, {"right": "SeServiceLogonRight", "action": "add", "principals": ["CORP\\alice"], "check_mode": True})
    assert code == 0 and out["changed"] and {"sid": alice["sid"], "name": "CORP\\alice"} in out["added"]
    assert alice["sid"] not in hosts_api.state(host)["rights"]["SeServiceLogonRight"]  # check mode stored nothing
    code, out = _user_rights(session, {"right": "SeServiceLogonRight", "action": "add", "principals": [alice["upn"]], "check_mode": False})
    assert code == 0 and out["changed"]
    assert alice["sid"] in hosts_api.state(host)["rights"]["SeServiceLogonRight"]
    code, out = _user_rights(session, {"right": "SeServiceLogonRight", "action": "add", "principals": [alice["sid"]], "check_mode": False})
    assert code == 0 and not out["changed"]
    code, out = _user_rights(session, {"right": "SeServiceLogonRight", "action": "remove", "principals": ["alice"], "check_mode": False})
    assert code == 0 and out["changed"] and out["removed"][0]["sid"] == alice["sid"]
    assert "S-1-5-80-0" in [m["sid"] for m in out["after"]]  # NT SERVICE\ALL SERVICES untouched
    log = hosts_api.commands(host)[before:]
    assert [entry["operation"] for entry in log] == ["user_rights"] * 4


def test_user_rights_errors(lab):
    session = _session(lab, lab["winrm"]["hosts"]["dc3"])
    code, out = _user_rights(session, {"right": "SeMadeUpRight", "action": "add", "principals": ["alice"], "check_mode": False})
    assert code == 1 and out["error_type"] == "UnknownRight"
    code, out = _user_rights(session, {"right": "SeServiceLogonRight", "action": "add", "principals": ["CORP\\nobody"], "check_mode": False})
    assert code == 1 and out["error_type"] == "UnknownPrincipal" and "could not be translated" in out["msg"]


def test_gpo_defined_right_is_reported(lab):
    host = lab["winrm"]["hosts"]["dc3"]
    state = hosts_api.state(host)
    state["gpo_rights"] = {"SeServiceLogonRight": {"gpo_name": "Default Domain Controllers Policy",
                                                   "gpo_guid": "{6AC1786C-016F-11D2-945F-00C04FB984F9}", "members": ["S-1-5-80-0"]}}
    hosts_api.write_state(host, state)
    try:
        code, out = _user_rights(_session(lab, host), {"right": "SeServiceLogonRight", "action": "query", "principals": [], "check_mode": False})
        assert code == 0 and out["gpo"]["name"] == "Default Domain Controllers Policy"
    finally:
        state["gpo_rights"] = {}
        hosts_api.write_state(host, state)


def test_ansible_winrm_connection_plugin(lab, lab_path):
    venv_bin = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="false", HOME=os.environ.get("HOME", tmp))
        proc = subprocess.run([str(venv_bin / "ansible"), "-i", str(lab_path / "inventory.yml"), "domain_controllers",
                               "-m", "ansible.builtin.raw", "-a", "hostname", "-o"],
                              capture_output=True, text=True, env=env, check=False, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("dc1", "dc2", "dc3"):
        assert f"{name} | CHANGED | rc=0 | (stdout) {name.upper()}" in proc.stdout

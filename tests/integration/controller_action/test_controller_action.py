# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The controller action base in real ansible-playbook runs (no lab needed): LDAP options come from the task,
module_defaults, the targeted Windows host's inventory variables (vaulted password included), the environment,
in that order; delegation and localhost behave; the WinRM host is never contacted; no password is printed."""
from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

from conftest import VENV_BIN, collections_path  # pylint: disable=wrong-import-order  # noqa: E402

HERE = Path(__file__).resolve().parent
WINRM_PASSWORD = "Winrm-Vaulted-Pass-1"
DEFAULTS_PASSWORD = "Module-Defaults-Pass-2"
TASK_PASSWORD = "Task-Arg-Pass-3"

PLAYBOOK = """
- hosts: domain_controllers
  gather_facts: false
  tasks:
    - name: host only
      mdi_ldap_probe:
    - name: delegated
      mdi_ldap_probe:
      delegate_to: localhost
    - name: task args
      mdi_ldap_probe:
        server: dc9.corp.example.test
        username: task@corp.example.test
        password: "{{ task_password }}"
      vars:
        task_password: %(task)s
    - name: check and diff
      mdi_ldap_probe:
      check_mode: true
      diff: true

- hosts: domain_controllers
  gather_facts: false
  module_defaults:
    mdi_ldap_probe:
      tls_mode: starttls
      username: defaults@corp.example.test
      password: %(defaults)s
  tasks:
    - name: module_defaults
      mdi_ldap_probe:
    - name: task over module_defaults
      mdi_ldap_probe:
        tls_mode: ldaps

- hosts: localhost
  gather_facts: false
  tasks:
    - name: localhost
      mdi_ldap_probe:
""" % {"task": TASK_PASSWORD, "defaults": DEFAULTS_PASSWORD}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(name="winrm_port")
def fixture_winrm_port():
    """A TCP listener standing in for the domain controllers' WinRM: it must never see a connection."""
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    yield server
    server.close()


def _accepted(server) -> int:
    count = 0
    while True:
        try:
            server.accept()[0].close()
            count += 1
        except BlockingIOError:
            return count


@pytest.fixture(name="run")
def fixture_run(tmp_path, winrm_port):
    vault_file = tmp_path / "vault-pass"
    vault_file.write_text("lab-vault-secret\n")
    vaulted = subprocess.run([str(VENV_BIN / "ansible-vault"), "encrypt_string", "--vault-password-file", str(vault_file), WINRM_PASSWORD,
                              "--name", "ansible_password"], capture_output=True, text=True, check=True).stdout
    port = winrm_port.getsockname()[1]
    (tmp_path / "group_vars").mkdir()
    (tmp_path / "group_vars" / "domain_controllers.yml").write_text(
        "ansible_connection: winrm\nansible_user: 'CORP\\ansible'\nansible_winrm_transport: basic\nansible_winrm_scheme: http\n"
        f"ansible_port: {port}\nansible_winrm_ca_trust_path: /etc/pki/corp-ca.pem\n" + vaulted)
    (tmp_path / "inventory.yml").write_text(
        "all:\n  children:\n    domain_controllers:\n      hosts:\n"
        "        dc1: {ansible_host: 127.0.0.1}\n"
        "        dc2: {ansible_host: 127.0.0.1, mdi_ldap_server: dc2.corp.example.test, mdi_ldap_tls_mode: starttls}\n"
        "        dc3: {}\n")
    (tmp_path / "site.yml").write_text(PLAYBOOK)

    def run(env=None, args=()) -> tuple[dict, str]:
        run_env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(collections_path()), "ANSIBLE_ACTION_PLUGINS": str(HERE / "action_plugins"),
                   "ANSIBLE_STDOUT_CALLBACK": "lab_json", "ANSIBLE_CALLBACK_PLUGINS": str(HERE.parent / "callback_plugins"),
                   "ANSIBLE_LOCALHOST_WARNING": "false", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false", **(env or {})}
        proc = subprocess.run([str(VENV_BIN / "ansible-playbook"), "-i", str(tmp_path / "inventory.yml"), "--vault-password-file",
                               str(vault_file), str(tmp_path / "site.yml"), "-vvv", *args],
                              capture_output=True, text=True, env=run_env, check=False, timeout=300)
        data = json.loads(proc.stdout[proc.stdout.index("{"):]) if "{" in proc.stdout else {}
        results = {task["task"]["name"]: task["hosts"] for play in data.get("plays", []) for task in play["tasks"]}
        assert proc.returncode == 0, proc.stderr[-3000:] + proc.stdout[-3000:]
        return results, proc.stdout + proc.stderr

    return run


def test_precedence_delegation_and_no_connection(run, winrm_port):
    results, output = run(env={"MDI_LDAP_SERVER": "env.corp.example.test", "MDI_LDAP_TIMEOUT": "12"})
    host = results["host only"]
    assert host["dc1"]["options"]["server"] == "127.0.0.1"                     # ansible_host
    assert host["dc2"]["options"]["server"] == "dc2.corp.example.test"         # mdi_ldap_server before ansible_host
    assert host["dc3"]["options"]["server"] == "dc3"                           # the inventory name before the environment
    assert (host["dc2"]["options"]["tls_mode"], host["dc1"]["options"]["tls_mode"]) == ("starttls", "ldaps")
    for name in ("dc1", "dc2", "dc3"):
        assert host[name]["options"]["username"] == "CORP\\ansible" and host[name]["password_sha256"] == _sha(WINRM_PASSWORD)  # vaulted
        assert host[name]["options"]["ca_cert"] == "/etc/pki/corp-ca.pem" and host[name]["options"]["timeout"] == 12  # environment
    assert results["delegated"]["dc1"]["options"] == host["dc1"]["options"]
    assert results["delegated"]["dc3"]["options"]["server"] == "dc3"           # not the delegated host's address
    assert results["task args"]["dc1"]["options"]["server"] == "dc9.corp.example.test"
    assert results["task args"]["dc1"]["password_sha256"] == _sha(TASK_PASSWORD)
    assert results["check and diff"]["dc1"]["check_mode"] is True and results["check and diff"]["dc1"]["diff"] is True
    defaults = results["module_defaults"]["dc2"]
    assert (defaults["options"]["tls_mode"], defaults["options"]["username"], defaults["password_sha256"]) == \
        ("starttls", "defaults@corp.example.test", _sha(DEFAULTS_PASSWORD))
    assert results["module_defaults"]["dc1"]["options"]["tls_mode"] == "starttls"  # module_defaults before host variables (dc1 has none)
    assert results["task over module_defaults"]["dc2"]["options"]["tls_mode"] == "ldaps"
    assert results["localhost"]["localhost"]["options"]["server"] == "env.corp.example.test"  # the controller is not a DC
    assert _accepted(winrm_port) == 0
    for secret in (WINRM_PASSWORD, DEFAULTS_PASSWORD, TASK_PASSWORD):
        assert secret not in output


def test_credentials_given_to_the_connection_only(run, tmp_path, winrm_port):
    """As AWX's Machine credential passes them: `-u` and a connection password, no ansible_user/ansible_password variables."""
    group_vars = tmp_path / "group_vars" / "domain_controllers.yml"
    group_vars.write_text("".join(line for line in group_vars.read_text().splitlines(keepends=True)
                                  if line.startswith(("ansible_connection", "ansible_winrm", "ansible_port"))))
    (tmp_path / "conn-pass").write_text(WINRM_PASSWORD + "\n")
    results, output = run(args=["-u", "CORP\\awx", "--connection-password-file", str(tmp_path / "conn-pass")])
    for name in ("dc1", "dc2", "dc3"):
        probe = results["host only"][name]
        assert probe["options"]["username"] == "CORP\\awx" and probe["password_sha256"] == _sha(WINRM_PASSWORD), probe
    assert results["delegated"]["dc1"]["options"].get("username") is None  # the delegated-to host's connection is not this one
    assert _accepted(winrm_port) == 0 and WINRM_PASSWORD not in output

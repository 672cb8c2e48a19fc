# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which host variable fills which LDAP option, in which order, and that credentials travel in pairs."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.plugin_utils._host_defaults import ldap_host_defaults

WINRM_HOST = {"inventory_hostname": "dc1", "ansible_host": "10.0.0.1", "ansible_connection": "winrm", "ansible_user": "CORP\\ansible",
              "ansible_password": "Winrm-Pass-1", "ansible_winrm_ca_trust_path": "/etc/pki/corp-ca.pem"}


def _fill(args: dict, host: dict) -> dict:
    asked = []

    def lookup(name):
        asked.append(name)
        return host.get(name)

    filled = ldap_host_defaults(args, lookup)
    filled["_asked"] = asked
    return filled


def test_connection_settings_of_the_host_are_used():
    filled = _fill({"state": "present"}, WINRM_HOST)
    assert {k: filled.get(k) for k in ("server", "username", "password", "ca_cert", "state")} == {
        "server": "10.0.0.1", "username": "CORP\\ansible", "password": "Winrm-Pass-1", "ca_cert": "/etc/pki/corp-ca.pem", "state": "present"}


def test_options_left_unset_are_absent_for_the_environment_and_defaults():
    filled = _fill({"tls_mode": None}, WINRM_HOST)
    assert not {"port", "tls_mode", "auth", "validate_certs", "allow_cleartext", "timeout"} & set(filled)


def test_mdi_variables_come_before_connection_variables():
    host = {**WINRM_HOST, "mdi_ldap_server": "dc1.corp.example.com", "mdi_ldap_ca_cert": "/ldap-ca.pem", "mdi_ldap_tls_mode": "starttls",
            "mdi_ldap_port": 3268, "mdi_ldap_username": "ldap@corp.example.com", "mdi_ldap_password": "Ldap-Pass-1", "mdi_ldap_timeout": 5}
    filled = _fill({}, host)
    assert (filled["server"], filled["ca_cert"], filled["tls_mode"], filled["port"], filled["timeout"]) == \
        ("dc1.corp.example.com", "/ldap-ca.pem", "starttls", 3268, 5)
    assert (filled["username"], filled["password"]) == ("ldap@corp.example.com", "Ldap-Pass-1")


def test_task_arguments_win():
    args = {"server": "dc9", "username": "u@corp", "password": "Task-Pass-1", "ca_cert": "/task.pem", "validate_certs": False}
    filled = _fill(args, {**WINRM_HOST, "mdi_ldap_validate_certs": True})
    assert {k: filled[k] for k in args} == args
    assert "ansible_password" not in filled["_asked"] and "mdi_ldap_password" not in filled["_asked"]  # not even read


@pytest.mark.parametrize("host, expected", [
    ({"inventory_hostname": "dc1.corp.example.com"}, "dc1.corp.example.com"),
    ({"inventory_hostname": "dc1", "ansible_host": ""}, "dc1"),
])
def test_server_falls_back_to_the_inventory_name(host, expected):
    assert _fill({}, host)["server"] == expected


def test_password_of_another_account_is_never_used():
    filled = _fill({"username": "other@corp"}, WINRM_HOST)
    assert "password" not in filled  # the environment (MDI_LDAP_PASSWORD) may still give one


def test_password_of_the_same_account_is_used():
    assert _fill({"username": "corp\\ANSIBLE"}, WINRM_HOST)["password"] == "Winrm-Pass-1"


def test_a_task_password_goes_with_the_host_user():
    filled = _fill({"password": "Task-Pass-1"}, WINRM_HOST)
    assert (filled["username"], filled["password"]) == ("CORP\\ansible", "Task-Pass-1")


def test_mdi_username_without_mdi_password_does_not_borrow_the_winrm_password():
    filled = _fill({}, {**WINRM_HOST, "mdi_ldap_username": "ldap@corp"})
    assert filled["username"] == "ldap@corp" and "password" not in filled


@pytest.mark.parametrize("user_var, password_var", [
    ("ansible_winrm_user", "ansible_winrm_password"), ("ansible_winrm_user", "ansible_winrm_pass"),
    ("ansible_psrp_user", "ansible_psrp_password"), ("ansible_psrp_user", "ansible_psrp_pass"),
])
def test_connection_plugin_specific_names(user_var, password_var):
    filled = _fill({}, {"inventory_hostname": "dc1", user_var: "u", password_var: "P-1"})
    assert (filled["username"], filled["password"]) == ("u", "P-1")


def test_the_controller_itself_is_no_domain_controller():
    local = {"inventory_hostname": "localhost", "ansible_host": "127.0.0.1", "ansible_connection": "local", "ansible_user": "root",
             "mdi_ldap_server": "dc1.corp.example.com"}
    filled = _fill({}, local)
    assert filled["server"] == "dc1.corp.example.com" and "username" not in filled
    assert "server" not in _fill({}, {k: v for k, v in local.items() if k != "mdi_ldap_server"})

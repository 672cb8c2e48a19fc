# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The LDAP options: the argument spec matches the doc fragment, and the checks refuse what cannot work or is unsafe."""
from __future__ import annotations

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.mdi.action_accounts.plugins.doc_fragments.ldap_connection import ModuleDocFragment
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import (
    LDAP_OPTION_NAMES, check_ldap_options, ldap_connection_argument_spec, ldap_options,
)

GOOD = {"server": "dc1.corp.example.test", "username": "admin@corp.example.test", "password": "Secret-123"}


def test_spec_and_doc_fragment_agree():
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    spec = ldap_connection_argument_spec()
    assert set(documented) == set(spec) == set(LDAP_OPTION_NAMES)
    for name, option in spec.items():
        doc = documented[name]
        assert (doc["type"], doc.get("default"), doc.get("choices")) == (option["type"], option.get("default"), option.get("choices")), name


def test_password_is_no_log_and_env_fallbacks(monkeypatch):
    monkeypatch.setenv("MDI_LDAP_SERVER", "dc2")
    monkeypatch.setenv("MDI_LDAP_PASSWORD", "From-Env-123")
    monkeypatch.setenv("MDI_LDAP_VALIDATE_CERTS", "false")
    validated = ArgumentSpecValidator(ldap_connection_argument_spec()).validate({"username": "u"})
    params = validated.validated_parameters
    assert (params["server"], params["password"], params["validate_certs"], params["tls_mode"], params["timeout"]) == \
        ("dc2", "From-Env-123", False, "ldaps", 30)
    assert "From-Env-123" in validated._no_log_values  # pylint: disable=protected-access


def test_no_environment_opt_in_to_cleartext(monkeypatch):
    monkeypatch.setenv("MDI_LDAP_ALLOW_CLEARTEXT", "true")
    assert ArgumentSpecValidator(ldap_connection_argument_spec()).validate({}).validated_parameters["allow_cleartext"] is False


def test_ldap_options_takes_exactly_the_connection_keywords():
    assert ldap_options({**GOOD, "state": "present"}) == {**dict.fromkeys(LDAP_OPTION_NAMES), **GOOD}


@pytest.mark.parametrize("tls_mode, port", [("ldaps", 636), ("starttls", 389), ("none", 389)])
def test_port_defaults_by_tls_mode(tls_mode, port):
    assert check_ldap_options(**GOOD, tls_mode=tls_mode, allow_cleartext=True)["port"] == port


def test_explicit_port_wins():
    assert check_ldap_options(**GOOD, port=3269)["port"] == 3269


@pytest.mark.parametrize("auth, words", [("simple", "the password and every change"), ("kerberos", "every change (ldap3 neither")])
def test_cleartext_refused_without_opt_in(auth, words):
    with pytest.raises(LdapError) as failure:
        check_ldap_options(**GOOD, tls_mode="none", auth=auth)
    assert words in str(failure.value)
    assert "tls_mode=ldaps" in str(failure.value) and "tls_mode=starttls" in str(failure.value) and "allow_cleartext=true" in str(failure.value)


def test_cleartext_with_opt_in():
    assert check_ldap_options(**GOOD, tls_mode="none", allow_cleartext=True)["tls_mode"] == "none"


@pytest.mark.parametrize("changes, words", [
    ({"server": None}, "no LDAP server"),
    ({"server": "ldaps://dc1"}, "host name or address"),
    ({"password": None}, "needs username and password"),
    ({"username": None}, "needs username and password"),
    ({"password": ""}, "needs username and password"),
    ({"auth": "ntlm"}, "DOMAIN\\user"),
    ({"auth": "kerberos", "username": "CORP\\admin"}, "Kerberos principal"),
    ({"auth": "kerberos", "username": None}, "needs username"),
    ({"port": 70000}, "not a TCP port: set port between 1 and 65535"),
    ({"timeout": 0}, "positive number"),
    ({"ca_cert": "/nonexistent/ca.pem"}, "does not exist on the controller: set ca_cert to a PEM file"),
])
def test_refused(changes, words):
    with pytest.raises(LdapError, match=words.replace("\\", "\\\\")):
        check_ldap_options(**{**GOOD, **changes})


def test_kerberos_may_use_the_ticket_cache():
    assert check_ldap_options(server="dc1", auth="kerberos")["username"] is None


def test_missing_ca_cert_is_ignored_without_validation():
    assert check_ldap_options(**GOOD, ca_cert="/nonexistent/ca.pem", validate_certs=False)["validate_certs"] is False

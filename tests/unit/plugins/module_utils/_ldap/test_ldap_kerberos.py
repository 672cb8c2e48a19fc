# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Kerberos helpers; the real bind is tested against the Samba DC in tests/integration/lab."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap import kerberos
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError


@pytest.mark.parametrize("username, principal", [
    ("admin@corp.example.com", "admin@CORP.EXAMPLE.COM"), ("a@b@corp.example.com", "a@b@CORP.EXAMPLE.COM"), ("admin", "admin"),
])
def test_realm_is_upper_case(username, principal):
    assert kerberos.principal(username) == principal


def test_missing_gssapi_is_reported_like_missing_required_lib(monkeypatch):
    monkeypatch.setattr(kerberos, "GSSAPI_IMPORT_ERROR", "Traceback ... No module named 'gssapi'")
    with pytest.raises(LdapError, match=r"required Python library \(gssapi\).*auth=kerberos.*python3-gssapi") as failure:
        kerberos.credentials("admin@corp.example.com", "pw")
    assert "No module named 'gssapi'" in failure.value.details["exception"]


@pytest.mark.parametrize("text, hint", [
    ("Minor (2529638918): Server ldap/10.0.0.5@CORP.EXAMPLE.COM not found in Kerberos database", "set server to"),
    ("Minor (2529639053): No Kerberos credentials available (default cache: FILE:/tmp/krb5cc_0)", "run kinit"),
    ("Minor (2529638949): Clock skew too great", "clock"),
    ("Minor (2529638936): Preauthentication failed", "password is wrong"),
    ("Minor (2529639068): Cannot find KDC for realm \"X\"", "krb5.conf"),
    ("something new", "something new"),
])
def test_reasons(text, hint):
    assert hint in kerberos.kerberos_reason(Exception(text))

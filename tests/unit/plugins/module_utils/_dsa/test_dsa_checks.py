# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _dsa/checks.py: Test-MDIDSA's verdicts from what was read, each row naming why and the role variable that fixes it."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._dsa import checks, task
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import ACCESS_ALLOWED_ACE_TYPE, ACCESS_DENIED_ACE_TYPE, INHERITED_ACE, Ace
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import FakeClient

DOM = "S-1-5-21-1-2-3"
DSA, GROUP, OTHER = f"{DOM}-1114", f"{DOM}-1200", f"{DOM}-1300"


def _descriptor(*aces):
    return SecurityDescriptor(dacl=Acl(list(aces)))


@pytest.mark.parametrize("sid, sensitive", [
    ("S-1-5-32-544", True), ("S-1-5-32-551", True), (f"{DOM}-512", True), (f"{DOM}-516", True), (f"{DOM}-517", True),
    ("S-1-5-21-9-9-9-519", True), ("S-1-5-21-9-9-9-518", True), (f"{DOM}-520", True),
    (f"{DOM}-513", False), (f"{DOM}-515", False), ("S-1-5-32-545", False), (f"{DOM}-1512", False), ("S-1-5-11", False),
])
def test_sensitive_groups_are_test_mdidsa_s(sid, sensitive):
    assert checks.is_sensitive(sid) is sensitive


def test_a_nested_sensitive_group_fails_naming_it():
    result = checks.sensitive_groups("CORP\\mdiDSA$", {f"{DOM}-515": f"{DOM}-515", f"{DOM}-512": "CORP\\Domain Admins"})
    assert result["status"] == "FAIL" and "CORP\\Domain Admins" in result["detail"]
    assert checks.sensitive_groups("CORP\\mdiDSA$", {f"{DOM}-515": f"{DOM}-515"})["status"] == "PASS"


def test_only_explicit_allow_aces_of_the_account_or_its_groups_count_as_delegation():
    inherited = Ace(ACCESS_ALLOWED_ACE_TYPE, INHERITED_ACE, 0x10, DSA)
    denied = Ace(ACCESS_DENIED_ACE_TYPE, 0, 0x10, DSA)
    others = Ace(ACCESS_ALLOWED_ACE_TYPE, 0, 0x10, OTHER)
    assert checks.explicit_allows(_descriptor(inherited, denied, others), {DSA, GROUP}) == []
    explicit = Ace(ACCESS_ALLOWED_ACE_TYPE, 0, 0x30, GROUP)
    assert checks.explicit_allows(_descriptor(others, explicit), {DSA, GROUP}) == [explicit]
    row = checks.explicit_delegation("CORP\\mdiDSA$", [f"OU=X{i},DC=corp" for i in range(7)])
    assert row["status"] == "FAIL" and "and 2 more" in row["detail"]


def test_deleted_objects_needs_list_contents_and_read_property_together():
    list_only = Ace(ACCESS_ALLOWED_ACE_TYPE, 0, 0x4, GROUP)
    read_only = Ace(ACCESS_ALLOWED_ACE_TYPE, 0, 0x10, DSA)
    half = checks.deleted_objects("a", "CN=Deleted Objects", checks.granted_mask(_descriptor(list_only), {DSA, GROUP}))
    assert half["status"] == "FAIL" and "Read Property" in half["detail"] and half["fix_var"] == checks.DELETED_OBJECTS_VAR
    assert checks.deleted_objects("a", "CN=Deleted Objects", checks.granted_mask(_descriptor(list_only, read_only), {DSA, GROUP}))["status"] == "PASS"
    assert checks.granted_mask(_descriptor(Ace(ACCESS_ALLOWED_ACE_TYPE, 0, 0x14, OTHER)), {DSA, GROUP}) == 0
    assert checks.deleted_objects("a", "CN=Deleted Objects", None)["status"] == "FAIL"


def test_password_retrieval_needs_the_domain_controllers():
    assert checks.password_retrieval("a", True, (f"{DOM}-516", GROUP), (), DOM)["status"] == "PASS"
    assert checks.password_retrieval("a", True, ("S-1-5-9",), (), DOM)["status"] == "PASS"
    failed = checks.password_retrieval("a", True, (GROUP,), (), DOM)
    assert failed["status"] == "FAIL" and failed["fix_var"] == checks.STATE_VAR
    assert checks.password_retrieval("a", True, (f"{DOM}-516",), (f"{DOM}-516",), DOM)["status"] == "FAIL"
    assert checks.password_retrieval("a", False, (), (), DOM)["status"] == "PASS"


def test_a_passed_row_names_no_fix():
    assert checks.row("x", True, "fine", "some_var", "do this") == {"check": "x", "status": "PASS", "detail": "fine", "fix_var": None,
                                                                    "fix": None}


def test_the_checks_no_role_variable_fixes_say_what_to_do_by_hand_naming_the_object():
    groups = {f"{DOM}-512": "CORP\\Domain Admins", "S-1-5-32-551": "BUILTIN\\Backup Operators"}
    rows = [checks.sensitive_groups("CORP\\mdiDSA$", groups),
            checks.explicit_delegation("CORP\\mdiDSA$", ["OU=Servers,DC=corp"]),
            checks.manager_of("CORP\\mdiDSA$", ["CN=Bob,CN=Users,DC=corp"])]
    assert [(r["status"], r["fix_var"]) for r in rows] == [("FAIL", None)] * 3
    assert rows[0]["fix"].startswith("take CORP\\mdiDSA$ out of BUILTIN\\Backup Operators, CORP\\Domain Admins")
    assert "from OU=Servers,DC=corp" in rows[1]["fix"] and "state=absent" in rows[1]["fix"]
    assert "on CN=Bob,CN=Users,DC=corp" in rows[2]["fix"]
    fixed_by_the_role = checks.password_retrieval("a", True, (GROUP,), (), DOM)
    assert fixed_by_the_role["fix"] is None and fixed_by_the_role["fix_var"] == checks.STATE_VAR
    assert [checks.manager_of("CORP\\mdiDSA$", [])["fix"], checks.sensitive_groups("CORP\\mdiDSA$", {})["fix"]] == [None, None]


def test_a_missing_account_is_a_failed_row_and_a_name_that_fits_two_accounts_an_error():
    client = FakeClient()
    rows = task.report(client, "ghostDSA")["checks"]
    assert rows[0]["check"] == "account_exists" and rows[0]["status"] == "FAIL" and "principal 'ghostDSA' not found" in rows[0]["detail"]
    client.account("svc1", 1300, container="OU=Users")
    client.account("svc1$", 1301, container="OU=Servers", classes=("top", "user", "computer"))
    with pytest.raises(MdiError, match="'svc1' is ambiguous"):
        task.report(client, "svc1")

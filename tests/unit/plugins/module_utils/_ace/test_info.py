# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _ace/info.py (the ad_ace_info module) over the fake directory: explicit ACEs listed, filtered by principal, read only."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import info
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SE_DACL_PROTECTED, SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import MDI_ACTION_ACCOUNT_SDDL
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_from_sddl, ace_to_sddl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.conftest import TARGET
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, DOMAIN_SID, run_backend


def ad_ace_info(directory, **params) -> dict:
    return run_backend(info, directory, {"target": TARGET, **params})


def test_lists_every_explicit_ace_and_no_inherited_one(directory):
    result = ad_ace_info(directory)
    dacl = directory.descriptor(TARGET).dacl
    assert result["changed"] is False and result["principal"] is None and result["target"] == TARGET
    assert len(result["aces"]) == len([ace for ace in dacl if not ace.is_inherited]) < len(dacl)
    assert [item["sid"] for item in result["aces"]] == [ace.sid for ace in dacl if not ace.is_inherited]
    assert all(item["access"] == "allow" and item["description"] for item in result["aces"])
    assert result["dacl_sddl"].startswith("D:AI(") and result["dacl_protected"] is False
    assert directory.writes == []


def test_filtered_by_principal(directory, account):
    result = ad_ace_info(directory, principal="mdiaction")
    assert result["principal"]["display"] == "CORP\\mdiaction" and result["principal"]["sid"] == account
    assert sorted(item["sddl"] for item in result["aces"]) == sorted(template.format(sid=account) for template in MDI_ACTION_ACCOUNT_SDDL)
    assert {item["sid"] for item in result["aces"]} == {account}
    assert ad_ace_info(directory, principal="helpdesk")["aces"] == []


def test_inherited_aces_of_the_principal_are_not_listed(directory):
    # The OU's DACL holds inherited ACEs of Enterprise Domain Controllers (ED) and explicit ones.
    dacl = directory.descriptor(TARGET).dacl
    listed = ad_ace_info(directory, principal="S-1-5-9")["aces"]
    assert [item["sddl"] for item in listed] == [ace_to_sddl(ace, DOMAIN_SID) for ace in dacl if ace.sid == "S-1-5-9" and not ace.is_inherited]
    assert len(listed) < len([ace for ace in dacl if ace.sid == "S-1-5-9"])


def test_target_defaults_to_the_domain_root(directory):
    result = ad_ace_info(directory, target=None)
    assert result["target"] == BASE and result["aces"]


def test_deny_aces_and_protected_dacls_are_reported(directory):
    dacl = Acl([ace_from_sddl("(D;;WP;;;WD)"), ace_from_sddl("(A;;RC;;;WD)")])
    directory.set_descriptor(TARGET, SecurityDescriptor(owner="S-1-5-32-544", dacl=dacl, control=SE_DACL_PROTECTED))
    result = ad_ace_info(directory)
    assert [(item["sddl"], item["access"]) for item in result["aces"]] == [("(D;;WP;;;WD)", "deny"), ("(A;;RC;;;WD)", "allow")]
    assert result["dacl_protected"] is True and result["dacl_sddl"] == "D:P(D;;WP;;;WD)(A;;RC;;;WD)"


@pytest.mark.parametrize("params, message", [
    ({"target": f"OU=Nowhere,{BASE}"}, f"Failed to read the ACEs on OU=Nowhere,{BASE}: the target OU=Nowhere,{BASE} does not exist"),
    ({"principal": "nobody"}, f"Failed to read the ACEs on {TARGET}: principal 'nobody' not found"),
])
def test_missing_target_or_principal_fail(directory, params, message):
    result = ad_ace_info(directory, **params)
    assert result["failed"] is True and result["msg"].startswith(message)

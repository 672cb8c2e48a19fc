# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _optional_feature (the ad_optional_feature module) over the fake directory: the opt-in and the forest level
are checked before the one rootDSE write, check mode writes nothing, a refusal says why."""
from __future__ import annotations

import uuid

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import Entry
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._optional_feature import features, task
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import CONFIG, FakeClient, run_backend

GUID = "766ddcd8-acd0-445e-f3b9-a7f9b6744f2a"
FEATURE = features.feature_dn(CONFIG, "recycle_bin")
PARTITIONS = f"CN=Partitions,{CONFIG}"


class ForestDirectory(FakeClient):
    """The fake directory with a rootDSE, and enableOptionalFeature as MS-ADTS 3.1.1.3.3.27 describes it: the value names
    the scope and the feature's GUID; the feature then lists the scope in msDS-EnabledFeatureBL. ``refusal``: the
    LdapError the DC answers instead (as Samba does for any LDAP account)."""

    def __init__(self, forest_level: int = 7, refusal: LdapError | None = None):
        super().__init__()
        self.forest_level, self.refusal = forest_level, refusal
        self.add(FEATURE, objectClass=["top", "msDS-OptionalFeature"], **{
            "msDS-OptionalFeatureGUID": uuid.UUID(GUID).bytes_le, "msDS-RequiredForestBehaviorVersion": 4})

    @property
    def root_dse(self) -> Entry:
        return Entry("", {"forestFunctionality": [str(self.forest_level).encode()]})

    def modify_root_dse(self, changes: dict) -> None:
        self.writes.append(("modify", "", changes, None))
        if self.refusal:
            raise self.refusal
        [(_operation, [value])] = changes["enableOptionalFeature"]
        scope, guid = value.rsplit(":", 1)
        for values in self.objects.values():
            if values.get("msds-optionalfeatureguid") == [uuid.UUID(guid).bytes_le]:
                values.setdefault("msds-enabledfeaturebl", []).append(scope.encode())


def enable(directory, check_mode=False, **params) -> dict:
    return run_backend(task, directory, {"name": "recycle_bin", "accept_irreversible": True, **params}, check_mode, diff=True)


def test_enables_the_feature_for_the_forest_then_finds_it_enabled():
    directory = ForestDirectory()
    result = enable(directory)
    assert result["changed"] is True and result["enabled"] is True and result["diff"] == {"before": {"enabled": False}, "after": {"enabled": True}}
    assert directory.writes == [("modify", "", {"enableOptionalFeature": [("MODIFY_ADD", [f"{PARTITIONS}:{GUID}"])]}, None)]
    again = enable(directory, accept_irreversible=False)  # enabled already: no opt-in needed, nothing written
    assert again["changed"] is False and again["enabled"] is True and len(directory.writes) == 1


def test_check_mode_predicts_and_writes_nothing():
    directory = ForestDirectory()
    result = enable(directory, check_mode=True)
    assert result["changed"] is True and result["enabled"] is True and directory.writes == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_refuses_without_the_opt_in(check_mode):
    directory = ForestDirectory()
    result = enable(directory, check_mode=check_mode, accept_irreversible=False)
    assert result["failed"] is True and "cannot be undone" in result["msg"] and "accept_irreversible: true" in result["msg"]
    assert directory.writes == []


def test_refuses_a_forest_below_the_level_the_feature_needs():
    directory = ForestDirectory(forest_level=3)
    result = enable(directory)
    assert result["failed"] is True and "Windows Server 2008 R2 or higher" in result["msg"] and "this forest is at Windows Server 2008:" in result["msg"]
    assert directory.writes == []


def test_a_forest_without_the_feature_object_is_named():
    directory = ForestDirectory()
    del directory.objects[FEATURE]
    result = enable(directory)
    assert result["failed"] is True and FEATURE in result["msg"] and directory.writes == []


def test_samba_refusing_it_over_ldap_says_why():
    refusal = LdapError("LDAP modify of '' failed: unwillingToPerform (00002035: rootdse: Insufficient rights for enableoptionalfeature)",
                        ldap_result={"result": 53, "description": "unwillingToPerform"})
    result = enable(ForestDirectory(refusal=refusal))
    assert result["failed"] is True and "only from its own system session" in result["msg"] and "Insufficient rights" in result["msg"]


def test_a_missing_right_names_enterprise_admins():
    refusal = LdapError("LDAP modify of '' failed: insufficientAccessRights", ldap_result={"result": 50, "description": "insufficientAccessRights"})
    result = enable(ForestDirectory(refusal=refusal))
    assert result["failed"] is True and "Enterprise Admins" in result["msg"]


def test_the_feature_guid_is_read_in_wire_order():
    assert features.feature_guid(uuid.UUID(GUID).bytes_le) == GUID
    assert features.is_enabled([PARTITIONS.upper()], PARTITIONS) and not features.is_enabled([], PARTITIONS)

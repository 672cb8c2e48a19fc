# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo_settings/extension_names.py: gPCMachineExtensionNames is merged, never replaced."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import extension_names as en
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError

ADMIN = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]"
SECURITY = "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"
AUDIT = "[{F3CCC681-B74C-4060-9F26-CD84525DCA2A}{0F3F3735-573D-9804-99E4-AB2A69BA5FD4}]"
EFS = "[{B1BE8D72-6EAC-11D2-A4EA-00C04F79F83A}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]"
PREFERENCES = "[{B087BE9D-ED37-454F-AF9C-04291E351182}{BEE07A6A-EC9F-4659-B8C9-0B1937907C83}]"


def test_ms_module_fault_replacing_the_attribute_loses_existing_pairs():
    """Set-MDIGPOMachineExtension writes exactly its own pairs; here every pair that was there stays."""
    existing = ADMIN + EFS
    merged = en.merge(existing, [en.AUDIT, en.SECURITY])
    assert merged == ADMIN + SECURITY + EFS + AUDIT
    assert en.pairs(existing) <= en.pairs(merged)


@pytest.mark.parametrize("value, wanted, expected", [
    (None, [en.AUDIT], AUDIT),
    ("", [en.SECURITY, en.AUDIT], SECURITY + AUDIT),
    (AUDIT, [en.SECURITY], SECURITY + AUDIT),                  # a new group goes where its CSE sorts
    (SECURITY + AUDIT, [en.PREFERENCES_REGISTRY], SECURITY + PREFERENCES + AUDIT),
    (ADMIN, [en.ADMIN_TEMPLATES], ADMIN),                       # already there
    ("[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{0ACDD40C-75AC-47AB-BAA0-BF6DE7E7FE63}]", [en.SECURITY],
     "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{0ACDD40C-75AC-47AB-BAA0-BF6DE7E7FE63}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"),
])
def test_merge(value, wanted, expected):
    assert en.merge(value, wanted) == expected


def test_present_in_another_case_or_order_is_left_as_written():
    unsorted = AUDIT + SECURITY.lower()
    assert en.merge(unsorted, [en.SECURITY, en.AUDIT]) == unsorted


def test_adding_sorts_groups_and_tools_and_keeps_the_case_written():
    value = AUDIT + SECURITY.lower()
    merged = en.merge(value, [en.ADMIN_TEMPLATES])
    assert merged == ADMIN + SECURITY.lower() + AUDIT


def test_groups_of_the_same_cse_are_united():
    split = "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]" \
            "[{827d319e-6eac-11d2-a4ea-00c04f79f83a}{0ACDD40C-75AC-47AB-BAA0-BF6DE7E7FE63}]"
    assert en.merge(split, [en.AUDIT]) == \
        "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{0ACDD40C-75AC-47AB-BAA0-BF6DE7E7FE63}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]" + AUDIT


def test_parse_and_format():
    assert en.parse(ADMIN + AUDIT) == [["{35378EAC-683F-11D2-A89A-00C04FBBCFA2}", "{D02B1F72-3407-48AE-BA88-E8213C6761F1}"],
                                       ["{F3CCC681-B74C-4060-9F26-CD84525DCA2A}", "{0F3F3735-573D-9804-99E4-AB2A69BA5FD4}"]]
    assert en.format_groups(en.parse(ADMIN + AUDIT)) == ADMIN + AUDIT
    assert en.parse(None) == [] and en.parse("  ") == []


@pytest.mark.parametrize("value", ["[{not-a-guid}]", "[]", ADMIN + " junk", "{35378EAC-683F-11D2-A89A-00C04FBBCFA2}"])
def test_malformed_values_are_refused(value):
    with pytest.raises(GpoSettingsError, match="gPCMachineExtensionNames"):
        en.merge(value, [en.AUDIT])


def test_malformed_pair_is_refused():
    with pytest.raises(GpoSettingsError, match="GUID"):
        en.merge(AUDIT, [("F3CCC681-B74C-4060-9F26-CD84525DCA2A", en.AUDIT_TOOL)])

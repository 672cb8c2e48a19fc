# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _sd/well_known_guids.py."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import well_known_guids as guids


def test_lookup_by_name():
    assert guids.well_known_guid(" PwdLastSet ") == guids.ATTRIBUTE_PWD_LAST_SET
    assert guids.well_known_guid("reset password") == guids.EXTENDED_RIGHT_RESET_PASSWORD
    assert guids.well_known_guid("msDS-GroupManagedServiceAccount") == guids.CLASS_GROUP_MANAGED_SERVICE_ACCOUNT
    assert guids.well_known_guid("nosuch") is None


def test_names_are_unique():
    names = [name.lower() for name in guids.WELL_KNOWN_GUID_NAMES.values()]
    assert len(names) == len(set(names))

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _sd/presets.py: the MDI action-account ACE set."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import well_known_guids as guids
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SecurityDescriptorError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces

SID = "S-1-5-21-1-2-3-1102"


def test_the_four_aces():
    aces = mdi_action_account_aces("s-1-5-21-1-2-3-1102")
    assert [(a.ace_type, a.flags, a.mask, a.sid) for a in aces] == [(0x05, 0x0A, mask, SID) for mask in (0x100, 0x30, 0x30, 0x30)]
    assert [(a.object_type, a.inherited_object_type) for a in aces] == [
        (guids.EXTENDED_RIGHT_RESET_PASSWORD, guids.CLASS_USER),
        (guids.ATTRIBUTE_PWD_LAST_SET, guids.CLASS_USER),
        (guids.ATTRIBUTE_USER_ACCOUNT_CONTROL, guids.CLASS_USER),
        (guids.ATTRIBUTE_MEMBER, guids.CLASS_GROUP),
    ]


@pytest.mark.parametrize("bad", ["BA", "S-1-5-21-1)(A;;GA;;;WD", ""])
def test_only_sid_strings(bad):
    with pytest.raises(SecurityDescriptorError, match="is not a SID"):
        mdi_action_account_aces(bad)

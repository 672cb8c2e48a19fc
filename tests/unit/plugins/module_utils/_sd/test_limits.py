# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _sd/limits.py: the ACL size and count limits."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import AclLimitError, SecurityDescriptorError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.limits import MAX_ACE_COUNT, MAX_ACL_SIZE, check_acl_limits


def test_within_limits():
    check_acl_limits(MAX_ACL_SIZE, MAX_ACE_COUNT)


def test_too_large():
    too_large = r"^DACL would be 65,536 bytes \(10 ACEs\); an ACL holds at most 65,535 bytes: grant fewer ACEs \("
    with pytest.raises(AclLimitError, match=too_large) as caught:
        check_acl_limits(65536, 10, "DACL")
    assert caught.value.details == {"size": 65536, "count": 10, "limit": 65535}


def test_too_many():
    too_many = r"^ACL would hold 2,001 ACEs; at most 2,000 ACEs are allowed in one ACL \(Samba refuses more\): grant fewer ACEs \("
    with pytest.raises(AclLimitError, match=too_many):
        check_acl_limits(1000, 2001)
    check_acl_limits(1000, 2001, max_aces=3000)


def test_error_hierarchy():
    assert issubclass(AclLimitError, SecurityDescriptorError)
    assert issubclass(SecurityDescriptorError, MdiError)

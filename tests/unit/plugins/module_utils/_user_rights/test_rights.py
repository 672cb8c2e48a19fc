# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _user_rights/rights.py: every Windows right and privilege, by constant or display name."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import UserRightError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.rights import RIGHTS, canonical_right, describe_right


def test_the_full_list():
    assert len(RIGHTS) == 46
    assert sum(name.endswith("Right") for name in RIGHTS) == 10
    assert sum(name.endswith("Privilege") for name in RIGHTS) == 36
    assert len(set(RIGHTS.values())) == len(RIGHTS)  # display names are unique, so they resolve both ways


def test_same_list_as_the_fake_hosts(fake_side):
    assert set(RIGHTS) == set(fake_side[0].RIGHTS)


@pytest.mark.parametrize("name", sorted(RIGHTS))
def test_every_constant_and_display_name(name):
    assert canonical_right(name) == name
    assert canonical_right(RIGHTS[name]) == name


@pytest.mark.parametrize("text", ["Log on as a service", "log on as a service", "  LOG ON  AS A\tSERVICE ", "seservicelogonright"])
def test_case_and_spaces_do_not_matter(text):
    assert canonical_right(text) == "SeServiceLogonRight"


def test_deny_is_not_allow():
    assert canonical_right("Deny log on as a service") == "SeDenyServiceLogonRight"


@pytest.mark.parametrize("text, hint", [("SeServiceLogonRights", "SeServiceLogonRight"), ("Logon as a service", "SeServiceLogonRight")])
def test_unknown_names_suggest_close_ones(text, hint):
    with pytest.raises(UserRightError, match=hint) as caught:
        canonical_right(text)
    assert caught.value.details["error_type"] == "UnknownRight"


def test_an_unknown_name_without_close_ones_says_what_to_give():
    with pytest.raises(UserRightError, match=r"^'SeFlyRight' is not a Windows user right or privilege: give its constant \(such as Se"):
        canonical_right("SeFlyRight")


@pytest.mark.parametrize("value", ["", "   ", None, 5, "SeNothingRight"])
def test_rejected(value):
    with pytest.raises(UserRightError):
        canonical_right(value)


def test_describe_right():
    assert describe_right("SeServiceLogonRight") == "Log on as a service (SeServiceLogonRight)"

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _user_rights/members.py: add/remove/set on GPO entries, and the module's result."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights import members

ENTRIES = [("*S-1-5-80-0", "S-1-5-80-0"), ("CORP\\svcSql", "S-1-5-21-1-2-3-1200"), ("OLD\\gone", None)]


def test_add_keeps_everything_and_appends_sids():
    after = members.plan_entries(ENTRIES, "add", ["S-1-5-21-1-2-3-1200", "S-1-5-21-1-2-3-1105", "S-1-5-21-1-2-3-1105"])
    assert after == ENTRIES + [("*S-1-5-21-1-2-3-1105", "S-1-5-21-1-2-3-1105")]


def test_remove_keeps_unresolved_names():
    assert members.plan_entries(ENTRIES, "remove", ["S-1-5-80-0", "S-1-5-19"]) == ENTRIES[1:]


def test_set_keeps_existing_spelling_and_drops_the_rest():
    after = members.plan_entries(ENTRIES, "set", ["S-1-5-21-1-2-3-1105", "S-1-5-21-1-2-3-1200"])
    assert after == [("CORP\\svcSql", "S-1-5-21-1-2-3-1200"), ("*S-1-5-21-1-2-3-1105", "S-1-5-21-1-2-3-1105")]
    assert members.plan_entries(ENTRIES, "set", []) == []


def test_set_to_the_same_is_no_change():
    assert members.plan_entries(ENTRIES[:2], "set", ["S-1-5-21-1-2-3-1200", "S-1-5-80-0"]) == ENTRIES[:2]


def test_unknown_action():
    with pytest.raises(ValueError):
        members.plan_entries(ENTRIES, "grant", [])


def test_result_and_diff():
    before = [{"sid": "S-1-5-80-0", "name": "NT SERVICE\\ALL SERVICES"}, {"sid": None, "name": "OLD\\gone"}]
    after = before[:1] + [{"sid": "S-1-5-21-1-2-3-1105", "name": None}]
    result = members.result("SeServiceLogonRight", "gpo", before, after, None, True)
    assert result["changed"] and result["added"] == after[1:] and result["removed"] == before[1:]
    assert result["diff"]["before"]["SeServiceLogonRight"] == ["NT SERVICE\\ALL SERVICES (S-1-5-80-0)", "OLD\\gone (no SID)"]
    assert result["diff"]["after"]["SeServiceLogonRight"][0] == "(unresolved) (S-1-5-21-1-2-3-1105)"

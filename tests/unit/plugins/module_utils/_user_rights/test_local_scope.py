# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _user_rights/local.py against the lab's fake host: one call per run, GPO conflicts (fail changes nothing, warn changes)."""
from __future__ import annotations

import json

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.local import GpoConflictError, query_local, run_local

DDCP_GUID = "{6AC1786C-016F-11D2-945F-00C04FB984F9}"


class Runner:
    """execute() for run_local: hands the command to the fake host, counts the calls."""

    def __init__(self, fake_side, host):
        self.fake, self.host, self.calls = fake_side[0], host, []

    def __call__(self, call):
        self.calls.append(call)
        answer, code = self.fake.handle(call.command, self.host)
        return code, json.dumps(answer), ""


def _params(**overrides):
    return {"action": "add", "users": ["NT AUTHORITY\\LOCAL SERVICE"], "on_gpo_conflict": "fail", **overrides}


def _define_by_gpo(host, right, members):
    host.state["gpo_rights"][right] = {"gpo_name": "Default Domain Controllers Policy", "gpo_guid": DDCP_GUID, "members": members}
    host.save()


def test_one_call_carries_command_and_script(fake_side, fake_host):
    runner = Runner(fake_side, fake_host)
    result, warnings = run_local("SeServiceLogonRight", _params(), False, True, runner)
    assert len(runner.calls) == 1 and warnings == []
    assert "LsaAddAccountRights" in runner.calls[0].stdin and "LsaAddAccountRights" not in runner.calls[0].command
    assert result["changed"] and result["scope"] == "local" and result["gpo"] is None
    assert result["added"] == [{"sid": "S-1-5-19", "name": "NT AUTHORITY\\LOCAL SERVICE"}]
    assert result["diff"]["after"]["SeServiceLogonRight"] == ["NT AUTHORITY\\LOCAL SERVICE (S-1-5-19)", "NT SERVICE\\ALL SERVICES (S-1-5-80-0)"]


def test_rerun_and_check_mode(fake_side, fake_host):
    runner = Runner(fake_side, fake_host)
    assert run_local("SeServiceLogonRight", _params(), True, False, runner)[0]["changed"] is True
    assert run_local("SeServiceLogonRight", _params(), False, False, runner)[0]["changed"] is True
    result, _warnings = run_local("SeServiceLogonRight", _params(), False, False, runner)
    assert result["changed"] is False and "diff" not in result


@pytest.mark.parametrize("check_mode", [False, True])
def test_gpo_conflict_fails_naming_the_gpo_and_changes_nothing(fake_side, fake_host, check_mode):
    _define_by_gpo(fake_host, "SeServiceLogonRight", ["S-1-5-80-0"])
    stored = fake_host.state_path.read_bytes()
    runner = Runner(fake_side, fake_host)
    with pytest.raises(GpoConflictError, match="Default Domain Controllers Policy' \\{6AC1786C") as caught:
        run_local("SeServiceLogonRight", _params(), check_mode, True, runner)
    message = str(caught.value)
    assert "scope=gpo" in message and "on_gpo_conflict=warn" in message and "(add NT AUTHORITY\\LOCAL SERVICE) would not last" in message
    assert "Nothing was changed; the local list is still: NT SERVICE\\ALL SERVICES." in message
    assert caught.value.details["changed"] is False and caught.value.details["added"] == []
    assert caught.value.details["diff"]["before"] == caught.value.details["diff"]["after"]
    assert len(runner.calls) == 1 and fake_host.state_path.read_bytes() == stored  # the state file, read on its own: untouched


@pytest.mark.parametrize("check_mode, done", [(False, "is now"), (True, "would be")])
def test_gpo_conflict_warns_and_changes(fake_side, fake_host, check_mode, done):
    _define_by_gpo(fake_host, "SeServiceLogonRight", ["S-1-5-80-0"])
    result, warnings = run_local("SeServiceLogonRight", _params(on_gpo_conflict="warn"), check_mode, False, Runner(fake_side, fake_host))
    assert result["changed"] is True and result["gpo"]["name"] == "Default Domain Controllers Policy"
    assert len(warnings) == 1 and f"The local list {done}: NT SERVICE\\ALL SERVICES, NT AUTHORITY\\LOCAL SERVICE" in warnings[0]
    stored = json.loads(fake_host.state_path.read_text(encoding="utf-8"))["rights"]["SeServiceLogonRight"]
    assert stored == (["S-1-5-80-0"] if check_mode else ["S-1-5-80-0", "S-1-5-19"])


def test_change_that_matches_the_gpo_is_made(fake_side, fake_host):
    _define_by_gpo(fake_host, "SeServiceLogonRight", ["S-1-5-80-0", "S-1-5-19"])
    result, warnings = run_local("SeServiceLogonRight", _params(), False, False, Runner(fake_side, fake_host))
    assert result["changed"] is True and warnings == []


def test_no_conflict_when_the_gpo_grants_the_same(fake_side, fake_host):
    _define_by_gpo(fake_host, "SeServiceLogonRight", ["S-1-5-80-0", "S-1-5-19"])
    fake_host.state["rights"]["SeServiceLogonRight"] = ["S-1-5-80-0", "S-1-5-19"]
    fake_host.save()
    result, warnings = run_local("SeServiceLogonRight", _params(), False, False, Runner(fake_side, fake_host))
    assert result["changed"] is False and warnings == [] and result["gpo"] is not None


def test_query_reads_the_local_list_in_one_call_and_changes_nothing(fake_side, fake_host):
    stored = fake_host.state_path.read_bytes()
    runner = Runner(fake_side, fake_host)
    result = query_local("SeServiceLogonRight", runner)
    assert len(runner.calls) == 1 and '"action": "query"' in runner.calls[0].command
    assert result == {"changed": False, "right": "SeServiceLogonRight", "source": "local", "gpo": None,
                      "local_members": [{"sid": "S-1-5-80-0", "name": "NT SERVICE\\ALL SERVICES"}],
                      "members": [{"sid": "S-1-5-80-0", "name": "NT SERVICE\\ALL SERVICES"}]}
    assert fake_host.state_path.read_bytes() == stored


def test_query_names_the_gpo_list_as_the_one_in_effect(fake_side, fake_host):
    run_local("SeServiceLogonRight", _params(), False, False, Runner(fake_side, fake_host))  # LOCAL SERVICE, locally only
    _define_by_gpo(fake_host, "SeServiceLogonRight", ["S-1-5-80-0"])
    result = query_local("SeServiceLogonRight", Runner(fake_side, fake_host))
    assert result["source"] == "gpo" and result["gpo"]["name"] == "Default Domain Controllers Policy"
    assert [m["sid"] for m in result["members"]] == ["S-1-5-80-0"]
    assert sorted(m["sid"] for m in result["local_members"]) == ["S-1-5-19", "S-1-5-80-0"]

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _group/task.py over the fake directory: what is refused is refused before any write, check mode writes
nothing and predicts the group, a new group is one add with its members, and an unchanged group is not written."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._group import task
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, FakeClient, run_backend

GLOBAL_SECURITY = -2147483646


def _client():
    client = FakeClient()
    client.add(f"CN=Users,{BASE}", objectClass=["top", "container"])
    client.account("alice", 1105)
    client.account("helpdesk", 1200, classes=("top", "group"), groupType=str(GLOBAL_SECURITY), description="old")
    return client


def _params(**more) -> dict:
    return {"server": "dc1", "username": "u", "password": "not-in-any-message", **more}


def test_a_new_group_is_one_add_with_its_members_and_check_mode_only_predicts_it():
    client = _client()
    params = _params(name="sensors", scope="universal", members={"add": ["alice"]})
    checked = run_backend(task, client, params, check_mode=True, diff=True)
    assert checked["changed"] and not client.writes
    real = run_backend(task, client, params)
    assert [w[0] for w in client.writes] == ["add"]
    attributes = client.writes[0][2]
    assert attributes["groupType"] == "-2147483640" and attributes["member"] == [f"CN=alice,CN=Users,{BASE}"]
    assert checked["group"] == real["group"] and real["group"]["created"]
    assert not run_backend(task, client, params)["changed"] and len(client.writes) == 1


def test_a_refused_scope_change_and_an_unknown_member_write_nothing():
    client = _client()
    refused = run_backend(task, client, _params(name="helpdesk", scope="domain_local", description="new"))
    assert refused["failed"] and "scope: universal first" in refused["msg"]
    unknown = run_backend(task, client, _params(name="helpdesk", description="new", members={"add": ["ghost"]}))
    assert unknown["failed"] and "'ghost' not found" in unknown["msg"]
    assert not client.writes


def test_a_new_group_needs_a_scope_and_a_user_is_no_group():
    client = _client()
    assert "give scope" in run_backend(task, client, _params(name="newgroup"))["msg"]
    assert "alice is a user, not a group" in run_backend(task, client, _params(name="alice", scope="global"))["msg"]
    assert not client.writes


def test_description_and_scope_are_written_apart_and_absent_deletes():
    client = _client()
    result = run_backend(task, client, _params(name="helpdesk", scope="universal", description=""), diff=True)
    assert result["changed"] and result["diff"]["before"]["scope"] == "global" and result["group"]["scope"] == "universal"
    assert [(w[0], sorted(w[2])) for w in client.writes] == [("modify", ["groupType"]), ("modify", ["description"])]
    assert run_backend(task, client, _params(name="helpdesk", state="absent"))["changed"]
    assert client.writes[-1][0] == "delete"

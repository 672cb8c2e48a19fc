# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _kds/task.py's option checks over the fake directory: a key_id that is no GUID and a malformed effective_time
are refused before anything is read, also when a key exists and nothing would be created."""
from __future__ import annotations

import datetime

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._kds import root_key, task
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import CONFIG, FakeClient, run_backend

KEY_ID = "5c2cb4d3-0a3e-4a0e-9b64-5e0d9e7fbd55"


@pytest.fixture(name="directory")
def fixture_directory():
    """A forest with one usable root key."""
    directory = FakeClient()
    usable_since = root_key.to_nt_time(datetime.datetime.now(datetime.timezone.utc) - root_key.LAB_BACKDATE)
    directory.add(f"CN={KEY_ID},{root_key.container_dn(CONFIG)}", objectClass=["top", root_key.OBJECT_CLASS], cn=KEY_ID,
                  **{"msKds-UseStartTime": usable_since, "msKds-CreateTime": usable_since})
    return directory


@pytest.mark.parametrize("params, words", [
    ({"state": "absent", "key_id": "not-a-guid"}, "key_id 'not-a-guid' is not a GUID: give the key's GUID"),
    ({"state": "absent", "key_id": KEY_ID[:-1]}, "is not a GUID"),
    ({"effective_time": "next tuesday"}, "effective_time 'next tuesday' is not an ISO 8601 time"),
    ({"effective_time": "2026-12-01T08:00:00"}, "effective_time needs a time zone"),
])
def test_malformed_options_are_refused_before_anything_is_read(directory, params, words):
    result = run_backend(task, directory, params, check_mode=True)
    assert result["failed"] and words in result["msg"]
    assert directory.searches == [] and directory.writes == []


@pytest.mark.parametrize("key_id", [KEY_ID.upper(), "{" + KEY_ID + "}"])
def test_a_key_id_in_another_guid_spelling_finds_the_key(directory, key_id):
    result = run_backend(task, directory, {"state": "absent", "key_id": key_id})
    assert result["changed"] and result["key"]["key_id"] == KEY_ID
    assert [(op, dn) for op, dn, _attrs, _controls in directory.writes] == [("delete", f"CN={KEY_ID},{root_key.container_dn(CONFIG)}")]


def test_a_past_effective_time_is_no_error_once_the_key_exists(directory):
    # A playbook's fixed effective_time falls into the past after its key was made: reruns must stay unchanged.
    result = run_backend(task, directory, {"effective_time": "2020-01-01T00:00:00Z"})
    assert result["changed"] is False and result["key"]["key_id"] == KEY_ID and directory.writes == []


def test_a_past_effective_time_is_refused_for_a_new_key():
    result = run_backend(task, FakeClient(), {"effective_time": "2020-01-01T00:00:00Z"})
    assert result["failed"] and "effective_time is in the past" in result["msg"]

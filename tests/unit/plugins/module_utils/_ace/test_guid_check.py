# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _ace/guid_check.py through the ad_ace backend: a GUID written as such must name something of the kind its
rights need before an ACE holds it; the collection's own GUIDs cost no search, the others one, and only on the change path.
Also what a no-op costs in searches."""
from __future__ import annotations

import uuid

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.spec import ace_from_entry
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.conftest import HELPDESK_SID, SEND_AS, TARGET, TITLE
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.test_task import ad_ace, explicit
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import CONFIG, SCHEMA

UNKNOWN = "11111111-2222-3333-4444-555555555555"
USER = "bf967aba-0de6-11d0-a285-00aa003049e2"
RESET_PASSWORD = "00299570-246d-11d0-a768-00aa006e0529"


def _guid_searches(directory) -> list:
    return [s for s in directory.searches if "schemaIDGUID" in s[1] or "rightsGuid" in s[1]]


@pytest.mark.parametrize("entry, words", [
    ({"rights": ["read_property"], "object_type": UNKNOWN}, f"aces[0].object_type: {UNKNOWN} names no attribute or property set"),
    ({"rights": ["read_property"], "inherited_object_type": UNKNOWN}, f"aces[0].inherited_object_type: {UNKNOWN} names no class"),
    ({"rights": ["control_access"], "object_type": "{" + UNKNOWN.upper() + "}"}, "names no extended right in this forest"),
    ({"rights": ["read_property"], "object_type": RESET_PASSWORD}, "is the extended right Reset Password, but these rights need attribute"),
    ({"rights": ["control_access"], "object_type": TITLE}, "is the attribute title, but these rights need extended right"),
    ({"rights": ["read_property"], "object_type": TITLE, "inherited_object_type": TITLE},
     "is the attribute title, but these rights need class"),
])
def test_a_guid_that_names_nothing_fitting_is_refused_before_anything_is_written(forest, entry, words):
    before = forest.descriptor(TARGET).encode()
    for check_mode in (True, False):
        result = ad_ace(forest, check_mode=check_mode, preset=None, aces=[entry])
        assert result.get("failed") and words in result["msg"], result
        assert "check the GUID" in result["msg"] and forest.writes == [] and forest.descriptor(TARGET).encode() == before


def test_guids_the_forest_knows_are_granted_with_one_search_for_all(forest):
    entries = [{"rights": ["read_property"], "object_type": TITLE, "inherited_object_type": USER},
               {"rights": ["control_access"], "object_type": SEND_AS}]
    result = ad_ace(forest, preset=None, aces=entries)
    assert result["changed"] and not result.get("failed"), result
    assert len(_guid_searches(forest)) == 1  # title and Send As together; user is the collection's own
    assert f"(OA;CIIO;RP;{TITLE};{USER};{HELPDESK_SID})" in explicit(forest, HELPDESK_SID)
    assert ["title" in a["description"] for a in result["added"]] == [True, False]  # named from what the check found


def test_the_collections_own_guids_cost_no_search_and_others_one_per_task(forest):
    entries = [{"rights": ["read_property", "write_property"], "object_type": "bf967a0a-0de6-11d0-a285-00aa003049e2",
                "inherited_object_type": USER}]
    assert ad_ace(forest, preset=None, aces=entries)["changed"]
    assert _guid_searches(forest) == []
    assert ad_ace(forest, preset=None, aces=[{"rights": ["read_property"], "object_type": TITLE}])["changed"]
    assert len(_guid_searches(forest)) == 1  # the check and the naming of the result share it
    forest.cache.clear()  # a new task: a new connection
    assert not ad_ace(forest, preset=None, aces=[{"rights": ["read_property"], "object_type": TITLE}])["changed"]
    assert len(_guid_searches(forest)) == 2  # naming title in the result


def test_an_ace_with_an_unknown_guid_that_is_there_already_is_reported_not_refused(forest):
    stored = forest.descriptor(TARGET)
    stored.dacl.ensure(ace_from_entry(0, {"rights": ["read_property"], "object_type": UNKNOWN}, HELPDESK_SID))
    forest.set_descriptor(TARGET, stored)
    result = ad_ace(forest, preset=None, aces=[{"rights": ["read_property"], "object_type": UNKNOWN}])
    assert not result.get("failed") and not result["changed"] and len(result["aces"]) == 1, result  # nothing to write


def test_an_unknown_guid_can_still_be_removed(forest):
    entry = {"rights": ["read_property"], "object_type": UNKNOWN}
    result = ad_ace(forest, preset=None, aces=[entry], state="absent")
    assert not result.get("failed") and not result["changed"], result
    assert _guid_searches(forest) == []


def test_a_server_that_ignores_the_phantom_root_is_asked_the_schema_on_its_own(directory):
    directory.add(f"CN=Title,{SCHEMA}", objectClass=["top", "attributeSchema"], cn="Title", lDAPDisplayName="title",
                  schemaIDGUID=uuid.UUID(TITLE).bytes_le)  # no dMD entry: the sentinel is missing from the answer
    result = ad_ace(directory, preset=None, aces=[{"rights": ["read_property"], "object_type": TITLE}])
    assert result["changed"] and not result.get("failed"), result
    assert [s[0] for s in _guid_searches(directory)] == [CONFIG, SCHEMA]


def test_a_noop_costs_one_search_for_the_principal_and_the_domain_and_one_for_the_dacl(directory):
    ad_ace(directory)
    directory.cache.clear()  # a new task: a new connection
    count = len(directory.searches)
    again = ad_ace(directory)
    assert not again["changed"] and again["principal"]["display"] == "CORP\\helpdesk"
    assert len(directory.searches) - count == 2, directory.searches[count:]

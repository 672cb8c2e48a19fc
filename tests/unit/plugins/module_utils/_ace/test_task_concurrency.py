# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _ace/task.py with another administrator writing the same DACL (RivalDirectory): a change between the
plan's read and the write is merged when an LDAP operation came between them (right after the read the write follows
at once, with no re-read), a lost update is seen on verify and written again, each retry re-reads first."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import task
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_from_sddl, ace_to_sddl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.conftest import HELPDESK_SID, TARGET, TITLE, add_forest
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.fakes import RivalDirectory, sd_flags
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.test_task import ad_ace, explicit, preset, sddl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils.held_locks import HeldLocks

RIVAL_SID, LATE_SID = "S-1-5-21-1-2-3-2001", "S-1-5-21-1-2-3-2002"
RIVAL = f"(OA;CIIO;RPWP;bf967a0a-0de6-11d0-a285-00aa003049e2;bf967aba-0de6-11d0-a285-00aa003049e2;{RIVAL_SID})"
LATE = f"(A;;RC;;;{LATE_SID})"
READ_TITLE = {"rights": ["read_property"], "object_type": TITLE}  # a GUID the collection does not know: one search checks it
AUDIT = {"access": "audit", "audit_flags": ["failure"], "rights": ["read_property"]}
# What comes between the plan's read of the DACL and its write: the GUID's search, the SACL's read.
GAPS = {"a GUID looked up": [READ_TITLE], "the SACL read": [{"rights": ["read_control"]}, AUDIT]}


def rival(make_directory, ace: str = RIVAL, **timing) -> RivalDirectory:
    return add_forest(make_directory(RivalDirectory, ace_from_sddl(ace), **timing))


def sent_dacls(directory) -> list:
    """The DACLs our writes sent, each as a list of SDDL ACEs."""
    return [[ace_to_sddl(ace) for ace in SecurityDescriptor.parse(changes["nTSecurityDescriptor"][0][1][0]).dacl]
            for _operation, _dn, changes, controls in directory.writes if sd_flags(controls) == 4]


def test_right_after_the_plans_read_the_write_follows_without_a_re_read(directory):
    result = ad_ace(directory)
    assert result["changed"] and len(directory.writes) == 1
    assert directory.descriptor_reads == [(TARGET, "BASE", 4, False), (TARGET, "SUBTREE", 4, False)]  # the plan's read, the verifying read


@pytest.mark.parametrize("aces", GAPS.values(), ids=GAPS.keys())
def test_a_change_between_read_and_write_is_merged_not_overwritten(make_directory, aces):
    directory = rival(make_directory, after_reads=[1])
    result = ad_ace(directory, preset=None, aces=aces)
    assert result["changed"] is True and not result.get("failed") and directory.rival_writes == 1, result
    [sent] = sent_dacls(directory)
    assert RIVAL in sent  # planned on the re-read
    assert explicit(directory, RIVAL_SID) == [RIVAL]
    assert explicit(directory, HELPDESK_SID) == [ace for ace in sddl(result["aces"]) if not ace.startswith("(AU;")]


def test_aces_someone_else_granted_meanwhile_are_not_written_again(make_directory):
    wanted = f"(OA;;RP;{TITLE};;{HELPDESK_SID})"
    directory = rival(make_directory, wanted, after_reads=[1])
    result = ad_ace(directory, preset=None, aces=[READ_TITLE])
    assert directory.writes == [] and explicit(directory, HELPDESK_SID) == [wanted] and sddl(result["aces"]) == [wanted]
    assert result["changed"] is False and result["added"] == []  # the other writer made the change, not this task


def test_a_lost_update_is_seen_on_verify_and_written_again(make_directory):
    directory = rival(make_directory, clobbers=1)
    result = ad_ace(directory)
    assert result["changed"] is True and not result.get("failed") and len(directory.writes) == 2
    assert explicit(directory, RIVAL_SID) == [RIVAL]  # the rival's ACE is kept too
    assert sorted(explicit(directory, HELPDESK_SID)) == sorted(preset(HELPDESK_SID))
    assert sorted(sddl(result["aces"])) == sorted(preset(HELPDESK_SID))


def test_a_retry_re_reads_before_writing_again(make_directory):
    # Our first write is lost to RIVAL; LATE comes right after the verifying read (the second) that shows it.
    directory = rival(make_directory, clobbers=1, after_reads={2: ace_from_sddl(LATE)})
    result = ad_ace(directory)
    assert result["changed"] is True and not result.get("failed") and len(directory.writes) == 2
    assert explicit(directory, RIVAL_SID) == [RIVAL] and explicit(directory, LATE_SID) == [LATE]
    assert sorted(explicit(directory, HELPDESK_SID)) == sorted(preset(HELPDESK_SID))


def test_a_dacl_that_keeps_changing_fails_after_three_writes(make_directory):
    directory = rival(make_directory, clobbers=99)
    result = ad_ace(directory)
    assert result["failed"] is True and len(directory.writes) == task.MAX_ATTEMPTS == 3
    assert f"the DACL of {TARGET} kept changing under concurrent writers; 3 attempts did not leave the ACEs in place" in result["msg"]
    assert result["msg"].startswith(f"Failed to grant the ACEs of helpdesk on {TARGET}: ") and result["target"] == TARGET


def test_the_write_and_its_reads_hold_the_targets_lock_on_this_controller(directory, monkeypatch):
    """Two ad_ace tasks of this controller on one target take turns from the plan's read to the verifying read: the re-read
    before a write cannot close the window of a writer that runs in the same moment."""
    held, reads = HeldLocks(), []
    monkeypatch.setattr(task, "controller_lock", held)
    modify, search = directory.modify, directory.search

    def modify_under_lock(dn, changes, controls=None):
        assert held == [("acl", TARGET)], "written without the target's lock"
        return modify(dn, changes, controls)

    def search_noting_the_lock(*args, **kwargs):
        reads.append(bool(held))
        return search(*args, **kwargs)

    directory.modify, directory.search = modify_under_lock, search_noting_the_lock
    assert ad_ace(directory)["changed"] is True and len(directory.writes) == 1 and held == []
    assert reads and all(reads), "a read of the task was made without the lock: the plan's read must be inside it"
    reads.clear()
    ad_ace(directory, state="absent", check_mode=True)
    assert reads and not any(reads), "check mode writes nothing: it takes no lock"

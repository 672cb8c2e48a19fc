# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo/task.py over the in-memory directory and share: creation as samba-tool does it, check mode, reruns,
a run that stops half-way, status, links, removal."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo import task
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import descriptor_to_sddl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo.fakes import POLICIES
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo.test_folder_acl import SAMBA_SYSVOL_SDDL
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, DOMAIN_SID

NAME = "MDI - Advanced Audit Policy for DCs"
DC_OU = f"OU=Domain Controllers,{BASE}"
OTHER = f"[LDAP://cn={{6ac1786c-016f-11d2-945f-00c04fb984f9}},cn=policies,cn=system,{BASE};0]"


def ensure(directory, sysvol, check=False, **params):
    full = {"name": NAME, "state": "present", "status": None, "links": None, "links_state": "present", **params}
    full["links"] = [{"enabled": True, "enforced": False, "order": None, **link} for link in full["links"] or []]
    return task.ensure(directory, sysvol, full, check)


def gpcs(directory):
    return {dn: values for dn, values in directory.objects.items() if dn.endswith("," + POLICIES)}


def test_create_in_check_mode_writes_nothing_then_creates_what_samba_tool_creates(directory, sysvol):
    before = dict(directory.objects)
    result = ensure(directory, sysvol, check=True)
    assert result["changed"] and result["gpo"]["guid"] is None and result["gpo"]["created"]
    assert directory.objects == before and not directory.writes and not sysvol.files and not sysvol.dirs

    result = ensure(directory, sysvol)
    guid = result["gpo"]["guid"]
    dn = f"CN={guid},{POLICIES}"
    assert sorted(gpcs(directory)) == sorted([dn, f"CN=User,{dn}", f"CN=Machine,{dn}"])
    values = directory.objects[dn]
    assert values["objectclass"] == [b"groupPolicyContainer"] and values["displayname"] == [NAME.encode()]
    assert (values["gpcfunctionalityversion"], values["flags"], values["versionnumber"]) == ([b"2"], [b"0"], [b"0"])
    root = f"\\\\{sysvol.server}\\SysVol\\corp.example.test\\Policies\\{guid}".lower()
    assert values["gpcfilesyspath"] == [f"\\\\corp.example.test\\SysVol\\corp.example.test\\Policies\\{guid}".encode()]
    assert sysvol.files == {f"{root}\\gpt.ini": b"[General]\r\nVersion=0\r\n"}
    assert sysvol.dirs == {root, f"{root}\\machine", f"{root}\\user"}
    assert {descriptor_to_sddl(SecurityDescriptor.parse(acl), DOMAIN_SID) for acl in sysvol.acls.values()} == {SAMBA_SYSVOL_SDDL}
    assert len(sysvol.acls) == 4  # set on each part, as sysvolreset does, not left to inheritance

    writes = len(directory.writes)
    assert not ensure(directory, sysvol)["changed"] and len(directory.writes) == writes


def test_a_run_that_stops_half_way_says_what_it_did_and_the_next_run_completes_it(directory, sysvol):
    sysvol.fail_on = "GPT.INI"
    with pytest.raises(GpoError, match=r"cannot write .*GPT.INI: connection reset\. Done before the failure: created the GPO container "
                                       r"CN=\{.*; created its CN=User and CN=Machine children\. Run the task again to complete it"):
        ensure(directory, sysvol, links=[{"target": DC_OU}])
    assert "gplink" not in directory.objects[DC_OU]  # nothing links a GPO whose files are not there
    sysvol.fail_on = None
    result = ensure(directory, sysvol, check=True, links=[{"target": DC_OU}])
    assert result["changed"] and result["diff"]["before"]["sysvol_missing"] == ["GPT.INI", "Machine\\", "User\\"]
    assert ensure(directory, sysvol, links=[{"target": DC_OU}])["changed"]
    assert len(sysvol.files) == 1 and len(sysvol.dirs) == 3 and len(sysvol.acls) == 4 and len(gpcs(directory)) == 3
    assert not ensure(directory, sysvol, links=[{"target": DC_OU}])["changed"]


def test_an_acl_changed_behind_our_back_is_set_back(directory, sysvol):
    ensure(directory, sysvol)
    tampered = next(path for path in sysvol.acls if path.endswith("\\machine"))
    del sysvol.acls[tampered]  # back to what the share would give it
    result = ensure(directory, sysvol, check=True)
    assert result["changed"] and result["diff"]["before"]["sysvol_acl_differs"] == ["Machine\\"] and tampered not in sysvol.acls
    assert ensure(directory, sysvol)["changed"] and tampered in sysvol.acls
    assert not ensure(directory, sysvol)["changed"]


def test_links_keep_other_gpos_links_and_exact_removes_only_this_gpos(directory, sysvol):
    directory.modify(DC_OU, {"gPLink": [("MODIFY_REPLACE", [OTHER])]})
    directory.add(f"OU=Servers,{BASE}", objectClass="organizationalUnit", gPLink=OTHER)
    guid = ensure(directory, sysvol, links=[{"target": DC_OU, "enforced": True}, {"target": f"OU=Servers,{BASE}"}])["gpo"]["guid"]
    mine = f"[LDAP://CN={guid},{POLICIES};2]"
    assert directory.objects[DC_OU]["gplink"] == [(mine + OTHER).encode()]  # the new link: lowest precedence

    result = ensure(directory, sysvol, check=True, links=[{"target": DC_OU, "enforced": True, "order": 1}], links_state="exact")
    assert result["changed"] and directory.objects[DC_OU]["gplink"] == [(mine + OTHER).encode()]
    assert result["links"] == [{"target": DC_OU, "enabled": True, "enforced": True, "order": 1}]
    ensure(directory, sysvol, links=[{"target": DC_OU, "enforced": True, "order": 1}], links_state="exact")
    assert directory.objects[DC_OU]["gplink"] == [(OTHER + mine).encode()]
    assert directory.objects[f"OU=Servers,{BASE}"]["gplink"] == [OTHER.encode()]
    assert not ensure(directory, sysvol, links=[{"target": DC_OU, "enforced": True}], links_state="exact")["changed"]


def test_status_is_the_flags(directory, sysvol):
    dn = ensure(directory, sysvol, status="user_settings_disabled")["gpo"]["dn"]
    assert directory.objects[dn]["flags"] == [b"1"]
    result = ensure(directory, sysvol, status="all_settings_disabled")
    assert result["changed"] and directory.objects[dn]["flags"] == [b"3"] and result["gpo"]["status"] == "all_settings_disabled"
    assert not ensure(directory, sysvol)["changed"]  # no status asked: kept


def test_absent_removes_links_folder_and_container(directory, sysvol):
    directory.modify(DC_OU, {"gPLink": [("MODIFY_REPLACE", [OTHER])]})
    ensure(directory, sysvol, links=[{"target": DC_OU}])
    files, before = (dict(sysvol.files), set(sysvol.dirs)), dict(directory.objects)
    result = ensure(directory, sysvol, check=True, state="absent")
    assert result["changed"] and (dict(sysvol.files), set(sysvol.dirs)) == files and directory.objects == before
    assert ensure(directory, sysvol, state="absent")["changed"]
    assert not gpcs(directory) and not sysvol.files and not sysvol.dirs and directory.objects[DC_OU]["gplink"] == [OTHER.encode()]
    assert not ensure(directory, sysvol, state="absent")["changed"]


@pytest.mark.parametrize("params, message", [
    ({"links": [{"target": f"OU=Gone,{BASE}"}]}, r"links\[0\]\.target 'OU=Gone,DC=corp,DC=example,DC=test' does not exist"),
    ({"links": [{"target": "Servers"}]}, r"links\[0\]\.target must be a distinguished name"),
    ({"links": [{"target": DC_OU, "order": 0}]}, r"links\[0\]\.order must be 1"),
    ({"links": [{"target": DC_OU}, {"target": DC_OU.upper()}]}, r"links\[1\]\.target names .* twice"),
    ({"name": " "}, "name must be a display name of 1 to 255 characters"),
    ({"state": "absent", "status": "all_settings_disabled"}, "leave out links and status"),
])
def test_bad_input_names_the_option_and_writes_nothing(directory, sysvol, params, message):
    with pytest.raises(GpoError, match=message):
        ensure(directory, sysvol, **params)
    assert not directory.writes and not sysvol.files


def test_two_gpos_with_the_name_are_an_error(directory, sysvol):
    for guid in ("{AAAAAAAA-0000-0000-0000-000000000000}", "{BBBBBBBB-0000-0000-0000-000000000000}"):
        directory.add(f"CN={guid},{POLICIES}", "groupPolicyContainer", {"displayName": NAME})
    with pytest.raises(GpoError, match="2 Group Policy objects are named .*: give its GUID"):
        ensure(directory, sysvol)

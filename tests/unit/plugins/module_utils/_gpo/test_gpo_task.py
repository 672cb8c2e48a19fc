# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo/task.py over the in-memory directory and share: creation as samba-tool does it, check mode, reruns,
a run that stops half-way, status, links (on sites too), security filtering, removal."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo import task
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.folder_acl import sysvol_descriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import descriptor_to_sddl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import DACL_SECURITY_INFORMATION, SecurityDescriptor
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.fakes import sd_flags
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo.fakes import POLICIES
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo.test_folder_acl import SAMBA_SYSVOL_SDDL
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, CONFIG, DOMAIN_SID
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils.held_locks import HeldLocks

NAME = "MDI - Advanced Audit Policy for DCs"
DC_OU = f"OU=Domain Controllers,{BASE}"
OTHER = f"[LDAP://cn={{6ac1786c-016f-11d2-945f-00c04fb984f9}},cn=policies,cn=system,{BASE};0]"


def ensure(directory, sysvol, check=False, **params):
    full = {"name": NAME, "state": "present", "status": None, "links": None, "links_state": "present", "permissions": None,
            "permissions_state": "present", **params}
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
    ({"state": "absent", "status": "all_settings_disabled"}, "leave out links, status and permissions"),
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


def gpc_dacl_sddl(directory, dn):
    return descriptor_to_sddl(SecurityDescriptor.parse(directory.objects[dn]["ntsecuritydescriptor"][0]), DOMAIN_SID).split("D:", 1)[1]


CA_ITEMS = [{"principal": "Cert Publishers", "level": "apply"}, {"principal": "Domain Controllers", "level": "read"},
            {"principal": "S-1-5-11", "level": "read"}]


def test_permissions_write_the_dacl_only_then_the_sysvol_acl_follows(directory, sysvol):
    directory.account("Cert Publishers", 517, classes=("top", "group"))
    directory.account("Domain Controllers", 516, classes=("top", "group"))
    dn = ensure(directory, sysvol)["gpo"]["dn"]
    dacl_before, acls_before = gpc_dacl_sddl(directory, dn), dict(sysvol.acls)
    result = ensure(directory, sysvol, check=True, permissions=CA_ITEMS, permissions_state="exact")
    assert result["changed"] and gpc_dacl_sddl(directory, dn) == dacl_before and sysvol.acls == acls_before
    assert result["diff"]["before"]["permissions"] == [
        {"principal": "NT AUTHORITY\\Authenticated Users", "sid": "S-1-5-11", "level": "apply"},
        {"principal": "NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS", "sid": "S-1-5-9", "level": "read"}]
    assert result["diff"]["before"]["sysvol_acl_differs"] == ["the folder", "GPT.INI", "Machine\\", "User\\"]
    assert [(item["principal"], item["level"]) for item in result["permissions"]] == [
        ("CORP\\Cert Publishers", "apply"), ("CORP\\Domain Controllers", "read"), ("NT AUTHORITY\\Authenticated Users", "read"),
        ("NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS", "read")]

    writes = len(directory.writes)
    assert ensure(directory, sysvol, permissions=CA_ITEMS, permissions_state="exact")["changed"]
    operation, written, _changes, controls = directory.writes[writes]
    assert (operation, written) == ("modify", dn) and sd_flags(controls) == DACL_SECURITY_INFORMATION
    dacl = gpc_dacl_sddl(directory, dn)
    assert "(OA;CI;CR;edacfd8f-ffb3-11d1-b41d-00a0c968f939;;AU)" not in dacl and "(A;CI;LCRPLORC;;;AU)" in dacl
    assert "(A;CI;LCRPLORC;;;CA)" in dacl and "(OA;CI;CR;edacfd8f-ffb3-11d1-b41d-00a0c968f939;;CA)" in dacl
    gpc = SecurityDescriptor.parse(directory.objects[dn]["ntsecuritydescriptor"][0])
    assert set(sysvol.acls.values()) == {sysvol_descriptor(gpc).encode()} and len(sysvol.acls) == 4
    assert not ensure(directory, sysvol, permissions=CA_ITEMS, permissions_state="exact")["changed"]


def test_a_new_gpo_gets_its_permissions_before_its_folder(directory, sysvol):
    directory.account("Domain Controllers", 516, classes=("top", "group"))
    result = ensure(directory, sysvol, check=True, permissions=[{"principal": "Domain Controllers", "level": "deny_apply"}])
    assert result["changed"] and result["permissions"] is None and not directory.writes
    result = ensure(directory, sysvol, permissions=[{"principal": "Domain Controllers", "level": "deny_apply"}])
    assert gpc_dacl_sddl(directory, result["gpo"]["dn"]).startswith("P(OD;;CR;edacfd8f-ffb3-11d1-b41d-00a0c968f939;;DD)")
    assert ("CORP\\Domain Controllers", "deny_apply") in [(item["principal"], item["level"]) for item in result["permissions"]]
    gpc = SecurityDescriptor.parse(directory.objects[result["gpo"]["dn"]]["ntsecuritydescriptor"][0])
    assert set(sysvol.acls.values()) == {sysvol_descriptor(gpc).encode()}
    assert not ensure(directory, sysvol, permissions=[{"principal": "Domain Controllers", "level": "deny_apply"}])["changed"]


def test_an_unknown_principal_names_the_option_and_writes_nothing(directory, sysvol):
    with pytest.raises(GpoError, match=r"permissions\[1\]\.principal: principal 'nobody' not found"):
        ensure(directory, sysvol, permissions=[{"principal": "S-1-5-11", "level": "read"}, {"principal": "nobody", "level": "read"}])
    assert not directory.writes and not sysvol.files
    with pytest.raises(GpoError, match=r"permissions\[1\]\.principal 'Authenticated Users' is S-1-5-11, which an earlier entry"):
        ensure(directory, sysvol, permissions=[{"principal": "S-1-5-11", "level": "read"},
                                               {"principal": "Authenticated Users", "level": "apply"}])
    assert not directory.writes


def test_site_links_are_planned_with_the_others_and_go_with_exact_and_absent(directory, sysvol):
    site = f"CN=Default-First-Site-Name,CN=Sites,{CONFIG}"
    directory.add(site, objectClass="site", gPLink=OTHER)
    guid = ensure(directory, sysvol, links=[{"target": site}, {"target": DC_OU}])["gpo"]["guid"]
    mine = f"[LDAP://CN={guid},{POLICIES};0]"
    assert directory.objects[site]["gplink"] == [(mine + OTHER).encode()]
    result = ensure(directory, sysvol, check=True, links=[{"target": DC_OU}])
    assert not result["changed"] and {link["target"] for link in result["links"]} == {site, DC_OU}  # present: kept
    result = ensure(directory, sysvol, links=[{"target": DC_OU}], links_state="exact")
    assert result["changed"] and directory.objects[site]["gplink"] == [OTHER.encode()]
    ensure(directory, sysvol, links=[{"target": site}])
    assert ensure(directory, sysvol, state="absent")["changed"] and directory.objects[site]["gplink"] == [OTHER.encode()]


def test_every_read_of_the_gpo_and_every_write_hold_the_domains_lock_on_this_controller(directory, sysvol, monkeypatch):
    """The container's DACL and an OU's gPLink are whole values read, then replaced: two gpo tasks of this controller take
    turns per domain, with the GPO file edits (the same lock), from the first read of the GPO to the last write."""
    directory.account("Domain Controllers", 516, classes=("top", "group"))
    held, reads = HeldLocks(), []
    monkeypatch.setattr("ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.file_edit.controller_lock", held)
    search = directory.search

    def search_noting_the_lock(base, *args, **kwargs):
        if base.lower().endswith(POLICIES.lower()) or base == DC_OU:  # the GPO's own state and the link's target
            reads.append(bool(held))
        return search(base, *args, **kwargs)

    def under_lock(original):
        def written(*args, **kwargs):
            assert held == [("gpo-edit", "corp.example.test")], "written without the domain's lock"
            return original(*args, **kwargs)
        return written

    directory.search = search_noting_the_lock
    for owner, names in ((directory, ("add", "modify", "delete")), (sysvol, ("write", "makedirs", "set_security", "remove_tree"))):
        for name in names:
            setattr(owner, name, under_lock(getattr(owner, name)))
    params = {"links": [{"target": DC_OU}], "permissions": [{"principal": "Domain Controllers", "level": "read"}]}
    assert ensure(directory, sysvol, **params)["changed"] and held == []
    assert reads and all(reads), "a read of the GPO was made without the lock: the plan's reads must be inside it"
    reads.clear()
    assert ensure(directory, sysvol, state="absent", check=True)["changed"]
    assert reads and not any(reads), "check mode writes nothing: it takes no lock"
    assert ensure(directory, sysvol, state="absent")["changed"] and held == [] and all(reads[-2:])

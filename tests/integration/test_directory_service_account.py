# -*- coding: utf-8 -*-
"""ad_group, the directory_service_account role and directory_service_account_info against the lab's Samba DC.
Check mode first (predicts, changes nothing), then for real, then again (unchanged); read back with samba-tool and an
independent LDAP connection; the info module turns a check red when the account is broken behind the role's back."""
from __future__ import annotations

import pytest
from ldap3.protocol.formatters.formatters import format_sid
from samba_dsacl import dsacl_get, put_back
from test_gpo import Samba  # pylint: disable=import-error  # samba-tool in the DC's namespace

GROUP = "mdiDTestGroup"
DSA, SENSORS, DELETED = "mdiDTestDSA", "mdiDTestSensors", "mdiDTestDeleted"
UNIVERSAL_SECURITY = -2147483640
GROUP_PLAY = """
- hosts: dc1
  gather_facts: false
  tasks:
    - name: group
      mdi.action_accounts.ad_group:
{args}
"""
ROLE_PLAY = f"""
- hosts: domain_controllers
  gather_facts: false
  roles:
    - role: mdi.action_accounts.directory_service_account
      vars:
        directory_service_account_name: {DSA}
        directory_service_account_sensor_group: {SENSORS}
        directory_service_account_deleted_objects_group: {DELETED}
        directory_service_account_kds_backdate_for_lab: true
        directory_service_account_state: "{{{{ state | default('present') }}}}"
"""
INFO_PLAY = f"""
- hosts: dc1
  gather_facts: false
  tasks:
    - name: info
      mdi.action_accounts.directory_service_account_info:
        name: {DSA}$
"""


def _group(playbook, args: str, extra=()) -> dict:
    lines = "\n".join("        " + line for line in args.strip().splitlines())
    return playbook(GROUP_PLAY.format(args=lines), extra_args=extra).task_results("group")["dc1"]


def _entry(directory, lab, name: str, attributes=("groupType", "member", "description")):
    directory.search(lab["samba"]["base_dn"], f"(sAMAccountName={name})", attributes=list(attributes))
    return directory.entries[0].entry_to_json() if directory.entries else None


def _sid(directory, lab, name: str) -> str:
    directory.search(lab["samba"]["base_dn"], f"(sAMAccountName={name})", attributes=["objectSid"])
    return format_sid(directory.entries[0]["objectSid"].raw_values[0])


def _delete(directory, lab, *names):
    for name in names:
        directory.search(lab["samba"]["base_dn"], f"(sAMAccountName={name})", attributes=["cn"])
        for entry in list(directory.entries):
            directory.delete(entry.entry_dn)


@pytest.fixture(name="clean")
def fixture_clean(lab, directory):
    """No test group or account before and after; CN=Deleted Objects, whose owner the role takes, put back as it was."""
    names = (GROUP, DSA + "$", SENSORS, DELETED)
    _delete(directory, lab, *names)
    deleted_objects = f"CN=Deleted Objects,{lab['samba']['base_dn']}"
    before = dsacl_get(lab, deleted_objects)
    yield
    put_back(lab, deleted_objects, before)
    _delete(directory, lab, *names)


def _checks(playbook) -> dict:
    result = playbook(INFO_PLAY).task_results("info")["dc1"]
    assert not result.get("failed"), result
    return {row["check"]: row for row in result["checks"]}


def test_ad_group_lifecycle(lab, directory, playbook, clean):  # pylint: disable=unused-argument
    samba = Samba(lab)
    args = f"name: {GROUP}\nscope: global\ndescription: d test\nmembers:\n  add: [alice, 'Authenticated Users']"
    checked = _group(playbook, args, ["--check", "--diff"])
    assert checked["changed"] and checked["group"]["created"] and _entry(directory, lab, GROUP) is None, "check mode wrote"
    real = _group(playbook, args, ["--diff"])
    assert real["changed"] and checked["group"] == real["group"], "check mode predicted another group"
    assert not _group(playbook, args)["changed"]
    shown = samba.tool("group", "show", GROUP)
    assert "groupType: -2147483646" in shown and "description: d test" in shown
    assert sorted(samba.tool("group", "listmembers", GROUP).split()) == sorted(["alice", "S-1-5-11"])

    refused = _group(playbook, f"name: {GROUP}\nscope: domain_local")
    assert refused.get("failed") and "scope: universal first" in refused["msg"]
    for scope in ("universal", "domain_local"):
        assert _group(playbook, f"name: {GROUP}\nscope: {scope}\nmembers:\n  set: [alice]")["changed"]
    assert "groupType: -2147483644" in samba.tool("group", "show", GROUP)
    assert samba.tool("group", "listmembers", GROUP).split() == ["alice"]

    groups_ou = lab["samba"]["ous"]["groups"]
    moved = _group(playbook, f"name: {GROUP}\npath: '{groups_ou}'\ncategory: distribution")
    assert moved["changed"] and moved["group"]["dn"] == f"CN={GROUP},{groups_ou}" and moved["group"]["category"] == "distribution"
    assert "groupType: 4" in samba.tool("group", "show", GROUP) and not _group(playbook, f"name: {GROUP}\npath: '{groups_ou}'")["changed"]

    assert _group(playbook, f"name: {GROUP}\nstate: absent", ["--check"])["changed"] and _entry(directory, lab, GROUP) is not None
    assert _group(playbook, f"name: {GROUP}\nstate: absent")["changed"] and _entry(directory, lab, GROUP) is None
    assert not _group(playbook, f"name: {GROUP}\nstate: absent")["changed"]


def test_role_applies_reruns_unchanged_and_is_removed(lab, directory, playbook, clean):  # pylint: disable=unused-argument
    samba = Samba(lab)
    checked = playbook(ROLE_PLAY, extra_args=["--check"])
    assert checked.changed > 0 and _entry(directory, lab, SENSORS) is None and _entry(directory, lab, DSA + "$") is None
    assert playbook(ROLE_PLAY).changed == checked.changed, "check mode predicted another number of changes"
    assert playbook(ROLE_PLAY).changed == 0, "the rerun changed something"
    assert playbook(ROLE_PLAY, extra_args=["--check"]).changed == 0
    assert f"groupType: {UNIVERSAL_SECURITY}" in samba.tool("group", "show", SENSORS)
    retrieval = samba.tool("service-account", "group-msa-membership", "show", "--name", DSA + "$")
    base = lab["samba"]["base_dn"]
    assert f"CN=Domain Controllers,CN=Users,{base}" in retrieval and f"CN={SENSORS},CN=Users,{base}" in retrieval

    checks = _checks(playbook)
    assert checks["password_retrieval"]["status"] == "PASS"
    assert checks["deleted_objects"]["status"] == "PASS", checks["deleted_objects"]
    deleted_objects = samba.tool("dsacl", "get", "--objectdn", f"CN=Deleted Objects,{base}")
    assert f"(A;;LCRP;;;{_sid(directory, lab, DELETED)})" in deleted_objects, deleted_objects
    for name in ("account_exists", "sensitive_groups", "explicit_delegation", "manager_of"):
        assert checks[name]["status"] == "PASS", checks[name]

    # Broken behind the role's back: the account in Domain Admins (through a nested group) turns sensitive_groups red.
    admins = f"CN=Domain Admins,CN=Users,{lab['samba']['base_dn']}"
    directory.search(lab["samba"]["base_dn"], f"(sAMAccountName={SENSORS})", attributes=["cn"])
    sensors_dn = directory.entries[0].entry_dn
    directory.search(lab["samba"]["base_dn"], f"(sAMAccountName={DSA}$)", attributes=["cn"])
    dsa_dn = directory.entries[0].entry_dn
    directory.modify(sensors_dn, {"member": [("MODIFY_ADD", [dsa_dn])]})
    directory.modify(admins, {"member": [("MODIFY_ADD", [sensors_dn])]})
    try:
        red = _checks(playbook)["sensitive_groups"]
        assert red["status"] == "FAIL" and "Domain Admins" in red["detail"], red
    finally:
        directory.modify(admins, {"member": [("MODIFY_DELETE", [sensors_dn])]})
    assert _checks(playbook)["sensitive_groups"]["status"] == "PASS"

    deleted_sid = _sid(directory, lab, DELETED)
    assert playbook(ROLE_PLAY, extra_args=["-e", "state=absent"]).changed > 0
    assert all(_entry(directory, lab, name) is None for name in (SENSORS, DSA + "$", DELETED))
    assert deleted_sid not in samba.tool("dsacl", "get", "--objectdn", f"CN=Deleted Objects,{base}")
    assert playbook(ROLE_PLAY, extra_args=["-e", "state=absent"]).changed == 0
    assert _checks(playbook)["account_exists"]["status"] == "FAIL"

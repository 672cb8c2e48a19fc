# -*- coding: utf-8 -*-
"""ad_ace and ad_ace_info against the lab's Samba DC: the MDI preset on OU=MDI Lab for helpdesk (check mode,
real, idempotent, absent, exact), each verified by an independent read of the DACL; the grant enforced by the
DC (helpdesk binds over LDAPS); names resolved; bad inputs fail and write nothing; concurrent runs keep both ACEs."""
from __future__ import annotations

import sys
import threading
from pathlib import Path

import ldap3
import pytest
from ace_play import run_ace as _run
from enforcement import attempts, bind, restore_passwords  # tests/lab, on sys.path through conftest.py
from ldap3.protocol.microsoft import security_descriptor_control

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / ".build" / "collections"))

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_to_sddl  # noqa: E402  pylint: disable=wrong-import-position

USER = "bf967aba-0de6-11d0-a285-00aa003049e2"
GROUP = "bf967a9c-0de6-11d0-a285-00aa003049e2"


def preset_sddl(sid: str) -> list:
    return [
        f"(OA;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;{USER};{sid})",
        f"(OA;CIIO;RPWP;bf967a0a-0de6-11d0-a285-00aa003049e2;{USER};{sid})",
        f"(OA;CIIO;RPWP;bf967a68-0de6-11d0-a285-00aa003049e2;{USER};{sid})",
        f"(OA;CIIO;RPWP;bf9679c0-0de6-11d0-a285-00aa003049e2;{GROUP};{sid})",
    ]


def _raw_dacl(directory, dn: str) -> bytes:
    directory.search(dn, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"],
                     controls=security_descriptor_control(sdflags=0x04))
    return directory.entries[0]["nTSecurityDescriptor"].raw_values[0]


def _explicit(directory, dn: str, sid: str) -> list:
    """The explicit ACEs of ``sid`` on ``dn`` as SDDL, read independently of the modules."""
    dacl = SecurityDescriptor.parse(_raw_dacl(directory, dn)).dacl
    return [ace_to_sddl(ace) for ace in dacl if getattr(ace, "sid", None) == sid and not ace.is_inherited]


@pytest.fixture(name="ou")
def fixture_ou(lab, directory):
    """OU=MDI Lab with its DACL restored byte for byte afterwards (the modules write only the DACL)."""
    dn = lab["samba"]["ous"]["lab"]
    saved = _raw_dacl(directory, dn)
    yield dn
    directory.modify(dn, {"nTSecurityDescriptor": [(ldap3.MODIFY_REPLACE, [saved])]}, controls=security_descriptor_control(sdflags=0x04))


@pytest.fixture(name="restore_alice")
def fixture_restore_alice(lab, directory):
    yield
    restore_passwords(directory, lab)


def test_preset_check_real_idempotent_absent_exact(lab, directory, playbook, ou):
    sid = lab["samba"]["users"]["helpdesk"]["sid"]
    untouched = _raw_dacl(directory, ou)
    args = f"target: {ou}\nprincipal: helpdesk\npreset: mdi_action_account"

    out = _run(playbook, args, extra=["--check", "--diff"])
    assert out["changed"] and not out.get("failed"), out
    assert [a["sddl"] for a in out["added"]] == preset_sddl(sid)
    assert out["diff"]["before"]["aces"] == [] and out["diff"]["after"]["aces"] == preset_sddl(sid)
    assert _raw_dacl(directory, ou) == untouched  # check mode wrote nothing

    out = _run(playbook, args)
    assert out["changed"] and _explicit(directory, ou, sid) == preset_sddl(sid), out
    assert "Reset Password" in out["added"][0]["description"] and "descendant user objects" in out["added"][0]["description"]
    assert any("adminCount=1" in w and "protected1" in w for w in out.get("warnings", []))
    assert out["previous_dacl_sddl"].startswith("D:") and sid not in out["previous_dacl_sddl"]
    granted = _raw_dacl(directory, ou)

    again = _run(playbook, args)
    assert not again["changed"] and again["added"] == [] and _raw_dacl(directory, ou) == granted

    info = _run(playbook, f"target: {ou}\nprincipal: helpdesk", module="ad_ace_info")
    assert [a["sddl"] for a in info["aces"]] == preset_sddl(sid) and not info["changed"]

    out = _run(playbook, args + "\ninclude_groups: false\nstate: absent")
    assert out["changed"] and _explicit(directory, ou, sid) == preset_sddl(sid)[3:]

    out = _run(playbook, args + "\ninclude_groups: false\nstate: exact")
    assert out["changed"] and _explicit(directory, ou, sid) == preset_sddl(sid)[:3]
    assert [a["sddl"] for a in out["removed"]] == preset_sddl(sid)[3:]

    out = _run(playbook, f"target: {ou}\nprincipal: helpdesk\naces: []\nstate: exact")
    assert out["changed"] and _explicit(directory, ou, sid) == []
    assert _raw_dacl(directory, ou) == untouched  # everyone else's ACEs byte for byte, in place


def test_the_grant_is_enforced(lab, directory, playbook, ou, restore_alice):  # pylint: disable=unused-argument
    with bind(lab, "helpdesk") as conn:
        before = attempts(conn, lab)
    assert not any(before.values()), before

    out = _run(playbook, f"target: {ou}\nprincipal: helpdesk\npreset: mdi_action_account")
    assert out["changed"], out
    with bind(lab, "helpdesk") as conn:
        after = attempts(conn, lab)
    assert after == {"reset_password": True, "pwd_last_set": True, "user_account_control": True, "group_member": True,
                     "description": False, "outside_reset_password": False}


def test_names_resolve(lab, directory, playbook, ou):
    sid = lab["samba"]["users"]["carol"]["sid"]
    args = f"""
target: {ou}
principal: carol
aces:
  - rights: [control_access]
    object_type: Reset Password
    inherited_object_type: user
  - rights: [read_property, write_property]
    object_type: pwdLastSet
    applies_to: descendant_objects
    inherited_object_type: user
"""
    out = _run(playbook, args)
    assert out["changed"], out
    assert _explicit(directory, ou, sid) == preset_sddl(sid)[:2]


@pytest.mark.parametrize("aces, message", [
    ("- rights: [fly]", "aces[0].rights: unknown right 'fly'"),
    ("- rights: [read_property]\n  object_type: bf967a0a-0de6-11d0-a285-00aa0030",
     "aces[0].object_type: 'bf967a0a-0de6-11d0-a285-00aa0030' is not a valid GUID"),
    ("- rights: [read_property]\n  inherited_object_type: spaceship", "aces[0].inherited_object_type: no class named 'spaceship'"),
    ("- rights: [read_property]\n  object_type: noSuchAttribute", "aces[0].object_type: no attribute or property set named 'noSuchAttribute'"),
])
def test_bad_aces_fail_and_write_nothing(lab, directory, playbook, ou, aces, message):
    before = _raw_dacl(directory, ou)
    indented = "\n".join("  " + line for line in aces.splitlines())
    out = _run(playbook, f"target: {ou}\nprincipal: helpdesk\naces:\n{indented}")
    assert out.get("failed") and message in out["msg"], out
    assert _raw_dacl(directory, ou) == before


@pytest.mark.parametrize("args, message", [
    ("target: OU=Nowhere,DC=corp,DC=example,DC=test\nprincipal: helpdesk", "the target OU=Nowhere,DC=corp,DC=example,DC=test does not exist"),
    ("principal: nobody-here", "principal 'nobody-here' not found"),
])
def test_missing_target_or_principal_fail(lab, directory, playbook, ou, args, message):
    before = _raw_dacl(directory, ou)
    out = _run(playbook, args + "\npreset: mdi_action_account" if "target" in args else f"target: {ou}\n{args}\npreset: mdi_action_account")
    assert out.get("failed") and message in out["msg"], out
    assert _raw_dacl(directory, ou) == before


CONCURRENT = """
- hosts: dc1
  gather_facts: false
  tasks:
    - name: ace
      mdi.action_accounts.ad_ace:
        target: {ou}
        principal: {principal}
        aces:
          - rights: [read_property, write_property]
            object_type: "{{{{ item }}}}"
            inherited_object_type: user
      loop: [pwdLastSet, userAccountControl, description, telephoneNumber, title, department]
"""


def test_concurrent_runs_keep_both_writers_aces(lab, directory, playbook, ou):
    results = {}

    def run(principal):
        results[principal] = playbook(CONCURRENT.format(ou=ou, principal=principal))

    threads = [threading.Thread(target=run, args=(name,)) for name in ("bob", "carol")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name in ("bob", "carol"):
        assert results[name].rc == 0, results[name].stdout[-3000:]
        assert len(_explicit(directory, ou, lab["samba"]["users"][name]["sid"])) == 6, name

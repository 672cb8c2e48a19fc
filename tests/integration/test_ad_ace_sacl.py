# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Audit ACEs (the SACL) with ad_ace and ad_ace_info against the lab's Samba DC: check mode, real, idempotent, absent,
diff; MDI's DomainObjectAuditing preset on the domain root; a user without SeSecurityPrivilege told what to do. Judged by
samba-tool dsacl get on the DC's own database (owner, DACL and SACL as Samba prints them)."""
from __future__ import annotations

import ldap3
import pytest
from ace_play import run_ace as _run
from ldap3.protocol.microsoft import security_descriptor_control
from samba_dsacl import aces_of, dsacl_get

AUDIT = """aces:
  - access: audit
    audit_flags: [success, failure]
    rights: [write_property]
    applies_to: this_object_and_descendants
  - access: audit
    audit_flags: [failure]
    rights: [read_property]"""
MDI_DOMAIN_OBJECT_AUDITING = [
    "(OU;CIIOSA;CCDCSWWPDTCRSDWDWO;;bf967aba-0de6-11d0-a285-00aa003049e2;WD)",
    "(OU;CIIOSA;CCDCSWWPDTCRSDWDWO;;bf967a9c-0de6-11d0-a285-00aa003049e2;WD)",
    "(OU;CIIOSA;CCDCSWWPDTCRSDWDWO;;bf967a86-0de6-11d0-a285-00aa003049e2;WD)",
    "(OU;CIIOSA;CCDCSWWPDTCRSDWDWO;;ce206244-5827-4a86-ba1c-1c0c386c1b64;WD)",
    "(OU;CIIOSA;CCDCSWWPDTSDWDWO;;7b8b558a-93a5-4af7-adca-c017e67f1057;WD)",
    "(OU;CIIOSA;CCDCSWWPDTSDWDWO;;0feb936f-47b3-49f2-9386-1dedc2c23765;WD)",
]


def _raw_sacl(directory, dn: str) -> bytes:
    directory.search(dn, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"],
                     controls=security_descriptor_control(sdflags=0x08))
    return directory.entries[0]["nTSecurityDescriptor"].raw_values[0]


@pytest.fixture(name="restore_sacl")
def fixture_restore_sacl(lab, directory):
    """restore_sacl(dn): that object's SACL (and the whole descriptor, as Samba prints it) is put back afterwards."""
    saved = {}

    def remember(dn: str) -> str:
        saved[dn] = (_raw_sacl(directory, dn), dsacl_get(lab, dn))
        return dn
    yield remember
    for dn, (raw, sddl) in saved.items():
        directory.modify(dn, {"nTSecurityDescriptor": [(ldap3.MODIFY_REPLACE, [raw])]}, controls=security_descriptor_control(sdflags=0x08))
        assert dsacl_get(lab, dn) == sddl


def test_audit_aces_check_real_idempotent_absent(lab, playbook, restore_sacl):
    ou = restore_sacl(lab["samba"]["ous"]["lab"])
    sid = lab["samba"]["users"]["helpdesk"]["sid"]
    wanted = [f"(AU;CISAFA;WP;;;{sid})", f"(AU;FA;RP;;;{sid})"]
    before = dsacl_get(lab, ou)
    args = f"target: {ou}\nprincipal: helpdesk\n{AUDIT}"

    predicted = _run(playbook, args, extra=("--check", "--diff"))
    assert predicted["changed"] and dsacl_get(lab, ou) == before, predicted
    assert predicted["diff"]["before"]["aces"] == [] and predicted["diff"]["after"]["aces"] == wanted

    done = _run(playbook, args, extra=("--diff",))
    assert done["changed"] and [a["sddl"] for a in done["added"]] == wanted, done
    after = dsacl_get(lab, ou)
    assert aces_of(after, "D") == aces_of(before, "D")  # the DACL is not rewritten
    assert [ace for ace in aces_of(after, "S") if sid in ace] == wanted
    assert [ace for ace in aces_of(after, "S") if sid not in ace] == aces_of(before, "S")

    again = _run(playbook, args)
    assert not again["changed"] and dsacl_get(lab, ou) == after, again

    read = _run(playbook, f"target: {ou}\nprincipal: helpdesk\nsacl: true", module="ad_ace_info")
    assert [(a["sddl"], a["audit_flags"]) for a in read["audit_aces"]] == [(wanted[0], ["success", "failure"]), (wanted[1], ["failure"])]

    removed = _run(playbook, f"target: {ou}\nprincipal: helpdesk\nstate: absent\naces:\n  - access: audit\n    audit_flags: [failure]\n"
                             "    rights: [read_property]")
    assert removed["changed"] and [a["sddl"] for a in removed["removed"]] == [wanted[1]], removed
    assert [ace for ace in aces_of(dsacl_get(lab, ou), "S") if sid in ace] == [wanted[0]]


def test_domain_object_auditing_preset_is_what_mdi_writes(lab, playbook, restore_sacl):
    root = restore_sacl(lab["samba"]["base_dn"])
    before = dsacl_get(lab, root)
    done = _run(playbook, "principal: S-1-1-0\npreset: domain_object_auditing")
    assert done["changed"] and done["target"] == root, done
    after = dsacl_get(lab, root)
    assert aces_of(after, "D") == aces_of(before, "D")
    assert [ace for ace in aces_of(after, "S") if ace in MDI_DOMAIN_OBJECT_AUDITING] == MDI_DOMAIN_OBJECT_AUDITING
    assert not _run(playbook, "principal: S-1-1-0\npreset: domain_object_auditing")["changed"]


def test_an_account_without_se_security_privilege_is_told_the_fix(lab, playbook):
    ou = lab["samba"]["ous"]["lab"]
    user = lab["samba"]["users"]["helpdesk"]
    as_user = f"username: {user['upn']}\npassword: \"{user['password']}\"\ntarget: {ou}"
    before = dsacl_get(lab, ou)
    for module, args in (("ad_ace_info", "sacl: true"), ("ad_ace", f"principal: helpdesk\n{AUDIT}")):
        out = _run(playbook, f"{as_user}\n{args}", module=module)
        assert out.get("failed") and "SeSecurityPrivilege" in out["msg"] and "Manage auditing and security log" in out["msg"], out
        assert "Traceback" not in out["msg"]
    assert dsacl_get(lab, ou) == before

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""gpo_audit_policy and gpo_security_template against the lab's Samba DC, on a GPO made by the gpo module that already
holds other settings and another extension pair. Every check is an independent read: the files over our own SMB
session, versionNumber and gPCMachineExtensionNames over our own LDAP connection, the version samba-tool shows."""
from __future__ import annotations

import json

import pytest

from test_gpo import Samba

NAME = "MDI settings test GPO"
AUDIT_CSV = r"MACHINE\Microsoft\Windows NT\Audit\audit.csv"
GPTTMPL = r"MACHINE\Microsoft\Windows NT\SecEdit\GptTmpl.inf"
ADMIN_PAIR = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]"  # seeded: must be kept
AUDIT_PAIR = "[{F3CCC681-B74C-4060-9F26-CD84525DCA2A}{0F3F3735-573D-9804-99E4-AB2A69BA5FD4}]"
SECURITY_PAIR = "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"
HEADER = "Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value"
SPECIAL_LOGON = "DC1,System,Audit Special Logon,{0CCE921B-69AE-11D9-BED3-505054503030},Success,,1"  # another tool's row
TEMPLATE = ["[Unicode]", "Unicode=yes", "[System Access]", "MinimumPasswordLength = 7", "[Privilege Rights]",
            "SeServiceLogonRight = *S-1-5-80-0", "[Version]", 'signature="$CHICAGO$"', "Revision=1"]
REMOTE_SAM = "MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\RestrictRemoteSAM"
NTLM = {"MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\MSV1_0\\AuditReceivingNTLMTraffic": 2,
        "MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\MSV1_0\\RestrictSendingNTLMTraffic": 1,
        "MACHINE\\System\\CurrentControlSet\\Services\\Netlogon\\Parameters\\AuditNTLMInDomain": 7}


def _task(playbook, module: str, args: dict, *extra: str) -> dict:
    text = f"- hosts: dc1\n  gather_facts: false\n  tasks:\n    - name: t\n      mdi.action_accounts.{module}: {json.dumps(args)}\n"
    out = playbook(text, extra_args=list(extra)).task_results("t")["dc1"]
    assert not out.get("failed"), out
    return out


class Gpo:
    """The test GPO: its files over SMB, its versions and extension names read independently."""

    def __init__(self, samba: Samba, directory, guid: str):
        self.samba, self.directory, self.guid = samba, directory, guid
        self.dn = f"CN={guid},CN=Policies,CN=System,{samba.info['base_dn']}"

    def file(self, name: str) -> bytes | None:
        try:
            return self.samba.read(self.samba.sysvol(self.guid, name))
        except OSError:
            return None

    def write(self, name: str, data: bytes) -> None:
        import smbclient  # pylint: disable=import-outside-toplevel
        path = self.samba.sysvol(self.guid, name)
        smbclient.makedirs(path.rsplit("\\", 1)[0], exist_ok=True, **self.samba.session)
        with smbclient.open_file(path, mode="wb", **self.samba.session) as handle:
            handle.write(data)

    def ad(self) -> tuple[int, str]:
        self.directory.search(self.dn, "(objectClass=*)", search_scope="BASE", attributes=["versionNumber", "gPCMachineExtensionNames"])
        entry = self.directory.entries[0]
        return int(entry.versionNumber.value or 0), entry.gPCMachineExtensionNames.value or ""

    def ini_version(self) -> int:
        text = self.file("GPT.INI").decode("latin-1")
        return int(next(line.split("=", 1)[1] for line in text.splitlines() if line.lower().startswith("version=")))

    def versions_agree(self) -> int:
        """The version, after checking GPT.INI, AD and samba-tool gpo listall all say it."""
        version = self.ad()[0]
        assert self.ini_version() == version
        assert self.samba.gpos()[NAME]["version"] == str(version)
        return version


@pytest.fixture(name="gpo")
def fixture_gpo(playbook, lab, directory):
    """A new GPO (gpo module) that already has the admin-templates extension pair and a template with other sections."""
    samba = Samba(lab)
    out = _task(playbook, "gpo", {"name": NAME})
    made = Gpo(samba, directory, out["gpo"]["guid"])
    directory.modify(made.dn, {"gPCMachineExtensionNames": [("MODIFY_REPLACE", [ADMIN_PAIR])]})
    made.write(GPTTMPL, _inf(TEMPLATE))
    yield made
    samba.tool("gpo", "del", made.guid)
    assert NAME not in samba.gpos()


def _csv(lines) -> bytes:
    return "".join(line + "\r\n" for line in lines).encode("utf-8")


def _inf(lines) -> bytes:
    return b"\xff\xfe" + "".join(line + "\r\n" for line in lines).encode("utf-16-le")


DC_AUDIT = [{"name": name, "audit": ["success", "failure"]} for name in ("Credential Validation", "Directory Service Changes")]
DC_ROWS = [",System,Audit Credential Validation,{0cce923f-69ae-11d9-bed3-505054503030},Success and Failure,,3",
           ",System,Audit Directory Service Changes,{0cce923c-69ae-11d9-bed3-505054503030},Success and Failure,,3"]


def test_audit_policy_merges_rows_versions_and_extensions(playbook, gpo):
    gpo.write(AUDIT_CSV, _csv([HEADER, SPECIAL_LOGON]))
    args = {"gpo": NAME, "subcategories": DC_AUDIT}
    out = _task(playbook, "gpo_audit_policy", args, "--check", "--diff")
    assert out["changed"] and "Audit Credential Validation" in out["diff"]["after"]
    assert gpo.file(AUDIT_CSV) == _csv([HEADER, SPECIAL_LOGON]) and gpo.versions_agree() == 0  # check mode wrote nothing

    out = _task(playbook, "gpo_audit_policy", args)
    assert out["changed"] and gpo.file(AUDIT_CSV) == _csv([HEADER, SPECIAL_LOGON] + DC_ROWS)
    assert gpo.versions_agree() == 1
    assert gpo.ad()[1] == ADMIN_PAIR + AUDIT_PAIR
    assert gpo.file(GPTTMPL) == _inf(TEMPLATE)  # the GPO's other settings are untouched
    assert not _task(playbook, "gpo_audit_policy", args)["changed"] and gpo.versions_agree() == 1

    exact = {"gpo": gpo.guid, "subcategories": [{"name": "{0CCE923C-69AE-11D9-BED3-505054503030}", "audit": ["failure"]}],
             "state": "exact"}
    assert _task(playbook, "gpo_audit_policy", exact)["changed"]
    assert gpo.file(AUDIT_CSV) == _csv([HEADER, DC_ROWS[1].replace("Success and Failure,,3", "Failure,,2")])
    absent = {"gpo": NAME, "subcategories": [{"name": "Directory Service Changes"}], "state": "absent"}
    assert _task(playbook, "gpo_audit_policy", absent)["changed"] and gpo.file(AUDIT_CSV) == _csv([HEADER])
    assert gpo.versions_agree() == 3 and gpo.ad()[1] == ADMIN_PAIR + AUDIT_PAIR


def test_security_template_writes_remote_sam_as_secedit_does_and_keeps_other_sections(playbook, gpo, lab):
    sid = f"{lab['samba']['domain_sid']}-1601"
    sddl = f"O:BAG:BAD:(A;;RC;;;BA)(A;;RC;;;{sid})"
    values = [{"path": path, "type": "REG_DWORD", "value": value} for path, value in NTLM.items()]
    values.append({"path": REMOTE_SAM, "type": "REG_SZ", "value": sddl})
    # What Microsoft's DefenderForIdentity module leaves: no type, no quotes - rewritten here.
    gpo.write(GPTTMPL, _inf(TEMPLATE[:6] + ["[Registry Values]", f"{REMOTE_SAM}=1={sddl}"] + TEMPLATE[6:]))
    out = _task(playbook, "gpo_security_template", {"gpo": NAME, "registry_values": values}, "--diff")
    lines = [f"{REMOTE_SAM}=1,\"{sddl}\""] + [f"{path}=4,{value}" for path, value in NTLM.items()]
    assert out["changed"] and gpo.file(GPTTMPL) == _inf(TEMPLATE[:6] + ["[Registry Values]"] + lines + TEMPLATE[6:])
    assert out["diff"]["before"] == f"[Registry Values]\n{REMOTE_SAM}=1={sddl}\n"
    assert gpo.versions_agree() == 1 and gpo.ad()[1] == ADMIN_PAIR + SECURITY_PAIR
    assert not _task(playbook, "gpo_security_template", {"gpo": NAME, "registry_values": values})["changed"]

    gone = {"gpo": NAME, "registry_values": [{"path": REMOTE_SAM}], "state": "absent"}
    assert _task(playbook, "gpo_security_template", gone, "--check")["changed"] and gpo.versions_agree() == 1
    assert _task(playbook, "gpo_security_template", gone)["changed"]
    assert gpo.file(GPTTMPL) == _inf(TEMPLATE[:6] + ["[Registry Values]"] + lines[1:] + TEMPLATE[6:])
    assert gpo.versions_agree() == 2


def test_an_edit_that_stopped_after_gpt_ini_is_repaired(playbook, gpo):
    """A run that died after writing GPT.INI (the first write) leaves it ahead of AD: the next run finishes the edit and
    brings both versions to one new value, with a warning."""
    args = {"gpo": NAME, "subcategories": DC_AUDIT}
    _task(playbook, "gpo_audit_policy", args)
    gpo.write("GPT.INI", b"[General]\r\nVersion=2\r\n")  # the first write of a later edit that stopped there
    out = _task(playbook, "gpo_audit_policy", args)
    assert out["changed"] and any("stopped halfway" in warning for warning in out.get("warnings", [])), out
    assert gpo.versions_agree() == 3
    assert not _task(playbook, "gpo_audit_policy", args)["changed"]


def test_every_domain_controller_at_once_changes_the_gpo_once(playbook, gpo):
    """Without run_once, each DC's worker runs the task in parallel: the domain's GPO lock lets the first change the GPO
    and the others find it done, so the version goes up by one, not once per host."""
    values = [{"path": path, "type": "REG_DWORD", "value": value} for path, value in NTLM.items()]
    text = ("- hosts: domain_controllers\n  gather_facts: false\n  tasks:\n    - name: t\n      mdi.action_accounts.gpo_security_template: "
            f"{json.dumps({'gpo': NAME, 'registry_values': values})}\n")
    out = playbook(text, extra_args=["--forks", "5"]).task_results("t")
    assert len(out) > 1 and not any(result.get("failed") for result in out.values()), out
    assert sum(bool(result["changed"]) for result in out.values()) == 1
    assert gpo.versions_agree() == 1


def test_new_settings_files_and_folders_keep_samba_sysvol_acl_check_green(playbook, lab):
    """A settings file the module creates, and the folders it needs, get the GPO folder's ACL set explicitly, as
    samba-tool ntacl sysvolreset does: Samba's own check of the GPO (check_dir_acl) finds every file and folder consistent."""
    samba = Samba(lab)
    guid = _task(playbook, "gpo", {"name": "MDI settings ACL test GPO"})["gpo"]["guid"]
    try:
        assert samba.acl_check(guid) == "consistent"
        assert _task(playbook, "gpo_audit_policy", {"gpo": guid, "subcategories": DC_AUDIT})["changed"]
        assert _task(playbook, "gpo_security_template", {"gpo": guid, "registry_values": [
            {"path": path, "type": "REG_DWORD", "value": value} for path, value in NTLM.items()]})["changed"]
        assert samba.acl_check(guid) == "consistent"
    finally:
        samba.tool("gpo", "del", guid)

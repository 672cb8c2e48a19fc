# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""user_right scope=gpo against the lab's Samba DC: GptTmpl.inf in SYSVOL (over SMB) and the GPO's versions (GPT.INI
and versionNumber over LDAP), each read back independently of the module; check mode, idempotence, several hosts,
bad inputs. The Default Domain Controllers Policy is restored after every test."""
from __future__ import annotations

from pathlib import Path

import pytest
import smbclient
from smbprotocol.exceptions import SMBOSError

import fake_winrm_hosts as hosts_api
from user_right_lab import DDCP, RIGHT, play, user_right_commands

GPTTMPL = r"MACHINE\Microsoft\Windows NT\SecEdit\GptTmpl.inf"
EXISTING = ["[Unicode]", "Unicode=yes", "[System Access]", "MinimumPasswordLength = 7", "[Registry Values]",
            "MACHINE\\System\\CurrentControlSet\\Services\\NTDS\\Parameters\\LDAPServerIntegrity=4,1", "[Privilege Rights]",
            "SeBackupPrivilege = *S-1-5-32-549,*S-1-5-32-551,*S-1-5-32-544", "SeServiceLogonRight = *S-1-5-80-0",
            "SeUndockPrivilege = *S-1-5-32-544", "[Version]", 'signature="$CHICAGO$"', "Revision=1"]


def _inf(lines) -> bytes:
    return b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


class Sysvol:
    """The DC's SYSVOL over SMB with our own session (not the module's)."""

    def __init__(self, lab):
        samba = lab["samba"]
        self.root = f"\\\\{samba['ip']}\\sysvol\\{samba['domain_dns']}\\Policies\\{DDCP}"
        self.session = {"username": samba["admin_upn"], "password": samba["admin_password"], "connection_cache": {}}

    def read(self, name: str) -> bytes | None:
        try:
            with smbclient.open_file(f"{self.root}\\{name}", mode="rb", **self.session) as handle:
                return handle.read()
        except SMBOSError:
            return None

    def write(self, name: str, data: bytes | None) -> None:
        path = f"{self.root}\\{name}"
        if data is None:
            if self.read(name) is not None:
                smbclient.remove(path, **self.session)
            return
        smbclient.makedirs(path.rsplit("\\", 1)[0], exist_ok=True, **self.session)
        with smbclient.open_file(path, mode="wb", **self.session) as handle:
            handle.write(data)

    def close(self):
        smbclient.reset_connection_cache(connection_cache=self.session["connection_cache"])


def _gpc(lab) -> str:
    return f"CN={DDCP},CN=Policies,CN=System,{lab['samba']['base_dn']}"


def _ad_version(directory, lab) -> tuple[int, str | None]:
    directory.search(_gpc(lab), "(objectClass=*)", search_scope="BASE", attributes=["versionNumber", "gPCMachineExtensionNames"])
    entry = directory.entries[0]
    return int(entry.versionNumber.value or 0), entry.gPCMachineExtensionNames.value


def _ini_version(sysvol) -> int:
    text = (sysvol.read("GPT.INI") or b"").decode("latin-1")
    return int(next(line.split("=", 1)[1] for line in text.splitlines() if line.lower().startswith("version=")))


@pytest.fixture(name="sysvol")
def fixture_sysvol(lab, directory, hosts):  # pylint: disable=unused-argument  # hosts: fake DCs reset too
    """SYSVOL of the Default Domain Controllers Policy; the GPO's files and versions are put back afterwards."""
    share = Sysvol(lab)
    saved = {name: share.read(name) for name in (GPTTMPL, "GPT.INI")}
    version, extensions = _ad_version(directory, lab)
    yield share
    for name, data in saved.items():
        share.write(name, data)
    directory.modify(_gpc(lab), {"versionNumber": [("MODIFY_REPLACE", [version])],
                                 "gPCMachineExtensionNames": [("MODIFY_REPLACE", [extensions] if extensions else [])]})
    share.close()


def _run(playbook, args: dict, extra=(), run_once=True):
    result = playbook(play({"scope": "gpo", **args}, task_extra="run_once: true" if run_once else ""), extra_args=extra)
    return result, result.task_results("ur")


def _only(out: dict) -> dict:
    assert len(out) == 1, out  # run_once: one host ran it
    return next(iter(out.values()))


def test_add_keeps_what_is_there_and_bumps_both_versions(playbook, lab, directory, sysvol, hosts, alice):
    sysvol.write(GPTTMPL, _inf(EXISTING))
    ad_before, ini_before = _ad_version(directory, lab)[0], _ini_version(sysvol)
    commands_before = {name: len(user_right_commands(host)) for name, host in hosts.items()}
    add = {"name": "Log on as a service", "users": [alice["name"]]}

    out = _run(playbook, add, extra=["--check", "--diff"])[1]
    out = _only(out)
    assert out["changed"] and not out.get("failed"), out
    assert sysvol.read(GPTTMPL) == _inf(EXISTING) and _ad_version(directory, lab)[0] == ad_before  # check mode wrote nothing
    assert out["diff"]["after"][RIGHT] == sorted([f"{alice['name']} ({alice['sid']})", "NT SERVICE\\ALL SERVICES (S-1-5-80-0)"])

    out = _run(playbook, add)[1]
    out = _only(out)
    assert out["changed"] and out["gpo"]["guid"] == DDCP and out["gpo"]["name"] == "Default Domain Controllers Policy", out
    expected = [f"{line},*{alice['sid']}" if line.startswith(RIGHT) else line for line in EXISTING]
    assert sysvol.read(GPTTMPL) == _inf(expected)  # read back over our own SMB session: one line changed, every other byte kept
    assert _ad_version(directory, lab)[0] == ad_before + 1 and _ini_version(sysvol) == ini_before + 1

    out = _run(playbook, add)[1]
    assert not _only(out)["changed"]
    assert sysvol.read(GPTTMPL) == _inf(expected)
    assert _ad_version(directory, lab)[0] == ad_before + 1 and _ini_version(sysvol) == ini_before + 1
    assert {name: len(user_right_commands(host)) for name, host in hosts.items()} == commands_before  # no WinRM at all


def test_several_hosts_without_run_once_change_it_once(playbook, lab, directory, sysvol, alice):
    sysvol.write(GPTTMPL, _inf(EXISTING))
    ad_before = _ad_version(directory, lab)[0]
    result, out = _run(playbook, {"name": RIGHT, "users": [alice["name"]]}, run_once=False)
    assert sorted(out) == ["dc1", "dc2", "dc3"] and not any(r.get("failed") for r in out.values()), out
    assert sum(r["changed"] for r in out.values()) == 1
    assert _ad_version(directory, lab)[0] == ad_before + 1
    assert result.rc == 0


def test_undefined_right_add_fails_and_set_defines_it(playbook, lab, directory, sysvol, alice):
    sysvol.write(GPTTMPL, None)  # as Samba provisions it: the GPO has no security template
    ad_before = _ad_version(directory, lab)[0]
    out = _run(playbook, {"name": RIGHT, "users": [alice["name"]]})[1]
    out = _only(out)
    assert out["failed"] and "does not define Log on as a service" in out["msg"] and "action=set" in out["msg"], out
    assert sysvol.read(GPTTMPL) is None and _ad_version(directory, lab)[0] == ad_before

    out = _run(playbook, {"name": RIGHT, "users": ["NT SERVICE\\ALL SERVICES", alice["name"]], "action": "set"})[1]
    assert _only(out)["changed"]
    data = sysvol.read(GPTTMPL)
    assert data.startswith(b"\xff\xfe") and f"SeServiceLogonRight = *S-1-5-80-0,*{alice['sid']}\r\n" in data[2:].decode("utf-16-le")
    assert _ad_version(directory, lab) == (ad_before + 1, "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]")


@pytest.mark.parametrize("args, message", [
    ({"password": "wrong-password"}, "bind"),
    ({"users": ["CORP\\nobody-here"]}, "not found"),
    ({"gpo": "No Such Policy"}, "no Group Policy object"),
])
def test_bad_inputs_fail_and_write_nothing(playbook, lab, directory, sysvol, alice, args, message):
    sysvol.write(GPTTMPL, _inf(EXISTING))
    ad_before = _ad_version(directory, lab)[0]
    out = _run(playbook, {"name": RIGHT, "users": [alice["name"]], **args})[1]
    out = _only(out)
    assert out["failed"] and message in out["msg"], out
    assert "wrong-password" not in str(out)
    assert sysvol.read(GPTTMPL) == _inf(EXISTING) and _ad_version(directory, lab)[0] == ad_before


def test_unreachable_winrm_does_not_matter_for_gpo(playbook, sysvol, hosts, alice):
    sysvol.write(GPTTMPL, _inf(EXISTING))
    hosts_api.set_faults(hosts["dc1"], refuse=True)
    out = _run(playbook, {"name": RIGHT, "users": [alice["name"]]})[1]
    assert _only(out)["changed"]


def test_site_playbook_with_gpo_scope_writes_the_gpo_once_and_no_host(playbook, lab, directory, sysvol, hosts):
    """The logon_right role with logon_right_scope=gpo: one GPO change for the domain, no per-host LSA change."""
    site = (Path(__file__).resolve().parents[3] / "playbooks" / "site.yml").read_text()
    sysvol.write(GPTTMPL, _inf(EXISTING))
    ad_before = _ad_version(directory, lab)[0]
    commands_before = {name: len(user_right_commands(host)) for name, host in hosts.items()}

    first = playbook(site, extra_args=["-e", "logon_right_scope=gpo"])
    assert first.rc == 0, first.stderr[-3000:]
    sid = first.task_results("mdi.action_accounts.gmsa : Ensure the action account is present (or absent)")["dc1"]["sid"]
    expected = [f"{line},*{sid}" if line.startswith(RIGHT) else line for line in EXISTING]
    assert sysvol.read(GPTTMPL) == _inf(expected) and _ad_version(directory, lab)[0] == ad_before + 1
    assert {name: len(user_right_commands(host)) for name, host in hosts.items()} == commands_before

    second = playbook(site, extra_args=["-e", "logon_right_scope=gpo"])
    assert second.rc == 0 and second.changed == 0, second.stats
    assert _ad_version(directory, lab)[0] == ad_before + 1

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _user_rights/gpo_scope.py: a right in a GPO, with a stand-in directory and SYSVOL share."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.gpo_scope import run_gpo
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.gpttmpl import PATH, Template
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._user_rights.fakes import BASE, DDCP, DOMAIN_SID

SECURITY = "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"
MDI = "{11111111-2222-3333-4444-555555555555}"
ACTION = f"{DOMAIN_SID}-1105"
EXISTING = ["[Unicode]", "Unicode=yes", "[System Access]", "MinimumPasswordLength = 7", "[Privilege Rights]",
            "SeBackupPrivilege = *S-1-5-32-549,*S-1-5-32-544", "SeServiceLogonRight = *S-1-5-80-0,CORP\\svcSql",
            "[Version]", 'signature="$CHICAGO$"', "Revision=1"]


def _inf(lines) -> bytes:
    return b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


@pytest.fixture(name="domain")
def fixture_domain(directory, sysvol):
    directory.add_account("mdiAction$", 1105)
    directory.add_account("svcSql", 1200)
    directory.add_gpo(DDCP, "Default Domain Controllers Policy", version=0x00020005, extensions=SECURITY)
    sysvol.seed(sysvol.gpo_path(DDCP, "GPT.INI"), b"[General]\r\nVersion=131077\r\n")
    return directory, sysvol


def _run(domain, check_mode=False, **params):
    directory, sysvol = domain
    params = {"action": "add", "users": ["CORP\\mdiAction$"], "gpo": None, **params}
    return run_gpo("SeServiceLogonRight", params, check_mode, True, directory, sysvol)


def _template(sysvol, guid=DDCP) -> bytes | None:
    return sysvol.read(sysvol.gpo_path(guid, PATH))


def test_add_keeps_every_other_byte_and_bumps_both_versions(domain):
    directory, sysvol = domain
    sysvol.seed(sysvol.gpo_path(DDCP, PATH), _inf(EXISTING))
    result, warnings = _run(domain)
    assert result["changed"] and warnings == []
    expected = EXISTING[:6] + [f"SeServiceLogonRight = *S-1-5-80-0,CORP\\svcSql,*{ACTION}"] + EXISTING[7:]
    assert _template(sysvol) == _inf(expected)
    assert sysvol.read(sysvol.gpo_path(DDCP, "GPT.INI")) == b"[General]\r\nVersion=131078\r\n"
    assert [path.rsplit("\\", 1)[-1] for path in sysvol.writes] == ["GPT.INI", "GptTmpl.inf"]  # GPT.INI, the template, AD last
    assert directory.modified == [(f"CN={DDCP},CN=Policies,CN=System,{BASE}", {"versionNumber": [("MODIFY_REPLACE", [0x00020006])]})]
    assert result["added"] == [{"sid": ACTION, "name": "CORP\\mdiAction$"}]
    assert [m["name"] for m in result["gpo"]["members"]] == ["NT SERVICE\\ALL SERVICES", "CORP\\svcSql", "CORP\\mdiAction$"]
    assert result["gpo"]["name"] == "Default Domain Controllers Policy" and result["scope"] == "gpo"


def test_rerun_and_check_mode_write_nothing(domain):
    directory, sysvol = domain
    sysvol.seed(sysvol.gpo_path(DDCP, PATH), _inf(EXISTING))
    assert _run(domain, check_mode=True)[0]["changed"] is True
    assert _template(sysvol) == _inf(EXISTING) and directory.modified == []
    _run(domain)
    sysvol.writes.clear()
    directory.modified.clear()
    again, _warnings = _run(domain)
    assert again["changed"] is False and sysvol.writes == [] and directory.modified == []
    assert _run(domain, users=["mdiAction"])[0]["changed"] is False  # the same account, named otherwise


@pytest.mark.parametrize("check_mode", [False, True])
def test_each_file_is_opened_once_to_read_and_write(domain, check_mode):
    """The template read to choose the GPO is the one edited (issue 13: a first site run opened it three times, GPT.INI twice)."""
    _directory, sysvol = domain
    sysvol.seed(sysvol.gpo_path(DDCP, PATH), _inf(EXISTING))
    for run in ("first", "rerun"):
        sysvol.opens.clear()
        _run(domain, check_mode=check_mode)
        assert sorted(path.rsplit("\\", 1)[-1] for path in sysvol.opens) == ["GPT.INI", "GptTmpl.inf"], run


def test_add_to_an_undefined_right_fails_without_writing(domain):
    directory, sysvol = domain
    with pytest.raises(GpoError, match="does not define Log on as a service .*Use action=set"):
        _run(domain)
    assert sysvol.writes == [] and directory.modified == []


def test_set_defines_it_in_a_new_template(domain):
    directory, sysvol = domain
    result, _warnings = _run(domain, action="set", users=["NT SERVICE\\ALL SERVICES", "CORP\\mdiAction$"])
    assert result["changed"] and result["removed"] == []
    template = Template.decode(_template(sysvol))
    assert template.entries("SeServiceLogonRight") == ["*S-1-5-80-0", f"*{ACTION}"]
    assert template.text.startswith("[Unicode]\r\nUnicode=yes\r\n[Version]")
    assert directory.modified[0][1]["versionNumber"] == [("MODIFY_REPLACE", [0x00020006])]


def test_remove_and_unresolved_entries(domain):
    _directory, sysvol = domain
    sysvol.seed(sysvol.gpo_path(DDCP, PATH), _inf(EXISTING[:6] + ["SeServiceLogonRight = OLD\\gone,CORP\\svcSql"] + EXISTING[7:]))
    result, warnings = _run(domain, action="remove", users=["svcSql"])
    assert Template.decode(_template(sysvol)).entries("SeServiceLogonRight") == ["OLD\\gone"]
    assert result["removed"] == [{"sid": f"{DOMAIN_SID}-1200", "name": "CORP\\svcSql"}]
    assert result["members"] == [{"sid": None, "name": "OLD\\gone"}]
    assert "'OLD\\\\gone'" in warnings[0] and "does not resolve" in warnings[0]


def test_remove_from_an_undefined_right_is_no_change(domain):
    assert _run(domain, action="remove")[0]["changed"] is False


def test_default_gpo_is_the_linked_one_that_defines_the_right(domain):
    directory, sysvol = domain
    directory.add_gpo(MDI, "MDI sensors", version=1)
    sysvol.seed(sysvol.gpo_path(MDI, "GPT.INI"), b"[General]\r\nVersion=1\r\n")
    links = f"[LDAP://cn={DDCP},cn=policies,cn=system,{BASE};0][LDAP://cn={MDI},cn=policies,cn=system,{BASE};0]"
    directory.add(f"OU=Domain Controllers,{BASE}", gPLink=links)
    sysvol.seed(sysvol.gpo_path(DDCP, PATH), _inf(EXISTING))
    sysvol.seed(sysvol.gpo_path(MDI, PATH), _inf(["[Unicode]", "Unicode=yes", "[Privilege Rights]", "SeServiceLogonRight = *S-1-5-80-0"]))
    result, warnings = _run(domain)
    assert result["gpo"]["guid"] == MDI
    assert Template.decode(_template(sysvol, MDI)).entries("SeServiceLogonRight") == ["*S-1-5-80-0", f"*{ACTION}"]
    assert _template(sysvol) == _inf(EXISTING)  # the other GPO is left alone
    assert directory.modified[0][1]["gPCMachineExtensionNames"] == [("MODIFY_REPLACE", [SECURITY])]  # it lacked the Security CSE
    assert warnings == []


def test_named_gpo_without_security_extension_warns_when_unchanged(domain):
    directory, sysvol = domain
    directory.add_gpo(MDI, "MDI sensors", version=1)
    sysvol.seed(sysvol.gpo_path(MDI, "GPT.INI"), b"[General]\r\nVersion=1\r\n")
    sysvol.seed(sysvol.gpo_path(MDI, PATH), _inf(["[Privilege Rights]", f"SeServiceLogonRight = *{ACTION}"]))
    result, warnings = _run(domain, gpo="MDI sensors")
    assert result["changed"] is False and "lacks the Security client-side extension" in warnings[0]


def test_unknown_user_fails_before_reading(domain):
    _directory, sysvol = domain
    with pytest.raises(LdapError, match="not found"):
        _run(domain, users=["CORP\\nobody"])
    assert sysvol.writes == []


class Stop(Exception):
    """The run dies here (a lost connection, a killed process)."""


def _dies_after(domain, writes: int):
    """The domain whose SYSVOL and AD accept ``writes`` more writes, then fail: the run stops between two writes."""
    directory, sysvol = domain
    left = [writes]

    def gate(real):
        def write(*args, **kwargs):
            if left[0] == 0:
                raise Stop()
            left[0] -= 1
            return real(*args, **kwargs)
        return write

    return gate(sysvol.write), gate(directory.modify)


@pytest.mark.parametrize("writes", [0, 1, 2])
def test_a_run_that_dies_between_any_two_writes_is_repaired_by_the_next(domain, monkeypatch, writes):
    """GPT.INI, GptTmpl.inf and versionNumber cannot change in one transaction: whichever write the run dies before,
    the next run ends with the member in the template and both versions equal and above where they started."""
    directory, sysvol = domain
    sysvol.seed(sysvol.gpo_path(DDCP, PATH), _inf(EXISTING))
    sysvol_write, directory_modify = _dies_after(domain, writes)
    with monkeypatch.context() as patch:
        patch.setattr(sysvol, "write", sysvol_write)
        patch.setattr(directory, "modify", directory_modify)
        with pytest.raises(Stop):
            _run(domain)
    result, warnings = _run(domain)
    ini = sysvol.read(sysvol.gpo_path(DDCP, "GPT.INI")).decode("latin-1")
    ad = int(directory.objects[f"CN={DDCP},CN=Policies,CN=System,{BASE}"]["versionnumber"][0])
    assert result["changed"] is True
    assert f"*{ACTION}" in Template.decode(_template(sysvol)).entries("SeServiceLogonRight")
    assert ini == f"[General]\r\nVersion={ad}\r\n" and ad > 0x00020005
    assert (writes > 0) == any("stopped halfway" in w for w in warnings)
    again, _warnings = _run(domain)
    assert again["changed"] is False, "the repaired GPO is not stable"


def test_malformed_extension_names_fail_as_a_gpo_error_before_any_write(directory, sysvol):
    directory.add_account("mdiAction$", 1105)
    directory.add_gpo(DDCP, "Default Domain Controllers Policy", version=0x00020005, extensions="[{not-a-guid}]")
    sysvol.seed(sysvol.gpo_path(DDCP, "GPT.INI"), b"[General]\r\nVersion=131077\r\n")
    sysvol.seed(sysvol.gpo_path(DDCP, PATH), _inf(EXISTING))
    with pytest.raises(GpoError, match="gPCMachineExtensionNames"):
        _run((directory, sysvol))
    assert sysvol.writes == [] and directory.modified == []

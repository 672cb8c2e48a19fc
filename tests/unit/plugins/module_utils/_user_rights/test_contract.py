# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The user-rights contract (docs/contracts/user_rights.md), tested on both sides: requests this collection
builds are read by the lab's fake hosts, and what the fake hosts answer is read by this collection - through
the real script file and Ansible's own PowerShell encoding."""
from __future__ import annotations

import base64
import json

import pytest
from ansible.plugins.shell.powershell import ShellModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.contract import (
    MARKER, SCRIPT, gpo_conflict, parse_reply, request_line)
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import ContractError, UserRightError
from ansible_collections.mdi.action_accounts.plugins.module_utils._winrm.scripts import build_call, load_script

ALL_SERVICES = {"sid": "S-1-5-80-0", "name": "NT SERVICE\\ALL SERVICES"}
TRICKY = ["CORP\\mdiAction$", "O'Brien@corp.example.test", "line\nbreak", "'@", "x\u2028y\x0bz", "M\u00fcller", '"quoted"', "tab\there"]


def _command(principals, action="add", right="SeServiceLogonRight", check_mode=False, refuse=False) -> str:
    return build_call(load_script(SCRIPT), request_line(right, action, principals, check_mode, refuse)).command


def _over_the_wire(command: str) -> str:
    """The script as powershell.exe decodes it from the command line Ansible's PowerShell shell plugin builds."""
    parts = ShellModule()._encode_script(command, as_list=True, strict_mode=False, preserve_rc=False)  # pylint: disable=protected-access
    encoded = parts[[p.lower() for p in parts].index("-encodedcommand") + 1]
    return base64.b64decode(encoded).decode("utf-16-le")


def _ask(fake_side, host, command: str, right="SeServiceLogonRight", refuse=False) -> dict:
    """The fake host's answer to ``command``, as this collection reads it."""
    answer, code = fake_side[0].handle(command, host)
    return parse_reply(code, json.dumps(answer) + "\r\n", "", right, refuse)


# ---- this collection's requests, read by the fake -------------------------------------------------------------

@pytest.mark.parametrize("check_mode, refuse", [(False, True), (True, False)])
def test_request_reaches_the_fake_intact(fake_side, check_mode, refuse):
    request = fake_side[0].parse_request(_over_the_wire(_command(TRICKY, "set", check_mode=check_mode, refuse=refuse)))
    assert request == {"right": "SeServiceLogonRight", "action": "set", "principals": TRICKY, "check_mode": check_mode,
                       "refuse_gpo_conflict": refuse}


def test_both_sides_speak_the_same_version(fake_side):
    assert MARKER == f"{fake_side[0].MARKER}{fake_side[0].VERSION}"
    with pytest.raises(fake_side[0].ContractError, match="version 1 is not supported"):
        fake_side[0].parse_request(_command([]).replace(MARKER, f"{fake_side[0].MARKER}1"))


def test_request_line_is_one_ascii_line():
    line = request_line("SeServiceLogonRight", "add", TRICKY, False, True)
    assert line.isascii() and len(line.splitlines()) == 1 and not line.startswith("'@")
    assert json.loads(line)["principals"] == TRICKY


@pytest.mark.parametrize("principals", [[""], ["  "], [None], [5]])
def test_request_refuses_empty_or_non_string_principals(principals):
    with pytest.raises(UserRightError):
        request_line("SeServiceLogonRight", "add", principals, False, True)


def test_request_refuses_unknown_action():
    with pytest.raises(ValueError):
        request_line("SeServiceLogonRight", "grant", [], False, True)


def test_command_holds_marker_and_one_request_here_string():
    command = _command(["CORP\\alice"])
    assert command.splitlines()[0] == MARKER
    assert command.count("$Request = @'") == 1 and command.count("\n'@") == 1


# ---- the fake's answers, read by this collection --------------------------------------------------------------

def test_add_then_rerun(fake_side, fake_host):
    reply = _ask(fake_side, fake_host, _command(["NT AUTHORITY\\LOCAL SERVICE"]))
    assert reply["changed"] is True
    assert reply["added"] == [{"sid": "S-1-5-19", "name": "NT AUTHORITY\\LOCAL SERVICE"}]
    assert ALL_SERVICES in reply["before"] and reply["gpo"] is None
    again = _ask(fake_side, fake_host, _command(["S-1-5-19"]))
    assert again["changed"] is False and again["added"] == [] and again["after"] == reply["after"]


def test_check_mode_changes_nothing(fake_side, fake_host):
    reply = _ask(fake_side, fake_host, _command(["S-1-5-19"], check_mode=True))
    assert reply["changed"] is True
    query = _ask(fake_side, fake_host, _command([], "query"))
    assert query["after"] == reply["before"]


def test_set_and_remove(fake_side, fake_host):
    reply = _ask(fake_side, fake_host, _command(["S-1-5-19", "S-1-5-20"], "set"))
    assert [m["sid"] for m in reply["after"]] == ["S-1-5-19", "S-1-5-20"] and reply["removed"] == [ALL_SERVICES]
    reply = _ask(fake_side, fake_host, _command(["S-1-5-19"], "remove"))
    assert [m["sid"] for m in reply["after"]] == ["S-1-5-20"]


def test_gpo_defined_right(fake_side, fake_host):
    reply = _ask(fake_side, fake_host, _command([], "query", right="SeBackupPrivilege"), right="SeBackupPrivilege")
    assert reply["gpo"]["name"] == "Default Domain Controllers Policy"
    assert reply["gpo"]["guid"] == "{6AC1786C-016F-11D2-945F-00C04FB984F9}"
    assert {m["sid"] for m in reply["gpo"]["members"]} == {m["sid"] for m in reply["after"]}


@pytest.mark.parametrize("principals, right, error_type", [
    (["S-1-5-19"], "SeBogusRight", "UnknownRight"),
    (["CORP\\nobody"], "SeServiceLogonRight", "UnknownPrincipal"),
])
def test_fake_errors_become_user_right_errors(fake_side, fake_host, principals, right, error_type):
    with pytest.raises(UserRightError) as caught:
        _ask(fake_side, fake_host, _command(principals, right=right), right=right)
    assert caught.value.details["error_type"] == error_type
    assert str(caught.value).endswith(": check users (DOMAIN\\name, a UPN, a plain account name or a SID of an existing account)") == \
        (error_type == "UnknownPrincipal")


def test_bad_request_from_the_fake(fake_side, fake_host):
    with pytest.raises(UserRightError) as caught:
        _ask(fake_side, fake_host, MARKER + "\n# no request here\n")
    assert caught.value.details["error_type"] == "BadRequest"


def _define_by_gpo(host, members: list[str]) -> None:
    host.state["gpo_rights"]["SeServiceLogonRight"] = {"gpo_name": "MDI rights", "gpo_guid": "{1}", "members": members}
    host.save()


@pytest.mark.parametrize("check_mode", [False, True])
def test_fake_refuses_a_gpo_conflict_before_storing_anything(fake_side, fake_host, check_mode):
    _define_by_gpo(fake_host, ["*S-1-5-80-0"])
    stored = fake_host.state_path.read_bytes()
    reply = _ask(fake_side, fake_host, _command(["S-1-5-19"], check_mode=check_mode, refuse=True), refuse=True)
    assert reply["refused"] is True and reply["changed"] is False and reply["before"] == reply["after"] == [ALL_SERVICES]
    assert reply["added"] == reply["removed"] == [] and reply["gpo"]["name"] == "MDI rights"
    assert fake_host.state_path.read_bytes() == stored  # the host's state file, read on its own: untouched


def test_fake_without_refusal_changes_despite_the_gpo(fake_side, fake_host):
    _define_by_gpo(fake_host, ["*S-1-5-80-0"])
    reply = _ask(fake_side, fake_host, _command(["S-1-5-19"]))
    assert reply["refused"] is False and reply["changed"] is True and gpo_conflict(reply["after"], reply["gpo"])
    assert json.loads(fake_host.state_path.read_text(encoding="utf-8"))["rights"]["SeServiceLogonRight"] == ["S-1-5-80-0", "S-1-5-19"]


def test_fake_makes_a_change_that_matches_the_gpo(fake_side, fake_host):
    """The conflict is about the result: a change that brings the local list in line with the GPO lasts, so it is made.
    A GPO entry the host cannot resolve is not applied by Windows either, so it does not count."""
    _define_by_gpo(fake_host, ["*S-1-5-80-0", "*S-1-5-19", "CORP\\gone"])
    reply = _ask(fake_side, fake_host, _command(["S-1-5-19"], refuse=True), refuse=True)
    assert reply["refused"] is False and reply["changed"] is True


def test_gpo_conflict_ignores_order_and_unresolved_entries():
    gpo = {"name": "P", "guid": None, "members": [{"sid": None, "name": "OLD\\x"}, {"sid": "S-1-5-19", "name": None}, ALL_SERVICES]}
    assert not gpo_conflict([ALL_SERVICES, {"sid": "S-1-5-19", "name": None}], gpo)
    assert gpo_conflict([ALL_SERVICES], gpo) and not gpo_conflict([ALL_SERVICES], None)


# ---- strictness of the reader -------------------------------------------------------------------------------------

def _valid() -> dict:
    return {"changed": True, "right": "SeServiceLogonRight", "before": [ALL_SERVICES],
            "after": [ALL_SERVICES, {"sid": "S-1-5-21-1-2-3-1105", "name": None}],
            "added": [{"sid": "S-1-5-21-1-2-3-1105", "name": None}], "removed": [], "gpo": None, "refused": False}


def test_valid_answer_after_noise_and_progress_on_stderr():
    stdout = "some profile banner\r\n" + json.dumps(_valid()) + "\r\n"
    stderr = '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj S="progress"/></Objs>'
    assert parse_reply(0, stdout, stderr, "SeServiceLogonRight", False)["added"][0]["name"] is None


@pytest.mark.parametrize("change", [
    lambda r: r.pop("gpo"),
    lambda r: r.update(extra=1),
    lambda r: r.update(changed="yes"),
    lambda r: r.update(right="SeBatchLogonRight"),
    lambda r: r["after"].append({"sid": "not-a-sid", "name": "x"}),
    lambda r: r["after"].append({"sid": "S-1-5-18"}),
    lambda r: r.update(added=[]),
    lambda r: r.update(changed=False),
    lambda r: r.update(before="none"),
    lambda r: r.update(gpo={"name": "x", "guid": None}),
    lambda r: r.update(gpo={"name": 1, "guid": None, "members": []}),
    lambda r: r.pop("refused"),
    lambda r: r.update(refused="no"),
    lambda r: r.update(refused=True),  # not asked for
])
def test_answers_outside_the_contract_are_refused(change):
    reply = _valid()
    change(reply)
    with pytest.raises(ContractError, match="breaks the user-rights contract"):
        parse_reply(0, json.dumps(reply), "", "SeServiceLogonRight", False)


GPO = {"name": "MDI rights", "guid": "{1}", "members": [ALL_SERVICES]}


def _refused() -> dict:
    return {"changed": False, "right": "SeServiceLogonRight", "before": [ALL_SERVICES], "after": [ALL_SERVICES], "added": [],
            "removed": [], "gpo": GPO, "refused": True}


def test_refused_answer_is_read():
    assert parse_reply(0, json.dumps(_refused()), "", "SeServiceLogonRight", True)["refused"] is True


@pytest.mark.parametrize("reply, why", [
    ({**_valid(), "gpo": GPO}, "did not refuse"),  # the host changed what a GPO replaces, though asked to refuse
    ({**_valid(), "refused": True, "gpo": GPO}, "after equal to before"),
    ({**_refused(), "gpo": None}, "name the GPO"),
])
def test_refusal_must_keep_its_promise(reply, why):
    with pytest.raises(ContractError, match=why):
        parse_reply(0, json.dumps(reply), "", "SeServiceLogonRight", True)


def test_gpo_member_without_sid_is_allowed():
    reply = _valid()
    reply["gpo"] = {"name": "MDI", "guid": "{1}", "members": [{"sid": None, "name": "OLDDOMAIN\\svc"}]}
    assert parse_reply(0, json.dumps(reply), "", "SeServiceLogonRight", False)["gpo"]["members"][0]["sid"] is None


def test_no_json_at_all():
    with pytest.raises(ContractError, match="one JSON line"):
        parse_reply(0, "Hello\r\n", "", "SeServiceLogonRight", False)


def test_powershell_failure_shows_the_error_record():
    stderr = ('#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'
              '<S S="Error">Add-Type : Cannot add type._x000D__x000A_</S><S S="Error">At line:1 char:1_x000D__x000A_</S></Objs>')
    with pytest.raises(UserRightError, match="exit code 1: Add-Type : Cannot add type.\r\nAt line:1") as caught:
        parse_reply(1, "", stderr, "SeServiceLogonRight", False)
    assert caught.value.details["error_type"] == "ScriptFailed"


def test_script_error_with_another_type_is_passed_on():
    stdout = json.dumps({"failed": True, "msg": "Access is denied", "error_type": "Win32Exception"})
    with pytest.raises(UserRightError, match="Access is denied") as caught:
        parse_reply(1, stdout, "", "SeServiceLogonRight", False)
    assert caught.value.details["error_type"] == "Win32Exception"

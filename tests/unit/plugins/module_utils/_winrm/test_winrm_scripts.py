# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _winrm/scripts.py and the shipped user_rights.ps1: what travels in the command, what on stdin."""
from __future__ import annotations

import json
import re

import pytest
from ansible.plugins.shell.powershell import ShellModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._winrm.errors import WindowsCommandError
from ansible_collections.mdi.action_accounts.plugins.module_utils._winrm.scripts import (
    CMD_MAX, LOADER, build_call, check_command_line, load_script)

SCRIPT = "# marker v1\n# header\n$Request = @'\n{\"x\": 1}\n'@\n$a = 1\n# a comment that stays\nWrite-Output $a\n"
REQUEST = '{"right": "SeServiceLogonRight", "action": "add", "principals": [], "check_mode": false}'


def test_command_and_stdin():
    call = build_call(SCRIPT, REQUEST)
    assert call.command.splitlines() == ["# marker v1", "$Request = @'", REQUEST, "'@", *LOADER]
    assert call.stdin == "$a = 1\n# a comment that stays\nWrite-Output $a\n"


@pytest.mark.parametrize("script", ["# m\nWrite-Output 1\n", "# m\n$Request = @'\n{}\n'@\n$Request = @'\n{}\n'@\n", "# m\n$Request = @'\n{}\n"])
def test_script_without_exactly_one_request(script):
    with pytest.raises(ValueError, match="exactly one"):
        build_call(script, REQUEST)


@pytest.mark.parametrize("line", ["{}\n'@", "a\u2028b", " {}", "'@x"])
def test_request_line_that_could_break_the_here_string(line):
    with pytest.raises(ValueError):
        build_call(SCRIPT, line)


def test_shipped_script_is_ascii_and_runnable_as_shipped():
    text = load_script("user_rights.ps1")
    assert text.isascii()
    assert text.splitlines()[0] == "# mdi.action_accounts/user_rights v2"
    shipped = re.search(r"^\$Request = @'\n(.*)\n'@$", text, re.MULTILINE).group(1)
    assert json.loads(shipped) == {"right": "SeServiceLogonRight", "action": "query", "principals": [], "check_mode": True,
                                   "refuse_gpo_conflict": False}
    for api in ("LsaOpenPolicy", "LsaEnumerateAccountsWithUserRight", "LsaAddAccountRights", "LsaRemoveAccountRights",
                "RSOP_UserPrivilegeRight", "RSOP_GPO", "precedence=1"):
        assert api in text


def test_shipped_script_fits_through_cmd_exe_with_a_long_request():
    """The reason for stdin: the command alone must stay under cmd.exe's limit; the whole script would not."""
    request = json.dumps({"right": "SeServiceLogonRight", "action": "add", "principals": [f"CORP\\svc-account-{i:03}" for i in range(40)],
                          "check_mode": False})
    call = build_call(load_script("user_rights.ps1"), request)
    shell = ShellModule()
    command = shell._encode_script(call.command, as_list=False, strict_mode=False, preserve_rc=False)  # pylint: disable=protected-access
    check_command_line(command)
    whole = shell._encode_script(call.command + "\n" + call.stdin, as_list=False, strict_mode=False, preserve_rc=False)  # pylint: disable=protected-access
    assert len(whole) > CMD_MAX


def test_too_long_command_line():
    with pytest.raises(WindowsCommandError, match="8191"):
        check_command_line("x" * (CMD_MAX + 1))

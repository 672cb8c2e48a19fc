# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the collection's PowerShell scripts and how they travel.

A script here is a whole .ps1 file a reviewer can read and run by hand. Its first line is a marker, and
it holds one request as a JSON line in ``$Request = @'`` ... ``'@``. It is sent as ONE command:

- the command (``-EncodedCommand``) holds the marker, the request here-string and a loader;
- stdin holds the rest of the file, which the loader runs.

Why the split: WinRM runs a command line through cmd.exe (8191 characters at most), and a script with
P/Invoke code is several times that once encoded as UTF-16-LE base64. Ansible's own module bootstrap
reads stdin the same way (``$input``), over winrm, psrp and ssh alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ansible_collections.mdi.action_accounts.plugins.module_utils._winrm.errors import WindowsCommandError

CMD_MAX = 8191  # characters cmd.exe takes; WinRM runs every command line through it
REQUEST_OPEN = "$Request = @'"
REQUEST_CLOSE = "'@"
# $input enumerates stdin (winrm, ssh) or the pipeline input (psrp); joined back into the script text.
LOADER = ("$ErrorActionPreference = 'Stop'", '. ([ScriptBlock]::Create([string]::Join("`n", @($input))))')


@dataclass(frozen=True)
class ScriptCall:
    """What to run: ``command`` is PowerShell text for -EncodedCommand, ``stdin`` is sent as input."""

    command: str
    stdin: str


def load_script(name: str) -> str:
    """A script shipped next to this file. ASCII only: stdin is read in the host's console code page."""
    return Path(__file__).with_name(name).read_text(encoding="ascii")


def _check_request_line(request_line: str) -> None:
    # splitlines() is what Ansible's shell plugin splits on: it knows more line breaks than \n (\x0b, \u2028...).
    if len(request_line.splitlines()) != 1 or request_line.strip() != request_line or request_line.startswith(REQUEST_CLOSE):
        raise ValueError("the request must be one line of JSON without surrounding spaces")


def build_call(script: str, request_line: str) -> ScriptCall:
    """Put ``request_line`` into the script's here-string and split the script into command and stdin."""
    _check_request_line(request_line)
    lines = script.splitlines()
    opens = [index for index, line in enumerate(lines) if line.rstrip() == REQUEST_OPEN]
    if len(opens) != 1 or len(lines) < opens[0] + 3 or lines[opens[0] + 2].rstrip() != REQUEST_CLOSE:
        raise ValueError(f"the script must hold exactly one {REQUEST_OPEN} here-string with one JSON line")
    start = opens[0]
    command = "\n".join([lines[0], REQUEST_OPEN, request_line, REQUEST_CLOSE, *LOADER])
    return ScriptCall(command=command, stdin="\n".join(lines[start + 3:]) + "\n")


def check_command_line(command_line: str) -> None:
    """Refuse, before sending, a command line Windows would refuse ("The command line is too long")."""
    if len(command_line) > CMD_MAX:
        raise WindowsCommandError(f"the command is {len(command_line)} characters once encoded; Windows runs at most {CMD_MAX} "
                                  "through WinRM. Split the task: fewer or shorter users per task.")

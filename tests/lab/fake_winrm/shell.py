# -*- coding: utf-8 -*-
"""What WinRS does with a Command: run it through `cmd.exe /c` (unless WINRS_SKIP_CMD_SHELL is TRUE),
start the program, and for powershell.exe read its arguments the way powershell.exe does.

The limits are Windows' own, so a client that works here also fits on a real host: cmd.exe takes at
most 8191 characters (pywinrm's run_ps and Ansible's winrm connection both go through cmd.exe), and
CreateProcess at most 32767.
"""
from __future__ import annotations

import base64
import binascii
import dataclasses
import re

from . import powershell

CMD_MAX = 8191
CREATE_PROCESS_MAX = 32767
_PROGRAMS = ("powershell", "hostname", "whoami", "gpupdate", "cmd")


@dataclasses.dataclass
class Context:
    """What a command sees: the host, the authenticated user, its stdin and the shell's code page."""
    host: object
    user: str
    stdin: bytes = b""
    codepage: int = 437


class LaunchFault(Exception):
    """WinRS could not start the process: the client gets a WS-Management fault with this Win32 error."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def split_args(line: str) -> list[str]:
    """Arguments as CommandLineToArgvW splits them: whitespace separates, double quotes group."""
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in re.finditer(r'"([^"]*)"|(\S+)', line)]


def _program(token: str) -> str | None:
    name = token.replace("/", "\\").rsplit("\\", maxsplit=1)[-1].lower()
    name = name[:-4] if name.endswith(".exe") else name
    return name if name in _PROGRAMS else None


def check_launch(command: str, args: list[str], skip_cmd_shell: bool) -> None:
    """What fails the Command request itself: without cmd.exe, CreateProcess's length limit and a missing program."""
    if not skip_cmd_shell:
        return  # cmd.exe always starts; it reports its own errors on stderr
    line = " ".join([command, *args]).strip()
    if len(line) > CREATE_PROCESS_MAX:
        raise LaunchFault(206, "The filename or extension is too long.")
    tokens = split_args(line)
    program = _program(tokens[0]) if tokens else None
    if program is None:
        raise LaunchFault(2, "The system cannot find the file specified.")


def run(command: str, args: list[str], skip_cmd_shell: bool, ctx: Context) -> powershell.Outcome:
    """Run a WinRS command that check_launch accepted."""
    line = " ".join([command, *args]).strip()
    if skip_cmd_shell:
        tokens = split_args(line)
        return _start(_program(tokens[0]), tokens[1:], ctx)
    if len(line) > CMD_MAX:
        return powershell.Outcome(stderr=b"The command line is too long.\r\n", exit_code=1, operation="too_long", kind="cmd",
                                  script=_encoded_script(line))
    return cmd_line(line, ctx)


def _encoded_script(line: str) -> str | None:
    """The -EncodedCommand script of a command line, for the log only."""
    match = re.search(r"\s[-/]e[a-z]*\s+([A-Za-z0-9+/=]+)", line, re.IGNORECASE)
    try:
        return base64.b64decode(match.group(1), validate=True).decode("utf-16-le") if match else None
    except (binascii.Error, UnicodeDecodeError):
        return None


def cmd_line(line: str, ctx: Context) -> powershell.Outcome:
    """`cmd.exe /c line`: its few built-ins, %VAR% expansion, or a program."""
    line = re.sub(r"%(\w+)%", lambda m: powershell.environment(ctx).get(m.group(1).upper(), m.group(0)), line)
    tokens = split_args(line)
    if not tokens:
        return powershell.Outcome(kind="cmd", operation="empty")
    if tokens[0].lower() == "echo":
        return powershell.Outcome(stdout=line.strip()[5:] + "\r\n", kind="cmd", operation="echo")
    program = _program(tokens[0])
    if program is None:
        message = f"'{tokens[0]}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"
        return powershell.Outcome(stderr=message.encode(), exit_code=1, kind="cmd", operation="unknown")
    return _start(program, tokens[1:], ctx)


def _start(program: str, args: list[str], ctx: Context) -> powershell.Outcome:
    if program == "powershell":
        return _powershell_exe(args, ctx)
    if program == "cmd":
        rest = args[1:] if args and args[0].lower() in ("/c", "/k") else args
        return cmd_line(" ".join(rest), ctx)
    outcome = powershell.native(program, args, ctx)
    outcome.kind = "cmd"
    return outcome


_PARAMS = {  # powershell.exe 5.1 parameters (any unambiguous prefix is accepted) -> takes a value
    "command": True, "encodedcommand": True, "executionpolicy": True, "file": True, "inputformat": True,
    "outputformat": True, "windowstyle": True, "version": True, "configurationname": True,
    "noprofile": False, "noninteractive": False, "nologo": False, "noexit": False, "sta": False, "mta": False,
}
_ALIASES = {"e": "encodedcommand", "ec": "encodedcommand", "enc": "encodedcommand", "c": "command",
            "ep": "executionpolicy", "ex": "executionpolicy", "f": "file", "nop": "noprofile", "noni": "noninteractive",
            "if": "inputformat", "of": "outputformat", "w": "windowstyle", "v": "version"}


def _param(token: str) -> str | None:
    if not token.startswith(("-", "/")) or len(token) < 2:
        return None
    name = token[1:].lower()
    if name in _ALIASES:
        return _ALIASES[name]
    matches = [p for p in _PARAMS if p.startswith(name)]
    return matches[0] if len(matches) == 1 else None


def _powershell_exe(args: list[str], ctx: Context) -> powershell.Outcome:
    """powershell.exe: find the script (-EncodedCommand, -Command, -Command - or stdin) and run it."""
    options: dict[str, str | bool] = {}
    index = 0
    while index < len(args):
        name = _param(args[index])
        if name is None:
            options["command"] = " ".join(args[index:])  # the first non-parameter starts the command
            break
        if name == "command":
            options["command"] = " ".join(args[index + 1:])
            break
        if _PARAMS[name]:
            if index + 1 >= len(args):
                return _usage(f"Missing argument for parameter -{name}.")
            options[name] = args[index + 1]
            index += 2
        else:
            options[name] = True
            index += 1
    if "file" in options:
        return _usage("The fake host has no files: -File is not supported.")
    xml_errors = "encodedcommand" in options or str(options.get("outputformat", "")).lower() == "xml"
    if "encodedcommand" in options:
        try:
            script = base64.b64decode(str(options["encodedcommand"]), validate=True).decode("utf-16-le")
        except (binascii.Error, UnicodeDecodeError):
            return _usage("Cannot process the command because the value specified with -EncodedCommand is not properly "
                          "encoded. The value must be Base64 encoded.")
    elif options.get("command", "-") == "-":
        script = decode_stdin(ctx)  # `-Command -`, or no command at all with stdin redirected: the script is stdin
        ctx = dataclasses.replace(ctx, stdin=b"")
    else:
        script = str(options["command"])
    return powershell.run_script(script, ctx, xml_errors=xml_errors)


def decode_stdin(ctx: Context) -> str:
    """stdin as the process reads it: in the shell's code page (Ansible opens shells with 65001, pywinrm with 437)."""
    encoding = "utf-8" if ctx.codepage == 65001 else f"cp{ctx.codepage}"
    try:
        text = ctx.stdin.decode(encoding, errors="replace")
    except LookupError:
        text = ctx.stdin.decode("cp437", errors="replace")
    return text.lstrip("\ufeff")


def _usage(message: str) -> powershell.Outcome:
    return powershell.Outcome(stderr=(message + "\r\n").encode(), exit_code=1, operation="usage_error", kind="powershell")

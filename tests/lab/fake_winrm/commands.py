# -*- coding: utf-8 -*-
"""What a command does on the fake host: decode it like powershell.exe would receive it, run the
few commands the fake knows, and fail like PowerShell on anything else (never a silent success)."""
from __future__ import annotations

import base64
import re
from xml.sax.saxutils import escape

from . import user_rights

# Lines Ansible's PowerShell shell plugin and pywinrm wrap around a command.
_WRAPPER = re.compile(r"^(Set-StrictMode -Version Latest|If \(-not \$\?\) .*|\$ProgressPreference = .*)$", re.IGNORECASE)
_ECHO = re.compile(r"^(?:Write-Output|echo)\s+(?:'([^']*)'|\"([^\"]*)\"|(\S+))$", re.IGNORECASE)


class Outcome:
    def __init__(self, stdout: str = "", stderr: bytes = b"", exit_code: int = 0, operation: str = ""):
        self.stdout, self.stderr, self.exit_code, self.operation = stdout, stderr, exit_code, operation


def decode_command_line(parts: list[str]) -> tuple[str, str]:
    """('powershell', script) for -EncodedCommand invocations, else ('cmd', command line)."""
    tokens = " ".join(parts).split()
    lowered = [t.lower() for t in tokens]
    if "-encodedcommand" in lowered:
        index = lowered.index("-encodedcommand")
        if index + 1 < len(tokens):
            return "powershell", base64.b64decode(tokens[index + 1]).decode("utf-16-le")
    return "cmd", " ".join(tokens)


def clixml_error(message: str) -> bytes:
    """stderr as Windows PowerShell writes it when its streams are redirected."""
    lines = "".join(f'<S S="Error">{escape(line)}_x000D__x000A_</S>' for line in message.splitlines())
    return ('#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'
            f"{lines}</Objs>").encode()


def not_recognized(name: str) -> Outcome:
    message = (f"{name} : The term '{name}' is not recognized as the name of a cmdlet, function, script file, or "
               "operable program. Check the spelling of the name, or if a path was included, verify that the path "
               "is correct and try again.\n"
               f"    + CategoryInfo          : ObjectNotFound: ({name}:String) [], CommandNotFoundException\n"
               "    + FullyQualifiedErrorId : CommandNotFoundException")
    return Outcome(stderr=clixml_error(message), exit_code=1, operation="unknown")


def run(parts: list[str], host) -> Outcome:
    kind, text = decode_command_line(parts)
    if kind == "powershell" and user_rights.MARKER in text:
        stdout, exit_code = user_rights.handle(text, host)
        return Outcome(stdout=stdout + "\r\n", exit_code=exit_code, operation="user_rights")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not _WRAPPER.match(ln.strip())]
    if len(lines) != 1:
        return not_recognized(lines[0].split()[0] if lines else "(empty)")
    return _simple(lines[0], host)


def _simple(command: str, host) -> Outcome:
    lowered = command.lower()
    if lowered in ("hostname", "hostname.exe", "$env:computername"):
        name = host.state["computer_name"]
        return Outcome(stdout=(name.upper() if "$env" in lowered else name) + "\r\n", operation="hostname")
    if lowered in ("whoami", "whoami.exe"):
        return Outcome(stdout=f"{host.state['netbios'].lower()}\\{host.user.split('@')[0].lower()}\r\n", operation="whoami")
    echo = _ECHO.match(command)
    if echo:
        return Outcome(stdout=next(g for g in echo.groups() if g is not None) + "\r\n", operation="echo")
    return not_recognized(command.split()[0])

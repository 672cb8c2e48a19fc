# -*- coding: utf-8 -*-
"""The little PowerShell the fake host understands, and how it fails on everything else.

Known: the user-rights contract script (by its marker), a script that runs what it reads from stdin,
and statements made of `hostname`, `whoami`, `gpupdate`, `$env:NAME`, `echo`/`Write-Output`/`Write-Host`
or a quoted literal, `& cmd`, `exit [n|$LASTEXITCODE]`, plus the preamble lines pywinrm and Ansible add.
Stricter than PowerShell on purpose: the first statement it does not know ends the script with the
CommandNotFoundException PowerShell prints and exit code 1, so nothing unknown ever "succeeds".
"""
from __future__ import annotations

import dataclasses
import json
import re
from xml.sax.saxutils import escape

from . import user_rights

_NOISE = re.compile(r"^(Set-StrictMode\b.*|\$\w*Preference\s*=.*|If \(-not \$\?\) .*|#.*)$", re.IGNORECASE)
_STDIN_READERS = ("[console]::in.readtoend()", "$input")
_LITERAL = r"'(?:[^']|'')*'|\"[^\"]*\"|[^\s'\"]+"
_PROGRESS = ('<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T>'
             '<T>System.Object</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV>'
             '<AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>')


@dataclasses.dataclass
class Outcome:
    stdout: str = ""
    stderr: bytes = b""
    exit_code: int = 0
    operation: str = ""
    kind: str = "powershell"
    script: str | None = None
    request: dict | None = None


def clixml(error_lines: list[str], progress: bool = False) -> bytes:
    """stderr as Windows PowerShell writes it for -EncodedCommand: a CLIXML document (Ansible and pywinrm parse it)."""
    objs = _PROGRESS if progress else ""
    objs += "".join(f'<S S="Error">{escape(line)}_x000D__x000A_</S>' for line in error_lines)
    return f'#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">{objs}</Objs>'.encode()


def not_recognized(name: str, line_no: int, line: str, column: int, note: str = "") -> list[str]:
    """The error record PowerShell 5.1 prints for an unknown command (plus a note from the fake, if any)."""
    return ([f"fake_winrm: {note}"] if note else []) + [
        f"{name} : The term '{name}' is not recognized as the name of a cmdlet, function, script file, or operable "
        "program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
        f"At line:{line_no} char:{column + 1}",
        f"+ {line}",
        "+ " + " " * column + "~" * max(len(name), 1),
        f"    + CategoryInfo          : ObjectNotFound: ({name}:String) [], CommandNotFoundException",
        "    + FullyQualifiedErrorId : CommandNotFoundException",
        " ",
    ]


def environment(ctx) -> dict:
    state = ctx.host.state
    return {"COMPUTERNAME": state["computer_name"], "USERNAME": _sam(ctx.user), "USERDOMAIN": state["netbios"],
            "USERDNSDOMAIN": state["domain"].upper(), "LOGONSERVER": "\\\\" + state["computer_name"],
            "OS": "Windows_NT", "SYSTEMROOT": "C:\\Windows", "PROCESSOR_ARCHITECTURE": "AMD64"}


def _sam(user: str) -> str:
    return user.rsplit("\\", maxsplit=1)[-1].split("@")[0]


def native(program: str, args: list[str], ctx) -> Outcome:
    """hostname.exe, whoami.exe, gpupdate.exe."""
    state = ctx.host.state
    if program == "hostname" and not args:
        return Outcome(stdout=state["computer_name"] + "\r\n", operation="hostname")
    if program == "whoami" and not args:
        return Outcome(stdout=f"{state['netbios'].lower()}\\{_sam(ctx.user).lower()}\r\n", operation="whoami")
    if program == "gpupdate" and all(a.lower() in ("/force", "/target:computer", "/wait:0") for a in args):
        user_rights.apply_group_policy(ctx.host)
        return Outcome(stdout="Updating policy...\r\n\r\nComputer Policy update has completed successfully.\r\n\r\n",
                       operation="gpupdate")
    usage = {"hostname": "sethostname: Use the Network Control Panel Applet to set hostname.\r\n",
             "whoami": f"ERROR: Invalid argument/option - '{args[0] if args else ''}'.\r\nType \"WHOAMI /?\" for usage.\r\n",
             "gpupdate": "The fake host's gpupdate knows /force and /target:computer only.\r\n"}[program]
    return Outcome(stderr=usage.encode(), exit_code=1, operation=program)


def statements(script: str):
    """(line number, line, column, statement) for each `;`- or newline-separated statement, quotes respected."""
    for line_no, line in enumerate(script.splitlines(), start=1):
        for match in re.finditer(r"(?:'(?:[^']|'')*'|\"[^\"]*\"|[^;'\"])+", line):
            text = match.group(0)
            if text.strip():
                yield line_no, line, match.start() + len(text) - len(text.lstrip()), text.strip()


def _unquote(token: str, env: dict) -> str:
    if token.startswith("'") and token.endswith("'") and len(token) > 1:
        return token[1:-1].replace("''", "'")
    if token.startswith('"') and token.endswith('"') and len(token) > 1:
        return re.sub(r"\$env:(\w+)", lambda m: env.get(m.group(1).upper(), ""), token[1:-1], flags=re.IGNORECASE)
    if token.lower().startswith("$env:"):
        return env.get(token[5:].upper(), "")
    return token


def run_script(script: str, ctx, xml_errors: bool) -> Outcome:
    """Run a script the way powershell.exe would, as far as the fake knows PowerShell."""
    if user_rights.is_user_rights_script(script):
        result, code = user_rights.handle(script, ctx.host)
        # Loading ConvertFrom-Json's module writes a progress record, as on a real host: clients must ignore it.
        return Outcome(stdout=json.dumps(result, separators=(",", ":")) + "\r\n", exit_code=code,
                       stderr=clixml([], progress=True) if xml_errors else b"", operation="user_rights",
                       script=script, request=user_rights.request_summary(script))
    if "$Request = @'" in script:
        message = ("fake_winrm: this script carries a $Request here-string but not the marker line "
                   f"'{user_rights.MARKER}{user_rights.VERSION}' (docs/contracts/user_rights.md): keep that line when "
                   "comments are stripped; the fake recognises the contract script by it and never runs PowerShell.")
        return Outcome(stderr=clixml([message]) if xml_errors else message.encode() + b"\r\n", exit_code=1,
                       operation="user_rights_unmarked", script=script)
    if any(reader in script.lower() for reader in _STDIN_READERS) and ctx.stdin:
        from .shell import decode_stdin  # pylint: disable=import-outside-toplevel  # shell imports this module
        inner = run_script(decode_stdin(ctx), dataclasses.replace(ctx, stdin=b""), xml_errors)
        inner.operation = "stdin:" + inner.operation
        return inner
    return _statements(script, ctx, xml_errors)


_NATIVE = ("hostname", "whoami", "gpupdate")
_ECHO = ("echo", "write-output", "write-host")
_SYNTAX_NOTE = "pipelines, redirection and expressions are not emulated"


def _statements(script: str, ctx, xml_errors: bool) -> Outcome:
    env = environment(ctx)
    out, operations = [], []
    for line_no, line, column, statement in statements(script):
        if _NOISE.match(statement):
            continue
        exit_match = re.fullmatch(r"exit(?:\s+(-?\d+|\$LASTEXITCODE))?", statement, re.IGNORECASE)
        if exit_match:  # every native command that ran succeeded, so $LASTEXITCODE is 0
            code = exit_match.group(1)
            code = 0 if code is None or code.lower() == "$lastexitcode" else int(code)
            return Outcome(stdout="".join(out), exit_code=code, operation=",".join(operations) or "exit", script=script)
        tokens = re.findall(_LITERAL, statement[1:].strip() if statement.startswith("&") else statement)
        name = _unquote(tokens[0], env) if statement.startswith("&") else tokens[0]
        program = name.lower().removesuffix(".exe")
        literal = len(tokens) == 1 and (tokens[0][0] in "'\"" or tokens[0].lower().startswith("$env:"))
        if program not in _NATIVE + _ECHO and not literal:
            lines = not_recognized(name, line_no, line, column)
            return Outcome(stdout="".join(out), stderr=_stderr(lines, xml_errors), exit_code=1, operation="unknown", script=script)
        syntax = next((t for t in tokens[1:] if t[0] in "|<>(){}@,=" or (t[0] == "$" and not t.lower().startswith("$env:"))), None)
        if syntax:
            lines = not_recognized(syntax, line_no, line, line.find(syntax, column), note=_SYNTAX_NOTE)
            return Outcome(stdout="".join(out), stderr=_stderr(lines, xml_errors), exit_code=1, operation="unknown", script=script)
        result = _known(program, tokens, env, ctx)
        if result.exit_code:
            return _failed(result, out, operations, xml_errors, script)
        out.append(result.stdout)
        operations.append(result.operation)
    return Outcome(stdout="".join(out), operation=",".join(operations) or "empty", script=script)


def _known(program: str, tokens: list[str], env: dict, ctx) -> Outcome:
    """A statement the fake knows: a native program, an echo, or a bare literal / $env: value."""
    if program in _NATIVE:
        return native(program, [_unquote(t, env) for t in tokens[1:]], ctx)
    if program in _ECHO:
        return Outcome(stdout="".join(_unquote(t, env) + "\r\n" for t in tokens[1:]), operation="echo")
    value = _unquote(tokens[0], env)
    quoted = tokens[0][0] in "'\""
    return Outcome(stdout=value + "\r\n" if value or quoted else "", operation="echo" if quoted else "env")


def _stderr(lines: list[str], xml_errors: bool) -> bytes:
    return clixml(lines) if xml_errors else ("\r\n".join(lines) + "\r\n").encode()


def _failed(result: Outcome, out: list, operations: list, xml_errors: bool, script: str) -> Outcome:
    """A native program that failed: PowerShell passes its stderr through (as CLIXML with -EncodedCommand)."""
    lines = result.stderr.decode(errors="replace").rstrip("\r\n").split("\r\n")
    return Outcome(stdout="".join(out), stderr=_stderr(lines, xml_errors), exit_code=result.exit_code,
                   operation=",".join(operations + [result.operation]), script=script)

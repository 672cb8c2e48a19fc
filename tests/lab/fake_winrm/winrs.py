# -*- coding: utf-8 -*-
"""The WinRS plugin of the fake host: shells and their commands, one WS-Management operation at a time.

A command runs at its first Receive (by then the client has sent all of its stdin); its outcome is
kept for further Receives and written once to the host's command log.
"""
from __future__ import annotations

import uuid

from . import shell, soap

MAX_SHELLS_PER_USER = 30  # WinRM's default MaxShellsPerUser: a client that leaks shells fails here as on Windows


class WinRS:
    def __init__(self, host):
        self.host = host

    def handle(self, req: soap.Request, user: str, client_ip: str, address: str, auth: str = "basic") -> tuple[int, bytes]:
        """(HTTP status, SOAP reply) for one request authenticated as `user` by `auth` (basic, ntlm, ntlm-encrypted)."""
        machine = self.host.config["fqdn"]
        if req.action == "unknown":
            return 500, soap.fault(req.message_id, soap.ACTION_NOT_SUPPORTED,
                                   "The WS-Management service does not support the action specified in the request.", machine)
        if req.action == "create":
            return self._create(req, user, client_ip, address)
        with self.host.lock:
            shell_ = self.host.shells.get(req.shell_id or "")
        if shell_ is None:
            return 500, soap.fault(req.message_id, soap.INVALID_SELECTORS, (
                f"The request for the Windows Remote Shell with ShellId {req.shell_id} failed because the shell was not "
                "found on the server. Possible causes are: the specified ShellId is incorrect or the shell no longer exists "
                "on the server. Provide the correct ShellId or create a new shell and retry the operation."), machine)
        if req.action == "delete":
            with self.host.lock:
                self.host.shells.pop(req.shell_id, None)
            return 200, soap.simple_response(req)
        if req.action == "command":
            return self._command(req, shell_, user, auth)
        command = shell_["commands"].get(req.command_id() or "")
        if command is None:
            return 500, soap.fault(req.message_id, soap.INVALID_SELECTORS,
                                   f"The WS-Management service cannot find the command {req.command_id()} in shell {req.shell_id}.",
                                   machine)
        if req.action == "send":
            data, _end = req.stdin()
            command["stdin"] += data
            return 200, soap.simple_response(req)
        if req.action == "signal":
            shell_["commands"].pop(req.command_id(), None)
            return 200, soap.simple_response(req)
        return 200, self._receive(req, shell_, command, user, auth)

    def _create(self, req: soap.Request, user: str, client_ip: str, address: str) -> tuple[int, bytes]:
        with self.host.lock:
            owned = sum(1 for s in self.host.shells.values() if s["owner"].lower() == user.lower())
            if owned >= MAX_SHELLS_PER_USER:
                return 500, soap.fault(req.message_id, soap.QUOTA_SHELLS, (
                    f"The WS-Management service cannot process the request. This user is allowed a maximum number of "
                    f"{MAX_SHELLS_PER_USER} concurrent shells, which has been exceeded. Close existing shells or raise the "
                    "quota for this user."), self.host.config["fqdn"])
            shell_id = str(uuid.uuid4()).upper()
            codepage = int(req.option("WINRS_CODEPAGE", "437") or 437)
            self.host.shells[shell_id] = {"owner": user, "codepage": codepage, "env": req.environment(), "commands": {}}
        return 200, soap.create_response(req, shell_id, address, user, client_ip, codepage)

    def _command(self, req: soap.Request, shell_: dict, user: str, auth: str) -> tuple[int, bytes]:
        command, args = req.command_line()
        skip_cmd_shell = req.option("WINRS_SKIP_CMD_SHELL", "FALSE").upper() == "TRUE"
        try:
            shell.check_launch(command, args, skip_cmd_shell)
        except shell.LaunchFault as exc:
            self.host.log({"user": user, "auth": auth, "shell_id": req.shell_id, "command": _abridged(command, args),
                           "operation": "launch_failed", "exit_code": None, "error": exc.message})
            return 500, soap.fault(req.message_id, ("s:Receiver", "w:InternalError", exc.code), exc.message,
                                   self.host.config["fqdn"])
        command_id = str(uuid.uuid4()).upper()
        shell_["commands"][command_id] = {"command": command, "args": args, "skip_cmd_shell": skip_cmd_shell,
                                          "stdin": b"", "result": None}
        return 200, soap.command_response(req, command_id)

    def _receive(self, req: soap.Request, shell_: dict, command: dict, user: str, auth: str) -> bytes:
        if command["result"] is None:
            self.host.reload_state()  # tests may have edited state.json since the last command
            ctx = shell.Context(host=self.host, user=user, stdin=command["stdin"], codepage=shell_["codepage"])
            outcome = shell.run(command["command"], command["args"], command["skip_cmd_shell"], ctx)
            command["result"] = outcome
            self.host.log({"user": user, "auth": auth, "shell_id": req.shell_id, "command_id": req.command_id(),
                           "command": _abridged(command["command"], command["args"]), "kind": outcome.kind,
                           "operation": outcome.operation, "exit_code": outcome.exit_code, "script": outcome.script,
                           "request": outcome.request, "stdin_bytes": len(command["stdin"])})
        outcome = command["result"]
        encoding = "utf-8" if shell_["codepage"] == 65001 else f"cp{shell_['codepage']}"
        try:
            stdout = outcome.stdout.encode(encoding, errors="replace")  # the console code page, as on Windows
        except LookupError:
            stdout = outcome.stdout.encode("cp437", errors="replace")
        return soap.receive_response(req, req.command_id(), stdout, outcome.stderr, outcome.exit_code)


def _abridged(command: str, args: list[str]) -> str:
    """The command line for the log: -EncodedCommand payloads are logged decoded, under `script`."""
    line = " ".join([command, *args])
    return line if len(line) <= 200 else f"{line[:200]}... ({len(line)} characters)"

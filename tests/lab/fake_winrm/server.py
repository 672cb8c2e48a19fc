# -*- coding: utf-8 -*-
"""A fake Windows domain controller that speaks real WinRM (WS-Management over HTTP and HTTPS).

One process per host, with its own address, state (state.json), command log (commands.jsonl) and
faults (faults.json, re-read on every request; `refuse` really closes the listeners).
Not emulated: NTLM/Kerberos/CredSSP (basic auth only — a real DC refuses basic for domain
accounts), message encryption, PowerShell itself (only the commands in commands.py), module
execution (no exec wrapper), file transfer, quotas and operation timeouts beyond `delay_seconds`.
"""
from __future__ import annotations

import argparse
import base64
import json
import ssl
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import commands, soap
from .user_rights import Directory

DC_DEFAULT_RIGHTS = {
    # What a fresh Windows Server DC holds locally (abridged to rights the tests touch).
    "SeServiceLogonRight": ["S-1-5-80-0", "S-1-5-20"],
    "SeNetworkLogonRight": ["S-1-1-0", "S-1-5-32-544", "S-1-5-11", "S-1-5-9", "S-1-5-32-554"],
    "SeBatchLogonRight": ["S-1-5-32-544", "S-1-5-32-551"],
    "SeInteractiveLogonRight": ["S-1-5-32-544", "S-1-5-32-548", "S-1-5-32-549", "S-1-5-32-550", "S-1-5-32-551"],
    "SeDenyServiceLogonRight": [],
}


class Host:
    """The emulated Windows host: persistent state, command log, faults, shells."""

    def __init__(self, config: dict):
        self.config = config
        self.dir = Path(config["state_dir"])
        self.dir.mkdir(parents=True, exist_ok=True)
        self.state_path = self.dir / "state.json"
        self.log_path = self.dir / "commands.jsonl"
        self.faults_path = self.dir / "faults.json"
        self.user, self.password = config["user"], config["password"]
        self.lock = threading.RLock()
        self.shells: dict[str, dict] = {}
        self.directory = Directory(config.get("directory"))
        if self.state_path.exists():
            self.state = json.loads(self.state_path.read_text())
        else:
            self.state = {"computer_name": config["name"].upper(), "fqdn": config["fqdn"], "netbios": config["netbios"],
                          "rights": {k: list(v) for k, v in DC_DEFAULT_RIGHTS.items()}, "gpo_rights": {}}
            self.save()

    def save(self) -> None:
        with self.lock:
            tmp = self.state_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.state, indent=2, sort_keys=True))
            tmp.replace(self.state_path)

    def reload_state(self) -> None:
        """Tests may edit state.json (e.g. to define a right by GPO) between commands."""
        with self.lock:
            self.state = json.loads(self.state_path.read_text())

    def faults(self) -> dict:
        try:
            return json.loads(self.faults_path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def log(self, entry: dict) -> None:
        with self.lock, open(self.log_path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"time": time.time(), **entry}) + "\n")


class Handler(BaseHTTPRequestHandler):
    server_version = "Microsoft-HTTPAPI/2.0"
    protocol_version = "HTTP/1.1"
    host: Host  # set on the subclass per listener

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass  # the command log is what tests read

    def _reply(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if body:
            self.send_header("Content-Type", "application/soap+xml;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self, faults: dict) -> bool:
        header = self.headers.get("Authorization", "")
        if faults.get("auth_fail") or not header.startswith("Basic "):
            return False
        user, _sep, password = base64.b64decode(header[6:]).decode("utf-8", "replace").partition(":")
        return user.lower() in self.host.config["accepted_users"] and password == self.host.password

    def do_POST(self):  # pylint: disable=invalid-name
        body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        faults = self.host.faults()
        if faults.get("delay_seconds"):
            time.sleep(float(faults["delay_seconds"]))
        if self.path.lower() != "/wsman":
            self._reply(404)
            return
        if not self._authorised(faults):
            self._reply(401, headers={"WWW-Authenticate": 'Basic realm="WSMAN"'})
            return
        try:
            req = soap.Request(body)
        except Exception:  # pylint: disable=broad-exception-caught  # malformed XML is the client's fault
            self._reply(400)
            return
        if faults.get("http_500"):
            self._reply(500, soap.fault(req.message_id, "InternalError", "The WS-Management service cannot process the request."))
            return
        self._reply(*self._dispatch(req))

    def _dispatch(self, req: soap.Request) -> tuple[int, bytes]:
        host = self.host
        if req.action == "create":
            shell_id = str(uuid.uuid4()).upper()
            host.shells[shell_id] = {}
            return 200, soap.create_response(req, shell_id)
        if req.shell_id not in host.shells:
            return 500, soap.fault(req.message_id, "InvalidSelectors", "The request for the Windows Remote Shell with ShellId "
                                   f"{req.shell_id} failed because the shell was not found on the server.", 2150858843)
        commands_ = host.shells[req.shell_id]
        if req.action == "command":
            command_id = str(uuid.uuid4()).upper()
            commands_[command_id] = {"line": req.command_line(), "stdin": b"", "result": None}
            return 200, soap.command_response(req, command_id)
        if req.action == "send":
            data = req.stdin()[0]
            commands_.setdefault(req.command_id(), {"line": [], "stdin": b"", "result": None})["stdin"] += data
            return 200, soap.simple_response(req, "send")
        if req.action == "receive":
            return 200, self._receive(req, commands_)
        if req.action == "signal":
            commands_.pop(req.command_id(), None)
            return 200, soap.simple_response(req, "signal")
        if req.action == "delete":
            host.shells.pop(req.shell_id, None)
            return 200, soap.simple_response(req, "delete")
        return 500, soap.fault(req.message_id, "ActionNotSupported", f"The action {req.action_uri} is not supported.", 2150858772)

    def _receive(self, req: soap.Request, commands_: dict) -> bytes:
        command_id = req.command_id()
        command = commands_.get(command_id)
        if command is None:
            return soap.fault(req.message_id, "InvalidParameter", f"Unknown command {command_id}.")
        if command["result"] is None:
            self.host.reload_state()
            outcome = commands.run(command["line"], self.host)
            command["result"] = outcome
            kind, text = commands.decode_command_line(command["line"])
            self.host.log({"kind": kind, "script": text, "operation": outcome.operation, "exit_code": outcome.exit_code})
        outcome = command["result"]
        return soap.receive_response(req, command_id, outcome.stdout.encode("utf-8"), outcome.stderr, outcome.exit_code)


class Listeners:
    """HTTP and HTTPS listeners that can be closed (connection refused) and reopened."""

    def __init__(self, host: Host, config: dict):
        self.host, self.config = host, config
        self.servers: list[ThreadingHTTPServer] = []

    def open(self) -> None:
        handler = type("BoundHandler", (Handler,), {"host": self.host})
        http = ThreadingHTTPServer((self.config["ip"], self.config["http_port"]), handler)
        https = ThreadingHTTPServer((self.config["ip"], self.config["https_port"]), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.config["cert"], self.config["key"])
        https.socket = context.wrap_socket(https.socket, server_side=True)
        self.servers = [http, https]
        for server in self.servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
        self.servers = []


def main() -> None:
    parser = argparse.ArgumentParser(description="fake WinRM domain controller")
    parser.add_argument("config", help="JSON file describing this host")
    config = json.loads(Path(parser.parse_args().config).read_text())
    host = Host(config)
    listeners = Listeners(host, config)
    listeners.open()
    (host.dir / "ready").write_text("1")
    while True:  # the fault switch `refuse` closes and reopens the listeners
        refuse = bool(host.faults().get("refuse"))
        if refuse and listeners.servers:
            listeners.close()
        elif not refuse and not listeners.servers:
            listeners.open()
        time.sleep(0.2)

# -*- coding: utf-8 -*-
"""The HTTP side of a fake host: `POST /wsman` over HTTP and HTTPS, Basic and NTLM authentication (with
message encryption, ntlm.py), fault switches.

`python -m fake_winrm CONFIG.json` runs one host until killed. SIGHUP restarts it in place (same PID,
state re-read from disk, open shells lost) so tests can check what survives a restart.
"""
from __future__ import annotations

import argparse
import base64
import binascii
import hmac
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import ntlm, soap
from .host import Host
from .winrs import WinRS

FAULT_POLL_SECONDS = 0.1
MAX_ENVELOPE_BYTES = 512000  # WinRM's default MaxEnvelopeSizekb (500)


class Handler(BaseHTTPRequestHandler):
    server_version = "Microsoft-HTTPAPI/2.0"
    protocol_version = "HTTP/1.1"  # keep-alive, as pywinrm's requests session expects
    timeout = 120  # HTTP.sys idle connection timeout
    server: "Listener"

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin  # the base class's signature
        sys.stderr.write(f"{self.server.scheme} {self.client_address[0]} {format % args}\n")

    def _reply(self, status: int, body: bytes = b"", headers: list[tuple[str, str]] | None = None,
               content_type: str = "application/soap+xml;charset=UTF-8") -> None:
        self.send_response(status)
        for key, value in headers or []:
            self.send_header(key, value)
        if body:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def setup(self):
        super().setup()
        self.ntlm = ntlm.Acceptor(self.server.bindings)  # NTLM authenticates this connection

    def _challenges(self) -> list[tuple[str, str]]:
        return [("WWW-Authenticate", "Negotiate"), ("WWW-Authenticate", 'Basic realm="WSMAN"')]

    def _authenticate(self, faults: dict) -> tuple[str | None, str, list[tuple[str, str]]]:
        """(user or None, scheme, headers of a 401 reply) for this request's credentials."""
        header = self.headers.get("Authorization", "")
        scheme, _sep, value = header.partition(" ")
        if faults.get("auth_fail"):
            self.ntlm = ntlm.Acceptor(self.server.bindings)
            return None, "", self._challenges()
        if scheme.lower() in ("negotiate", "ntlm"):
            try:
                token = self.ntlm.step(base64.b64decode(value.strip(), validate=True))
            except (binascii.Error, ntlm.NtlmError) as exc:
                self.log_message("NTLM authentication failed: %s", exc)
                return None, "ntlm", self._challenges()
            if self.ntlm.user is None:  # the challenge: the client answers on this same connection
                return None, "ntlm", [("WWW-Authenticate", f"{scheme} {base64.b64encode(token or b'').decode()}")]
            return self.ntlm.user, "ntlm", []
        if not header and self.ntlm.user:
            return self.ntlm.user, "ntlm", []  # a connection NTLM authenticated earlier
        if scheme.lower() != "basic":
            return None, "", self._challenges()
        try:
            user, _sep, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None, "basic", self._challenges()
        config = self.server.host.config
        if user.lower() in config["accepted_users"] and hmac.compare_digest(password.encode(), config["password"].encode()):
            return user, "basic", []
        return None, "basic", self._challenges()

    def do_GET(self):  # pylint: disable=invalid-name  # http.server's naming
        self._reply(405 if self.path.lower().startswith("/wsman") else 404, headers=[("Allow", "POST")])

    def do_POST(self):  # pylint: disable=invalid-name  # http.server's naming
        host = self.server.host
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length <= MAX_ENVELOPE_BYTES else b""
        self.close_connection = self.close_connection or length > MAX_ENVELOPE_BYTES  # its body stays unread
        faults = host.faults()
        if faults.get("refuse"):
            self.close_connection = True  # the watcher closes the listener; this connection dies without a reply
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if faults.get("delay_seconds"):
            time.sleep(float(faults["delay_seconds"]))
        if self.path.lower() != "/wsman":
            self._reply(404)
            return
        if faults.get("http_500"):
            self._reply(500, soap.fault(None, soap.INTERNAL_ERROR, "The WS-Management service cannot process the request "
                                        "because an internal error occurred.", host.config["fqdn"]))
            return
        user, scheme, challenge = self._authenticate(faults)
        if user is None:
            self._reply(401, headers=challenge)
            return
        if length > MAX_ENVELOPE_BYTES:
            self._reply(400)
            return
        if not body:
            self._reply(200)  # pywinrm authenticates an encrypting NTLM session with an empty POST first
            return
        encrypted = self.headers.get("Content-Type", "").lower().startswith("multipart/encrypted")
        if not encrypted and not self.headers.get("Content-Type", "").lower().startswith("application/soap+xml"):
            self._reply(415)
            return
        try:
            req = soap.Request(self.ntlm.decrypt(body) if encrypted else body)
        except ntlm.NtlmError as exc:
            self.log_message("encrypted message refused: %s", exc)
            self._reply(400)
            return
        except (ValueError, SyntaxError):  # ET.ParseError is a SyntaxError
            self._reply(400)
            return
        address = f"{self.server.scheme}://{host.config['fqdn']}:{self.server.server_address[1]}/wsman"
        auth = f"{scheme}-encrypted" if encrypted else scheme
        status, reply = self.server.winrs.handle(req, user, self.client_address[0], address, auth)
        if encrypted:  # the reply goes back sealed with the same NTLM session
            self._reply(status, self.ntlm.encrypt(reply), content_type=ntlm.CONTENT_TYPE)
        else:
            self._reply(status, reply)


class Listener(ThreadingHTTPServer):
    """An HTTP(S) listener that does TLS in the connection's thread and can drop every open connection."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], host: Host, winrs: WinRS, context: ssl.SSLContext | None):
        super().__init__(address, Handler)
        self.host, self.winrs, self.context = host, winrs, context
        self.bindings = ntlm.channel_bindings(host.config["cert"]) if context else None
        self.scheme = "https" if context else "http"
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def finish_request(self, request, client_address):
        conn = request
        try:
            if self.context:
                request.settimeout(30)
                conn = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            sys.stderr.write(f"{self.scheme} {client_address[0]} TLS handshake failed: {exc}\n")
            return
        with self.connections_lock:
            self.connections.add(conn)
        try:
            super().finish_request(conn, client_address)
        finally:
            with self.connections_lock:
                self.connections.discard(conn)
            if conn is not request:
                conn.close()

    def drop_connections(self) -> None:
        with self.connections_lock:
            for conn in list(self.connections):
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already gone


class Listeners:
    """The host's HTTP and HTTPS listeners; closing them makes connections refused, as a stopped service does."""

    def __init__(self, host: Host, config: dict):
        self.host, self.config, self.winrs = host, config, WinRS(host)
        self.servers: list[Listener] = []

    def open(self) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.config["cert"], self.config["key"])
        self.servers = [Listener((self.config["ip"], self.config["http_port"]), self.host, self.winrs, None),
                        Listener((self.config["ip"], self.config["https_port"]), self.host, self.winrs, context)]
        for server in self.servers:
            threading.Thread(target=server.serve_forever, name=f"{server.scheme}-listener", daemon=True).start()

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
            server.drop_connections()
        self.servers = []


def main() -> None:
    parser = argparse.ArgumentParser(description="a fake Windows domain controller that speaks WinRM")
    parser.add_argument("config", help="JSON file describing this host (written by fake_winrm_hosts.py)")
    config_path = parser.parse_args().config
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    host = Host(config)
    ntlm.write_user_file(host.dir / "ntlm_users", config["netbios"], config["domain_dns"], config["password"])
    listeners = Listeners(host, config)
    restart = threading.Event()
    signal.signal(signal.SIGHUP, lambda _signum, _frame: restart.set())
    # As PID 1 of a container a process has no default SIGTERM action: without this, `podman stop` waits for SIGKILL.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    first = True
    while not restart.is_set():  # watch the `refuse` switch: close and reopen the listeners
        refuse = bool(host.faults().get("refuse"))
        if refuse and listeners.servers:
            listeners.close()
        elif not refuse and not listeners.servers:
            listeners.open()
            sys.stderr.write(f"listening on {config['ip']}:{config['http_port']} (http) and :{config['https_port']} (https)\n")
        if first:  # booted (after a restart too): what fake_winrm_hosts.restart() waits for
            (host.dir / "ready").write_text(str(os.getpid()), encoding="utf-8")
            first = False
        restart.wait(FAULT_POLL_SECONDS)
    listeners.close()
    sys.stderr.write("restarting (SIGHUP)\n")
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "fake_winrm", config_path])  # nosec - restarts itself, same PID

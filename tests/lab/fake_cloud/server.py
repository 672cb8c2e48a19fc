# -*- coding: utf-8 -*-
"""The fake cloud's process: three HTTPS listeners on one loopback address (login 8443, Graph 8444,
portal 8445), each a ThreadingHTTPServer with the lab CA's certificate. Separate ports so a client that
mixes up its endpoints fails visibly. Every request goes: /_lab/ control API, else an armed fault,
else the service behind that port; then one line in the request log.

Not emulated: HTTP/2, TLS client certificates, SNI-based virtual hosts, proxies, keep-alive limits.
"""
from __future__ import annotations

import argparse
import json
import signal
import socket
import ssl
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import control, faults, graph, login, portal
from .reply import Reply
from .state import CloudState

MAX_BODY = 1 << 20


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "lab-fake-cloud"
    sys_version = ""
    timeout = 30  # idle keep-alive connections end, so threads do not pile up
    state: CloudState
    listener: str
    base: str

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Silence http.server's per-request stderr lines: the state keeps a secret-free log."""

    def do_GET(self):  # pylint: disable=invalid-name
        self._handle()

    def do_POST(self):  # pylint: disable=invalid-name
        self._handle()

    def do_PUT(self):  # pylint: disable=invalid-name
        self._handle()

    def do_PATCH(self):  # pylint: disable=invalid-name
        self._handle()

    def do_DELETE(self):  # pylint: disable=invalid-name
        self._handle()

    def _send(self, reply: Reply) -> None:
        payload = reply.encoded()
        self.send_response(reply.status)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        if reply.status != 204:
            self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length", "0") or "0"
        if not length.isdigit() or int(length) > MAX_BODY or "chunked" in self.headers.get("Transfer-Encoding", ""):
            return None
        return self.rfile.read(int(length))

    def _handle(self) -> None:
        path, _sep, query = self.path.partition("?")
        raw = self._read_body()
        if raw is None:
            self.close_connection = True
            self._send(Reply(413, {"error": "body too large, chunked, or without a valid Content-Length"}))
            return
        if path.startswith("/_lab/"):
            self._send(control.handle(self.state, self.command, path, raw, self.client_address[0]))
            return
        fault = self.state.faults.take(self.listener, self.command, path, query)
        reply = None
        if fault:
            time.sleep(fault.get("delay_seconds", 0))
            if fault.get("close"):
                self.state.log_request(self.listener, self.command, path, 0, True)
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault.get("status") is not None:
                reply = faults.reply_for(fault, self.listener)
        injected = reply is not None
        if reply is None:
            reply = self._route(path, query, raw)
        # Logged before answering, so a client that reads /_lab/requests next always finds it.
        self.state.log_request(self.listener, self.command, path, reply.status, injected)
        self._send(reply)

    def _route(self, path: str, query: str, raw: bytes) -> Reply:
        try:
            if self.listener == "login":
                return login.handle(self.state, self.base, self.command, path, query, self.headers, raw)
            if self.listener == "graph":
                return graph.handle(self.state, self.base, self.command, path, query, self.headers, raw)
            return portal.handle(self.state, self.base, self.command, path, self.headers, raw)
        except Exception:  # pylint: disable=broad-exception-caught  # a fake's bug must answer 500, not hang the client
            traceback.print_exc()
            return Reply(500, {"error": "internal error in the lab's fake cloud (see logs/cloud.log)"})


class TLSServer(ThreadingHTTPServer):
    """TLS handshakes happen in the request thread, so one slow client cannot block accept()."""

    daemon_threads = True
    context: ssl.SSLContext

    def finish_request(self, request, client_address):
        try:
            request = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # e.g. a client that does not trust the lab CA: nothing to answer
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, ssl.SSLError)):
            super().handle_error(request, client_address)


def serve(config: dict) -> list[TLSServer]:
    state = CloudState(config)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(config["cert"], config["key"])
    servers = []
    for listener, port in config["ports"].items():
        attrs = {"state": state, "listener": listener, "base": config["urls"][listener]}
        server = TLSServer((config["ip"], port), type(f"{listener.title()}Handler", (Handler,), attrs))
        server.context = context
        threading.Thread(target=server.serve_forever, name=f"fake-cloud-{listener}", daemon=True).start()
        servers.append(server)
    return servers


def main() -> None:
    parser = argparse.ArgumentParser(description="The lab's fake Microsoft cloud (start it with fake_cloud_service.start)")
    parser.add_argument("config", type=Path)
    config = json.loads(parser.parse_args().config.read_text())
    try:
        serve(config)
    except OSError as exc:
        print(f"fake cloud: cannot listen on {config['ip']} {sorted(config['ports'].values())}: {exc}", file=sys.stderr)
        sys.exit(2)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"fake cloud: serving on {config['ip']} ports {config['ports']}", file=sys.stderr, flush=True)
    threading.Event().wait()

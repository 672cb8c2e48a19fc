# -*- coding: utf-8 -*-
"""The fake Microsoft cloud's HTTPS listeners: login (8443), Graph (8444), portal (8445), each with
the control API under /_lab/ (faults, reset, state, request log). One process, lab CA certificate.

Faults (POST /_lab/faults): {"path": regex, "listener": "login"|"graph"|"portal" (optional),
"status": int, "retry_after": seconds, "count": n, "body": any, "delay_seconds": s,
"shape": "html"|"json"} — the next n matching requests get that reply instead of the real one.
"""
from __future__ import annotations

import argparse
import json
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import graph, login, portal
from .state import CloudState


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: CloudState
    listener: str
    base: str

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def _send(self, status: int, payload=None, headers: dict | None = None, raw: bytes | None = None, ctype="application/json") -> None:
        body = raw if raw is not None else (b"" if payload is None else json.dumps(payload).encode())
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.state.log(self.listener, self.command, self.path, status)

    def _body(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        return raw

    def do_GET(self):  # pylint: disable=invalid-name
        self._handle(b"")

    def do_POST(self):  # pylint: disable=invalid-name
        self._handle(self._body())

    def _handle(self, raw: bytes) -> None:
        path, _sep, query = self.path.partition("?")
        if path.startswith("/_lab/"):
            self._control(path, raw)
            return
        fault = self.state.take_fault(self.listener, path)
        if fault:
            self._fault(fault)
            return
        status, payload = self._route(path, query, raw)
        self._send(status, payload)

    def _fault(self, fault: dict) -> None:
        if fault.get("delay_seconds"):
            time.sleep(float(fault["delay_seconds"]))
        headers = {"Retry-After": str(fault["retry_after"])} if "retry_after" in fault else {}
        if fault.get("shape") == "html":
            self._send(fault.get("status", 200), raw=b"<html><body>Sign in to your account</body></html>", ctype="text/html", headers=headers)
        else:
            self._send(fault.get("status", 200), fault.get("body", {"error": {"code": "injected", "message": "fault injected by the lab"}}),
                       headers=headers)

    def _route(self, path: str, query: str, raw: bytes):
        if self.listener == "login":
            parts = path.strip("/").split("/")
            if path == "/msi/token":
                return login.managed_identity(self.state, query, self.headers)
            if len(parts) == 4 and parts[1:] == ["v2.0", ".well-known", "openid-configuration"]:
                return 200, login.discovery(self.base, parts[0])
            if len(parts) == 4 and parts[1:] == ["oauth2", "v2.0", "token"] and self.command == "POST":
                form = dict(urllib.parse.parse_qsl(raw.decode()))
                return login.token(self.state, self.base, parts[0], form)
            return 404, {"error": "not_found"}
        if self.listener == "graph":
            return graph.handle(self.state, self.base, path, query, self.headers)
        if not path.startswith(portal.BASE):
            return 404, {"error": {"code": "404", "message": "Not found"}}
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            return 400, {"error": {"code": "400", "message": "Body is not JSON"}}
        return portal.handle(self.state, self.command, path, body, self.headers)

    def _control(self, path: str, raw: bytes) -> None:
        state = self.state
        if path == "/_lab/faults" and self.command == "POST":
            with state.lock:
                state.faults.append(json.loads(raw))
            self._send(200, {"armed": len(state.faults)})
        elif path == "/_lab/reset" and self.command == "POST":
            state.reset(bool(json.loads(raw or b"{}").get("state", False)))
            self._send(200, {"reset": True})
        elif path == "/_lab/state":
            with state.lock:
                self._send(200, {**state.data, "issued_tokens": len(state.tokens), "armed_faults": len(state.faults)})
        elif path == "/_lab/requests":
            with state.lock:
                self._send(200, list(state.requests))
        else:
            self._send(404, {"error": "unknown control path"})


def main() -> None:
    parser = argparse.ArgumentParser(description="fake Microsoft cloud")
    parser.add_argument("config")
    config = json.loads(Path(parser.parse_args().config).read_text())
    state = CloudState(config)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(config["cert"], config["key"])
    for listener, port in config["ports"].items():
        base = f"https://{config['ip']}:{port}"
        handler = type(f"{listener}Handler", (Handler,), {"state": state, "listener": listener, "base": base})
        server = ThreadingHTTPServer((config["ip"], port), handler)
        server.daemon_threads = True
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    Path(config["state_dir"], "ready").write_text("1")
    threading.Event().wait()

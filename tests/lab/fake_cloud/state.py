# -*- coding: utf-8 -*-
"""The fake cloud's state: apps, portal sessions, issued tokens, registered action accounts, the
LocalSystem switch, injected faults and a request log without secrets. Accounts and the switch
persist in state.json; tokens and faults live in memory."""
from __future__ import annotations

import json
import re
import secrets
import threading
import time
from pathlib import Path


class CloudState:
    def __init__(self, config: dict):
        self.config = config
        self.lock = threading.RLock()
        self.path = Path(config["state_dir"]) / "state.json"
        self.tokens: dict[str, dict] = {}
        self.faults: list[dict] = []
        self.requests: list[dict] = []
        if self.path.exists():
            self.data = json.loads(self.path.read_text())
        else:
            self.data = {"accounts": [], "local_system": True}
            self.save()

    def save(self) -> None:
        with self.lock:
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data, indent=2, sort_keys=True))
            tmp.replace(self.path)

    def reset(self, state: bool) -> None:
        with self.lock:
            self.faults.clear()
            self.requests.clear()
            if state:
                self.data = {"accounts": [], "local_system": True}
                self.save()

    def issue_token(self, app_id: str, roles: list[str], lifetime: int = 3599) -> str:
        token = secrets.token_urlsafe(48)
        with self.lock:
            self.tokens[token] = {"app": app_id, "roles": roles, "expires": time.time() + lifetime}
        return token

    def token_info(self, token: str) -> dict | None:
        info = self.tokens.get(token)
        return info if info and info["expires"] > time.time() else None

    def take_fault(self, listener: str, path: str) -> dict | None:
        """The first armed fault that matches this request; it fires `count` times."""
        with self.lock:
            for fault in self.faults:
                if fault.get("listener", listener) == listener and re.search(fault.get("path", ".*"), path):
                    fault["count"] = fault.get("count", 1) - 1
                    if fault["count"] <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def log(self, listener: str, method: str, path: str, status: int) -> None:
        # Only method, path (query string dropped: it can carry secrets) and status.
        with self.lock:
            self.requests.append({"listener": listener, "method": method, "path": path.split("?")[0], "status": status})

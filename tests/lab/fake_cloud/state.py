# -*- coding: utf-8 -*-
"""Everything the fake cloud holds: its configuration (from fake_cloud_service.py), the portal data
that persists in state.json (action accounts, the LocalSystem switch; and Graph's auto-auditing switch), runtime settings that tests flip
through /_lab/settings, issued tokens, armed faults, the request log and the action log.

The request log keeps listener, method, path WITHOUT the query string, status and whether a fault
answered: never headers, cookies, bodies or tokens, so it can be shown and stored (requests.jsonl).
The action log keeps one outcome per invokeAction the acting sensor carried out (remediation.py):
correlationId, time, account, action, sensor, identity, ok, error; never a password (actions.jsonl).

Not emulated: several tenants, several portal workspaces, concurrent writers from other processes.
"""
from __future__ import annotations

import copy
import json
import threading
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from .faults import FaultStore
from .tokens import TokenStore

DEFAULT_DATA = {"accounts": [], "local_system": True, "auto_auditing": False}
_LOG_LIMIT = 5000


def default_settings(config: dict) -> dict:
    return {
        "page_size": config["page_size"],        # Graph page size: small, so paging is exercised
        "second_domain": False,                  # also list the second domain's sensor(s)
        "token_lifetime": 3599,                  # seconds, for new access tokens
        "portal_sessions_expired": False,        # every portal session answers 401
        "sensor_overrides": {},                  # fqdn -> {sensor property: value}, e.g. deploymentStatus
        "sensor_generation": config["sensor_generation"],  # v2, v3, mixed, migrating (generations.py), from lab.json
        "action_delay_seconds": 0.3,             # from invokeAction's 200 until the sensor acts (remediation.py)
        "mdi_workspace": True,                   # false: autoAuditingConfiguration answers 404 (auto_auditing.py)
        "wrap_single_values": False,             # true: a single value comes as {"value": {...}}, as Graph's docs show
    }


def _load_cert(path: str) -> dict:
    cert = x509.load_pem_x509_certificate(Path(path).read_bytes())
    return {"public_key": cert.public_key(), "sha1": cert.fingerprint(hashes.SHA1()),  # nosec - x5t is SHA-1 by spec
            "sha256": cert.fingerprint(hashes.SHA256())}


class CloudState:
    def __init__(self, config: dict):
        self.config = config
        self.lock = threading.RLock()
        self.path = Path(config["state_dir"]) / "state.json"
        self.log_path = Path(config["state_dir"]) / "requests.jsonl"
        self.actions_path = Path(config["state_dir"]) / "actions.jsonl"
        self.tokens = TokenStore()
        self.faults = FaultStore()
        self.settings = default_settings(config)
        self.requests: list[dict] = []
        self.actions: list[dict] = []
        self._seq = 0
        # Certificate credentials, loaded once: thumbprints and public keys to check assertions with.
        self.app_certs = {app["client_id"]: _load_cert(app["cert"]) for app in config["apps"].values()}
        self.data = json.loads(self.path.read_text()) if self.path.exists() else copy.deepcopy(DEFAULT_DATA)
        self.save()

    def app(self, client_id: str) -> dict | None:
        return next((a for a in self.config["apps"].values() if a["client_id"] == client_id), None)

    def save(self) -> None:
        with self.lock:
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data, indent=2, sort_keys=True))
            tmp.replace(self.path)

    def reset(self, state: bool) -> None:
        """Clear faults, the request log and the action log; with state=True also the portal data, settings and tokens."""
        self.faults.clear()
        with self.lock:
            self.requests.clear()
            self.log_path.write_text("")
            self.actions.clear()
            self.actions_path.write_text("")
            if state:
                self.data = copy.deepcopy(DEFAULT_DATA)
                self.settings = default_settings(self.config)
                self.tokens.clear()
                self.save()

    def log_request(self, listener: str, method: str, target: str, status: int, fault: bool) -> None:
        with self.lock:
            self._seq += 1
            entry = {"seq": self._seq, "time": round(time.time(), 3), "listener": listener, "method": method,
                     "path": target.split("?", 1)[0], "status": status, "fault": fault}
            self.requests.append(entry)
            del self.requests[:-_LOG_LIMIT]
            with self.log_path.open("a", encoding="utf-8") as log:
                log.write(json.dumps(entry) + "\n")

    def log_action(self, entry: dict) -> None:
        with self.lock:
            self.actions.append(entry)
            del self.actions[:-_LOG_LIMIT]
            with self.actions_path.open("a", encoding="utf-8") as log:
                log.write(json.dumps(entry) + "\n")

    def summary(self) -> dict:
        with self.lock:
            return {"accounts": copy.deepcopy(self.data["accounts"]), "local_system": self.data["local_system"],
                    "auto_auditing": self.data.get("auto_auditing", False),
                    "issued_tokens": self.tokens.issued, "armed_faults": len(self.faults.armed()),
                    "settings": copy.deepcopy(self.settings), "requests_logged": self._seq,
                    "actions_logged": len(self.actions)}

# -*- coding: utf-8 -*-
"""The lab's control API, under /_lab/ on every listener (all share one state; a fault applies to every
listener unless it names one). Only loopback clients are served (the fake binds a loopback address).

  POST /_lab/faults    a fault or a list of faults (see faults.py)  -> {"armed": n}
  GET  /_lab/faults    the armed faults
  POST /_lab/reset     {"state": false}: clear faults, the request and action logs; true: also accounts, the
                       LocalSystem switch, auto_auditing, settings (sensor_generation back to lab.json's) and issued tokens
  GET  /_lab/state     accounts, local_system, auto_auditing, issued_tokens, armed_faults, settings, requests_logged
  GET  /_lab/requests  the request log (method, path without query, status): never secrets
  GET  /_lab/actions   the action log: the outcome of each invokeAction the acting sensor carried out
                       (correlationId, time, accountSid, samAccountName, action, sensor, identity, ok, error)
  GET/POST /_lab/settings  read or change settings (state.default_settings) -> all settings; an unknown
                       setting or a bad value is a 400 that names what is allowed

Control requests are neither logged nor subject to faults. Not emulated: anything of Microsoft's.
"""
from __future__ import annotations

import ipaddress
import json

from . import faults
from .generations import GENERATIONS
from .reply import Reply
from .sensors import SENSOR_PROPERTIES

_SETTING_TYPES = {"page_size": int, "second_domain": bool, "token_lifetime": int, "portal_sessions_expired": bool,
                  "sensor_overrides": dict, "sensor_generation": str, "action_delay_seconds": (int, float),
                  "mdi_workspace": bool, "wrap_single_values": bool}


def _settings_problem(state, changes) -> str | None:
    if not isinstance(changes, dict):
        return "settings are a JSON object"
    for key, value in changes.items():
        kind = _SETTING_TYPES.get(key)
        if kind is None:
            return f"unknown setting {key!r}; known: {sorted(_SETTING_TYPES)}"
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            return f"{key} must be {'a number' if isinstance(kind, tuple) else kind.__name__}"
    if changes.get("page_size", 1) < 1 or changes.get("token_lifetime", 1) < 1:
        return "page_size and token_lifetime must be positive"
    if not 0 <= changes.get("action_delay_seconds", 0) <= 60:
        return "action_delay_seconds must be between 0 and 60"
    if changes.get("sensor_generation", GENERATIONS[0]) not in GENERATIONS:
        return f"sensor_generation must be one of {list(GENERATIONS)}"
    known = {s["fqdn"].lower() for s in state.config["sensors"] + state.config["extra_sensors"]}
    for fqdn, props in changes.get("sensor_overrides", {}).items():
        if fqdn.lower() not in known or not isinstance(props, dict) or set(props) - set(SENSOR_PROPERTIES):
            return f"sensor_overrides: {fqdn!r} must be a lab sensor FQDN mapped to sensor properties {SENSOR_PROPERTIES}"
    return None


def _faults(state, body) -> Reply:
    specs = body if isinstance(body, list) else [body]
    try:
        armed = [faults.validate(spec) for spec in specs]
    except faults.FaultSpecError as exc:
        return Reply(400, {"error": str(exc)})
    return Reply(200, {"armed": state.faults.add(armed)})


def handle(state, method: str, path: str, raw: bytes, client_ip: str) -> Reply:
    if not ipaddress.ip_address(client_ip).is_loopback:
        return Reply(403, {"error": "the lab control API serves loopback clients only"})
    try:
        body = json.loads(raw) if raw.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        return Reply(400, {"error": "control requests take a JSON body"})
    route = (method, path.rstrip("/"))
    if route == ("POST", "/_lab/faults"):
        return _faults(state, body)
    if route == ("GET", "/_lab/faults"):
        return Reply(200, state.faults.armed())
    if route == ("POST", "/_lab/reset"):
        if not isinstance(body, dict) or set(body) - {"state"}:
            return Reply(400, {"error": "reset takes {\"state\": bool}"})
        state.reset(bool(body.get("state", False)))
        return Reply(200, state.summary())
    if route == ("GET", "/_lab/state"):
        return Reply(200, state.summary())
    if route == ("GET", "/_lab/requests"):
        with state.lock:
            return Reply(200, list(state.requests))
    if route == ("GET", "/_lab/actions"):
        with state.lock:
            return Reply(200, list(state.actions))
    if route in (("GET", "/_lab/settings"), ("POST", "/_lab/settings")):
        if method == "POST":
            problem = _settings_problem(state, body)
            if problem:
                return Reply(400, {"error": problem})
            with state.lock:
                body = {**body, "sensor_overrides": {k.lower(): v for k, v in body.get("sensor_overrides", {}).items()}} \
                    if "sensor_overrides" in body else body
                state.settings.update(body)
        with state.lock:
            return Reply(200, dict(state.settings))
    return Reply(404, {"error": f"no control endpoint {method} {path}"})

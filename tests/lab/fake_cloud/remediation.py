# -*- coding: utf-8 -*-
"""How the fake carries out an invokeAction on an Active Directory account: the way the MDI sensor does it,
on a lab domain controller, with real credentials, so Samba's own access checks decide the outcome.

When: in a background thread, `action_delay_seconds` (setting, default 0.3) after graph.py answered 200;
invokeAction's 200 says nothing of the outcome, as in MDI. Each outcome goes to the action log
(GET /_lab/actions, state.py): correlationId, time, accountSid, samAccountName, action, sensor (the acting
DC's FQDN), identity ("gmsa:<name>$", "LocalSystem", or null when the sensor had none), ok, error.

Which sensor: the account's domain's first domain-controller sensor in sorted order as Graph lists it (dc1,
the lab's real Samba DC). Microsoft does not document which DC's sensor acts (graph-identities.md 5).
v3 when its listed version's major number is 3 or more, or its beta migrationState is migrating.

Which identity, from the fake portal's state (registered accounts, the LocalSystem switch) at the time it acts:
  - a v3 sensor with a gMSA registered for the domain fails ("not supported on sensor v3.x"), as documented;
  - LocalSystem switch on (for v3: and no gMSA registered): LocalSystem;
  - v2, switch off, a gMSA registered for the domain: that gMSA;
  - switch off and no gMSA for the domain: fails (no identity). An account registered with a password is
    not emulated (it counts as none).
As the gMSA, the acting DC's fake WinRM host must first hold SeServiceLogonRight for the gMSA's SID in its
local policy and, when its gpo_rights define that right, there too (else a logon failure, as the sensor's
impersonation fails); then dc_action.py, under the system python with Samba's bindings, retrieves
msDS-ManagedPassword as the DC's machine account and makes the change bound as the gMSA. As LocalSystem,
dc_action.py changes the DC's own sam.ldb with system_session(). Outcomes never create health issues
(Microsoft documents none for them).

Not emulated: timing (MDI documents no latency), the Action center, Entra ID and Okta accounts (graph.py
refuses them), a DC other than the first acting (nor a fall-back when it cannot), a disconnected sensor
that cannot act, real MDI's retries, Kerberos (the gMSA logs on with NTLM). In the container lab
(container_lab.py) the fake cloud's container sees neither the Samba DC's files, nor the WinRM hosts' state,
nor a python with Samba's bindings: there every action fails with "not emulated here", and only the
listing and invokeAction's answers are served.
"""
from __future__ import annotations

import datetime
import json
import subprocess
import threading
import traceback
from pathlib import Path

from . import identities, sensors

DC_ACTION = Path(__file__).resolve().with_name("dc_action.py")
RIGHT = "SeServiceLogonRight"
_TIMEOUT = 120  # seconds for dc_action.py: a busy machine imports Samba's bindings slowly


class ActionFailed(Exception):
    """The outcome's error text."""


def schedule(state, user: dict, action: str, correlation_id: str) -> None:
    """Carry the action out after the delay, in a thread of its own (graph.py has answered by then)."""
    with state.lock:
        delay = float(state.settings["action_delay_seconds"])
    timer = threading.Timer(delay, _run, (state, user, action, correlation_id))
    timer.daemon = True
    timer.start()


def _run(state, user: dict, action: str, correlation_id: str) -> None:
    entry = {"correlationId": correlation_id, "time": None, "accountSid": user["sid"], "samAccountName": user["sam_account_name"],
             "action": action, "sensor": None, "identity": None, "ok": False, "error": None}
    try:
        carry_out(state, user, action, entry)
        entry["ok"] = True
    except ActionFailed as exc:
        entry["error"] = str(exc)
    except Exception as exc:  # pylint: disable=broad-exception-caught  # a fake's bug is a failed outcome, not a lost one
        traceback.print_exc()
        entry["error"] = f"internal error in the lab's fake sensor: {exc!r}"
    entry["time"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")
    state.log_action(entry)


def acting_sensor(config: dict, settings: dict, domain: str) -> tuple[str, bool]:
    """(FQDN, is v3) of the domain's first domain-controller sensor in Graph's order."""
    listed = [m for m in sensors.migrations(config, settings)
              if m["domainName"].lower() == domain.lower() and m["sensorType"] == "domainControllerIntegrated"]
    fqdns = {sensors.sensor_id(s["fqdn"]): s["fqdn"].lower() for s in config["sensors"] + config["extra_sensors"]}
    if not listed or listed[0]["id"] not in fqdns:
        raise ActionFailed(f"no MDI sensor on a domain controller of {domain}")
    major = listed[0]["version"].split(".", 1)[0]
    return fqdns[listed[0]["id"]], (major.isdigit() and int(major) >= 3) or listed[0]["migrationState"] == "migrating"


def choose_identity(data: dict, v3: bool, domain: str, netbios: str) -> str | None:
    """The gMSA's sAMAccountName, or None for LocalSystem; ActionFailed when the sensor has no usable identity."""
    names = {domain.lower(), netbios.lower()}
    gmsa = next((a for a in data["accounts"] if a["DomainDnsName"].lower() in names and a["IsGroupManagedServiceAccount"]), None)
    if v3 and gmsa:
        raise ActionFailed(f"gMSA action accounts are not supported on sensor v3.x ({gmsa['AccountName']} is registered for "
                           f"{domain}): response actions do not work")
    if data["local_system"]:
        return None
    if gmsa is None:
        raise ActionFailed(f"no identity: the LocalSystem switch is off and no gMSA action account is registered for {domain}")
    return gmsa["AccountName"].rstrip("$") + "$"


def _require(paths: dict) -> None:
    """Every file the action needs exists here; else the environment does not emulate actions (the container lab)."""
    missing = [f"{what} {path}" for what, path in paths.items() if not path or not Path(path).exists()]
    if missing:
        raise ActionFailed(f"actions are not emulated here: this fake cloud cannot see {', '.join(missing)}")


def check_logon_right(config: dict, state_dir: str, sid: str, host: str) -> None:
    """The acting DC's fake host grants the gMSA "Log on as a service", locally and in a GPO that defines it."""
    host_state = json.loads(Path(state_dir, "state.json").read_text(encoding="utf-8"))
    if sid not in host_state["rights"].get(RIGHT, []):
        raise ActionFailed(f"logon failure: the gMSA lacks Log on as a service on {host} (not in the local policy, {RIGHT})")
    gpo = host_state.get("gpo_rights", {}).get(RIGHT)
    if gpo:
        # Resolved as that host resolves GPO members (the fake host's own resolver: names or SIDs).
        from fake_winrm.principals import Directory, Resolver, UnknownPrincipal  # pylint: disable=import-outside-toplevel

        resolver = Resolver(Directory(config["directory"]), config["directory"]["netbios"], config["directory"]["domain_dns"])
        members = set()
        for member in gpo.get("members", []):
            try:
                members.add(resolver.sid_of(member))
            except UnknownPrincipal:
                continue
        if sid not in members:
            raise ActionFailed(f"logon failure: the gMSA lacks Log on as a service on {host} (GPO {gpo.get('gpo_name')} "
                               f"defines {RIGHT} without it)")


def carry_out(state, user: dict, action: str, entry: dict) -> None:
    """Act on the account as the acting sensor would, filling entry's sensor and identity; ActionFailed on failure."""
    config = state.config
    with state.lock:
        settings = json.loads(json.dumps(state.settings))
        data = json.loads(json.dumps(state.data))
    directory, actions = config.get("directory") or {}, config.get("actions") or {}
    domain = directory.get("domain_dns", "")
    entry["sensor"], v3 = acting_sensor(config, settings, domain)
    host = entry["sensor"].split(".", 1)[0]
    gmsa = choose_identity(data, v3, domain, directory.get("netbios", ""))
    entry["identity"] = f"gmsa:{gmsa}" if gmsa else "LocalSystem"
    request = {"action": action, "sid": user["sid"], "smb_conf": actions.get("smb_conf"), "identity": "gmsa" if gmsa else "local_system"}
    needed = {"the system python": actions.get("python"), "the DC's smb.conf": actions.get("smb_conf")}
    if gmsa:
        state_dir = (actions.get("winrm_state_dirs") or {}).get(entry["sensor"])
        _require({**needed, f"the state of {host}'s fake WinRM host": state_dir and str(Path(state_dir, "state.json"))})
        sid = identities.account_sid(config, gmsa)
        if sid is None:
            raise ActionFailed(f"logon failure: the gMSA {gmsa} does not exist in {domain}")
        check_logon_right(config, state_dir, sid, host)
        request.update(gmsa=gmsa, dc_ip=directory["ip"], base_dn=directory["base_dn"], netbios=directory["netbios"])
    else:
        _require({**needed, "the DC's sam.ldb": actions.get("sam_ldb")})
        request["sam_ldb"] = actions["sam_ldb"]
    _dc_action(actions["python"], request)


def _dc_action(python: str, request: dict) -> None:
    try:
        done = subprocess.run([python, str(DC_ACTION)], input=json.dumps(request), capture_output=True, text=True,
                              timeout=_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise ActionFailed(f"the acting DC did not finish the action within {_TIMEOUT} s") from None
    try:
        outcome = json.loads(done.stdout)
    except ValueError:
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise ActionFailed(f"the acting DC's action script failed (exit {done.returncode}): {tail}") from None
    if not outcome.get("ok"):
        raise ActionFailed(outcome.get("error") or "the action failed")

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the kds_root_key module's work, for both its
action plugin (on the controller) and its plain module entry point."""
from __future__ import annotations

import datetime

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._kds import root_key
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec, ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.schema import parse_guid

CLOCK_SKEW = datetime.timedelta(minutes=5)


def argument_spec() -> dict:
    return {
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "effective_time": {"type": "str"},
        "backdate_for_lab": {"type": "bool", "default": False},
        "key_id": {"type": "str"},
        **ldap_connection_argument_spec(),
    }


CONSTRAINTS = {"mutually_exclusive": [("effective_time", "backdate_for_lab")], "required_if": [("state", "absent", ("key_id",))]}


def _effective_time(text: str | None) -> datetime.datetime | None:
    """effective_time as a time, or None when unset; a malformed one is refused whether or not a key would be created."""
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise MdiError(f"effective_time {text!r} is not an ISO 8601 time such as 2026-12-01T08:00:00Z") from exc
    if moment.tzinfo is None:
        raise MdiError("effective_time needs a time zone, e.g. 2026-12-01T08:00:00Z or +01:00")
    return moment


def _key_id(text: str | None) -> str | None:
    if text is None:
        return None
    key_id = parse_guid(text)
    if key_id is None:
        raise MdiError(f"key_id {text!r} is not a GUID: give the key's GUID (8-4-4-4-12 hexadecimal digits) as the module returns it in "
                       "key.key_id or root_keys, e.g. 5c2cb4d3-0a3e-4a0e-9b64-5e0d9e7fbd55")
    return key_id


def check_options(params: dict) -> None:
    """Refuse malformed options before the directory is asked anything."""
    _key_id(params.get("key_id"))
    _effective_time(params.get("effective_time"))


def _effective(params: dict, now: datetime.datetime) -> datetime.datetime:
    if params["backdate_for_lab"]:
        return now - root_key.LAB_BACKDATE
    moment = _effective_time(params["effective_time"])
    if moment is None:
        return now
    # Only for a key about to be created: a fixed effective_time in a playbook falls into the past once that key exists.
    if moment < now - CLOCK_SKEW:
        raise MdiError("effective_time is in the past, which back-dates the key so that domain controllers use it before it "
                       "has replicated; only do that in a lab, with backdate_for_lab=true")
    return moment


def list_keys(client, now: datetime.datetime) -> list[dict]:
    entries = client.search(root_key.container_dn(client.config_nc), f"(objectClass={root_key.OBJECT_CLASS})",
                            ["cn", "msKds-UseStartTime", "msKds-CreateTime"], scope="LEVEL")
    keys = [root_key.describe(e.text("cn"), e.integer("msKds-UseStartTime"), e.integer("msKds-CreateTime"), now) for e in entries]
    return sorted(keys, key=lambda k: k["effective_time"])


def _domain_controller_dn(client) -> str:
    """The computer object of the DC we talk to: msKds-DomainID names the DC that made the key."""
    server = client.read("", ["serverName"]).text("serverName")
    reference = client.read(server, ["serverReference"])
    if reference is None or reference.text("serverReference") is None:
        raise MdiError(f"cannot find the computer object of the domain controller {server}")
    return reference.text("serverReference")


def ensure(client, params: dict, check_mode: bool, now: datetime.datetime) -> dict:
    before = list_keys(client, now)
    container = root_key.container_dn(client.config_nc)
    if params["state"] == "absent":
        key_id = _key_id(params["key_id"])
        found = [k for k in before if k["key_id"].lower() == key_id]
        if found and not check_mode:
            client.delete(f"CN={found[0]['key_id']},{container}")
        after = [k for k in before if k not in found]
        return {"changed": bool(found), "key": found[0] if found else None, "before": before, "after": after}
    if before:
        usable = [k for k in before if k["usable"]]
        return {"changed": False, "key": (usable or before)[-1], "before": before, "after": before}
    effective = _effective(params, now)
    key_id, attributes = root_key.new_key_attributes(_domain_controller_dn(client), effective, now)
    created = root_key.describe(key_id, root_key.to_nt_time(effective), root_key.to_nt_time(now), now)
    if not check_mode:
        client.add(f"CN={key_id},{container}", ["top", root_key.OBJECT_CLASS], attributes)
        after = list_keys(client, now)
        if not any(k["key_id"] == key_id for k in after):
            raise MdiError(f"the new root key {key_id} was added but cannot be read back")
    else:
        after = [created]
    return {"changed": True, "key": created, "before": before, "after": after}


def run(module) -> None:
    """Entry point for the module and its action plugin; ends with exit_json or fail_json."""
    params = module.params
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        check_options(params)
        with create_ldap_connection(**ldap_options(params)) as client:
            outcome = ensure(client, params, module.check_mode, now)
    except MdiError as exc:
        module.fail_json(msg=f"Failed to {'remove' if params['state'] == 'absent' else 'ensure'} the KDS root key: {exc}", **exc.details)
    key = outcome["key"]
    result = {"changed": outcome["changed"], "key": key, "root_keys": outcome["after"],
              "usable": any(k["usable"] for k in outcome["after"])}
    if params["state"] == "present" and not result["usable"] and key:
        module.warn(f"The KDS root key {key['key_id'] or '(new)'} becomes usable at {key['usable_at']} (10 hours after its "
                    "effective time, so that every domain controller has it); gMSAs cannot get passwords before.")
    if module._diff:  # pylint: disable=protected-access
        result["diff"] = {"before": {"keys": [k["key_id"] for k in outcome["before"]]},
                          "after": {"keys": [k["key_id"] for k in outcome["after"]]}}
    module.exit_json(**result)

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the gpo module's work, for its action plugin.

Everything is planned from reads first (check mode stops there), then written in an order that a rerun can always
finish: the container in AD first, with its display name in the same add (a rerun finds it by name), then its
CN=User and CN=Machine children, then the container's DACL (security filtering), then the SYSVOL folder (its ACL,
derived from that DACL, GPT.INI, Machine and User), then the status, then the links - so no container ever links a GPO
whose files are not there, and the folder's ACL follows the DACL written in the same run. Removal goes the other way: links,
then the SYSVOL folder, then the container with its children. A failure names the steps already done. Tasks on this
controller take turns per domain (_turn) from the first read of the GPO to the last write.
"""
from __future__ import annotations

from contextlib import nullcontext

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo import container
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.file_edit import domain_lock
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.gpo import ambiguous, policies_dn, search_gpos
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.folder import GpoFolder, expected_descriptor, read_gpc_descriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.folder_acl import sysvol_descriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.linking import describe_links, plan_links, write_links
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.permissions import LEVELS
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.security_filtering import Filtering
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.sysvol import open_sysvol
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.module_run import run_ensure
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec

MAX_NAME = 255  # GPMC's limit for a GPO's display name


def argument_spec() -> dict:
    link = {"target": {"type": "str", "required": True}, "enabled": {"type": "bool", "default": True},
            "enforced": {"type": "bool", "default": False}, "order": {"type": "int"}}
    permission = {"principal": {"type": "str", "required": True}, "level": {"type": "str", "required": True, "choices": list(LEVELS)}}
    return {
        "name": {"type": "str", "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "status": {"type": "str", "choices": list(container.STATUS_FLAGS)},
        "links": {"type": "list", "elements": "dict", "options": link},
        "links_state": {"type": "str", "default": "present", "choices": ["present", "exact"]},
        "permissions": {"type": "list", "elements": "dict", "options": permission},
        "permissions_state": {"type": "str", "default": "present", "choices": ["present", "exact"]},
        "smb_server": {"type": "str"},
        **ldap_connection_argument_spec(),
    }


CONSTRAINTS: dict = {}


def check_params(params: dict) -> None:
    name = params["name"].strip()
    if not name or len(name) > MAX_NAME:
        raise GpoError(f"name must be a display name of 1 to {MAX_NAME} characters, not {params['name']!r}")
    for index, link in enumerate(params["links"] or []):
        if link["order"] is not None and link["order"] < 1:
            raise GpoError(f"links[{index}].order must be 1 (the highest precedence) or more, not {link['order']}")
        if "=" not in link["target"]:
            raise GpoError(f"links[{index}].target must be a distinguished name such as OU=Servers,DC=corp,DC=example,DC=com, "
                           f"not {link['target']!r}")
    if params["state"] == "absent" and (params["links"] or params["status"] or params["permissions"] is not None):
        raise GpoError("state=absent deletes the GPO with all its links: leave out links, status and permissions")


class Progress:
    """The writes done so far, for the failure message of a run that stops half-way."""

    def __init__(self):
        self.done: list[str] = []

    def step(self, what: str, write, *args) -> None:
        write(*args)
        self.done.append(what)

    def failure(self, exc: MdiError) -> MdiError:
        if not self.done:
            return exc
        return GpoError(f"{exc}. Done before the failure: {'; '.join(self.done)}. Run the task again to complete it", exc.details)


def _state(gpo, flags, links, folder_missing=(), wrong_acls=(), permissions=None) -> dict:
    if gpo is None:
        return {"state": "absent"}
    shown = {"state": "present", "guid": gpo.guid, "status": container.FLAGS_STATUS.get(flags & 3), "links": links,
             "sysvol_missing": list(folder_missing), "sysvol_acl_differs": list(wrong_acls)}
    return shown if permissions is None else {**shown, "permissions": permissions}


def _find(client, name: str):
    found = search_gpos(client, name)
    if len(found) > 1:
        raise ambiguous(name, found)
    return found[0] if found else None


def _write_filtering(client, dn: str, filtering: Filtering, created: bool, progress: Progress) -> bool:
    """The DACL, for a GPO created in this run (planned from the descriptor the DC gave it) or planned earlier;
    True when the DACL changed, so the SYSVOL ACL must be derived again."""
    if created and filtering.wanted is not None:
        filtering.plan(read_gpc_descriptor(client, dn))
    if filtering.changed:
        progress.step(f"set the security filtering of {dn}", filtering.write, dn)
    return filtering.changed


def ensure_present(client, sysvol, params: dict, filtering: Filtering, check_mode: bool, progress: Progress) -> dict:
    gpo = _find(client, params["name"].strip())
    created = gpo is None
    flags = container.STATUS_FLAGS[params["status"]] if params["status"] else (0 if created else gpo.flags)
    if created:
        guid = container.new_guid()
        dn = container.gpc_dn(policies_dn(client), guid)
        attributes = container.new_gpc_attributes(params["name"].strip(), client.domain.dns, guid, flags)
        children = list(container.CHILDREN)
        folder = GpoFolder(sysvol, attributes["gPCFileSysPath"], client.domain.sid)
    else:
        guid, dn = gpo.guid, gpo.dn
        children = container.missing_children(client, dn)
        folder = GpoFolder(sysvol, gpo.file_sys_path, client.domain.sid)
    folder_missing = folder.missing() if not created else folder.all_parts()
    expected_acl = None if created else sysvol_descriptor(filtering.plan(read_gpc_descriptor(client, dn)))
    wrong_acls = [] if created else folder.wrong_acls(expected_acl, folder_missing)
    plans = plan_links(client, guid, dn, params["links"] or [], params["links_state"] == "exact", existing=not created)
    link_changes = [plan for plan in plans if plan.changed]
    status_change = not created and flags != gpo.flags
    changed = created or bool(children or filtering.changed or folder_missing or wrong_acls or status_change or link_changes)
    if changed and not check_mode:
        if created:
            progress.step(f"created the GPO container {dn}", container.create_gpc, client, dn, attributes)
        if children:
            progress.step(f"created its {' and '.join(children)} children", container.create_children, client, dn, children)
        if _write_filtering(client, dn, filtering, created, progress) or created:
            expected_acl = expected_descriptor(client, dn)  # as the DC holds the DACL now: its default for a new GPO
            wrong_acls = [] if created else folder.wrong_acls(expected_acl, folder_missing)
        if folder_missing:
            progress.step(f"created {', '.join(folder_missing)} in {folder.root}", folder.create, expected_acl,
                          0 if created else gpo.version, folder_missing)
        if wrong_acls:
            progress.step(f"set the ACL of {', '.join(wrong_acls)} in {folder.root} to match the GPO's", folder.set_acls, expected_acl,
                          wrong_acls)
        if status_change:
            progress.step(f"set its status to {params['status']}", client.modify, dn, {"flags": [("MODIFY_REPLACE", [flags])]})
        for plan in link_changes:
            progress.step(f"wrote the gPLink of {plan.dn}", write_links, client, plan)
    unknown = created and check_mode  # the GUID is chosen when the GPO is created
    shown = {"name": params["name"].strip(), "guid": None if unknown else guid, "dn": None if unknown else dn,
             "file_sys_path": None if unknown else folder.file_sys_path, "status": container.FLAGS_STATUS[flags & 3], "created": created}
    before = _state(gpo, gpo.flags if gpo else 0, describe_links(plans, guid, "before"), folder_missing, wrong_acls,
                    filtering.shown("before"))
    after = {"state": "present", "guid": shown["guid"], "status": shown["status"], "links": describe_links(plans, guid, "after"),
             "sysvol_missing": [], "sysvol_acl_differs": []}
    result = {"changed": changed, "gpo": shown, "links": after["links"]}
    if filtering.wanted is not None:
        after["permissions"] = result["permissions"] = filtering.shown("after")
    return {**result, "diff": {"before": before, "after": after}}


def ensure_absent(client, sysvol, params: dict, check_mode: bool, progress: Progress) -> dict:
    gpo = _find(client, params["name"].strip())
    if gpo is None:
        return {"changed": False, "gpo": None, "links": [], "diff": {"before": {"state": "absent"}, "after": {"state": "absent"}}}
    plans = plan_links(client, gpo.guid, gpo.dn, [], exact=True)
    folder = GpoFolder(sysvol, gpo.file_sys_path, client.domain.sid)
    if not check_mode:
        for plan in plans:
            if plan.changed:
                progress.step(f"removed its link from {plan.dn}", write_links, client, plan)
        progress.step(f"deleted its SYSVOL folder {folder.root}", folder.delete)
        progress.step(f"deleted the GPO container {gpo.dn}", container.delete_gpc, client, gpo.dn)
    before = _state(gpo, gpo.flags, describe_links(plans, gpo.guid, "before"))
    return {"changed": True, "gpo": {**gpo.info(), "file_sys_path": gpo.file_sys_path}, "links": [],
            "diff": {"before": before, "after": {"state": "absent"}}}


def _turn(client, check_mode: bool):
    """The GPO container's DACL and each OU's gPLink are whole values, read then replaced: this controller's changes
    (a play's hosts, two plays at once) take turns per domain, from the first read of the GPO to the last write, with the
    GPO file edits (the same lock: they bump the version this task may write in GPT.INI). Check mode writes nothing."""
    return nullcontext() if check_mode else domain_lock(client.domain.dns)


def ensure(client, sysvol, params: dict, check_mode: bool) -> dict:
    check_params(params)
    progress = Progress()
    try:
        if params["state"] == "absent":
            with _turn(client, check_mode):
                return ensure_absent(client, sysvol, params, check_mode, progress)
        # The principals first, outside the lock: no write yet, and their search also brings the domain's name it is keyed on.
        filtering = Filtering(client, params["permissions"], params["permissions_state"] == "exact")
        with _turn(client, check_mode):
            return ensure_present(client, sysvol, params, filtering, check_mode, progress)
    except MdiError as exc:
        raise progress.failure(exc) from exc


def run(module) -> None:
    """Entry point for the action plugin; ends with exit_json or fail_json."""
    params = module.params

    def work(client) -> dict:
        with open_sysvol(params) as sysvol:
            return ensure(client, sysvol, params, module.check_mode)
    verb = "delete" if params["state"] == "absent" else "ensure"
    run_ensure(module, create_ldap_connection, work, f"Failed to {verb} the GPO {params['name']!r}")

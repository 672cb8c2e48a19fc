# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the mdi_auto_auditing module's work, for its action plugin.

One GET; the write only when ``enabled`` is given and differs (never in check mode), then a second GET, so a
service that answers 200 without applying the change fails the task instead of passing for done.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import auto_auditing as aud
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.options import graph_auth_argument_spec, http_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.tasks import graph_client, run_backend


def argument_spec() -> dict:
    spec = {
        "enabled": {"type": "bool"},
        "api_version": {"type": "str", "default": "v1.0", "choices": list(aud.WRITE_METHODS)},
    }
    return {**spec, **graph_auth_argument_spec(), **http_argument_spec()}


CONSTRAINTS: dict = {}


def _read(graph, path: str, permission: str) -> bool:
    body = graph.get_entity(path, permission, aud.READ_ACTION, {404: aud.NO_WORKSPACE})
    return aud.parse(body)


def auto_auditing(params: dict, check_mode: bool = False) -> dict:
    graph = graph_client(params)
    version, wanted = params["api_version"], params["enabled"]
    path = aud.path(version)
    # Reading alone needs only Read.All; a task that may write reads with the permission it needs to write.
    permission = aud.READ_PERMISSION if wanted is None else aud.WRITE_PERMISSION
    before = _read(graph, path, permission)
    after = before if wanted is None else wanted
    if after != before and not check_mode:
        graph.update(aud.WRITE_METHODS[version], path, aud.payload(after), aud.WRITE_PERMISSION, aud.WRITE_ACTION,
                     {404: aud.NO_WORKSPACE})
        now = _read(graph, path, permission)
        if now != after:
            raise CloudError(f"Microsoft Graph accepted the change but still reports isAutomatic={str(now).lower()} "
                             f"(try api_version={'beta' if version == 'v1.0' else 'v1.0'})", action=aud.WRITE_ACTION)
    return aud.result(before, after, version)


def run(module) -> None:
    run_backend(module, lambda: auto_auditing(module.params, check_mode=module.check_mode), aud.READ_ACTION, msal=True)

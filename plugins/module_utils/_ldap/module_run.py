# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the end of an LDAP module that ensures a state - connect, do the work,
fail with the cause, drop the diff unless diff mode asked for it."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_options


def run_ensure(module, connect, work, failure: str) -> None:
    """``work(client)`` returns the result with a ``diff`` key; ``failure`` starts the message of an MdiError ("Failed to
    ensure the group 'x'"). ``connect`` is the caller's create_ldap_connection, so tests can replace it there.
    Ends with exit_json or fail_json."""
    try:
        with connect(**ldap_options(module.params)) as client:
            result = work(client)
    except MdiError as exc:
        module.fail_json(msg=f"{failure}: {exc}", **exc.details)
    if not module._diff:  # pylint: disable=protected-access
        result.pop("diff")
    module.exit_json(**result)

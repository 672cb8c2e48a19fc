# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the action_account_info module's work (read only)."""
from __future__ import annotations

import datetime

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import domain_info
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec, ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._verify import checks
from ansible_collections.mdi.action_accounts.plugins.module_utils._verify.domain import read_domain


def argument_spec() -> dict:
    return {
        "name": {"type": "str", "required": True},
        "targets": {"type": "list", "elements": "str", "default": []},
        "include_groups": {"type": "bool", "default": True},
        **ldap_connection_argument_spec(),
    }


CONSTRAINTS: dict = {}


def judge(name: str, found: dict) -> list[dict]:
    return (checks.kds_checks(found["kds_root_keys"]) + checks.account_checks(name, found["account"])
            + (checks.retrieval_checks(name, found["retrieval_principals"]) if found["account"] else [])
            + checks.delegation_checks(found["delegation"]))


def run(module) -> None:
    params = module.params
    name = params["name"].rstrip("$")
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        with create_ldap_connection(**ldap_options(params)) as client:
            found = read_domain(client, name, params["targets"], params["include_groups"], now)
            domain = domain_info(client).dns
    except MdiError as exc:
        module.fail_json(msg=f"Failed to read the action account {name}: {exc}", **exc.details)
    verdicts = judge(name, found)
    module.exit_json(changed=False, domain=domain, checks=verdicts, **checks.summary(verdicts), **found)

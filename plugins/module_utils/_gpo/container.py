# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a GPO's container in AD, created as GPMC and samba-tool create it.

``CN={GUID},CN=Policies,CN=System,<domain>`` of class groupPolicyContainer with displayName, gPCFileSysPath,
gPCFunctionalityVersion 2, flags (the GPO status) and versionNumber 0, and two children of class container:
CN=User and CN=Machine. Its security descriptor is the schema default the DC assigns (Windows and Samba both).
"""
from __future__ import annotations

import uuid

CHILDREN = ("CN=User", "CN=Machine")
FUNCTIONALITY_VERSION = 2
TREE_DELETE = ("1.2.840.113556.1.4.805", True, None)  # LDAP_SERVER_TREE_DELETE_OID: the GPC with whatever lies below
# GPMC's GPO status -> the GPC's flags (MS-GPOL 2.2.4: bit 0 user, bit 1 computer configuration disabled).
STATUS_FLAGS = {"all_settings_enabled": 0, "user_settings_disabled": 1, "computer_settings_disabled": 2, "all_settings_disabled": 3}
FLAGS_STATUS = {flags: status for status, flags in STATUS_FLAGS.items()}


def new_guid() -> str:
    return "{" + str(uuid.uuid4()).upper() + "}"


def file_sys_path(dns_domain: str, guid: str) -> str:
    """gPCFileSysPath as GPMC writes it (samba-tool writes "sysvol" in lower case; SMB paths ignore case)."""
    return f"\\\\{dns_domain}\\SysVol\\{dns_domain}\\Policies\\{guid}"


def gpc_dn(policies: str, guid: str) -> str:
    return f"CN={guid},{policies}"


def new_gpc_attributes(display_name: str, dns_domain: str, guid: str, flags: int) -> dict:
    return {"displayName": display_name, "gPCFileSysPath": file_sys_path(dns_domain, guid),
            "gPCFunctionalityVersion": FUNCTIONALITY_VERSION, "flags": flags, "versionNumber": 0}


def create_gpc(client, dn: str, attributes: dict) -> None:
    """The container with its attributes in one add, so a rerun after a failure finds it by its display name."""
    client.add(dn, "groupPolicyContainer", attributes)


def missing_children(client, dn: str) -> list[str]:
    return [child for child in CHILDREN if client.read(f"{child},{dn}", ["objectClass"]) is None]


def create_children(client, dn: str, children) -> None:
    for child in children:
        client.add(f"{child},{dn}", "container", {})


def delete_gpc(client, dn: str) -> None:
    client.delete(dn, controls=[TREE_DELETE])

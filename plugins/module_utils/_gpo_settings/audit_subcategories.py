# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the advanced-audit subcategories Defender for Identity needs.

GUIDs from MS-GPAC 2.2.1.2 (Subcategory and SubcategoryGUID), the same as DefenderForIdentity 1.0.0.4 writes
(mdi-readiness-facts.md 2.2). Names are those the Group Policy editor writes into audit.csv ("Audit ..."); the
Subcategory field is for people only (MS-GPAC: ignored when the policy is applied), so rows are matched by GUID.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError

GUID = re.compile(r"^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$")


@dataclass(frozen=True)
class Subcategory:
    name: str
    guid: str


SECURITY_SYSTEM_EXTENSION = Subcategory("Audit Security System Extension", "{0cce9211-69ae-11d9-bed3-505054503030}")
LOGON = Subcategory("Audit Logon", "{0cce9215-69ae-11d9-bed3-505054503030}")
CERTIFICATION_SERVICES = Subcategory("Audit Certification Services", "{0cce9221-69ae-11d9-bed3-505054503030}")
USER_ACCOUNT_MANAGEMENT = Subcategory("Audit User Account Management", "{0cce9235-69ae-11d9-bed3-505054503030}")
COMPUTER_ACCOUNT_MANAGEMENT = Subcategory("Audit Computer Account Management", "{0cce9236-69ae-11d9-bed3-505054503030}")
SECURITY_GROUP_MANAGEMENT = Subcategory("Audit Security Group Management", "{0cce9237-69ae-11d9-bed3-505054503030}")
DISTRIBUTION_GROUP_MANAGEMENT = Subcategory("Audit Distribution Group Management", "{0cce9238-69ae-11d9-bed3-505054503030}")
DIRECTORY_SERVICE_ACCESS = Subcategory("Audit Directory Service Access", "{0cce923b-69ae-11d9-bed3-505054503030}")
DIRECTORY_SERVICE_CHANGES = Subcategory("Audit Directory Service Changes", "{0cce923c-69ae-11d9-bed3-505054503030}")
CREDENTIAL_VALIDATION = Subcategory("Audit Credential Validation", "{0cce923f-69ae-11d9-bed3-505054503030}")

# Set-MDIConfiguration's items: AdvancedAuditPolicyDCs, AdvancedAuditPolicyCAs, and the audit part of EntraConnectAuditing.
DOMAIN_CONTROLLERS = (SECURITY_SYSTEM_EXTENSION, DISTRIBUTION_GROUP_MANAGEMENT, SECURITY_GROUP_MANAGEMENT, COMPUTER_ACCOUNT_MANAGEMENT,
                      USER_ACCOUNT_MANAGEMENT, DIRECTORY_SERVICE_ACCESS, DIRECTORY_SERVICE_CHANGES, CREDENTIAL_VALIDATION)
CERTIFICATE_AUTHORITIES = (CERTIFICATION_SERVICES,)
ENTRA_CONNECT = (LOGON,)
ALL = tuple(sorted({*DOMAIN_CONTROLLERS, *CERTIFICATE_AUTHORITIES, *ENTRA_CONNECT}, key=lambda item: item.guid))


def lookup(text: str) -> Subcategory:
    """The subcategory named by its GUID (any case, braces optional), its name, or its name without "Audit "."""
    wanted = text.strip().lower()
    braced = wanted if wanted.startswith("{") else "{" + wanted + "}"
    for item in ALL:
        if braced == item.guid or wanted in (item.name.lower(), item.name.lower()[len("audit "):]):
            return item
    if GUID.match(braced):
        return Subcategory("", braced)  # a subcategory this table does not name: the row is matched by GUID alone
    raise GpoSettingsError(f"Unknown audit subcategory {text!r}: give its GUID ({{0cce92xx-69ae-11d9-bed3-505054503030}}) "
                           f"or one of: {', '.join(item.name for item in ALL)}")

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the schema and extended-right GUIDs it uses.

These GUIDs are the same in every forest (schemaIDGUID / rightsGuid, documented in MS-ADA and MS-ADTS).
Any other name is resolved against the forest's own schema by the LDAP layer.
"""
from __future__ import annotations

import uuid

# Classes (schemaIDGUID).
CLASS_USER = uuid.UUID("bf967aba-0de6-11d0-a285-00aa003049e2")
CLASS_GROUP = uuid.UUID("bf967a9c-0de6-11d0-a285-00aa003049e2")
CLASS_COMPUTER = uuid.UUID("bf967a86-0de6-11d0-a285-00aa003049e2")
CLASS_INET_ORG_PERSON = uuid.UUID("4828cc14-1437-45bc-9b07-ad6f015e5f28")
CLASS_ORGANIZATIONAL_UNIT = uuid.UUID("bf967aa5-0de6-11d0-a285-00aa003049e2")
CLASS_GROUP_MANAGED_SERVICE_ACCOUNT = uuid.UUID("7b8b558a-93a5-4af7-adca-c017e67f1057")

# Attributes (schemaIDGUID).
ATTRIBUTE_PWD_LAST_SET = uuid.UUID("bf967a0a-0de6-11d0-a285-00aa003049e2")
ATTRIBUTE_USER_ACCOUNT_CONTROL = uuid.UUID("bf967a68-0de6-11d0-a285-00aa003049e2")
ATTRIBUTE_MEMBER = uuid.UUID("bf9679c0-0de6-11d0-a285-00aa003049e2")

# Property sets and extended rights (rightsGuid).
PROPERTY_SET_USER_ACCOUNT_RESTRICTIONS = uuid.UUID("4c164200-20c0-11d0-a768-00aa006e0529")
PROPERTY_SET_MEMBERSHIP = uuid.UUID("bc0ac240-79a9-11d0-9020-00c04fc2d4cf")
EXTENDED_RIGHT_RESET_PASSWORD = uuid.UUID("00299570-246d-11d0-a768-00aa006e0529")  # User-Force-Change-Password

# Names shown for these GUIDs when no schema lookup is available (ldapDisplayName or right display name).
WELL_KNOWN_GUID_NAMES = {
    CLASS_USER: "user",
    CLASS_GROUP: "group",
    CLASS_COMPUTER: "computer",
    CLASS_INET_ORG_PERSON: "inetOrgPerson",
    CLASS_ORGANIZATIONAL_UNIT: "organizationalUnit",
    CLASS_GROUP_MANAGED_SERVICE_ACCOUNT: "msDS-GroupManagedServiceAccount",
    ATTRIBUTE_PWD_LAST_SET: "pwdLastSet",
    ATTRIBUTE_USER_ACCOUNT_CONTROL: "userAccountControl",
    ATTRIBUTE_MEMBER: "member",
    PROPERTY_SET_USER_ACCOUNT_RESTRICTIONS: "Account Restrictions",
    PROPERTY_SET_MEMBERSHIP: "Group Membership",
    EXTENDED_RIGHT_RESET_PASSWORD: "Reset Password",
}
_GUID_OF_NAME = {name.lower(): guid for guid, name in WELL_KNOWN_GUID_NAMES.items()}
# What each is, in the kinds of _ldap/schema.py: a GUID given in an ACE is checked to fit its rights without a search.
WELL_KNOWN_GUID_KINDS = {
    **dict.fromkeys((CLASS_USER, CLASS_GROUP, CLASS_COMPUTER, CLASS_INET_ORG_PERSON, CLASS_ORGANIZATIONAL_UNIT,
                     CLASS_GROUP_MANAGED_SERVICE_ACCOUNT), "class"),
    **dict.fromkeys((ATTRIBUTE_PWD_LAST_SET, ATTRIBUTE_USER_ACCOUNT_CONTROL, ATTRIBUTE_MEMBER), "attribute"),
    **dict.fromkeys((PROPERTY_SET_USER_ACCOUNT_RESTRICTIONS, PROPERTY_SET_MEMBERSHIP), "property_set"),
    EXTENDED_RIGHT_RESET_PASSWORD: "extended_right",
}


def well_known_guid(name: str) -> uuid.UUID | None:
    """The GUID of a well-known class, attribute or right by its name (case-insensitive), or None."""
    return _GUID_OF_NAME.get(name.strip().lower())

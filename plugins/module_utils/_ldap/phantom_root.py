# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: one search over several naming contexts of a DC.

LDAP_SERVER_SEARCH_OPTIONS_OID with SERVER_SEARCH_FLAG_PHANTOM_ROOT (MS-ADTS 3.1.1.3.4.1.12; Samba too): the search
covers every NC the DC holds below its base (application NCs aside), e.g. the domain NC and the configuration NC
below the forest root, or the configuration and schema NCs. The control is not critical: a server that ignores it
answers for the base's own NC only, so callers check that the other NC answered (a sentinel entry) and fall back.
"""
from __future__ import annotations

try:
    from ldap3.protocol.controls import build_control
except ImportError:  # connection.py reports the missing library; no client exists without it
    build_control = None

SEARCH_OPTIONS_OID = "1.2.840.113556.1.4.1340"
_PHANTOM_ROOT_VALUE = b"\x30\x03\x02\x01\x02"  # BER: SEQUENCE { Flags INTEGER 2 }


def phantom_root_control() -> list:
    """The controls argument of a phantom-root search."""
    return [build_control(SEARCH_OPTIONS_OID, False, _PHANTOM_ROOT_VALUE, encode_control_value=False)]


def common_parent(first: str, second: str) -> str:
    """The DN both lie under ("" when none): the base that covers both. NC names hold no escaped commas."""
    common: list = []
    for one, other in zip(reversed(first.split(",")), reversed(second.split(","))):
        if one.strip().lower() != other.strip().lower():
            break
        common.insert(0, one)
    return ",".join(common)

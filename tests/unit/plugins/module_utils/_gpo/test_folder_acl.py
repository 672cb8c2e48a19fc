# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo/folder_acl.py: the SYSVOL ACL derived from a GPO container's, checked against what Samba derives."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.folder_acl import file_mask, sysvol_descriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import descriptor_from_sddl, descriptor_to_sddl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo.fakes import GPC_SDDL
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import DOMAIN_SID

# samba.ntacls.dsacl2fsacl(GPC_SDDL) as `samba-tool ntacl sysvolcheck` printed it on the lab for a new GPO.
SAMBA_SYSVOL_SDDL = ("O:DAG:DAD:P(A;OICI;FA;;;DA)(A;OICI;FA;;;EA)(A;OICIIO;FA;;;CO)(A;OICI;FA;;;DA)(A;OICI;FA;;;SY)"
                     "(A;OICI;0x1200a9;;;AU)(OA;OICI;;edacfd8f-ffb3-11d1-b41d-00a0c968f939;;AU)(A;OICI;0x1200a9;;;ED)")


@pytest.mark.parametrize("ds_mask, expected", [
    (0x000F01FF, 0x001F01FF),  # full control of the container -> FA
    (0x00020094, 0x001200A9),  # LCRPLORC (read) -> read and execute
    (0x00000100, 0),           # the Apply Group Policy extended right has no file right
    (0x00000020, 0x00100116),  # write property -> write data, append, write EA and attributes
    (0x00000003, 0x00000046),  # create and delete child -> add file and folder, delete child
])
def test_file_mask(ds_mask, expected):
    assert file_mask(ds_mask) == expected


def test_sysvol_descriptor_is_what_samba_derives():
    derived = sysvol_descriptor(descriptor_from_sddl(GPC_SDDL, DOMAIN_SID))
    assert descriptor_to_sddl(derived, DOMAIN_SID) == SAMBA_SYSVOL_SDDL


def test_deny_aces_and_pre_windows_2000_are_left_out():
    gpc = descriptor_from_sddl("O:DAG:DAD:(D;;RP;;;S-1-5-21-1-2-3-1105)(A;;LCRPLORC;;;RU)(A;CI;LCRPLORC;;;AU)", DOMAIN_SID)
    assert descriptor_to_sddl(sysvol_descriptor(gpc), DOMAIN_SID) == "O:DAG:DAD:P(A;OICI;0x1200a9;;;AU)"

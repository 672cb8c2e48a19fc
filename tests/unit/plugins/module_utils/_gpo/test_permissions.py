# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo/permissions.py: security filtering planned in a GPO container's DACL (Samba's default for a new GPO)."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo import permissions as gp
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import acl_to_sddl, descriptor_from_sddl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo.fakes import GPC_SDDL
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import DOMAIN_SID

AU, DC, CERT_PUBLISHERS = "S-1-5-11", f"{DOMAIN_SID}-516", f"{DOMAIN_SID}-517"
APPLY = "edacfd8f-ffb3-11d1-b41d-00a0c968f939"
ADMINS = ("(A;CI;CCDCLCSWRPWPDTLOSDRCWDWO;;;DA)(A;CI;CCDCLCSWRPWPDTLOSDRCWDWO;;;EA)(A;CIIO;CCDCLCSWRPWPDTLOSDRCWDWO;;;CO)"
          "(A;;CCDCLCSWRPWPDTLOSDRCWDWO;;;DA)(A;CI;CCDCLCSWRPWPDTLOSDRCWDWO;;;SY)")


def dacl(text: str = GPC_SDDL):
    return descriptor_from_sddl(text, DOMAIN_SID).dacl


def sddl(acl) -> str:
    return "D:" + acl_to_sddl(acl, DOMAIN_SID)


def test_mdi_ca_items_exact_replace_apply_of_authenticated_users_and_keep_its_read():
    """Set-GPPermission -Replace for the CA items: Cert Publishers apply, Domain Controllers and Authenticated Users read."""
    planned = gp.planned_dacl(dacl(), {CERT_PUBLISHERS: "apply", DC: "read", AU: "read"}, exact=True)
    assert sddl(planned) == ("D:" + ADMINS + "(A;CI;LCRPLORC;;;AU)(A;CI;LCRPLORC;;;ED)(A;CI;LCRPLORC;;;CA)(A;CI;LCRPLORC;;;DD)"
                             f"(OA;CI;CR;{APPLY};;CA)")
    assert gp.planned_dacl(planned, {CERT_PUBLISHERS: "apply", DC: "read", AU: "read"}, exact=True) is planned  # idempotent


def test_remote_sam_deny_apply_for_domain_controllers_goes_first_and_keeps_the_rest():
    before = dacl()
    planned = gp.planned_dacl(before, {DC: "deny_apply"}, exact=False)
    assert sddl(planned) == f"D:(OD;;CR;{APPLY};;DD)" + sddl(before)[2:]
    assert gp.planned_dacl(planned, {DC: "deny_apply"}, exact=False) is planned


def test_present_leaves_principals_not_named_and_exact_takes_their_deny_too():
    start = dacl(f"D:(OD;;CR;{APPLY};;DD)(A;CI;LCRPLORC;;;AU)(OA;CI;CR;{APPLY};;AU)")
    present = gp.planned_dacl(start, {CERT_PUBLISHERS: "apply"}, exact=False).raw_entries
    assert [raw for raw in present if raw in start.raw_entries] == list(start.raw_entries) and len(present) == 5
    exact = gp.planned_dacl(start, {CERT_PUBLISHERS: "apply"}, exact=True)
    assert sddl(exact) == f"D:(A;CI;LCRPLORC;;;AU)(A;CI;LCRPLORC;;;CA)(OA;CI;CR;{APPLY};;CA)"


def test_levels_replace_each_other_for_one_principal():
    applied = gp.planned_dacl(dacl("D:(A;CI;LCRPLORC;;;AU)"), {AU: "apply"}, exact=False)
    assert sddl(applied) == f"D:(A;CI;LCRPLORC;;;AU)(OA;CI;CR;{APPLY};;AU)"
    denied = gp.planned_dacl(applied, {AU: "deny_apply"}, exact=False)
    assert sddl(denied) == f"D:(OD;;CR;{APPLY};;AU)(A;CI;LCRPLORC;;;AU)"  # its Read stays
    assert sddl(gp.planned_dacl(denied, {AU: "read"}, exact=False)) == "D:(A;CI;LCRPLORC;;;AU)"


def test_inherited_and_other_aces_are_not_security_filtering():
    start = dacl(f"D:(OA;CIID;CR;{APPLY};;AU)(A;CI;LCRPLORCCR;;;AU)(OA;;WP;{APPLY};;CA)")
    assert gp.held(start) == {}
    assert gp.planned_dacl(start, {}, exact=True) is start


def test_describe_names_each_principal_with_its_level():
    shown = gp.describe(dacl(f"D:(OD;;CR;{APPLY};;DD)(A;CI;LCRPLORC;;;AU)(OA;CI;CR;{APPLY};;AU)(OA;CI;CR;{APPLY};;CA)"
                             "(A;CI;LCRPLORC;;;ED)"), lambda sid: {AU: "Authenticated Users"}.get(sid, sid))
    assert shown == [{"principal": "Authenticated Users", "sid": AU, "level": "apply"},
                     {"principal": DC, "sid": DC, "level": "deny_apply"},
                     {"principal": CERT_PUBLISHERS, "sid": CERT_PUBLISHERS, "level": "apply_without_read"},
                     {"principal": "S-1-5-9", "sid": "S-1-5-9", "level": "read"}]

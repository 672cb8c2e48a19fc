# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo/gpo.py: GPOs by GUID or name, and which GPOs a container links, by precedence."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo import gpo
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._user_rights.fakes import BASE, DDCP, FakeDirectory

MDI = "{11111111-2222-3333-4444-555555555555}"
OTHER = "{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}"


@pytest.fixture(name="directory")
def fixture_directory():
    return FakeDirectory()  # the user-rights fake, which seeds GPOs with their attributes


@pytest.fixture(name="gpos")
def fixture_gpos(directory):
    directory.add_gpo(DDCP, "Default Domain Controllers Policy", version=3)
    directory.add_gpo(MDI, "MDI sensors")
    directory.add_gpo(OTHER, "Twin")
    directory.add_gpo("{CCCCCCCC-BBBB-CCCC-DDDD-EEEEEEEEEEEE}", "Twin")
    return directory


@pytest.mark.parametrize("selector", [DDCP, DDCP.lower(), DDCP.strip("{}"), "Default Domain Controllers Policy"])
def test_find_by_guid_or_name(gpos, selector):
    found = gpo.find_gpo(gpos, selector)
    assert (found.guid, found.name, found.version) == (DDCP, "Default Domain Controllers Policy", 3)
    assert found.dn == f"CN={DDCP},CN=Policies,CN=System,{BASE}"
    assert found.file_sys_path.endswith(f"\\Policies\\{DDCP}")


def test_missing_and_ambiguous(gpos):
    with pytest.raises(GpoError, match=r"no Group Policy object 'Nope' .*\)$"):
        gpo.find_gpo(gpos, "Nope")
    with pytest.raises(GpoError, match=r"no Group Policy object 'Nope' .*: check gpo \(its display name or GUID\), or leave it out"):
        gpo.find_gpo(gpos, "Nope", option="gpo")
    with pytest.raises(GpoError, match="2 Group Policy objects are named 'Twin': give its GUID"):
        gpo.find_gpo(gpos, "Twin")


def test_link_order_and_disabled_links(gpos):
    # gPLink lists the lowest precedence first; ;1 is a disabled link, ;2 an enforced one.
    gpos.add(f"OU=Domain Controllers,{BASE}", gPLink=(f"[LDAP://cn={DDCP},cn=policies,cn=system,{BASE};0]"
                                                      f"[LDAP://CN={OTHER},CN=Policies,CN=System,{BASE};1]"
                                                      f"[LDAP://cn={MDI.lower()},cn=policies,cn=system,{BASE};2]"))
    assert gpo.linked_gpos(gpos, gpo.domain_controllers_ou(gpos)) == [MDI, DDCP]


def test_no_links(gpos):
    gpos.add(f"OU=Domain Controllers,{BASE}", objectClass="organizationalUnit")
    assert gpo.linked_gpos(gpos, gpo.domain_controllers_ou(gpos)) == []
    with pytest.raises(GpoError, match="does not exist"):
        gpo.linked_gpos(gpos, f"OU=Gone,{BASE}")

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo/links.py: gPLink parsed, written back, and one GPO's entry edited without touching the others."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo import links as gl
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError

A, B, MINE = "{AAAAAAAA-0000-0000-0000-000000000000}", "{BBBBBBBB-0000-0000-0000-000000000000}", "{11111111-2222-3333-4444-555555555555}"
BASE = "DC=corp,DC=example,DC=test"
# Windows writes lower-case DNs; ours is written as the DC returns the container's DN.
VALUE = f"[LDAP://cn={A.lower()},cn=policies,cn=system,{BASE};0][LDAP://CN={B},CN=Policies,CN=System,{BASE};3]"
MY_DN = f"CN={MINE},CN=Policies,CN=System,{BASE}"


def test_parse_and_format_round_trip():
    links = gl.parse_gplink(VALUE)
    assert [(link.guid, link.enabled, link.enforced) for link in links] == [(A, True, False), (B, False, True)]
    assert gl.format_gplink(links) == VALUE
    assert gl.parse_gplink("") == [] and gl.parse_gplink(None) == [] and gl.parse_gplink(" ") == []


def test_text_between_links_is_refused_for_a_rewrite_but_skipped_for_reading():
    with pytest.raises(GpoError, match="the gPLink of OU=X is not a run of"):
        gl.parse_gplink(VALUE + "garbage", "the gPLink of OU=X")
    assert [link.guid for link in gl.parse_gplink(VALUE + "garbage", strict=False)] == [A, B]


def test_a_new_link_gets_the_lowest_precedence_and_keeps_the_others_byte_for_byte():
    after = gl.format_gplink(gl.ensure_link(gl.parse_gplink(VALUE), MINE, MY_DN, gl.link_options(True, False)))
    assert after == f"[LDAP://{MY_DN};0]" + VALUE  # first entry = link order 3 (the last), as GPMC and samba-tool add it
    assert gl.link_order(gl.parse_gplink(after), MINE) == 3


@pytest.mark.parametrize("order, expected", [
    (1, f"{VALUE}[LDAP://{MY_DN};2]"),        # highest precedence: the last entry
    (2, f"[LDAP://cn={A.lower()},cn=policies,cn=system,{BASE};0][LDAP://{MY_DN};2][LDAP://CN={B},CN=Policies,CN=System,{BASE};3]"),
    (99, f"[LDAP://{MY_DN};2]{VALUE}"),       # past the end: the lowest
])
def test_order_places_the_link(order, expected):
    assert gl.format_gplink(gl.ensure_link(gl.parse_gplink(VALUE), MINE, MY_DN, gl.link_options(True, True), order)) == expected


def test_an_existing_link_keeps_its_place_and_its_dn_text_and_only_its_options_change():
    value = f"[LDAP://cn={MINE.lower()},cn=policies,cn=system,{BASE};0]" + VALUE
    after = gl.format_gplink(gl.ensure_link(gl.parse_gplink(value), MINE, MY_DN, gl.link_options(False, True)))
    assert after == f"[LDAP://cn={MINE.lower()},cn=policies,cn=system,{BASE};3]" + VALUE
    assert gl.format_gplink(gl.ensure_link(gl.parse_gplink(value), MINE, MY_DN, 0)) == value  # unchanged: same text


def test_remove_link_leaves_the_others():
    value = f"[LDAP://cn={A.lower()},cn=policies,cn=system,{BASE};0][LDAP://{MY_DN};2][LDAP://CN={B},CN=Policies,CN=System,{BASE};3]"
    assert gl.format_gplink(gl.remove_link(gl.parse_gplink(value), MINE)) == VALUE
    assert gl.remove_link(gl.parse_gplink(VALUE), MINE) == gl.parse_gplink(VALUE)

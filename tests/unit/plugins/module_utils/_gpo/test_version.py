# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo/version.py: MS-GPOL version arithmetic and GPT.INI's Version=."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo import version as gv


@pytest.mark.parametrize("before, after", [
    (0, 1),                      # a new GPO's first computer change
    (0x00050003, 0x00050004),    # user version 5 stays, machine 3 -> 4
    (0x0001FFFF, 0x00010001),    # machine part wraps to 0, which MS-GPOL turns into 1
    (0xFFFFFFFF, 0xFFFF0001),
    (-2147418112, 0x80010001),   # versionNumber as AD returns it (signed) for user version 0x8001
])
def test_bump_machine(before, after):
    assert gv.bump_machine(before) == after


def test_ad_integer_is_signed():
    assert gv.to_ad_integer(0x80010001) == 0x80010001 - (1 << 32)
    assert gv.to_ad_integer(7) == 7


@pytest.mark.parametrize("text, version", [
    ("[General]\r\nVersion=0", 0),  # what Samba provisions
    ("[General]\r\nVersion=65539\r\ndisplayName=New Group Policy Object\r\n", 65539),
    ("[general]\r\n version = 12 \r\n", 12),
    ("[Other]\r\nVersion=5\r\n", 0),
    ("", 0),
])
def test_ini_version(text, version):
    assert gv.ini_version(text) == version


def test_set_ini_version_keeps_the_rest():
    assert gv.set_ini_version("[General]\r\nVersion=0", 1) == "[General]\r\nVersion=1"
    text = "[General]\r\nVersion=65539\r\ndisplayName=New Group Policy Object\r\n"
    assert gv.set_ini_version(text, 65540) == "[General]\r\nVersion=65540\r\ndisplayName=New Group Policy Object\r\n"
    assert gv.set_ini_version("[General]\nVersion=3\n", 4) == "[General]\nVersion=4\n"


def test_set_ini_version_adds_what_is_missing():
    assert gv.set_ini_version("", 1) == "[General]\r\nVersion=1\r\n"
    assert gv.set_ini_version("[General]", 1) == "[General]\r\nVersion=1\r\n"
    assert gv.set_ini_version("[Other]\r\nx=1", 1) == "[Other]\r\nx=1\r\n[General]\r\nVersion=1\r\n"

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo_settings/inf.py: generic security-template sections and keyed lines (GptTmpl.inf's [Privilege
Rights] is tested through _user_rights/gpttmpl.py in tests/unit/plugins/module_utils/_user_rights/test_gpttmpl.py)."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.inf import InfFile

LINES = [
    "[Unicode]", "Unicode=yes",
    "[System Access]", "MinimumPasswordAge = 1", "; a comment = not a key",
    "[Registry Values]",
    "MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Setup\\RecoveryConsole\\SecurityLevel=4,0",
    "",
    "[Version]", 'signature="$CHICAGO$"', "Revision=1",
]
SECURITY_LEVEL = "MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Setup\\RecoveryConsole\\SecurityLevel"


def _file(lines) -> bytes:
    return b"\xff\xfe" + "".join(line + "\r\n" for line in lines).encode("utf-16-le")


def test_key_with_spaces_is_found():
    inf = InfFile.decode(_file(LINES))
    assert inf.value("registry values", SECURITY_LEVEL.lower()) == "4,0"
    assert inf.value("System Access", "minimumpasswordage") == "1"
    assert inf.value("System Access", "; a comment") is None
    assert inf.items("Registry Values") == [(SECURITY_LEVEL, "4,0")]


def test_new_key_goes_before_the_blank_line_that_ends_the_section():
    inf = InfFile.decode(_file(LINES))
    inf.set_value("Registry Values", "MACHINE\\X\\Y", "4,1", separator="=")
    assert inf.encode() == _file(LINES[:7] + ["MACHINE\\X\\Y=4,1"] + LINES[7:])


def test_edit_keeps_what_stands_before_the_value():
    inf = InfFile.decode(_file(LINES))
    inf.set_value("System Access", "MinimumPasswordAge", "2")
    assert inf.encode() == _file(LINES[:3] + ["MinimumPasswordAge = 2"] + LINES[4:])


def test_remove():
    inf = InfFile.decode(_file(LINES))
    assert inf.remove("Registry Values", SECURITY_LEVEL) and not inf.remove("Registry Values", SECURITY_LEVEL)
    assert inf.encode() == _file(LINES[:6] + LINES[7:])


def test_missing_section_is_appended_to_a_file_without_a_final_line_end():
    data = b"\xff\xfe" + "[Unicode]\r\nUnicode=yes".encode("utf-16-le")
    inf = InfFile.decode(data)
    inf.set_value("Registry Values", "MACHINE\\X\\Y", "4,1", separator="=")
    assert inf.text == "[Unicode]\r\nUnicode=yes\r\n[Registry Values]\r\nMACHINE\\X\\Y=4,1\r\n"


def test_new_file_is_utf16_with_bom_and_crlf():
    assert InfFile.new().encode() == _file(["[Unicode]", "Unicode=yes", "[Version]", 'signature="$CHICAGO$"', "Revision=1"])


def test_twice_defined_key_is_refused():
    inf = InfFile.decode(_file(LINES + ["[Registry Values]", SECURITY_LEVEL + "=4,1"]))
    with pytest.raises(GpoSettingsError, match="twice"):
        inf.value("Registry Values", SECURITY_LEVEL)

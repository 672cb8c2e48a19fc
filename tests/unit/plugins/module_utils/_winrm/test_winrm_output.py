# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _winrm/output.py: CLIXML stderr and the JSON line on stdout."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._winrm.output import clixml_to_text, last_json_line

HEAD = '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'


def test_error_records_are_joined_and_unescaped():
    stderr = HEAD + '<Obj S="progress" RefId="0"><MS/></Obj><S S="Error">Access is denied_x000D__x000A_</S><S S="Error">At line:3_x000D__x000A_</S></Objs>'
    assert clixml_to_text(stderr) == "Access is denied\r\nAt line:3"


def test_several_documents_and_plain_text():
    stderr = HEAD + '<S S="Error">one_x000A_</S></Objs>' + HEAD + '<S S="Error">two</S></Objs>'
    assert clixml_to_text(stderr) == "one\ntwo"
    assert clixml_to_text("The command line is too long.\r\n") == "The command line is too long."
    assert clixml_to_text(None) == ""
    assert clixml_to_text("#< CLIXML\r\n<Objs broken") == "<Objs broken"


@pytest.mark.parametrize("stdout, value", [
    ('{"a": 1}\r\n', {"a": 1}), ('banner\r\n{"a": 1}\r\n\r\n', {"a": 1}), ("", None), ("not json", None), ('{"a": 1}\r\ntrailer', None),
])
def test_last_json_line(stdout, value):
    assert last_json_line(stdout) == value

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the user_right module file: run without its action plugin, it says so."""
from __future__ import annotations

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.mdi.action_accounts.plugins.modules import user_right


def test_main_says_it_needs_the_action_plugin(capsys):
    with patch_module_args({"name": "SeServiceLogonRight", "users": ["CORP\\mdiAction$"]}), pytest.raises(SystemExit):
        user_right.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True and "action plugin" in result["msg"]

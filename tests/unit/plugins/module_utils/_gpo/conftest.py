# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the GPO package's tests: an in-memory directory and SYSVOL share."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo.fakes import GpoDirectory, GpoSysvol


@pytest.fixture
def directory():
    return GpoDirectory()


@pytest.fixture
def sysvol():
    return GpoSysvol()

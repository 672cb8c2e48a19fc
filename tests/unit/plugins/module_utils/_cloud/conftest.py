# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the _cloud unit tests."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.http import HttpClient
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._cloud.fakes import FakeSession


@pytest.fixture
def make_http():
    """make_http(*replies, **HttpClient keywords) -> (client, session, sleeps)."""
    def make(*replies, **kwargs):
        session = FakeSession(*replies)
        sleeps = []
        kwargs.setdefault("retries", 2)
        return HttpClient(session=session, sleep=sleeps.append, **kwargs), session, sleeps
    return make

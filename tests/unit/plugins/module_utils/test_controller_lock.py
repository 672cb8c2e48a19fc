# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_controller_lock.py: holders of one purpose and key (without case) take turns; other keys and purposes do not wait."""
from __future__ import annotations

import threading

from ansible_collections.mdi.action_accounts.plugins.module_utils._controller_lock import controller_lock


def _waits(purpose: str, key: str, holding: tuple[str, str], patience: float) -> bool:
    """Whether a second holder of (purpose, key) is still waiting after ``patience`` seconds while another thread holds
    ``holding`` (a long patience where it must not wait, so that a slow machine does not pass for a wait)."""
    held, release, entered = threading.Event(), threading.Event(), threading.Event()

    def holder():
        with controller_lock(*holding):
            held.set()
            release.wait(5)

    def second():
        with controller_lock(purpose, key):
            entered.set()

    threads = [threading.Thread(target=holder), threading.Thread(target=second)]
    threads[0].start()
    held.wait(5)
    threads[1].start()
    waited = not entered.wait(patience)
    release.set()
    for thread in threads:
        thread.join(5)
    assert entered.is_set(), "the second holder never got the lock"
    return waited


def test_one_purpose_and_key_is_held_once_at_a_time_whatever_the_case_of_the_key():
    assert _waits("acl", "OU=Servers,DC=corp", ("acl", "ou=servers,dc=CORP"), patience=0.3) is True


def test_another_key_or_purpose_does_not_wait():
    assert _waits("acl", "OU=Users,DC=corp", ("acl", "OU=Servers,DC=corp"), patience=5) is False
    assert _waits("gpo-edit", "OU=Servers,DC=corp", ("acl", "OU=Servers,DC=corp"), patience=5) is False

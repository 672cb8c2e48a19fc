# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in for _controller_lock.controller_lock that only records what is held, so a test can ask, at each read or
write of a fake, whether the task held its lock then."""
from __future__ import annotations

import contextlib


class HeldLocks(list):
    """The (purpose, key) pairs held now; call it as controller_lock(purpose, key)."""

    @contextlib.contextmanager
    def __call__(self, purpose: str, key: str):
        self.append((purpose, key))
        try:
            yield
        finally:
            self.remove((purpose, key))

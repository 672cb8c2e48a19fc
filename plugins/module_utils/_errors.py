# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: its exception base.

module_utils raise these (``raise ... from exc``); only a module's main() or an action plugin turns
them into a failure, with the message "Failed to <action> <object>: <cause>".
"""
from __future__ import annotations


class MdiError(Exception):
    """An error the user can act on; ``details`` are returned with the failure (``fail_json(msg, **details)``).

    Give them as a dict, as keywords, or both: ``MdiError("...", {"dn": dn}, result="noSuchObject")``.
    """

    def __init__(self, message: str, details: dict | None = None, **more):
        super().__init__(message)
        self.details = {**(details or {}), **more}

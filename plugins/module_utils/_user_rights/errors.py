# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the exceptions of the user-rights package."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo import errors as gpo_errors


class UserRightError(MdiError):
    """A user right cannot be read or changed; ``error_type`` (when set) is the contract's error type."""


class ContractError(UserRightError):
    """The Windows side answered something the contract (docs/contracts/user_rights.md) does not allow."""


class GpoError(UserRightError, gpo_errors.GpoError):
    """The Group Policy object cannot be found, read or written (a user-rights error and a GPO error: the shared GPO
    code in _gpo raises the latter)."""

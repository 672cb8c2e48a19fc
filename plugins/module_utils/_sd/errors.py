# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the exceptions of the security-descriptor package."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError


class SecurityDescriptorError(MdiError):
    """Malformed or unsupported security descriptor, ACL, ACE or SID."""


class SddlError(SecurityDescriptorError):
    """An SDDL string cannot be parsed, or a value cannot be written as SDDL."""


class AclLimitError(SecurityDescriptorError):
    """An ACL would exceed what Active Directory or Samba stores; raised before anything is written."""

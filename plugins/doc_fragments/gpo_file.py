# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations


class ModuleDocFragment:
    # The modules that edit one settings file of a GPO (_gpo_edit): which GPO, and which DC's SYSVOL.
    DOCUMENTATION = r"""
options:
  gpo:
    description:
      - The GPO, by display name (which must be unique) or GUID. Create it with M(mdi.action_accounts.gpo).
    type: str
    required: true
  smb_server:
    description:
      - The domain controller whose SYSVOL share is written over SMB, with O(username) and O(password).
      - Default is O(server), so the files and the GPO container change on the same domain controller.
    type: str
notes:
  - The edit goes GPT.INI's version first, then the settings file, then the GPO's C(versionNumber) in AD, each version's
    computer half incremented (MS-GPOL, a half that wraps becomes 1). A run that stopped between these writes leaves the two
    versions apart; the next run sees that, finishes the edit and brings both to one new version, with a warning.
  - Run it once per domain (C(run_once=true)). Tasks on one controller that edit GPO files of the same domain wait for each
    other (M(mdi.action_accounts.user_right) with C(scope=gpo) included).
"""

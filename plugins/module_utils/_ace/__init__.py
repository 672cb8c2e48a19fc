# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: explicit ACEs on directory objects (the ad_ace modules).

spec.py and plan.py are pure (no LDAP) and unit-tested; directory.py reads and writes DACLs; task.py and
info.py are the modules' work.
"""
from __future__ import annotations

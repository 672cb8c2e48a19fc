# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the MDI Directory Service account's checks (Test-MDIDSA).

checks.py: each check's verdict from what was read (pure); task.py: the reads, for directory_service_account_info.
"""

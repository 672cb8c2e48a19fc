# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: MDI remediation actions on AD accounts, asked through Microsoft Graph
and watched in AD over LDAP (the account's state before, the effect after)."""

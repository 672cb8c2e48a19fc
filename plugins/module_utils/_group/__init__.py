# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: AD groups over LDAP.

group_type.py: groupType bits and the scope changes AD allows (pure); task.py: the ad_group module's work.
"""

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: Group Policy objects over LDAP and SMB, without GPMC.

The container in AD (gpo.py: lookup; container.py: its attributes and children), its links (links.py: gPLink),
its folder in SYSVOL (sysvol.py over smbprotocol), the MS-GPOL version arithmetic (version.py), and the ensure
logic of the gpo module (task.py). The settings files inside a GPO are _gpo_settings' business.
"""

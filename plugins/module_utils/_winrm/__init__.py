# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: PowerShell scripts the action plugins run on Windows hosts
through the host's own Ansible connection (winrm, psrp, or ssh with the PowerShell shell), and reading
what comes back. No connection code here: Ansible's connection plugins carry the command."""

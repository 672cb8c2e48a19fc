# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: Windows user rights ("Log on as a service"), pure logic.

Right names, the user-rights script contract (docs/contracts/user_rights.md), member-list arithmetic,
and the Group Policy side (GptTmpl.inf, GPT.INI, gPCMachineExtensionNames) on the standard library
only, so everything here is unit-tested without Ansible, Windows or a domain controller.
"""

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the settings files of a Group Policy object, pure logic.

One codec per file a GPO holds in SYSVOL - audit.csv (MS-GPAC), GptTmpl.inf (MS-GPSB), Registry.pol (MS-GPREG),
the Preferences' Registry.xml (MS-GPPREF) - plus gPCMachineExtensionNames (MS-GPOL). Each takes the bytes the file
holds (None when there is no file), merges the entries asked for (present or absent), keeps every unrelated line,
entry or element byte for byte, writes the encoding Windows writes, and returns a change.Change: the new bytes,
whether they differ, and a before/after text for diff mode. No I/O, standard library only.
"""

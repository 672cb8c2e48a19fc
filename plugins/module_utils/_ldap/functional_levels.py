# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the rootDSE's domainFunctionality and forestFunctionality values by the
Windows Server version they stand for (MS-ADTS 6.1.4.2)."""
from __future__ import annotations

LEVELS = {0: "Windows 2000", 1: "Windows Server 2003 interim", 2: "Windows Server 2003", 3: "Windows Server 2008",
          4: "Windows Server 2008 R2", 5: "Windows Server 2012", 6: "Windows Server 2012 R2", 7: "Windows Server 2016",
          10: "Windows Server 2025"}


def level_name(level: int) -> str:
    return LEVELS.get(level, f"level {level}")

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: what a PowerShell command left on stdout and stderr."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

_CLIXML_HEADER = "#< CLIXML"
_PS_NS = "{http://schemas.microsoft.com/powershell/2004/04}"
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    # CLIXML writes characters XML cannot carry (CR, LF, ...) as _xHHHH_.
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def clixml_to_text(stderr: str) -> str:
    """The error records of CLIXML stderr (Windows PowerShell's format when redirected) as plain text;
    anything else as it is."""
    if _CLIXML_HEADER not in (stderr or ""):
        return (stderr or "").strip()
    parts = []
    for chunk in stderr.split(_CLIXML_HEADER):
        chunk = chunk.strip()
        if not chunk:
            continue
        try:
            root = ET.fromstring(chunk)
        except ET.ParseError:
            parts.append(chunk)
            continue
        parts.extend(_unescape(node.text or "") for node in root.iter(f"{_PS_NS}S") if node.get("S") == "Error")
    return "".join(parts).strip()


def last_json_line(stdout: str):
    """The JSON value on the last non-empty line of stdout, or None. The scripts print exactly one JSON
    line; anything before it (a profile's output, a banner) is not theirs and is ignored."""
    lines = [line.strip() for line in (stdout or "").splitlines() if line.strip()]
    if not lines:
        return None
    try:
        return json.loads(lines[-1])
    except ValueError:
        return None

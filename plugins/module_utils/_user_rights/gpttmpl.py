# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a GPO's security template, GptTmpl.inf.

Path in SYSVOL: <GPO>\\MACHINE\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf. Windows writes it as UTF-16-LE
with a byte order mark and CRLF line ends; user rights live in ``[Privilege Rights]`` as
``SeServiceLogonRight = *S-1-5-80-0,*S-1-5-21-...-1105`` (``*`` marks a SID; a bare name is an account name).

Edits change one line (or add one) and keep every other byte (_gpo_settings/inf.py does the INF part): the file
also holds password, audit and registry policy that this collection must not touch.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.inf import InfFile
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import GpoError

PATH = r"MACHINE\Microsoft\Windows NT\SecEdit\GptTmpl.inf"
SECTION = "Privilege Rights"


class Template(InfFile):
    """The decoded file; ``encode()`` gives back the same bytes for everything not edited."""

    name = "GptTmpl.inf"
    error = GpoError

    def entries(self, right: str) -> list[str] | None:
        """The entries as written (``*S-1-...`` or names); None when the template does not define the right.
        An empty list means defined for nobody, which is not the same."""
        value = self.value(SECTION, right)
        return None if value is None else [item.strip() for item in value.split(",") if item.strip()]

    def set_entries(self, right: str, entries: list[str]) -> None:
        """Define ``right`` as exactly ``entries``: edit its line, else add it to the section, else add the section."""
        self.set_value(SECTION, right, ",".join(entries))

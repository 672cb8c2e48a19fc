# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a security template (INF) as secedit writes it, edited line by line.

``[Section]`` headers, then ``key = value`` lines (``[Privilege Rights]``) or ``key=value`` lines (``[Registry
Values]``); keys compare case-insensitively, and a registry path key may hold spaces (``...\\Windows NT\\...``).
Lines starting with ``;`` are comments. An edit changes one line (or adds one, at the end of its section, before
the section's trailing blank lines; a missing section is appended) and keeps every other byte: GptTmpl.inf also
holds password, audit and registry policy that a task about one setting must not touch.

Windows writes GptTmpl.inf as UTF-16-LE with a byte order mark and CRLF line ends (text.TextFile keeps whatever a
file has); a new file starts with what secedit writes before any setting (``new()``).
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.text import UTF16_BOM, TextFile, body

_SECTION = re.compile(r"^\s*\[(?P<name>[^\]]*)\]\s*$")
_KEYED = re.compile(r"^(?P<prefix>\s*(?P<key>[^=;\s](?:[^=]*[^=\s])?)\s*=[ \t]*)(?P<value>.*?)(?P<tail>[ \t]*)$")
# What secedit writes into a new template, before any setting.
_NEW_FILE = ("[Unicode]", "Unicode=yes", "[Version]", 'signature="$CHICAGO$"', "Revision=1")


class InfFile(TextFile):
    """A decoded security template; ``value``/``set_value``/``remove`` read and edit one key of one section."""

    name = "The security template"

    @classmethod
    def new(cls):
        return cls("".join(line + "\r\n" for line in _NEW_FILE), UTF16_BOM, "utf-16-le")

    def _locate(self, section: str, key: str | None) -> tuple[int | None, int | None]:
        """(index of the section's first header line, index of the key's line), None when absent."""
        header_index = line_index = None
        inside = False
        for index, line in enumerate(self.lines()):
            header = _SECTION.match(body(line))
            if header:
                inside = header.group("name").strip().lower() == section.lower()
                if inside and header_index is None:
                    header_index = index
                continue
            keyed = _KEYED.match(body(line)) if inside and key is not None else None
            if keyed and keyed.group("key").lower() == key.lower():
                if line_index is not None:
                    raise self.error(f"{self.name} defines {key} twice in [{section}]; fix the GPO by hand first")
                line_index = index
        return header_index, line_index

    def items(self, section: str) -> list[tuple[str, str]]:
        """(key, value) of every keyed line of ``section``, in file order."""
        found, inside = [], False
        for line in self.lines():
            header = _SECTION.match(body(line))
            if header:
                inside = header.group("name").strip().lower() == section.lower()
                continue
            keyed = _KEYED.match(body(line)) if inside else None
            if keyed:
                found.append((keyed.group("key"), keyed.group("value")))
        return found

    def value(self, section: str, key: str) -> str | None:
        """The key's value as written (without the spaces around it); None when the section does not define it."""
        _header, index = self._locate(section, key)
        return _KEYED.match(body(self.lines()[index])).group("value") if index is not None else None

    def set_value(self, section: str, key: str, value: str, separator: str = " = ") -> None:
        """Give ``key`` the value ``value``: edit its line (keeping what stands before the value), else add
        ``key<separator>value`` at the end of the section, else add the section at the end of the file."""
        lines = self.lines()
        header, index = self._locate(section, key)
        if index is not None:
            self.replace_line(lines, index, _KEYED.match(body(lines[index])).group("prefix") + value)
        elif header is None:
            self.insert_line(lines, len(lines), f"[{section}]")
            self.insert_line(lines, len(lines), f"{key}{separator}{value}")
        else:
            at = header + 1
            while at < len(lines) and not _SECTION.match(body(lines[at])):
                at += 1
            while at > header + 1 and not lines[at - 1].strip():  # before trailing blank lines of the section
                at -= 1
            self.insert_line(lines, at, f"{key}{separator}{value}")
        self.text = "".join(lines)

    def remove(self, section: str, key: str) -> bool:
        """Delete the key's line; False when the section does not define it."""
        lines = self.lines()
        _header, index = self._locate(section, key)
        if index is None:
            return False
        del lines[index]
        self.text = "".join(lines)
        return True

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a GPO's security template, GptTmpl.inf.

Path in SYSVOL: <GPO>\\MACHINE\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf. Windows writes it as UTF-16-LE
with a byte order mark and CRLF line ends; user rights live in ``[Privilege Rights]`` as
``SeServiceLogonRight = *S-1-5-80-0,*S-1-5-21-...-1105`` (``*`` marks a SID; a bare name is an account name).

Edits change one line (or add one) and keep every other byte: the file also holds password, audit and
registry policy that this collection must not touch.
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import GpoError

PATH = r"MACHINE\Microsoft\Windows NT\SecEdit\GptTmpl.inf"
SECTION = "Privilege Rights"
_ENCODINGS = ((b"\xff\xfe", "utf-16-le"), (b"\xef\xbb\xbf", "utf-8"))
_SECTION = re.compile(r"^\s*\[(?P<name>[^\]]*)\]\s*$")
_SETTING = re.compile(r"^(?P<prefix>\s*(?P<key>[^=\s]+)\s*=[ \t]*)(?P<value>.*?)(?P<tail>[ \t]*)$")
# What secedit writes into a new template, before the rights.
_NEW_FILE = ("[Unicode]", "Unicode=yes", "[Version]", 'signature="$CHICAGO$"', "Revision=1")


class Template:
    """The decoded file; ``encode()`` gives back the same bytes for everything not edited."""

    def __init__(self, text: str, bom: bytes, encoding: str):
        self.text, self.bom, self.encoding = text, bom, encoding

    @classmethod
    def decode(cls, data: bytes) -> Template:
        for bom, encoding in _ENCODINGS:
            if data.startswith(bom):
                try:
                    return cls(data[len(bom):].decode(encoding), bom, encoding)
                except UnicodeDecodeError as exc:
                    raise GpoError(f"GptTmpl.inf is not valid {encoding}: {exc}") from exc
        try:
            return cls(data.decode("utf-8"), b"", "utf-8")
        except UnicodeDecodeError as exc:
            raise GpoError(f"GptTmpl.inf has no byte order mark and is not UTF-8: {exc}") from exc

    @classmethod
    def new(cls) -> Template:
        return cls("".join(line + "\r\n" for line in _NEW_FILE), b"\xff\xfe", "utf-16-le")

    def encode(self) -> bytes:
        return self.bom + self.text.encode(self.encoding)

    def _lines(self) -> list[str]:
        return self.text.splitlines(keepends=True)

    def _eol(self) -> str:
        first = next((line for line in self._lines() if line.endswith(("\r\n", "\n"))), "\r\n")
        return "\r\n" if first.endswith("\r\n") else "\n"

    def _locate(self, right: str) -> tuple[int | None, int | None]:
        """(index of the [Privilege Rights] line, index of the right's line), None when absent."""
        section = line_index = None
        inside = False
        for index, line in enumerate(self._lines()):
            header = _SECTION.match(line.rstrip("\r\n"))
            if header:
                inside = header.group("name").strip().lower() == SECTION.lower()
                if inside and section is None:
                    section = index
                continue
            setting = _SETTING.match(line.rstrip("\r\n")) if inside else None
            if setting and setting.group("key").lower() == right.lower():
                if line_index is not None:
                    raise GpoError(f"GptTmpl.inf defines {right} twice; fix the GPO by hand first")
                line_index = index
        return section, line_index

    def entries(self, right: str) -> list[str] | None:
        """The entries as written (``*S-1-...`` or names); None when the template does not define the right.
        An empty list means defined for nobody, which is not the same."""
        _section, index = self._locate(right)
        if index is None:
            return None
        value = _SETTING.match(self._lines()[index].rstrip("\r\n")).group("value")
        return [item.strip() for item in value.split(",") if item.strip()]

    def set_entries(self, right: str, entries: list[str]) -> None:
        """Define ``right`` as exactly ``entries``: edit its line, else add it to the section, else add the section."""
        lines, eol = self._lines(), self._eol()
        section, index = self._locate(right)
        value = ",".join(entries)
        if index is not None:
            line = lines[index]
            ending = line[len(line.rstrip("\r\n")):]
            match = _SETTING.match(line.rstrip("\r\n"))
            lines[index] = match.group("prefix") + value + ending
        else:
            new_line = f"{right} = {value}{eol}"
            if section is None:
                at, new_line = len(lines), f"[{SECTION}]{eol}{new_line}"
            else:
                at = section + 1
                while at < len(lines) and not _SECTION.match(lines[at].rstrip("\r\n")):
                    at += 1
                while at > section + 1 and not lines[at - 1].strip():  # before trailing blank lines of the section
                    at -= 1
            if at > 0 and not lines[at - 1].endswith(("\r\n", "\n")):
                lines[at - 1] += eol  # the last line had no line end; it needs one before a new line
            lines.insert(at, new_line)
        self.text = "".join(lines)

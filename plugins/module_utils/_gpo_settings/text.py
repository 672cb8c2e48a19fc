# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a text settings file kept byte for byte.

The file is decoded with the encoding its byte order mark names (UTF-16-LE or UTF-8; none: UTF-8) and encoded
back with the same mark and encoding, so every line an edit does not touch comes back as it was read. Lines keep
their own line ends; a new line takes the file's (that of its first line; CRLF when there is none).
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError

UTF16_BOM, UTF8_BOM = b"\xff\xfe", b"\xef\xbb\xbf"
_ENCODINGS = ((UTF16_BOM, "utf-16-le"), (UTF8_BOM, "utf-8"))


def body(line: str) -> str:
    """The line without its line end."""
    return line.rstrip("\r\n")


def ending(line: str) -> str:
    """The line's line end ('' for a last line without one)."""
    return line[len(body(line)):]


class TextFile:
    """A decoded text file; ``encode()`` gives back the same bytes for everything not edited.

    Subclasses name the file (``name``, for messages) and may raise their own error class (``error``).
    """

    name = "The file"
    error = GpoSettingsError

    def __init__(self, text: str, bom: bytes, encoding: str):
        self.text, self.bom, self.encoding = text, bom, encoding

    @classmethod
    def decode(cls, data: bytes):
        for bom, encoding in _ENCODINGS:
            if data.startswith(bom):
                try:
                    return cls(data[len(bom):].decode(encoding), bom, encoding)
                except UnicodeDecodeError as exc:
                    raise cls.error(f"{cls.name} is not valid {encoding}: {exc}") from exc
        try:
            return cls(data.decode("utf-8"), b"", "utf-8")
        except UnicodeDecodeError as exc:
            raise cls.error(f"{cls.name} has no byte order mark and is not UTF-8: {exc}") from exc

    def encode(self) -> bytes:
        return self.bom + self.text.encode(self.encoding)

    def lines(self) -> list[str]:
        return self.text.splitlines(keepends=True)

    def eol(self) -> str:
        first = next((line for line in self.lines() if line.endswith(("\r\n", "\n"))), "\r\n")
        return "\r\n" if first.endswith("\r\n") else "\n"

    def insert_line(self, lines: list[str], at: int, line: str) -> None:
        """Insert ``line`` (ended with the file's line end) at index ``at`` of ``lines``."""
        eol = self.eol()
        if at > 0 and not lines[at - 1].endswith(("\r\n", "\n")):
            lines[at - 1] += eol  # the line before had no line end; it needs one before a new line
        lines.insert(at, line + eol)

    def replace_line(self, lines: list[str], index: int, new_body: str) -> None:
        """Give line ``index`` a new body and keep its line end."""
        lines[index] = new_body + ending(lines[index])

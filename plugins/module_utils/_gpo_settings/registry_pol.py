# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a GPO's Administrative Templates settings, Registry.pol (MS-GPREG 2.2.1).

Path in SYSVOL: <GPO>\\Machine\\Registry.pol. Binary: the signature ``PReg``, the version (DWORD 1, little-endian),
then entries ``[key;value;type;size;data]``: ``[ ; ]`` are UTF-16-LE characters, key and value name UTF-16-LE
strings ending with a NUL character, type and size DWORDs (little-endian), data ``size`` bytes. The key has no
hive (the file's folder says Machine or User).

Every entry read keeps its own bytes, so unknown types, odd sizes and the special value names (``**del.<name>``,
``**delvals.``, ``**DeleteValues``, ...) come back exactly as they were, in their order. Entries are matched by
key and value name, case-insensitively (the registry is); a merge refuses to name a special one, so it can neither
change nor remove one. A changed entry keeps its place; a new one is appended.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.change import Change
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError

PATH = r"Machine\Registry.pol"
SIGNATURE, VERSION = b"PReg", 1
HEADER = SIGNATURE + struct.pack("<I", VERSION)
REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD, REG_MULTI_SZ, REG_QWORD = 1, 2, 3, 4, 7, 11
TYPE_NAMES = {REG_SZ: "REG_SZ", REG_EXPAND_SZ: "REG_EXPAND_SZ", REG_BINARY: "REG_BINARY", REG_DWORD: "REG_DWORD",
              REG_MULTI_SZ: "REG_MULTI_SZ", REG_QWORD: "REG_QWORD"}
_OPEN, _SEMICOLON, _CLOSE, _NUL = "[".encode("utf-16-le"), ";".encode("utf-16-le"), "]".encode("utf-16-le"), b"\x00\x00"


@dataclass(frozen=True)
class PolEntry:
    """One entry; ``raw`` (not compared) is its bytes as read, empty for an entry built here."""

    key: str
    value: str
    type: int
    data: bytes
    raw: bytes = field(default=b"", compare=False, repr=False)

    @property
    def special(self) -> bool:
        """A deletion instruction (``**del.``, ``**delvals.``, ...), not a value."""
        return self.value.startswith("**")

    def encode(self) -> bytes:
        if self.raw:
            return self.raw
        return (_OPEN + _string(self.key) + _SEMICOLON + _string(self.value) + _SEMICOLON + struct.pack("<I", self.type)
                + _SEMICOLON + struct.pack("<I", len(self.data)) + _SEMICOLON + self.data + _CLOSE)

    def decoded(self) -> str | int | list[str] | None:
        """The data as a value: a str (REG_SZ, REG_EXPAND_SZ), an int (REG_DWORD, REG_QWORD), a list of str
        (REG_MULTI_SZ); None for another type or data of a size its type cannot have."""
        if self.type in (REG_SZ, REG_EXPAND_SZ) and len(self.data) % 2 == 0:
            return self.data.decode("utf-16-le", "replace").rstrip("\x00")
        if (self.type, len(self.data)) in ((REG_DWORD, 4), (REG_QWORD, 8)):
            return int.from_bytes(self.data, "little")
        if self.type == REG_MULTI_SZ and len(self.data) % 2 == 0:
            return [item for item in self.data.decode("utf-16-le", "replace").split("\x00") if item]
        return None

    def text(self) -> str:
        """One line for a human: ``key\\value = REG_SZ 'data'`` (the bytes in hex when they cannot be decoded)."""
        kind = TYPE_NAMES.get(self.type, f"type {self.type}")
        value = self.decoded()
        shown = self.data.hex() if value is None else str(value) if isinstance(value, int) else repr(value)
        return f"{self.key}\\{self.value} = {kind} {shown}"


def _string(text: str) -> bytes:
    return text.encode("utf-16-le") + _NUL


def sz(text: str) -> bytes:
    """REG_SZ / REG_EXPAND_SZ data: UTF-16-LE with its NUL."""
    return _string(text)


def dword(number: int) -> bytes:
    return struct.pack("<I", number)


def multi_sz(items: list[str]) -> bytes:
    return b"".join(_string(item) for item in items) + _NUL


def qword(number: int) -> bytes:
    return struct.pack("<Q", number)


class RegistryPol:
    """The decoded file: the header as read and the entries in file order."""

    def __init__(self, header: bytes, entries: list[PolEntry]):
        self.header, self.entries = header, entries

    @classmethod
    def new(cls) -> RegistryPol:
        return cls(HEADER, [])

    @classmethod
    def decode(cls, data: bytes) -> RegistryPol:
        if data[:4] != SIGNATURE or len(data) < 8:
            raise GpoSettingsError("Registry.pol does not start with the PReg signature (MS-GPREG 2.2.1)")
        if struct.unpack("<I", data[4:8])[0] != VERSION:
            raise GpoSettingsError(f"Registry.pol has version {struct.unpack('<I', data[4:8])[0]}; only version 1 is known")
        entries, at = [], 8
        while at < len(data):
            entry, at = _entry(data, at)
            entries.append(entry)
        return cls(data[:8], entries)

    def encode(self) -> bytes:
        return self.header + b"".join(entry.encode() for entry in self.entries)

    def text(self) -> str:
        return "".join(entry.text() + "\n" for entry in self.entries)

    def find(self, key: str, value: str) -> int | None:
        """Index of the (last) ordinary entry for key and value name; None when there is none."""
        found = None
        for index, entry in enumerate(self.entries):
            if (entry.key.lower(), entry.value.lower()) == (key.lower(), value.lower()):
                found = index
        return found


def _entry(data: bytes, start: int) -> tuple[PolEntry, int]:
    at = _expect(data, start, _OPEN)
    key, at = _read_string(data, at)
    value, at = _read_string(data, _expect(data, at, _SEMICOLON))
    at = _expect(data, at, _SEMICOLON)
    if at + 14 > len(data):
        raise GpoSettingsError(f"Registry.pol is cut short in the entry at byte {start}")
    kind, size = struct.unpack("<I", data[at:at + 4])[0], struct.unpack("<I", data[at + 6:at + 10])[0]
    _expect(data, at + 4, _SEMICOLON)
    at = _expect(data, at + 10, _SEMICOLON)
    if at + size + 2 > len(data):
        raise GpoSettingsError(f"Registry.pol entry {key}\\{value} at byte {start} claims {size} bytes of data past the end of the file")
    end = _expect(data, at + size, _CLOSE)
    return PolEntry(key, value, kind, data[at:at + size], raw=data[start:end]), end


def _expect(data: bytes, at: int, token: bytes) -> int:
    if data[at:at + len(token)] != token:
        raise GpoSettingsError(f"Registry.pol is malformed at byte {at}: expected {token.decode('utf-16-le')!r} (MS-GPREG 2.2.1)")
    return at + len(token)


def _read_string(data: bytes, at: int) -> tuple[str, int]:
    """A NUL-terminated UTF-16-LE string at ``at``; the index after its NUL."""
    end = at
    while end + 1 < len(data) and data[end:end + 2] != _NUL:
        end += 2
    if end + 1 >= len(data):
        raise GpoSettingsError(f"Registry.pol is cut short in a string at byte {at}")
    try:
        return data[at:end].decode("utf-16-le"), end + 2
    except UnicodeDecodeError as exc:
        raise GpoSettingsError(f"Registry.pol has a string that is not UTF-16-LE at byte {at}: {exc}") from exc


def merge(data: bytes | None, present: list[PolEntry], absent: list[tuple[str, str]]) -> Change:
    """Registry.pol (``data``; None: no file) with the ``present`` entries and without the ``absent`` (key, value name)
    ones. An entry that already holds the type and data asked for is left as it is."""
    for key, value in [(entry.key, entry.value) for entry in present] + absent:
        if value.startswith("**") or not key:
            raise GpoSettingsError(f"Registry.pol: {key}\\{value} is not an ordinary value (a key, and a name not starting with **)")
    pol = RegistryPol.decode(data) if data is not None else RegistryPol.new()
    start, before_text = pol.encode(), pol.text()
    for wanted in present:
        index = pol.find(wanted.key, wanted.value)
        if index is None:
            pol.entries.append(wanted)
        elif (pol.entries[index].type, pol.entries[index].data) != (wanted.type, wanted.data):
            pol.entries[index] = wanted
    gone = {(key.lower(), value.lower()) for key, value in absent}
    pol.entries = [entry for entry in pol.entries if (entry.key.lower(), entry.value.lower()) not in gone]
    after = pol.encode()
    if after == start:
        return Change(data, data, before_text, before_text)
    return Change(data, after, before_text, pol.text())

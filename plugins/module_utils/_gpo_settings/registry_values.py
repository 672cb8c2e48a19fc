# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: ``[Registry Values]`` of a security template (GptTmpl.inf).

Each line is ``<path>=<type>,<data>`` without spaces, the path starting with ``MACHINE\\`` and ending with the
value name, as secedit and the Group Policy editor write it:

- type 1 (REG_SZ) and 2 (REG_EXPAND_SZ): the string in double quotes - ``...\\Lsa\\RestrictRemoteSAM=1,"O:BAG:BAD:(A;;RC;;;BA)"``;
- type 4 (REG_DWORD): decimal - ``...\\MSV1_0\\AuditReceivingNTLMTraffic=4,2``;
- type 7 (REG_MULTI_SZ): the strings separated by commas, a comma inside a string written ``","`` - ``...=7,a,b``
  (``=7,`` alone: no strings);
- other types (3, REG_BINARY, ...): kept as written, compared as written.

Microsoft's DefenderForIdentity module (1.0.0.4) writes RestrictRemoteSAM as ``RestrictRemoteSAM=1=O:BAG:...``: a
hashtable key holding ``=1`` plus its own ``=``, so no type and no quotes. Such a line reads here as malformed (type
None), never as the value asked for, so a merge rewrites it in the form above. Unconfirmed: how secedit writes a
double quote inside a string; strings holding one (or a line break) are refused rather than guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.change import Change
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.inf import InfFile

SECTION = "Registry Values"
REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD, REG_MULTI_SZ = 1, 2, 3, 4, 7
_STRING_TYPES = (REG_SZ, REG_EXPAND_SZ)
_TYPED = re.compile(r"^(?P<type>\d+),(?P<data>.*)$", re.DOTALL)
_MULTI_SZ_SEPARATOR = re.compile(r',(?!")|(?<!"),')  # a comma that is not the middle of ","


@dataclass(frozen=True)
class RegistryValue:
    """One ``[Registry Values]`` line: ``path`` (``MACHINE\\...\\ValueName``), ``type`` and ``data``
    (str for types 1 and 2, int for 4, a tuple of str for 7, the text as written for any other type)."""

    path: str
    type: int
    data: str | int | tuple[str, ...]

    def format(self) -> str:
        """The text after ``=``: ``<type>,<data>``."""
        if self.type in _STRING_TYPES:
            return f'{self.type},"{_checked(self.path, self.data)}"'
        if self.type == REG_DWORD:
            if not isinstance(self.data, int) or not 0 <= self.data <= 0xFFFFFFFF:
                raise GpoSettingsError(f"{self.path}: REG_DWORD data must be an integer from 0 to 4294967295, not {self.data!r}")
            return f"{self.type},{self.data}"
        if self.type == REG_MULTI_SZ:
            return f"{self.type}," + ",".join(_checked(self.path, item, unquoted=True).replace(",", '","') for item in self.data)
        return f"{self.type},{self.data}"


def _checked(path: str, text, unquoted: bool = False) -> str:
    """``text`` when a line can carry it: no double quote, no line break; in a REG_MULTI_SZ (unquoted) also not empty
    and no space or comma at either end - the line drops spaces around its value, and a comma there would stand
    next to the one that separates the strings, which no reader could tell from a ``","`` inside a string."""
    fits = isinstance(text, str) and '"' not in text and "\r" not in text and "\n" not in text
    if unquoted and fits:
        fits = text != "" and text == text.strip() and not text.startswith(",") and not text.endswith(",")
    if not fits:
        raise GpoSettingsError(f"{path}: a registry string for GptTmpl.inf must be text without double quotes or line breaks"
                               f"{' (in a list: not empty, no space or comma at either end)' if unquoted else ''}, not {text!r}")
    return text


def parse(path: str, text: str) -> RegistryValue | None:
    """The value a line's text after ``=`` stands for; None when it is malformed (no ``<type>,`` in front)."""
    typed = _TYPED.match(text)
    if not typed:
        return None
    kind, data = int(typed.group("type")), typed.group("data")
    if kind in _STRING_TYPES:
        quoted = len(data) >= 2 and data.startswith('"') and data.endswith('"')
        return RegistryValue(path, kind, data[1:-1] if quoted else data)
    if kind == REG_DWORD:
        return RegistryValue(path, kind, int(data)) if data.strip().isdigit() else None
    if kind == REG_MULTI_SZ:
        return RegistryValue(path, kind, tuple(item.replace('","', ",") for item in _MULTI_SZ_SEPARATOR.split(data)) if data else ())
    return RegistryValue(path, kind, data)


def read(template: InfFile) -> dict[str, RegistryValue | None]:
    """Every line of the section by lower-cased path: its value, or None when the line is malformed."""
    return {key.lower(): parse(key, value) for key, value in template.items(SECTION)}


def _same(current: RegistryValue | None, wanted: RegistryValue) -> bool:
    return current is not None and (current.type, current.data) == (wanted.type, wanted.data)


def merge(data: bytes | None, present: list[RegistryValue], absent: list[str], template_class=InfFile) -> Change:
    """GptTmpl.inf (``data``; None: no file) with ``present`` values set and ``absent`` paths removed.

    A line already holding the value is left as written; a new line goes at the end of the section.
    """
    template = template_class.decode(data) if data is not None else template_class.new()
    start = template.text
    for wanted in present:
        formatted = wanted.format()  # an invalid value fails before anything is compared
        current = template.value(SECTION, wanted.path)
        if current is None or not _same(parse(wanted.path, current), wanted):
            template.set_value(SECTION, wanted.path, formatted, separator="=")
    for path in absent:
        template.remove(SECTION, path)
    edited = template.text != start
    before_text = start if data is not None else ""
    if not edited:
        return Change(data, data, before_text, before_text)
    return Change(data, template.encode(), before_text, template.text)

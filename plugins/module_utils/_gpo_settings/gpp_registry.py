# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: Group Policy Preferences registry items, Registry.xml (MS-GPPREF).

Path in SYSVOL: <GPO>\\Machine\\Preferences\\Registry\\Registry.xml (the path GPMC uses; unconfirmed in the module
facts). UTF-8, ``<?xml version="1.0" encoding="utf-8"?>``, then::

    <RegistrySettings clsid="{A3CCFC41-DFDB-43a5-8D26-0FE8B954DA51}"><Registry clsid="{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}"
     name="AuditFilter" status="AuditFilter" image="12" changed="2024-01-02 03:04:05" uid="{GUID}"><Properties
     action="U" displayDecimal="0" default="0" hive="HKEY_LOCAL_MACHINE" key="..." name="AuditFilter" type="REG_DWORD"
     value="0000007F"/></Registry></RegistrySettings>

Confirmed against MS-GPPREF 2.2.1.17.1 (Properties): action C/D/R/U (default U), default, hive, key, name, type
(REG_SZ, REG_DWORD, REG_EXPAND_SZ, REG_MULTI_SZ; GPMC also writes REG_QWORD and REG_BINARY), value, displayDecimal.
The Registry element's name, status, image, changed ("YYYY-MM-DD HH:MM:SS") and uid are the common item attributes;
their values here follow files GPMC wrote (name and status = the value name; image 7 for an updated string, 12 for
an updated number, 17 for updated binary; a DWORD as 8 upper-case hex digits, binary as lower-case hex bytes
separated by spaces, ``00 0f ff``). The image is the type's base (5, 10, 15) plus the action's place in C, R, U, D,
as GPMC's icons go; only the three Update numbers are seen in files. Unconfirmed: the exact bytes
Set-GPPrefRegistryValue writes (whitespace between items, a final line end, ``changed`` in local time or UTC - UTC
here), a QWORD's digits (16 upper-case hex digits here), the type and value GPMC writes for a Delete item (the
type given, an empty value here), and REG_MULTI_SZ, which GPMC also writes as a ``<Values>`` list inside
Properties: this codec writes only the ``value`` attribute, so callers should not offer it.

Items are matched by hive, key and value name, case-insensitively, also inside ``<Collection>`` elements; the last
match is the one that takes effect on clients, so it is the one compared and edited. An item that already holds
the type, value and action asked for (a Delete item: the action; and is not disabled) is left byte for byte. A
changed item is edited in place:
its Properties' action, type and value, and its ``changed`` and ``image``; its uid, filters (item-level targeting),
description and every other attribute stay. A new item (new uid) goes at the end of the root element. ``absent``
removes every matching item. Everything else in the file stays byte for byte. Files with a DTD are refused (no
entity expansion).
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from xml.parsers import expat
from xml.sax.saxutils import escape

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.change import Change
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError

PATH = r"Machine\Preferences\Registry\Registry.xml"
ROOT_CLSID = "{A3CCFC41-DFDB-43a5-8D26-0FE8B954DA51}"
ITEM_CLSID = "{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}"
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
_NUMBER_TYPES = ("REG_DWORD", "REG_QWORD", "REG_BINARY")
_TYPES = ("REG_SZ", "REG_EXPAND_SZ", "REG_MULTI_SZ") + _NUMBER_TYPES
_ACTIONS = "CRUD"  # Create, Replace, Update, Delete: the order of GPMC's icons
_START_TAG = re.compile(rb"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""")
_ATTRIBUTE = r"""(\s{name}\s*=\s*)("[^"]*"|'[^']*')"""


@dataclass(frozen=True)
class PrefValue:
    """A registry value the Preferences should set. ``value`` is the text GPMC writes: the string, for REG_DWORD
    ``dword(n)``, for REG_QWORD ``qword(n)``, for REG_BINARY ``binary(data)``. ``action`` is one of C, R, U, D
    (Create, Replace, Update, Delete)."""

    key: str
    name: str
    type: str
    value: str
    hive: str = "HKEY_LOCAL_MACHINE"
    action: str = "U"

    def identity(self) -> tuple[str, str, str]:
        return _identity(self.hive, self.key, self.name)

    def same_item(self, props: dict) -> bool:
        return _identity(props.get("hive", ""), props.get("key", ""), props.get("name", "")) == self.identity()


def _identity(hive: str, key: str, name: str) -> tuple[str, str, str]:
    return hive.lower(), key.strip("\\").lower(), name.lower()


def dword(number: int) -> str:
    """A REG_DWORD value as GPMC writes it: 8 upper-case hex digits (127 -> ``0000007F``)."""
    return f"{number & 0xFFFFFFFF:08X}"


def qword(number: int) -> str:
    """A REG_QWORD value: 16 upper-case hex digits (the width is unconfirmed; readers compare the number)."""
    return f"{number & 0xFFFFFFFFFFFFFFFF:016X}"


def binary(data: bytes) -> str:
    """A REG_BINARY value as GPMC writes it: lower-case hex bytes separated by spaces (``00 0f ff``)."""
    return data.hex(" ")


def _binary_of(text: str) -> bytes | None:
    try:
        return bytes.fromhex(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class _Item:
    start: int  # of <Registry
    end: int  # after </Registry>
    registry_tag: tuple[int, int]
    properties_tag: tuple[int, int]
    registry: dict
    properties: dict


def _tag_span(data: bytes, start: int) -> tuple[int, int]:
    match = _START_TAG.match(data, start)
    if not match:
        raise GpoSettingsError(f"Registry.xml: cannot read the tag at byte {start}")
    return start, match.end()


def _scan(data: bytes) -> tuple[list[_Item], int, bool]:
    """(the Registry items, the byte index of the root's end tag, whether the root is an empty-element tag)."""
    parser, stack, items, root = expat.ParserCreate(), [], [], {}

    def refuse(*_args):
        raise GpoSettingsError("Registry.xml has a document type declaration; refused (entities are not expanded here)")

    def start(name, attrs):
        index = parser.CurrentByteIndex
        if not stack and (name != "RegistrySettings"):
            raise GpoSettingsError(f"Registry.xml's root element is <{name}>, not <RegistrySettings>")
        stack.append([name, index, attrs, None])
        if name == "Properties" and len(stack) > 1 and stack[-2][0] == "Registry" and stack[-2][3] is None:
            stack[-2][3] = (_tag_span(data, index), attrs)

    def end(name):
        _name, begin, attrs, properties = stack.pop()
        index = parser.CurrentByteIndex
        empty = data[index:index + 2] != b"</"
        close = _tag_span(data, begin)[1] if empty else data.index(b">", index) + 1
        if name == "Registry" and properties is not None:
            items.append(_Item(begin, close, _tag_span(data, begin), properties[0], attrs, properties[1]))
        if not stack:
            root.update(at=index if not empty else _tag_span(data, begin)[1] - 2, empty=empty)

    parser.StartDoctypeDeclHandler = refuse
    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise GpoSettingsError(f"Registry.xml is not well-formed XML: {exc}") from exc
    return items, root["at"], root["empty"]


def _set_attributes(tag: str, values: dict) -> str:
    """The start tag with each attribute of ``values`` set (None: removed), others as written."""
    for name, value in values.items():
        pattern = re.compile(_ATTRIBUTE.format(name=re.escape(name)))
        if value is None:
            tag = pattern.sub("", tag)
        elif pattern.search(tag):
            tag = pattern.sub(lambda match: match.group(1) + _quoted(value), tag, count=1)
        else:
            tail = 2 if tag.endswith("/>") else 1
            tag = tag[:-tail].rstrip() + f" {name}={_quoted(value)}" + tag[-tail:]
    return tag


def _quoted(value: str) -> str:
    return '"' + escape(value, {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}) + '"'


def _same_value(item: _Item, wanted: PrefValue) -> bool:
    props = item.properties
    if item.registry.get("disabled") == "1" or props.get("action", "U").upper() != wanted.action:
        return False
    if wanted.action == "D":  # a Delete item removes the value whatever its type: nothing else is compared
        return True
    if props.get("type", "").upper() != wanted.type:
        return False
    if wanted.type == "REG_BINARY":
        have = _binary_of(props.get("value", ""))
        return have is not None and have == _binary_of(wanted.value)
    if wanted.type in ("REG_DWORD", "REG_QWORD"):
        try:
            return int(props.get("value", ""), 16) == int(wanted.value, 16)
        except ValueError:
            return False
    return props.get("value", "") == wanted.value


def _image(kind: str, action: str) -> str:
    base = 15 if kind == "REG_BINARY" else 10 if kind in _NUMBER_TYPES else 5
    return str(base + _ACTIONS.index(action))


def _new_item(wanted: PrefValue, changed: str, uid: str) -> str:
    image = _image(wanted.type, wanted.action)
    return (f'<Registry clsid="{ITEM_CLSID}" name={_quoted(wanted.name)} status={_quoted(wanted.name)} image="{image}" '
            f'changed="{changed}" uid="{uid}"><Properties action="{wanted.action}" displayDecimal="0" default="0" '
            f'hive={_quoted(wanted.hive)} '
            f'key={_quoted(wanted.key)} name={_quoted(wanted.name)} type="{wanted.type}" value={_quoted(wanted.value)}/></Registry>')


def _edited_item(data: bytes, item: _Item, wanted: PrefValue, changed: str) -> bytes:
    registry = _set_attributes(data[item.registry_tag[0]:item.registry_tag[1]].decode("utf-8"),
                               {"image": _image(wanted.type, wanted.action), "changed": changed, "disabled": None})
    properties = _set_attributes(data[item.properties_tag[0]:item.properties_tag[1]].decode("utf-8"),
                                 {"action": wanted.action, "type": wanted.type, "value": wanted.value})
    return (registry.encode("utf-8") + data[item.registry_tag[1]:item.properties_tag[0]] + properties.encode("utf-8")
            + data[item.properties_tag[1]:item.end])


def _check(wanted: PrefValue) -> None:
    if wanted.action not in _ACTIONS:
        raise GpoSettingsError(f"Registry.xml: {wanted.hive}\\{wanted.key}\\{wanted.name} needs the action C, R, U or D, "
                               f"not {wanted.action!r}")
    if wanted.type not in _TYPES or not wanted.name or not wanted.key.strip("\\"):
        raise GpoSettingsError(f"Registry.xml: {wanted.hive}\\{wanted.key}\\{wanted.name} needs a key, a value name and one of the "
                               f"types {', '.join(_TYPES)} (type {wanted.type!r} given)")


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GpoSettingsError(f"Registry.xml is not UTF-8: {exc}") from exc


def merge(data: bytes | None, present: list[PrefValue], absent: list[PrefValue], now=None, new_uid=None) -> Change:
    """Registry.xml (``data``; None: no file) with the ``present`` values and without the items of ``absent``
    (matched by hive, key and name; their type and value are not looked at). ``now`` (a datetime) and ``new_uid``
    (a ``{GUID}`` string) are injectable for tests."""
    for wanted in present:
        _check(wanted)
    identities = [value.identity() for value in present + absent]
    if len(set(identities)) != len(identities):
        raise GpoSettingsError("Registry.xml: a value is asked for twice (present or absent); name each hive, key and value once")
    before_text = _decoded(data) if data is not None else ""
    source = data if data is not None else (DECLARATION + "\r\n" + f'<RegistrySettings clsid="{ROOT_CLSID}"></RegistrySettings>').encode()
    items, root_end, root_empty = _scan(source)
    changed = (now() if now else datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M:%S")
    edits, added = [], []  # edits: (start, end, new bytes), applied from the end of the file
    for wanted in present:
        matches = [item for item in items if wanted.same_item(item.properties)]
        if not matches:
            added.append(_new_item(wanted, changed, new_uid() if new_uid else "{" + str(uuid.uuid4()).upper() + "}"))
        elif not _same_value(matches[-1], wanted):
            edits.append((matches[-1].start, matches[-1].end, _edited_item(source, matches[-1], wanted, changed)))
    for gone in absent:
        edits.extend((item.start, item.end, b"") for item in items if gone.same_item(item.properties))
    if not edits and not added:
        return Change(data, data, before_text, before_text)
    if added:
        insertion = "".join(added).encode("utf-8")
        edits.append((root_end, root_end + 2, b">" + insertion + b"</RegistrySettings>") if root_empty else (root_end, root_end, insertion))
    after = source
    for begin, end, replacement in sorted(set(edits), key=lambda edit: edit[0], reverse=True):
        after = after[:begin] + replacement + after[end:]
    return Change(data, after, before_text, _decoded(after))


def read_items(data: bytes | None) -> list[tuple[dict, dict, str]]:
    """Every Registry item of the file, in file order: (the Registry element's attributes, its Properties' attributes,
    the item's XML text); none for no file."""
    if not data:
        return []
    return [(item.registry, item.properties, _decoded(data[item.start:item.end])) for item in _scan(data)[0]]

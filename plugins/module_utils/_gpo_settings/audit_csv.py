# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a GPO's advanced audit policy, audit.csv (MS-GPAC 2.2).

Path in SYSVOL: <GPO>\\MACHINE\\Microsoft\\Windows NT\\Audit\\audit.csv. MS-GPAC: UTF-8 (written here without a
byte order mark; one in a file read is kept), CRLF line ends, the header line ``HEADER``, then one row per
subcategory - ``<machine>,System,<name>,<GUID>,<inclusion text>,,<setting value>`` - then audit options
(``,,Option:...``) and global object access rows, which this module keeps as they are.

Setting value (MS-GPAC 2.2.1.3.1, PolicyTarget "System"): 1 Success, 2 Failure, 3 Success and Failure,
4 No Auditing (set to none), 0 "unchanged". The inclusion text is for people only, so a row is judged by its
GUID and setting value; auditpol /backup and many GPO backups write "No Auditing" with 0, read here as 0
("unchanged" is what the client does with it). Rows are matched by GUID, case-insensitively; a row to change
keeps its machine name, name and GUID spelling, and only its inclusion text and value are rewritten. A new row
goes after the last subcategory row (before any option rows, as the grammar orders them) in the shape the Group
Policy editor writes: ``,System,Audit Logon,{0cce9215-...},Success and Failure,,3``.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import audit_subcategories
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.change import Change
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.text import TextFile, body

PATH = r"MACHINE\Microsoft\Windows NT\Audit\audit.csv"
HEADER = "Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value"
UNCHANGED, SUCCESS, FAILURE, SUCCESS_AND_FAILURE, NO_AUDITING = 0, 1, 2, 3, 4
INCLUSION = {UNCHANGED: "No Auditing", SUCCESS: "Success", FAILURE: "Failure", SUCCESS_AND_FAILURE: "Success and Failure",
             NO_AUDITING: "No Auditing"}


@dataclass(frozen=True)
class AuditSetting:
    """A subcategory (GUID, name or name without "Audit ") and the setting value it should have (1 to 4)."""

    subcategory: str
    value: int


@dataclass(frozen=True)
class _Row:
    index: int
    machine: str
    name: str
    guid: str
    value: int | None  # None: not a number


def _fields(line: str) -> list[str]:
    return next(csv.reader([body(line)]), [])


class AuditCsv(TextFile):
    """The decoded file; ``encode()`` gives back the same bytes for everything not edited."""

    name = "audit.csv"

    @classmethod
    def new(cls):
        return cls(HEADER + "\r\n", b"", "utf-8")

    def _rows(self) -> list[_Row]:
        """The subcategory rows for the system policy (PolicyTarget "System"); per-user and option rows are not."""
        lines = self.lines()
        if lines and body(lines[0]).strip().lower() != HEADER.lower():
            raise self.error(f"audit.csv does not start with the MS-GPAC header line {HEADER!r}; fix the GPO by hand first")
        rows = []
        for index, line in enumerate(lines[1:], start=1):
            fields = _fields(line)
            if len(fields) == 7 and fields[1].strip().lower() == "system" and audit_subcategories.GUID.match(fields[3].strip()):
                value = fields[6].strip()
                rows.append(_Row(index, fields[0], fields[2], fields[3].strip(), int(value) if value.isdigit() else None))
        return rows

    def settings(self) -> dict[str, int | None]:
        """Setting value by lower-cased subcategory GUID; a GUID listed twice is refused."""
        found = {}
        for row in self._rows():
            if row.guid.lower() in found:
                raise self.error(f"audit.csv lists subcategory {row.guid} twice; fix the GPO by hand first")
            found[row.guid.lower()] = row.value
        return found

    def _row(self, guid: str) -> _Row | None:
        self.settings()  # refuses duplicates
        return next((row for row in self._rows() if row.guid.lower() == guid.lower()), None)

    def set(self, subcategory: audit_subcategories.Subcategory, value: int) -> None:
        lines, row = self.lines(), self._row(subcategory.guid)
        if row is not None:
            self.replace_line(lines, row.index, f"{row.machine},System,{row.name},{row.guid},{INCLUSION[value]},,{value}")
        else:
            if not lines:
                self.insert_line(lines, 0, HEADER)
            rows = self._rows()
            at = rows[-1].index + 1 if rows else 1
            self.insert_line(lines, at, f",System,{subcategory.name},{subcategory.guid},{INCLUSION[value]},,{value}")
        self.text = "".join(lines)

    def remove(self, guid: str) -> bool:
        lines, row = self.lines(), self._row(guid)
        if row is None:
            return False
        del lines[row.index]
        self.text = "".join(lines)
        return True


def merge(data: bytes | None, present: list[AuditSetting], absent: list[str]) -> Change:
    """audit.csv (``data``; None or empty: no policy yet) with the ``present`` settings and without the rows of the
    ``absent`` subcategories. A row that already has the value is left as written."""
    wanted = [(audit_subcategories.lookup(item.subcategory), _value(item)) for item in present]
    gone = [audit_subcategories.lookup(item) for item in absent]
    audit = AuditCsv.decode(data) if data else AuditCsv.new()
    start = audit.text
    for subcategory, value in wanted:
        if audit.settings().get(subcategory.guid.lower(), -1) != value:
            audit.set(subcategory, value)
    for subcategory in gone:
        audit.remove(subcategory.guid)
    before_text = start if data else ""
    if audit.text == start:
        return Change(data, data, before_text, before_text)
    return Change(data, audit.encode(), before_text, audit.text)


def _value(item: AuditSetting) -> int:
    if item.value not in (SUCCESS, FAILURE, SUCCESS_AND_FAILURE, NO_AUDITING):
        raise GpoSettingsError(
            f"Audit setting for {item.subcategory} must be 1 (Success), 2 (Failure), 3 (Success and Failure) or 4 (No Auditing), "
            f"not {item.value!r}")
    return item.value

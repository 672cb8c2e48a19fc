# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo/sysvol.py's reads and writes, with smbclient replaced by an in-memory share that logs each open and
when each write reaches the server: Sysvol.held() opens a file once to read and write it (issue 13), and keeps the
caller's order of writes, which the GPO edit order (_gpo/file_edit.py) depends on. The lab tests the real SMB."""
from __future__ import annotations

import types

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo import sysvol as sysvol_module
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError

smbprotocol_exceptions = pytest.importorskip("smbprotocol.exceptions")

ROOT = "\\\\dc1\\SysVol\\corp\\Policies\\{1}"
INI, TEMPLATE = f"{ROOT}\\GPT.INI", f"{ROOT}\\MACHINE\\SecEdit\\GptTmpl.inf"
NOT_FOUND, PATH_NOT_FOUND, ACCESS_DENIED = 0xC0000034, 0xC000003A, 0xC0000022


class Handle:
    """An open file: writes reach the share when flushed or closed, as smbclient's buffered files do."""

    def __init__(self, share, path: str, mode: str):
        self.share, self.path, self.mode, self.position, self.pending = share, path, mode, 0, None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def read(self) -> bytes:
        data = bytes(self.share.files[self.path][self.position:])
        self.position += len(data)
        return data

    def seek(self, position: int) -> None:
        self.position = position

    def write(self, data: bytes) -> None:
        self.pending = (self.position, data)
        self.position += len(data)

    def flush(self) -> None:
        if self.pending:
            start, data = self.pending
            self.share.files[self.path][start:start + len(data)] = data
            self.share.log.append(("written", self.path))
            self.pending = None

    def truncate(self, size: int) -> None:
        self.flush()
        del self.share.files[self.path][size:]

    def close(self) -> None:
        self.flush()
        self.share.log.append(("closed", self.path))


class Share:
    """smbclient's calls that sysvol.py makes, on files (path -> bytearray) and folders; ``denied``: paths the account may only read."""

    def __init__(self):
        self.files = {INI: bytearray(b"[General]\r\nVersion=1\r\n"), TEMPLATE: bytearray(b"old template, longer than the new one")}
        self.folders = {ROOT, f"{ROOT}\\MACHINE", f"{ROOT}\\MACHINE\\SecEdit"}
        self.denied: set = set()
        self.log: list = []

    def opens(self) -> list:
        return [(entry[1], entry[2]) for entry in self.log if entry[0] == "open"]

    def open_file(self, path, mode="r", share_access=None, **_session):
        self.log.append(("open", path, mode))
        if path.rsplit("\\", 1)[0] not in self.folders:
            raise smbprotocol_exceptions.SMBOSError(PATH_NOT_FOUND, path)
        if mode != "rb" and path in self.denied:
            raise smbprotocol_exceptions.SMBOSError(ACCESS_DENIED, path)
        if mode == "wb":
            self.files[path] = bytearray()
        elif path not in self.files:
            raise smbprotocol_exceptions.SMBOSError(NOT_FOUND, path)
        return Handle(self, path, mode)

    def makedirs(self, path, exist_ok=False, **_session):
        self.log.append(("makedirs", path))
        while path not in self.folders:
            self.folders.add(path)
            path = path.rsplit("\\", 1)[0]


@pytest.fixture(name="share")
def fixture_share(monkeypatch):
    share = Share()
    fake = types.SimpleNamespace(open_file=share.open_file, makedirs=share.makedirs, register_session=lambda *args, **kwargs: None,
                                 reset_connection_cache=lambda **kwargs: None)
    monkeypatch.setattr(sysvol_module, "smbclient", fake, raising=False)
    monkeypatch.setattr(sysvol_module, "HAS_SMB", True)
    return share


def _sysvol():
    return sysvol_module.Sysvol("dc1", "admin", "secret")


def test_held_opens_each_file_once_and_writes_when_asked_in_that_order(share):
    sysvol = _sysvol()
    with sysvol.held():
        assert sysvol.read(TEMPLATE) == b"old template, longer than the new one"
        assert sysvol.read(INI) == b"[General]\r\nVersion=1\r\n"
        assert sysvol.read(TEMPLATE) == b"old template, longer than the new one"  # choosing the GPO, then editing it
        sysvol.write(INI, b"[General]\r\nVersion=2\r\n")
        assert share.files[INI] == b"[General]\r\nVersion=2\r\n" and ("written", TEMPLATE) not in share.log  # GPT.INI first
        sysvol.write(TEMPLATE, b"new template")
        assert share.files[TEMPLATE] == b"new template"  # on the server before the block ends: AD comes next; the old tail cut
        assert sysvol.read(TEMPLATE) == b"new template"
    assert share.opens() == [(TEMPLATE, "r+b"), (INI, "r+b")]
    assert [entry for entry in share.log if entry[0] != "open"] == [
        ("written", INI), ("written", TEMPLATE), ("closed", TEMPLATE), ("closed", INI)]


def test_held_read_only_keeps_the_bytes_and_opens_to_write_only_when_writing(share):
    sysvol = _sysvol()
    with sysvol.held(writable=False):
        sysvol.read(TEMPLATE)
        sysvol.read(TEMPLATE)
        with sysvol.held():  # a block inside a block is part of it: still read-only
            assert sysvol.read(INI) == b"[General]\r\nVersion=1\r\n"
        sysvol.write(INI, b"x")
    assert share.opens() == [(TEMPLATE, "rb"), (INI, "rb"), (INI, "wb")] and share.files[INI] == b"x"


def test_an_account_that_may_only_read_a_file_reads_it_and_fails_only_when_writing(share):
    share.denied.add(TEMPLATE)
    sysvol = _sysvol()
    with sysvol.held():
        assert sysvol.read(TEMPLATE) == b"old template, longer than the new one"
        with pytest.raises(GpoError, match="cannot write .*GptTmpl.inf"):
            sysvol.write(TEMPLATE, b"new")
    assert share.opens() == [(TEMPLATE, "r+b"), (TEMPLATE, "rb"), (TEMPLATE, "wb")]


def test_a_missing_file_is_created_in_its_folder_and_a_missing_folder_is_an_error(share):
    new = f"{ROOT}\\MACHINE\\SecEdit\\audit.csv"
    sysvol = _sysvol()
    with sysvol.held():
        assert sysvol.read(new) is None
        sysvol.write(new, b"csv")
        assert sysvol.read(new) == b"csv"
    sysvol.write(INI, b"ini")
    assert share.opens() == [(new, "r+b"), (new, "wb"), (INI, "wb")]
    assert share.files[new] == b"csv" and share.files[INI] == b"ini"
    # A folder made here would carry an inherited ACL, not the GPO's: _gpo/file_edit.py makes folders, and sets it.
    deeper = f"{ROOT}\\MACHINE\\Microsoft\\Windows NT\\Audit\\audit.csv"
    with pytest.raises(GpoError, match=r"cannot write .*audit.csv: its folder .*\\Audit does not exist"):
        sysvol.write(deeper, b"csv")
    assert deeper not in share.files and not any(entry[0] == "makedirs" for entry in share.log)


def test_outside_held_each_read_opens_the_file(share):
    sysvol = _sysvol()
    assert sysvol.read(INI) == sysvol.read(INI) and sysvol.read(f"{ROOT}\\nothing") is None
    assert share.opens() == [(INI, "rb"), (INI, "rb"), (f"{ROOT}\\nothing", "rb")]

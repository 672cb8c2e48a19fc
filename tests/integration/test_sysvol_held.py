# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_gpo/sysvol.py's Sysvol.held() against the lab's Samba DC: a file read once and rewritten through the same handle
(smbclient's r+b open, flush and truncate over real SMB) holds exactly the new bytes, shorter or longer, as read back
over our own SMB session; a file that is not there is created in its folder, and a missing folder is an error that
names it (folders are made by _gpo/file_edit.py, with the GPO's ACL). The unit tests count the opens."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import smbclient

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / ".build" / "collections"))
# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.sysvol import Sysvol  # noqa: E402

LONG, SHORT = b"[General]\r\nVersion=65537\r\ndisplayName=a name longer than the next\r\n", b"[General]\r\nVersion=2\r\n"


@pytest.fixture(name="scratch")
def fixture_scratch(lab):
    """A folder of the lab's SYSVOL that no GPO uses, our own SMB session to read it back, and the module's Sysvol."""
    samba = lab["samba"]
    root = f"\\\\{samba['ip']}\\sysvol\\{samba['domain_dns']}\\mdi-test-held"
    session = {"username": samba["admin_upn"], "password": samba["admin_password"], "connection_cache": {}}
    sysvol = Sysvol(samba["ip"], samba["admin_upn"], samba["admin_password"])
    try:
        yield root, session, sysvol
    finally:
        sysvol.remove_tree(root)
        sysvol.close()
        smbclient.reset_connection_cache(connection_cache=session["connection_cache"])


def _read_back(path: str, session: dict) -> bytes:
    with smbclient.open_file(path, mode="rb", share_access="rw", **session) as handle:  # beside our own held handle
        return handle.read()


def test_a_held_file_is_rewritten_in_place_shorter_or_longer(scratch):
    root, session, sysvol = scratch
    path = f"{root}\\MACHINE\\new\\GPT.INI"
    with pytest.raises(GpoError, match=r"its folder .*mdi-test-held\\MACHINE\\new does not exist"):
        sysvol.write(path, LONG)
    sysvol.makedirs(f"{root}\\MACHINE\\new")
    with sysvol.held():
        assert sysvol.read(path) is None
        sysvol.write(path, LONG)  # created
    assert _read_back(path, session) == LONG
    for data in (SHORT, LONG):
        with sysvol.held():
            assert sysvol.read(path) != data
            sysvol.write(path, data)
            assert _read_back(path, session) == data  # on the DC when write() returns, not when the handle closes
            assert sysvol.read(path) == data
        assert _read_back(path, session) == data

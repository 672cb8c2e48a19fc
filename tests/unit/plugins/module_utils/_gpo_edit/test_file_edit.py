# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo/file_edit.py: the order of writes, versions (MS-GPOL) and repair of an edit that stopped halfway,
for any settings file (user_right's own tests cover GptTmpl.inf through gpo_scope.py)."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.file_edit import edit_file
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.gpo import find_gpo
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.extension_names import AUDIT
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo_edit.conftest import DN, GUID, OTHER_PAIR

PATH = "MACHINE\\Some\\settings.txt"


def _edit(domain, new: bytes, check_mode=False, extension=AUDIT):
    gpo = find_gpo(domain.directory, GUID)
    return edit_file(domain.directory, domain.sysvol, gpo, PATH, extension, lambda old: new, check_mode)


def test_the_computer_half_wraps_to_one_and_the_user_half_is_kept(domain):
    domain.directory.objects[DN]["versionnumber"] = [str(0x0003FFFF).encode()]
    domain.sysvol.seed(domain.path("GPT.INI"), b"[General]\r\nVersion=262143\r\n")
    edit = _edit(domain, b"x")
    assert edit.changed and domain.ad("versionNumber") == str(0x00030001) and domain.ini() == f"[General]\r\nVersion={0x00030001}\r\n"


def test_check_mode_and_an_unchanged_file_write_nothing(domain):
    domain.sysvol.seed(domain.path(PATH), b"same")
    assert _edit(domain, b"new", check_mode=True).changed and domain.sysvol.writes == [] and domain.directory.modified == []
    edit = _edit(domain, b"same")
    assert not edit.changed and edit.lacks_extension and domain.sysvol.writes == [] and domain.directory.modified == []


def test_an_edit_without_an_extension_keeps_the_attribute(domain):
    _edit(domain, b"x", extension=None)
    assert domain.ad("gPCMachineExtensionNames") == OTHER_PAIR
    assert list(domain.directory.modified[0][1]) == ["versionNumber"]


class Stop(Exception):
    """The run dies here."""


@pytest.mark.parametrize("writes", [0, 1, 2])
def test_a_run_that_dies_between_any_two_writes_is_repaired_by_the_next(domain, monkeypatch, writes):
    left = [writes]

    def gate(real):
        def write(*args):
            if left[0] == 0:
                raise Stop()
            left[0] -= 1
            return real(*args)
        return write

    with monkeypatch.context() as patch:
        patch.setattr(domain.sysvol, "write", gate(domain.sysvol.write))
        patch.setattr(domain.directory, "modify", gate(domain.directory.modify))
        with pytest.raises(Stop):
            _edit(domain, b"new")
    edit = _edit(domain, b"new")
    assert edit.changed and edit.repair == (writes > 0)
    assert (edit.repair_warning(False) is not None) == (writes > 0)
    assert domain.sysvol.read(domain.path(PATH)) == b"new"
    assert domain.ini() == f"[General]\r\nVersion={domain.ad('versionNumber')}\r\ndisplayName=MDI test\r\n"
    assert int(domain.ad("versionNumber")) > 0x00010004
    assert not _edit(domain, b"new").changed, "the repaired GPO is not stable"


def test_a_new_file_and_its_new_folders_get_the_gpo_folders_descriptor_set_explicitly(domain):
    """Samba's sysvolcheck wants the GPO folder's ACL on every file and folder of the GPO, not an inherited one."""
    root = domain.path("").rstrip("\\")
    domain.sysvol.acls[root.lower()] = b"GPO folder SD"
    domain.sysvol.makedirs(domain.path("MACHINE"))  # exists already: its ACL is left as it is
    _edit(domain, b"x")
    assert domain.sysvol.acls == {root.lower(): b"GPO folder SD", domain.path("MACHINE\\Some").lower(): b"GPO folder SD",
                                  domain.path(PATH).lower(): b"GPO folder SD"}
    _edit(domain, b"y")  # an existing file keeps the ACL it has
    assert len(domain.sysvol.acls) == 3

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ad_ace and ad_ace_info on CN=Deleted Objects of the lab's Samba DC: MDI's List Contents + Read Property grant
(Set-MDIDeletedObjectsContainerPermission). The container is hidden (Show Deleted control) and grants Administrators
no Read permissions: without take_ownership the task fails and writes nothing, with it the bind account becomes the
owner, as dsacls /takeOwnership makes it. Judged by samba-tool dsacl get on the DC's own database."""
from __future__ import annotations

import pytest
from ace_play import run_ace
from samba_dsacl import aces_of, dsacl_get, owner_of, put_back


def _run(playbook, target: str, args: str, module: str = "ad_ace", extra=()) -> dict:
    return run_ace(playbook, f"target: {target}\n{args}", module, extra)


@pytest.fixture(name="deleted_objects")
def fixture_deleted_objects(lab):
    """CN=Deleted Objects, with its owner and DACL put back afterwards as Samba printed them before."""
    dn = f"CN=Deleted Objects,{lab['samba']['base_dn']}"
    before = dsacl_get(lab, dn)
    yield dn, before
    put_back(lab, dn, before)


def test_the_mdi_grant_takes_ownership_once_and_is_idempotent(lab, playbook, deleted_objects):
    dn, before = deleted_objects
    group = lab["samba"]["groups"]["lab-group-1"]["sid"]
    grant = "principal: lab-group-1\naces:\n  - rights: [list_children, read_property]"
    refused = _run(playbook, dn, grant)
    assert refused.get("failed") and "take_ownership=true" in refused["msg"] and "Read permissions" in refused["msg"], refused
    assert dsacl_get(lab, dn) == before  # nothing written, not even the owner

    predicted = _run(playbook, dn, grant + "\ntake_ownership: true", extra=("--check",))
    assert predicted["changed"] and predicted["owner_taken"] and dsacl_get(lab, dn) == before, predicted

    done = _run(playbook, dn, grant + "\ntake_ownership: true")
    assert done["changed"] and done["owner_taken"] and [a["sddl"] for a in done["added"]] == [f"(A;;LCRP;;;{group})"], done
    after = dsacl_get(lab, dn)
    assert owner_of(after) == "LA" and owner_of(before) == "SY"  # the bind account (Administrator), as dsacls /takeOwnership
    assert aces_of(after, "D") == aces_of(before, "D") + [f"(A;;LCRP;;;{group})"]  # no inheritance flags: this object only
    assert aces_of(after, "S") == aces_of(before, "S")

    again = _run(playbook, dn, grant + "\ntake_ownership: true")
    assert not again["changed"] and not again["owner_taken"] and dsacl_get(lab, dn) == after, again

    read = _run(playbook, dn, "principal: lab-group-1", module="ad_ace_info")
    assert [a["sddl"] for a in read["aces"]] == [f"(A;;LCRP;;;{group})"], read


def test_info_without_read_permission_names_the_fix(lab, playbook, deleted_objects):
    dn, before = deleted_objects
    out = _run(playbook, dn, "principal: lab-group-1", module="ad_ace_info")
    assert out.get("failed") and "take_ownership=true" in out["msg"] and "Traceback" not in out["msg"], out
    assert dsacl_get(lab, dn) == before

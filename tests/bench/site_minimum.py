# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What each task of playbooks/site.yml needs at the least, in LDAP operations, SMB opens and WinRM commands per host,
for the first run and the idempotent rerun, and why: what bench_site.py puts the measured counts against."""
from __future__ import annotations

# What each task's work needs at the least, per run (first, rerun), and why. Every module is its own task, so each
# one that talks LDAP needs its own bind; it knows only the server, so it reads the root DSE for the naming contexts.
KDS = "Ensure the forest has a KDS root key"
GMSA = "Ensure the action account is present (or absent)"
LOGON = "Grant (or revoke) Log on as a service to the action account"
ACES = "Delegate (or remove) the MDI permissions on each target"
MINIMUM_COMMON = {"Ask each domain controller its name over its Windows connection": (0, 0, 0)}  # a check, not the work
MINIMUM = {  # scope of step 2 -> task -> ((LDAP, SMB opens, WinRM per host) first run, (...) rerun)
    "local": {KDS: ((3, 0, 0), (3, 0, 0)), GMSA: ((6, 0, 0), (4, 0, 0)), ACES: ((5, 0, 0), (4, 0, 0)),
              LOGON: ((0, 0, 1), (0, 0, 1))},
    "gpo": {KDS: ((3, 0, 0), (3, 0, 0)), GMSA: ((6, 0, 0), (4, 0, 0)), ACES: ((5, 0, 0), (4, 0, 0)),
            LOGON: ((6, 2, 0), (5, 2, 0))},
}
WHY = f"""Minimum per task (each module binds once and reads the root DSE, as it knows only the server):
  {KDS}: bind, root DSE, the root keys' container (3; a rerun the same).
  {GMSA}: bind, root DSE, the account (absent), the SID of Domain Controllers for the retrieval list, the add, the
    new account's SID read back (6); rerun: bind, root DSE, the account, Domain Controllers' SID to compare the list (4).
  {LOGON}, scope local: one WinRM command per DC, which resolves the name itself (no LDAP from the controller).
    scope gpo: bind, root DSE, the account's SID, the gPLink of OU=Domain Controllers, the GPO, the version modify (6),
    GptTmpl.inf and GPT.INI each opened once to read and write (2 opens); rerun: the reads (5), GptTmpl.inf and GPT.INI
    read (2 opens: GPT.INI's version against AD's is how a rerun sees an edit that stopped between its writes).
  {ACES}: bind, root DSE, the account's SID, the DACL, the modify (5); rerun: no modify (4).
  site.yml's first task (hostname over WinRM) checks that each DC answers: the work needs none of it."""


def minima_for(scope: str) -> dict:
    """Task (without its role) -> (LDAP operations, SMB opens, WinRM commands per host) that the work needs."""
    first, rerun = dict(MINIMUM_COMMON), dict(MINIMUM_COMMON)
    first.update({task: values[0] for task, values in MINIMUM[scope].items()})
    rerun.update({task: values[1] for task, values in MINIMUM[scope].items()})
    return {"first run": first, "rerun": rerun}

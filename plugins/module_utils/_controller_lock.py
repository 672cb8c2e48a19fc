# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: one holder at a time, on this controller, of a lock named by a purpose
and a key (a domain, a DN). Ansible runs a play's hosts in parallel worker processes, and two plays may run at once; a
change that reads, then writes a whole value (a GPO file and its version, a DACL) must not interleave with another
such change of the same thing. The lock is a file in the temporary directory held with flock: the kernel releases it
when the process ends, so a run that dies leaves no stale lock."""
from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from contextlib import contextmanager


@contextmanager
def controller_lock(purpose: str, key: str):
    """Wait for, then hold, the lock of ``purpose`` (such as gpo-edit) and ``key`` (compared without case)."""
    name = f"mdi-action_accounts-{purpose}-" + hashlib.sha256(key.lower().encode()).hexdigest()[:16] + ".lock"
    fd = os.open(os.path.join(tempfile.gettempdir(), name), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock

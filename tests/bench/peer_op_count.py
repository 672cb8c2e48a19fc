# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run bloodyAD's command line with its LDAP requests counted: python peer_op_count.py OUT.json BLOODYAD-ARGS...

Runs under the peers' venv (.build/peers, tests/bench/peers_venv.sh), never the collection's. Every request badldap
sends passes through MSLDAPClientConnection.send_message; its operation name is counted and written to OUT.json.
Only for the operation counts: the timed runs start bloodyAD itself, as an administrator does.
"""
from __future__ import annotations

import collections
import json
import sys

from badldap.connection import MSLDAPClientConnection
from bloodyAD.main import main

COUNTS: collections.Counter = collections.Counter()
_SEND = MSLDAPClientConnection.send_message


async def _counted(self, message, *args, **kwargs):
    operation = message.get("protocolOp") if isinstance(message, dict) else None
    name = operation.name if hasattr(operation, "name") else next(iter(operation), "?") if isinstance(operation, dict) else "?"
    COUNTS[str(name).replace("Request", "").replace("Req", "")] += 1
    return await _SEND(self, message, *args, **kwargs)


if __name__ == "__main__":
    out = sys.argv[1]
    sys.argv = ["bloodyAD", *sys.argv[2:]]
    MSLDAPClientConnection.send_message = _counted
    try:
        main()
    finally:
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(dict(COUNTS), handle)

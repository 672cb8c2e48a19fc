# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The remediation tests' directory and Graph: a fake Graph whose 'sensor' changes the fake directory a few polls after
Graph's 200, as the real one does some time later; a simulated clock so waiting takes no time."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._remediation import task
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import FakeClient


class FakeGraph:
    """Knows alice; ``invoke_action`` records the call and arms the 'sensor': after ``delay`` polls it changes the directory.
    ``acts``: True, False, or the set of Graph actions the sensor carries out."""

    def __init__(self, client, delay=2, acts=True, known=True):
        self.client, self.delay, self.acts, self.known = client, delay, acts, known
        self.invoked, self.lookups = [], []

    def identity_accounts_by_sid(self, sid, name):
        self.lookups.append(sid)
        if not self.known:
            return []
        return [{"id": "ident-1", "sid": sid, "display_name": "alice", "domain": "corp.example.test", "enabled": True,
                 "user_principal_name": None, "accounts": [{"identifier": "ad-1", "provider": "activeDirectory", "actions": []}]}]

    def invoke_action(self, identity_id, payload, name):
        self.invoked.append((identity_id, payload))
        self.delay = max(self.delay, 1)
        return {"correlation_id": "corr-1", "action": payload["action"], "account_id": payload["accountId"]}

    def tick(self):
        """One poll went by: the sensor acts when its time has come."""
        action = self.invoked[-1][1]["action"] if self.invoked else None
        if action and (self.acts is True or (self.acts and action in self.acts)):
            self.delay -= 1
            if self.delay == 0:
                dn = next(dn for dn in self.client.objects if dn.startswith("CN=alice"))
                uac = int(self.client.objects[dn]["useraccountcontrol"][0])
                changes = {"disable": {"userAccountControl": [("MODIFY_REPLACE", [uac | 2])]},
                           "enable": {"userAccountControl": [("MODIFY_REPLACE", [uac & ~2])]},
                           "forcePasswordReset": {"pwdLastSet": [("MODIFY_REPLACE", [0])]}}[action]
                self.client.objects[dn].update({k.lower(): [str(v[0][1][0]).encode()] for k, v in changes.items()})


@pytest.fixture(name="lab")
def fixture_lab(monkeypatch):
    client = FakeClient()
    client.account("alice", 1105, container="OU=Users", classes=("top", "person", "organizationalPerson", "user"),
                   userAccountControl=512, pwdLastSet=133000000000000000)
    client.account("srv1$", 1106, classes=("top", "person", "organizationalPerson", "user", "computer"), userAccountControl=4096)
    graph = FakeGraph(client)
    clock = [0.0]

    def sleep(seconds):
        clock[0] += seconds
        graph.tick()

    monkeypatch.setattr(task, "graph_client", lambda params, **_kwargs: graph)
    monkeypatch.setattr(task, "_clock", lambda: clock[0])
    monkeypatch.setattr(task, "_sleep", sleep)
    return client, graph

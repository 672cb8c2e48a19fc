# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""identityAccounts and invokeAction: both the schema's shapes and Microsoft's docs examples are read, the schema's sent."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import graph
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import identity_accounts as ia
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._cloud.fakes import FakeResponse

BASE = "https://graph.example.test"
SID = "S-1-5-21-989687458-3461180213-172365591-281652"
SCHEMA_ITEM = {"@odata.type": "#microsoft.graph.security.user", "id": "00104216-0539-4838-88b1-55baafdc296b", "displayName": "jon",
               "domain": "corp.example.test", "onPremisesSecurityIdentifier": SID, "isEnabled": True, "userPrincipalName": "jon@corp",
               "accounts": [{"identifier": "256db173-930a-4991-9061-0d51a9a93ba5", "identityProvider": "activeDirectory",
                             "actions": ["disable", "forcePasswordReset"]},
                            {"identifier": "878a6911-f3da-41eb-a895-1d46fa054d3e", "identityProvider": "okta", "actions": []}]}
# As Microsoft's Get example shows it: wrapped in "value", "provider" in PascalCase, "Enable".
DOCS_ITEM = {"value": {**SCHEMA_ITEM, "accounts": [{"identifier": "256db173-930a-4991-9061-0d51a9a93ba5", "provider": "ActiveDirectory",
                                                    "actions": ["Enable"]}]}}


class Tokens:
    def token(self):
        return "tok-abcdef"


def _client(make_http, *replies):
    http, session, sleeps = make_http(*replies)
    return graph.GraphClient(http, Tokens(), BASE), session, sleeps


@pytest.mark.parametrize("body", [SCHEMA_ITEM, DOCS_ITEM])
def test_both_shapes_give_the_ad_account_identifier(body):
    identity = ia.normalize_identity(body)
    account = ia.ad_account(identity)
    assert (identity["id"], identity["sid"], account["identifier"], account["provider"]) == (
        SCHEMA_ITEM["id"], SID, "256db173-930a-4991-9061-0d51a9a93ba5", "activeDirectory")
    assert account["actions"] in (["disable", "forcePasswordReset"], ["enable"])


def test_the_payload_uses_the_schema_names_and_the_account_identifier():
    assert ia.invoke_payload("256db173", "force_password_reset") == {
        "accountId": "256db173", "action": "forcePasswordReset", "identityProvider": "activeDirectory"}
    with pytest.raises(CloudError, match="action must be one of disable, enable, force_password_reset"):
        ia.invoke_payload("x", "revokeAllSessions")


@pytest.mark.parametrize("sid", ["S-1-5-21-1' or 1 eq 1 or '", "alice", "", None])
def test_the_filter_takes_only_a_sid(sid):
    with pytest.raises(CloudError, match="is not a SID"):
        ia.sid_filter(sid)


def test_pick_identity_checks_the_sid_again_and_prefers_an_ad_account():
    okta_only = ia.normalize_identity({**SCHEMA_ITEM, "id": "a", "accounts": [SCHEMA_ITEM["accounts"][1]]})
    both = ia.normalize_identity(SCHEMA_ITEM)
    assert ia.pick_identity([okta_only, both], SID, "CORP\\jon")["id"] == SCHEMA_ITEM["id"]
    with pytest.raises(CloudError, match=r"Defender for Identity does not know CORP\\jon \(S-1-5-21-1-2-3\)"):
        ia.pick_identity([both], "S-1-5-21-1-2-3", "CORP\\jon")
    with pytest.raises(CloudError, match="lists no Active Directory account"):
        ia.ad_account(okta_only)


@pytest.mark.parametrize("item, text", [("x", "not an object"), ({"identifier": "a"}, "without 'identifier' or 'identityProvider'")])
def test_malformed_account_entries_fail(item, text):
    with pytest.raises(CloudError, match=text):
        ia.normalize_identity({**SCHEMA_ITEM, "accounts": [item]})


def test_lookup_sends_the_documented_filter_and_follows_pages(make_http):
    page1 = {"value": [], "@odata.nextLink": f"{BASE}{ia.PATH}?$filter=x&$skiptoken=1"}
    client, session, _sleeps = _client(make_http, FakeResponse(200, page1), FakeResponse(200, {"value": [SCHEMA_ITEM]}))
    [identity] = client.identity_accounts_by_sid(SID, "CORP\\jon")
    assert identity["id"] == SCHEMA_ITEM["id"]
    assert session.calls[0]["url"] == f"{BASE}{ia.PATH}?$filter=onPremisesSecurityIdentifier%20eq%20'{SID}'"
    assert session.calls[1]["url"] == page1["@odata.nextLink"]


@pytest.mark.parametrize("body", [
    {"@odata.context": "x", "accountId": "256db173", "action": "disable", "identityProvider": "activeDirectory", "correlationId": "c-1"},
    {"value": {"accountId": "256db173", "action": "Disable", "provider": "activeDirectory", "correlationId": "c-1"}}])
def test_invoke_posts_the_payload_and_reads_either_result_shape(make_http, body):
    client, session, _sleeps = _client(make_http, FakeResponse(200, body))
    result = client.invoke_action("00104216-0539", ia.invoke_payload("256db173", "disable"), "CORP\\jon")
    assert result == {"correlation_id": "c-1", "action": "disable", "account_id": "256db173"}
    call = session.calls[0]
    assert (call["method"], call["url"]) == ("POST", f"{BASE}{ia.PATH}/00104216-0539/invokeAction")
    assert call["json"] == {"accountId": "256db173", "action": "disable", "identityProvider": "activeDirectory"}
    assert call["headers"]["Authorization"] == "Bearer tok-abcdef" and call["allow_redirects"] is False


def test_invoke_waits_out_throttling_as_told(make_http):
    throttled = FakeResponse(429, {"error": {"code": "TooManyRequests", "message": "slow down"}}, headers={"Retry-After": "7"})
    ok = FakeResponse(200, {"correlationId": "c-2", "accountId": "a", "action": "enable"})
    client, session, sleeps = _client(make_http, throttled, ok)
    assert client.invoke_action("id", ia.invoke_payload("a", "enable"), "jon")["correlation_id"] == "c-2"
    assert sleeps == [7.0] and len(session.calls) == 2


@pytest.mark.parametrize("status, text", [
    (403, "lacks the Microsoft Graph application permission SecurityIdentitiesActions.ReadWrite.All"),
    (404, "MDI no longer knows this identity account"), (400, "HTTP 400: BadRequest accountId")])
def test_invoke_refusals_are_explained(make_http, status, text):
    client, _session, _sleeps = _client(make_http, FakeResponse(status, {"error": {"code": "BadRequest" if status == 400 else "x",
                                                                                   "message": "accountId is wrong"}}))
    with pytest.raises(CloudError, match=text) as caught:
        client.invoke_action("id", ia.invoke_payload("a", "disable"), "CORP\\jon")
    assert caught.value.action == "ask MDI to disable CORP\\jon"


def test_lookup_without_the_read_permission_names_it(make_http):
    client, _session, _sleeps = _client(make_http, FakeResponse(403, {"error": {"code": "Forbidden", "message": "no"}}))
    with pytest.raises(CloudError, match="SecurityIdentitiesAccount.Read.All"):
        client.identity_accounts_by_sid(SID, "jon")

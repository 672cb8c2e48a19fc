# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import portal
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._cloud.fakes import FakeResponse

URL = "https://security.example.test/apiproxy/aatp"
SCCAUTH = "sccauth-secret-value"
XSRF = "xsrf/secret+value="
XSRF_ENCODED = "xsrf%2Fsecret%2Bvalue%3D"


def _client(make_http, *replies, xsrf=XSRF, retries=2):
    http, session, _sleeps = make_http(*replies, retries=retries)
    return portal.PortalClient(http, URL + "/", SCCAUTH, xsrf), session


@pytest.mark.parametrize("given", [XSRF, XSRF_ENCODED])
def test_session_headers_accept_the_cookie_encoded_or_not(make_http, given):
    client, session = _client(make_http, FakeResponse(200, {"value": []}), xsrf=given)
    assert client.accounts() == []
    call = session.calls[0]
    assert call["url"] == URL + portal.ACCOUNTS_PATH and call["allow_redirects"] is False
    assert call["headers"]["Cookie"] == f"sccauth={SCCAUTH}; XSRF-TOKEN={XSRF_ENCODED}"
    assert call["headers"]["X-XSRF-TOKEN"] == XSRF


@pytest.mark.parametrize("status", [401, 403, 440, 302])
def test_expired_or_unprivileged_session_says_sign_in_again(make_http, status):
    client, _session = _client(make_http, FakeResponse(status, {"error": {"message": f"bad cookie {SCCAUTH} {XSRF}"}}))
    with pytest.raises(CloudError, match="session expired or lacks Security Administrator: sign in again") as caught:
        client.local_system()
    assert SCCAUTH not in str(caught.value) and XSRF not in str(caught.value) and XSRF_ENCODED not in str(caught.value)


def test_unknown_endpoint_suggests_an_api_change(make_http):
    client, _session = _client(make_http, FakeResponse(404, {"error": {"code": "404", "message": "Not found"}}))
    with pytest.raises(CloudError, match="may have changed this undocumented portal API"):
        client.accounts()


def test_an_unexpected_shape_says_what_to_do_meanwhile(make_http):
    client, _session = _client(make_http, FakeResponse(200, {"unexpected": 1}))
    with pytest.raises(CloudError, match="no 'value' list; Microsoft may have .*: update this collection, or .* mode=manual lists"):
        client.accounts()


@pytest.mark.parametrize("body, text", [
    ({"IsRemediationWithLocalSystemEnabled": "true"}, "no boolean"),
    ({"isRemediationWithLocalSystemEnabled": True}, "no boolean"),
    ([], "no boolean"),
])
def test_local_system_shape_is_strict(make_http, body, text):
    client, _session = _client(make_http, FakeResponse(200, body))
    with pytest.raises(CloudError, match=text):
        client.local_system()


def test_local_system_reads_the_switch(make_http):
    client, _session = _client(make_http, FakeResponse(200, {"IsRemediationWithLocalSystemEnabled": False, "Other": 1}))
    assert client.local_system() is False


@pytest.mark.parametrize("reply", [FakeResponse(200, {"IsRemediationWithLocalSystemEnabled": False}), FakeResponse(204)])
def test_set_local_system_posts_the_observed_body(make_http, reply):
    client, session = _client(make_http, reply)
    client.set_local_system(False)
    assert session.calls[0]["method"] == "POST" and session.calls[0]["json"] == {"IsRemediationWithLocalSystemEnabled": False}


def test_set_local_system_refuses_an_answer_that_says_otherwise(make_http):
    client, _session = _client(make_http, FakeResponse(200, {"IsRemediationWithLocalSystemEnabled": True}))
    with pytest.raises(CloudError, match="does not confirm"):
        client.set_local_system(False)


def test_an_html_200_is_never_success(make_http):
    client, _session = _client(make_http, FakeResponse(200, text="<html>Sign in</html>", headers={"Content-Type": "text/html"}))
    with pytest.raises(CloudError, match="HTML page instead of JSON .*: the session may have expired: sign in again and copy"):
        client.add({"AccountName": "a", "DomainDnsName": "b.c"})


def test_accounts_normalize_and_derive_the_domain_from_the_id(make_http):
    body = {"value": [{"Id": "mdiAction@corp.example.test", "AccountName": "mdiAction", "DomainDnsName": "corp.example.test"},
                      {"Id": "other$@fabrikam.test", "AccountName": "other$", "IsGroupManagedServiceAccount": False}]}
    client, _session = _client(make_http, FakeResponse(200, body))
    # An entry without IsGroupManagedServiceAccount counts as a gMSA: the safe side when removing gMSAs for sensor v3.x.
    assert client.accounts() == [{"id": "mdiAction@corp.example.test", "account_name": "mdiAction", "domain": "corp.example.test", "gmsa": True},
                                 {"id": "other$@fabrikam.test", "account_name": "other$", "domain": "fabrikam.test", "gmsa": False}]


@pytest.mark.parametrize("body", [{"value": {}}, {"accounts": []}, {"value": [{"Id": "", "AccountName": "x"}]},
                                  {"value": [{"Id": "x", "AccountName": "x"}]}, {"value": ["x@y"]}])
def test_accounts_shape_is_strict(make_http, body):
    client, _session = _client(make_http, FakeResponse(200, body))
    with pytest.raises(CloudError, match="unexpected"):
        client.accounts()


def test_add_and_delete_post_to_the_observed_endpoints(make_http):
    client, session = _client(make_http, FakeResponse(200, {"Id": "a@b.c"}), FakeResponse(200))
    client.add({"AccountName": "a", "DomainDnsName": "b.c"})
    client.delete("a@b.c")
    assert [(c["method"], c["url"], c["json"]) for c in session.calls] == [
        ("POST", URL + portal.ACCOUNTS_PATH, {"AccountName": "a", "DomainDnsName": "b.c"}),
        ("POST", URL + portal.DELETE_PATH, {"id": "a@b.c"})]


def test_conflicts_carry_their_status(make_http):
    client, _session = _client(make_http, FakeResponse(409, {"error": {"message": "exists"}}))
    with pytest.raises(CloudError) as caught:
        client.add({"AccountName": "a", "DomainDnsName": "b.c"})
    assert caught.value.status == 409 and caught.value.action == "register MDI action account a@b.c"


@pytest.mark.parametrize("given, expected", [(" abc-123 \n", "abc-123"), ("sccauth=abc-123", "abc-123"), ("SCCAUTH=abc%2F", "abc%2F")])
def test_cookie_values_are_taken_bare(given, expected):
    assert portal.cookie_value("sccauth", given) == expected


@pytest.mark.parametrize("given", ["abc; other=1", "ab c", "abc\r\nX-Evil: 1", "abc,def", "\"abc\"", "abcé"])
def test_cookie_values_that_would_break_the_header_are_refused_unshown(given):
    with pytest.raises(CloudError) as caught:
        portal.cookie_value("sccauth", given)
    assert given.strip() not in str(caught.value)


@pytest.mark.parametrize("url, cookie, text", [("http://portal.example/apiproxy/aatp", SCCAUTH, "must be an https URL"),
                                               (URL, "", "portal_sccauth and portal_xsrf_token must be set")])
def test_session_options_are_checked(make_http, url, cookie, text):
    http, _session, _sleeps = make_http()
    with pytest.raises(CloudError, match=text):
        portal.PortalClient(http, url, cookie, XSRF)

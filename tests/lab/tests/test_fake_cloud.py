# -*- coding: utf-8 -*-
"""The fake Microsoft cloud: msal gets tokens from it over HTTPS (secret, certificate, managed
identity), Graph lists the lab's DCs as sensors, the portal enforces its session, faults fire."""
from __future__ import annotations

import json

import msal
import pytest
import requests


class VerifyingSession(requests.Session):
    """Passes verify= on every request: REQUESTS_CA_BUNDLE (exported on this machine) would
    otherwise override a Session's verify attribute, and the lab CA would be ignored."""

    def __init__(self, ca_cert: str):
        super().__init__()
        self.ca_cert = ca_cert

    def request(self, method, url, *args, **kwargs):  # pylint: disable=arguments-differ
        kwargs["verify"] = self.ca_cert
        return super().request(method, url, *args, **kwargs)


@pytest.fixture(name="cloud")
def fixture_cloud(lab, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    cloud = lab["cloud"]
    yield cloud
    requests.post(f"{cloud['control_urls']['portal']}/reset", json={"state": True}, verify=lab["ca_cert"], timeout=5)


def _app(lab, cloud, name="sensors_reader", credential=None):
    app = cloud["apps"][name]
    if credential is None:
        credential = app["client_secret"]
    return msal.ConfidentialClientApplication(
        app["client_id"], client_credential=credential, authority=f"{cloud['authority_host']}/{cloud['tenant_id']}",
        instance_discovery=False, http_client=VerifyingSession(lab["ca_cert"]))


def _token(lab, cloud, **kwargs):
    return _app(lab, cloud, **kwargs).acquire_token_for_client([f"{cloud['graph_url']}/.default"])


def _sensors(lab, cloud, token):
    url, names = f"{cloud['graph_url']}/v1.0/security/identities/sensors", []
    while url:
        resp = requests.get(url, headers={"Authorization": f"Bearer {token}"}, verify=lab["ca_cert"], timeout=10)
        resp.raise_for_status()
        body = resp.json()
        names += [s["settings"]["domainControllerDnsNames"][0] for s in body["value"]]
        url = body.get("@odata.nextLink")
    return names


def test_client_secret_token_then_sensors_with_paging(lab, cloud):
    result = _token(lab, cloud)
    assert "access_token" in result, result
    names = _sensors(lab, cloud, result["access_token"])
    assert sorted(names) == sorted(h["fqdn"] for h in lab["winrm"]["hosts"].values())


def test_certificate_credential(lab, cloud):
    app = cloud["apps"]["sensors_reader"]
    with open(app["key"], encoding="ascii") as key:
        result = _token(lab, cloud, credential={"private_key": key.read(), "thumbprint": app["thumbprint"]})
    assert "access_token" in result, result


def test_managed_identity(lab, cloud, monkeypatch):
    monkeypatch.setenv("IDENTITY_ENDPOINT", cloud["msi"]["endpoint"])
    monkeypatch.setenv("IDENTITY_HEADER", cloud["msi"]["header"])
    client = msal.ManagedIdentityClient(msal.SystemAssignedManagedIdentity(), http_client=VerifyingSession(lab["ca_cert"]))
    result = client.acquire_token_for_client(resource=cloud["graph_url"])
    assert "access_token" in result, result
    assert _sensors(lab, cloud, result["access_token"])


def test_bad_secret_is_an_aad_error(lab, cloud):
    result = _token(lab, cloud, credential="not-the-secret")
    assert result.get("error") == "invalid_client" and "AADSTS7000215" in result["error_description"]


def test_graph_401_and_403(lab, cloud):
    url = f"{cloud['graph_url']}/v1.0/security/identities/sensors"
    resp = requests.get(url, verify=lab["ca_cert"], timeout=10)
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "InvalidAuthenticationToken"
    token = _token(lab, cloud, name="no_permissions")["access_token"]
    resp = requests.get(url, headers={"Authorization": f"Bearer {token}"}, verify=lab["ca_cert"], timeout=10)
    assert resp.status_code == 403 and "SecurityIdentitiesSensors.Read.All" in resp.json()["error"]["message"]


def _portal(lab, cloud, method, path, body=None, session="portal_session", xsrf=None):
    sess = cloud[session]
    headers = {"X-XSRF-TOKEN": sess["xsrf_token"] if xsrf is None else xsrf,
               "Cookie": f"sccauth={sess['sccauth']}; XSRF-TOKEN={requests.utils.quote(sess['xsrf_token'], safe='')}"}
    return requests.request(method, cloud["portal_url"] + path, json=body, headers=headers, verify=lab["ca_cert"], timeout=10)


def test_portal_round_trip(lab, cloud):
    account = {"Id": "", "AccountName": "mdiAction", "DomainDnsName": "corp.example.test", "AccountPassword": None,
               "IsGroupManagedServiceAccount": True, "IsSingleLabelAccountDomainName": False}
    assert _portal(lab, cloud, "POST", "/odata/EntityRemediatorCredentials", account).status_code == 200
    assert _portal(lab, cloud, "POST", "/odata/EntityRemediatorCredentials", account).status_code == 409
    listed = _portal(lab, cloud, "GET", "/odata/EntityRemediatorCredentials").json()["value"]
    assert [a["Id"] for a in listed] == ["mdiAction@corp.example.test"]
    body = {"IsRemediationWithLocalSystemEnabled": False}
    assert _portal(lab, cloud, "POST", "/api/remediationActions/configuration", body).json() == body
    assert _portal(lab, cloud, "GET", "/api/remediationActions/configuration").json() == body
    assert _portal(lab, cloud, "POST", "/odata/EntityRemediatorCredentials/delete", {"id": "mdiAction@corp.example.test"}).status_code == 200
    assert _portal(lab, cloud, "GET", "/odata/EntityRemediatorCredentials").json()["value"] == []


def test_portal_auth_errors(lab, cloud):
    assert _portal(lab, cloud, "GET", "/odata/EntityRemediatorCredentials", xsrf="wrong").status_code == 403
    assert _portal(lab, cloud, "GET", "/odata/EntityRemediatorCredentials", session="portal_session_non_admin").status_code == 403
    resp = requests.get(cloud["portal_url"] + "/odata/EntityRemediatorCredentials", verify=lab["ca_cert"], timeout=10)
    assert resp.status_code == 401


def test_portal_rejects_malformed_bodies(lab, cloud):
    assert _portal(lab, cloud, "POST", "/odata/EntityRemediatorCredentials", {"AccountName": "x"}).status_code == 400
    assert _portal(lab, cloud, "POST", "/api/remediationActions/configuration", {"IsRemediationWithLocalSystemEnabled": "no"}).status_code == 400


@pytest.mark.parametrize("fault", [
    {"status": 429, "retry_after": 1}, {"status": 503}, {"status": 401}, {"status": 403}, {"status": 404},
    {"status": 200, "body": {"unexpected": True}}, {"status": 200, "shape": "html"},
])
def test_faults_fire_once_then_clear(lab, cloud, fault):
    requests.post(f"{cloud['control_urls']['portal']}/faults", json={"path": "EntityRemediatorCredentials$", **fault},
                  verify=lab["ca_cert"], timeout=5)
    first = _portal(lab, cloud, "GET", "/odata/EntityRemediatorCredentials")
    assert first.status_code == fault["status"]
    if "retry_after" in fault:
        assert first.headers["Retry-After"] == "1"
    if fault.get("shape") == "html":
        assert first.headers["Content-Type"].startswith("text/html")
    second = _portal(lab, cloud, "GET", "/odata/EntityRemediatorCredentials")
    assert second.status_code == 200 and "value" in second.json()


def test_request_log_holds_no_secrets(lab, cloud):
    _token(lab, cloud)
    _portal(lab, cloud, "GET", "/odata/EntityRemediatorCredentials")
    log = json.dumps([requests.get(f"{url}/requests", verify=lab["ca_cert"], timeout=5).json() for url in cloud["control_urls"].values()])
    secrets = [cloud["apps"]["sensors_reader"]["client_secret"], cloud["portal_session"]["sccauth"], cloud["portal_session"]["xsrf_token"]]
    assert "/token" in log
    assert not [s for s in secrets if s in log]

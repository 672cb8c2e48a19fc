# -*- coding: utf-8 -*-
"""The fake Microsoft cloud of the running lab ($MDI_LAB_DIR/lab.json): msal gets tokens from it over
HTTPS (client secret, certificate, managed identity), Graph lists the lab's DCs as MDI sensors with
paging and permission checks, their versions and beta migration states follow the lab's sensor
generation, the portal enforces its session and validates bodies, every fault kind fires and clears,
and the request log holds no secret. The Graph inventory variables and labctl's --sensors are tested
without a lab.

Every test runs with REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE set to the system bundle, as on this machine
and on many corporate controllers: the lab CA only works when it is passed as verify= on each request.
"""
from __future__ import annotations

import base64
import json
import time
import urllib.parse
import uuid
from pathlib import Path

import jwt
import msal
import pytest
import requests

import inventory
import lab_domain
import labctl

SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
SENSOR_KEYS = {"@odata.type", "id", "displayName", "domainName", "sensorType", "deploymentStatus", "healthStatus",
               "openHealthIssuesCount", "version", "createdDateTime", "settings"}
SENSOR_TYPES = {"adConnectIntegrated", "adcsIntegrated", "adfsIntegrated", "domainControllerIntegrated", "domainControllerStandalone"}
ACCOUNT = {"Id": "", "AccountName": "mdiAction$", "DomainDnsName": "corp.example.test", "AccountPassword": None,
           "IsGroupManagedServiceAccount": True, "IsSingleLabelAccountDomainName": False}


class LabCASession(requests.Session):
    """A Session that passes verify= on every request. requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE
    override a Session's `verify` attribute (only a per-request verify= wins), so this is how a lab or
    corporate CA reaches msal: msal.ConfidentialClientApplication(..., http_client=LabCASession(ca))."""

    def __init__(self, ca_cert: str):
        super().__init__()
        self.ca_cert = ca_cert

    def request(self, method, url, *args, **kwargs):  # pylint: disable=arguments-differ
        kwargs["verify"] = self.ca_cert
        return super().request(method, url, *args, **kwargs)


def _control(cloud: dict, method: str, name: str, body=None, listener: str = "login"):
    resp = requests.request(method, f"{cloud['control_urls'][listener]}/{name}", json=body, verify=cloud["ca_cert"], timeout=10)
    return resp


@pytest.fixture(name="cloud")
def fixture_cloud(lab, monkeypatch):
    if "cloud" not in lab.get("components", []) or "cloud" not in lab:
        pytest.fail("lab not running: run make lab-up (lab.json lists no fake cloud)")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", SYSTEM_BUNDLE)
    monkeypatch.setenv("CURL_CA_BUNDLE", SYSTEM_BUNDLE)
    cloud = lab["cloud"]
    assert _control(cloud, "POST", "reset", {"state": True}).status_code == 200
    yield cloud
    _control(cloud, "POST", "reset", {"state": True})


def _settings(cloud: dict, **changes) -> dict:
    resp = _control(cloud, "POST", "settings", changes)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _arm(cloud: dict, via: str = "portal", **fault) -> None:
    """Arm a fault through the control API of the `via` listener (a fault hits every listener unless it names one)."""
    resp = _control(cloud, "POST", "faults", fault, via)
    assert resp.status_code == 200, resp.text


def _app(cloud: dict, name: str = "sensors_reader", credential=None, authority: str | None = None):
    app = cloud["apps"][name]
    return msal.ConfidentialClientApplication(
        app["client_id"], client_credential=app["client_secret"] if credential is None else credential,
        authority=authority or cloud["authority"], instance_discovery=False, http_client=LabCASession(cloud["ca_cert"]))


def _token(cloud: dict, name: str = "sensors_reader", credential=None) -> dict:
    return _app(cloud, name, credential).acquire_token_for_client([cloud["graph_scope"]])


def _graph(cloud: dict, path: str, token: str | None = None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = path if path.startswith("https://") else cloud["graph_url"] + path
    return requests.get(url, headers=headers, verify=cloud["ca_cert"], timeout=10, **kwargs)


def _all_pages(cloud: dict, path: str, token: str) -> tuple[list, int]:
    url, items, pages = path, [], 0
    version = path.split("/")[1]
    while url:
        resp = _graph(cloud, url, token)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["@odata.context"].startswith(f"{cloud['graph_url']}/{version}/$metadata#security/identities/")
        items += body["value"]
        pages += 1
        url = body.get("@odata.nextLink")
        assert url is None or url.startswith(cloud["graph_url"] + path.split("?")[0])
    return items, pages


def _dns_names(sensors: list) -> list[str]:
    return sorted(s["settings"]["domainControllerDnsNames"][0].lower() for s in sensors)


def _portal(cloud: dict, method: str, path: str, body=None, session: str = "portal_session", xsrf_header: str | None = None,
            cookies: bool = True, **kwargs):
    sess = cloud[session]
    headers = {"X-XSRF-TOKEN": sess["xsrf_header"] if xsrf_header is None else xsrf_header}
    if cookies:
        headers["Cookie"] = f"sccauth={sess['sccauth']}; XSRF-TOKEN={sess['xsrf_token']}"
    return requests.request(method, cloud["portal_url"] + path, json=body, headers=headers, verify=cloud["ca_cert"], timeout=10, **kwargs)


def _claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


# ------------------------------------------------------------------ TLS and the CA-bundle gotcha

def test_session_verify_attribute_loses_to_requests_ca_bundle(cloud):
    url = f"{cloud['authority']}/v2.0/.well-known/openid-configuration"
    plain = requests.Session()
    plain.verify = cloud["ca_cert"]  # silently replaced by REQUESTS_CA_BUNDLE in merge_environment_settings
    with pytest.raises(requests.exceptions.SSLError):
        plain.get(url, timeout=10)
    with pytest.raises(requests.exceptions.SSLError):  # msal's own verify= goes the same way
        msal.ConfidentialClientApplication("x", client_credential="y", authority=cloud["authority"], instance_discovery=False,
                                           verify=cloud["ca_cert"])
    assert LabCASession(cloud["ca_cert"]).get(url, timeout=10).status_code == 200


def test_discovery_document(cloud):
    for tenant in (cloud["tenant_id"], cloud["tenant_domain"]):
        resp = requests.get(f"{cloud['authority_host']}/{tenant}/v2.0/.well-known/openid-configuration", verify=cloud["ca_cert"], timeout=10)
        doc = resp.json()
        assert resp.status_code == 200
        assert doc["token_endpoint"] == f"{cloud['authority']}/oauth2/v2.0/token"
        assert doc["issuer"] == f"{cloud['authority']}/v2.0"
        assert all(doc[k].startswith("https://") for k in ("authorization_endpoint", "token_endpoint", "jwks_uri"))
    keys = requests.get(doc["jwks_uri"], verify=cloud["ca_cert"], timeout=10).json()["keys"]
    assert keys[0]["kty"] == "RSA" and keys[0]["kid"]


def test_unknown_tenant_fails_in_msal_constructor(cloud):
    with pytest.raises(ValueError):
        _app(cloud, authority=f"{cloud['authority_host']}/{uuid.uuid4()}")
    resp = requests.get(f"{cloud['authority_host']}/nosuch.onmicrosoft.com/v2.0/.well-known/openid-configuration",
                        verify=cloud["ca_cert"], timeout=10)
    assert resp.status_code == 400 and resp.json()["error"] == "invalid_tenant" and resp.json()["error_codes"] == [90002]


# ------------------------------------------------------------------ tokens

def test_client_secret_token_lists_the_lab_dcs(lab, cloud):
    result = _token(cloud)
    assert result.get("token_type") == "Bearer", result
    claims = _claims(result["access_token"])
    assert claims["aud"] == cloud["graph_url"] and claims["tid"] == cloud["tenant_id"] and claims["idtyp"] == "app"
    assert "SecurityIdentitiesSensors.Read.All" in claims["roles"]
    sensors, pages = _all_pages(cloud, "/v1.0/security/identities/sensors", result["access_token"])
    expected = sorted(h["fqdn"].lower() for h in lab["winrm"]["hosts"].values()) if lab.get("winrm") else \
        sorted(s["fqdn"] for s in cloud["sensors"])
    assert _dns_names(sensors) == expected
    assert {s["domainName"] for s in sensors} == {lab_domain.of(lab).dns}
    assert pages == -(-len(expected) // 2)  # default page size 2


@pytest.mark.parametrize("form", ["sha1_thumbprint", "public_certificate"])
def test_certificate_credential(cloud, form):
    app = cloud["apps"]["sensors_reader"]
    key = Path(app["key"]).read_text(encoding="ascii")
    # msal: thumbprint -> RS256 + x5t (SHA-1); public_certificate -> PS256 + x5t#S256 + x5c.
    credential = {"private_key": key, "thumbprint": app["thumbprint"]} if form == "sha1_thumbprint" else \
        {"private_key": key, "public_certificate": Path(app["cert"]).read_text(encoding="ascii")}
    result = _token(cloud, credential=credential)
    assert "access_token" in result, result
    assert _graph(cloud, "/v1.0/security/identities/sensors", result["access_token"]).status_code == 200


def test_certificate_of_another_app_is_refused(cloud):
    other = cloud["apps"]["no_permissions"]
    key = Path(other["key"]).read_text(encoding="ascii")
    result = _token(cloud, credential={"private_key": key, "thumbprint": other["thumbprint"]})
    assert result["error"] == "invalid_client" and result["error_codes"] == [700027] and "key was not found" in result["error_description"]
    # The registered thumbprint, but signed with another key: the signature check fails.
    result = _token(cloud, credential={"private_key": key, "thumbprint": cloud["apps"]["sensors_reader"]["thumbprint"]})
    assert result["error_codes"] == [700027] and "failed signature validation" in result["error_description"]


def test_bad_secret_is_an_msal_error_dict(cloud):
    result = _token(cloud, credential="not-the-secret")
    assert result["error"] == "invalid_client" and result["error_codes"] == [7000215]
    assert result["error_description"].startswith("AADSTS7000215: Invalid client secret provided.")
    assert "access_token" not in result


def _assertion(cloud: dict, **changes) -> str:
    app = cloud["apps"]["sensors_reader"]
    now = int(time.time())
    claims = {"aud": f"{cloud['authority']}/oauth2/v2.0/token", "iss": app["client_id"], "sub": app["client_id"],
              "exp": now + 600, "nbf": now, "iat": now, "jti": str(uuid.uuid4()), **changes}
    x5t = base64.urlsafe_b64encode(bytes.fromhex(app["thumbprint"])).decode().rstrip("=")
    return jwt.encode(claims, Path(app["key"]).read_text(encoding="ascii"), algorithm="RS256", headers={"x5t": x5t})


_CASES = {  # name: (form changes, status, error, AADSTS code)
    "unknown client": ({"client_id": str(uuid.uuid4())}, 400, "unauthorized_client", 700016),
    "bad secret": ({"client_secret": "wrong"}, 401, "invalid_client", 7000215),
    "no credential": ({"client_secret": None}, 401, "invalid_client", 7000218),
    "scope without .default": ({"scope": "https://127.0.20.1:8444/SecurityIdentitiesSensors.Read.All"}, 400, "invalid_scope", 1002012),
    "unknown resource": ({"scope": "https://management.lab.test/.default"}, 400, "invalid_resource", 500011),
    "two scopes": ({"scope": "GRAPH/.default offline_access"}, 400, "invalid_scope", 1002012),
    "wrong grant": ({"grant_type": "password"}, 400, "unsupported_grant_type", 70003),
    "no grant": ({"grant_type": None}, 400, "invalid_request", 900144),
    "assertion for another audience": ({"client_secret": None, "assertion": {"aud": "https://login.lab.test/x/oauth2/v2.0/token"}},
                                       401, "invalid_client", 700023),
    "assertion expired": ({"client_secret": None, "assertion": {"exp": 1_000_000_000, "nbf": 999_999_000}}, 401, "invalid_client", 700024),
    "assertion for another client": ({"client_secret": None, "assertion": {"iss": str(uuid.uuid4())}}, 401, "invalid_client", 700021),
    "malformed assertion": ({"client_secret": None, "client_assertion": "not.a.jwt"}, 401, "invalid_client", 50027),
}


@pytest.mark.parametrize("case", sorted(_CASES))
def test_token_endpoint_errors_have_entra_shape(cloud, case):
    changes, status, error, code = _CASES[case]
    app = cloud["apps"]["sensors_reader"]
    form = {"grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": app["client_secret"],
            "scope": cloud["graph_scope"]}
    changes = dict(changes)
    if "assertion" in changes:
        form.update(client_assertion=_assertion(cloud, **changes.pop("assertion")),
                    client_assertion_type="urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    if "client_assertion" in changes:
        form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    form.update(changes)
    form = {k: v.replace("GRAPH", cloud["graph_url"]) for k, v in form.items() if v is not None}
    resp = requests.post(f"{cloud['authority']}/oauth2/v2.0/token", data=form, verify=cloud["ca_cert"], timeout=10)
    body = resp.json()
    assert (resp.status_code, body["error"], body["error_codes"]) == (status, error, [code]), body
    assert body["error_description"].startswith(f"AADSTS{code}: ")
    assert {"timestamp", "trace_id", "correlation_id", "error_uri"} <= set(body)


def test_token_endpoint_errors_for_tenant_and_body(cloud):
    url = f"{cloud['authority_host']}/{uuid.uuid4()}/oauth2/v2.0/token"
    resp = requests.post(url, data={"grant_type": "client_credentials"}, verify=cloud["ca_cert"], timeout=10)
    assert resp.status_code == 400 and resp.json()["error_codes"] == [90002]
    resp = requests.post(f"{cloud['authority']}/oauth2/v2.0/token", json={"grant_type": "client_credentials"}, verify=cloud["ca_cert"], timeout=10)
    assert resp.status_code == 400 and resp.json()["error_codes"] == [900144]  # Entra ID wants a form, not JSON


# ------------------------------------------------------------------ managed identity

def test_managed_identity_system_and_user_assigned(cloud, monkeypatch):
    monkeypatch.setenv("IDENTITY_ENDPOINT", cloud["msi"]["endpoint"])
    monkeypatch.setenv("IDENTITY_HEADER", cloud["msi"]["header"])
    for identity in (msal.SystemAssignedManagedIdentity(), msal.UserAssignedManagedIdentity(client_id=cloud["msi"]["user_assigned_client_id"])):
        client = msal.ManagedIdentityClient(identity, http_client=LabCASession(cloud["ca_cert"]))
        result = client.acquire_token_for_client(resource=cloud["graph_url"])
        assert "access_token" in result, result
        assert _graph(cloud, "/v1.0/security/identities/sensors", result["access_token"]).status_code == 200
    unknown = msal.ManagedIdentityClient(msal.UserAssignedManagedIdentity(client_id=str(uuid.uuid4())), http_client=LabCASession(cloud["ca_cert"]))
    result = unknown.acquire_token_for_client(resource=cloud["graph_url"])
    assert "Unable to load the proper Managed Identity" in result["error_description"]


def test_managed_identity_wrong_header(cloud, monkeypatch):
    monkeypatch.setenv("IDENTITY_ENDPOINT", cloud["msi"]["endpoint"])
    monkeypatch.setenv("IDENTITY_HEADER", "not-the-header")
    client = msal.ManagedIdentityClient(msal.SystemAssignedManagedIdentity(), http_client=LabCASession(cloud["ca_cert"]))
    result = client.acquire_token_for_client(resource=cloud["graph_url"])
    # msal maps every App Service error to invalid_scope with "<statusCode>, <message>".
    assert result["error"] == "invalid_scope" and result["error_description"].startswith("401, ")


# ------------------------------------------------------------------ Graph

def test_graph_refuses_missing_and_foreign_tokens(cloud):
    forged = jwt.encode({"aud": cloud["graph_url"], "roles": ["SecurityIdentitiesSensors.Read.All"], "exp": time.time() + 600},
                        "k" * 32, algorithm="HS256")
    for token, message in ((None, "Access token is empty."), ("abc", "IDX14100"), (forged, "Access token validation failure")):
        resp = _graph(cloud, "/v1.0/security/identities/sensors", token)
        error = resp.json()["error"]
        assert resp.status_code == 401 and error["code"] == "InvalidAuthenticationToken" and message in error["message"]
        assert {"date", "request-id", "client-request-id"} <= set(error["innerError"])
        assert resp.headers["WWW-Authenticate"].startswith("Bearer ")


def test_graph_refuses_expired_token(cloud):
    _settings(cloud, token_lifetime=1)
    token = _token(cloud)["access_token"]
    time.sleep(1.2)
    resp = _graph(cloud, "/v1.0/security/identities/sensors", token)
    assert resp.status_code == 401 and "expired" in resp.json()["error"]["message"]


def test_graph_permissions(cloud):
    none = _token(cloud, "no_permissions")["access_token"]
    sensors_only = _token(cloud, "sensors_only")["access_token"]
    for path in ("/v1.0/security/identities/sensors", "/v1.0/security/identities/healthIssues"):
        resp = _graph(cloud, path, none)
        assert resp.status_code == 403 and resp.json()["error"]["code"] == "Forbidden"
    assert _graph(cloud, "/v1.0/security/identities/sensors", sensors_only).status_code == 200
    resp = _graph(cloud, "/v1.0/security/identities/healthIssues", sensors_only)
    assert resp.status_code == 403 and "SecurityIdentitiesHealth.Read.All" in resp.json()["error"]["message"]


def test_graph_sensor_shape_and_get_by_id(cloud):
    token = _token(cloud)["access_token"]
    sensors, _pages = _all_pages(cloud, "/v1.0/security/identities/sensors", token)
    for sensor in sensors:
        assert set(sensor) == SENSOR_KEYS and sensor["sensorType"] in SENSOR_TYPES
        assert set(sensor["settings"]) == {"@odata.type", "description", "domainControllerDnsNames", "isDelayedDeploymentEnabled"}
        assert sensor["deploymentStatus"] == "upToDate" and sensor["healthStatus"] == "healthy"
    resp = _graph(cloud, f"/v1.0/security/identities/sensors/{sensors[0]['id']}", token)
    assert resp.status_code == 200 and resp.json()["id"] == sensors[0]["id"] and resp.json()["@odata.context"].endswith("/$entity")
    assert resp.headers["Content-Type"].startswith("application/json;odata.metadata=minimal")
    assert _graph(cloud, "/v1.0/security/identities/sensors/nope", token).status_code == 404
    assert _graph(cloud, "/v1.0/security/identities/sensor", token).json()["error"]["code"] == "BadRequest"


def test_graph_paging_settings_and_query_options(lab, cloud):
    token = _token(cloud)["access_token"]
    path = "/v1.0/security/identities/sensors"
    count = len(cloud["sensors"])
    _settings(cloud, page_size=1)
    sensors, pages = _all_pages(cloud, path, token)
    assert pages == count and len({s["id"] for s in sensors}) == count
    _settings(cloud, page_size=100, second_domain=True)
    sensors, pages = _all_pages(cloud, path, token)
    assert pages == 1 and "dc9.child.example.test" in _dns_names(sensors)
    assert {s["domainName"] for s in sensors} == {lab_domain.of(lab).dns, "child.example.test"}
    body = _graph(cloud, path + "?$top=1&$count=true", token).json()
    assert len(body["value"]) == 1 and body["@odata.count"] == count + 1 and "%24top=1" in body["@odata.nextLink"]
    top_pages = _all_pages(cloud, path + "?$top=2", token)[1]
    assert top_pages == -(-(count + 1) // 2)
    assert _graph(cloud, path + "?$skiptoken=garbage", token).status_code == 400
    assert _graph(cloud, path + "?$filter=domainName eq 'x'", token).status_code == 400


def test_graph_sensor_overrides_and_health_issues(cloud):
    token = _token(cloud)["access_token"]
    fqdn = cloud["sensors"][-1]["fqdn"]
    _settings(cloud, sensor_overrides={fqdn: {"deploymentStatus": "disconnected", "healthStatus": "notHealthyHigh"}})
    sensors, _pages = _all_pages(cloud, "/v1.0/security/identities/sensors", token)
    changed = [s for s in sensors if s["settings"]["domainControllerDnsNames"][0].lower() == fqdn]
    assert changed[0]["deploymentStatus"] == "disconnected" and changed[0]["healthStatus"] == "notHealthyHigh"
    issues, _pages = _all_pages(cloud, "/v1.0/security/identities/healthIssues", token)
    assert issues and all({"id", "displayName", "healthIssueType", "severity", "status", "sensorDNSNames", "domainNames"} <= set(i)
                          for i in issues)
    assert _control(cloud, "POST", "settings", {"sensor_overrides": {"nope.example": {}}}).status_code == 400


# ------------------------------------------------------------------ sensor generations, beta sensorMigration

MIGRATION_PATH = "/beta/security/identities/sensorMigration"
MIGRATION_KEYS = {"@odata.type", "id", "displayName", "domainName", "sensorType", "version", "migrationState", "healthStatus",
                  "serviceStatus", "createdDateTime"}
# generation: {which sensor: (major version, migrationState)}; "second" is the lab domain's second sensor in
# sorted order (dc2), "other" the lab domain's others, "child" the second domain's sensor.
GENERATIONS = {
    "v2": {"other": ("2", "readyForMigration"), "second": ("2", "readyForMigration"), "child": ("2", "readyForMigration")},
    "v3": {"other": ("3", "upToDate"), "second": ("3", "upToDate"), "child": ("3", "upToDate")},
    "mixed": {"other": ("2", "readyForMigration"), "second": ("3", "upToDate"), "child": ("2", "readyForMigration")},
    "migrating": {"other": ("2", "readyForMigration"), "second": ("2", "migrating"), "child": ("2", "readyForMigration")},
}


def _generations_seen(cloud: dict, token: str) -> dict:
    """{which sensor: (major version, migrationState)} as v1.0 and beta show them, after checking that they agree."""
    second = sorted(s["fqdn"].lower() for s in cloud["sensors"])[1]
    children = {s["fqdn"] for s in cloud["second_domain_sensors"]}
    listed = {s["id"]: s for s in _all_pages(cloud, "/v1.0/security/identities/sensors", token)[0]}
    migrations = _all_pages(cloud, MIGRATION_PATH, token)[0]
    assert sorted(m["id"] for m in migrations) == sorted(listed)
    seen: dict = {}
    for migration in migrations:
        sensor = listed[migration["id"]]
        assert set(migration) == MIGRATION_KEYS and migration["@odata.type"] == "#microsoft.graph.security.sensorMigration"
        assert {k: migration[k] for k in MIGRATION_KEYS - {"@odata.type", "migrationState", "serviceStatus"}} == \
            {k: sensor[k] for k in MIGRATION_KEYS - {"@odata.type", "migrationState", "serviceStatus"}}
        assert migration["serviceStatus"] == "running"
        fqdn = sensor["settings"]["domainControllerDnsNames"][0].lower()
        which = "second" if fqdn == second else "child" if fqdn in children else "other"
        seen.setdefault(which, set()).add((sensor["version"].split(".")[0], migration["migrationState"]))
    return seen


@pytest.mark.parametrize("generation", sorted(GENERATIONS))
def test_sensor_generation_sets_versions_and_migration_states(cloud, generation):
    token = _token(cloud)["access_token"]
    assert _settings(cloud, sensor_generation=generation, second_domain=True)["sensor_generation"] == generation
    assert _generations_seen(cloud, token) == {which: {seen} for which, seen in GENERATIONS[generation].items()}


def test_sensor_generation_default_is_the_labs_and_reset_restores_it(lab, cloud):
    default = lab.get("sensor_generation", "v2")
    assert cloud["sensor_generation"] == default and _control(cloud, "GET", "settings").json()["sensor_generation"] == default
    other = "v3" if default != "v3" else "v2"
    _settings(cloud, sensor_generation=other)
    assert _control(cloud, "POST", "reset", {"state": False}).json()["settings"]["sensor_generation"] == other  # faults only
    assert _control(cloud, "POST", "reset", {"state": True}).json()["settings"]["sensor_generation"] == default
    token = _token(cloud)["access_token"]
    assert _generations_seen(cloud, token) == {w: {s} for w, s in GENERATIONS[default].items() if w != "child"}


def test_sensor_overrides_apply_after_the_generation(cloud):
    token = _token(cloud)["access_token"]
    fqdn = sorted(s["fqdn"].lower() for s in cloud["sensors"])[0]
    _settings(cloud, sensor_generation="v2", sensor_overrides={fqdn: {"version": "3.0.1.2"}})
    assert _generations_seen(cloud, token)["other"] == {("2", "readyForMigration"), ("3", "upToDate")}
    listed = _all_pages(cloud, "/v1.0/security/identities/sensors", token)[0]
    assert [s["version"] for s in listed if s["settings"]["domainControllerDnsNames"][0].lower() == fqdn] == ["3.0.1.2"]


@pytest.mark.parametrize("value", ["v4", "V3", "", 3, None])
def test_bad_sensor_generation_setting_is_refused(cloud, value):
    resp = _control(cloud, "POST", "settings", {"sensor_generation": value})
    assert resp.status_code == 400 and "sensor_generation" in resp.json()["error"]
    if isinstance(value, str):
        assert all(choice in resp.json()["error"] for choice in GENERATIONS)
    assert _control(cloud, "GET", "settings").json()["sensor_generation"] == cloud["sensor_generation"]


def test_beta_sensor_migration_needs_its_role(cloud, monkeypatch):
    for name in ("sensors_only", "no_permissions"):
        resp = _graph(cloud, MIGRATION_PATH, _token(cloud, name)["access_token"])
        error = resp.json()["error"]
        assert resp.status_code == 403 and error["code"] == "Forbidden" and "SecurityIdentitiesMigration.Read.All" in error["message"]
        assert {"date", "request-id", "client-request-id"} <= set(error["innerError"])
    assert _graph(cloud, "/v1.0/security/identities/sensors", _token(cloud, "sensors_only")["access_token"]).status_code == 200
    reader = _token(cloud)
    assert "SecurityIdentitiesMigration.Read.All" in _claims(reader["access_token"])["roles"]
    assert _graph(cloud, MIGRATION_PATH, reader["access_token"]).status_code == 200
    resp = _graph(cloud, MIGRATION_PATH)
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "InvalidAuthenticationToken"
    monkeypatch.setenv("IDENTITY_ENDPOINT", cloud["msi"]["endpoint"])
    monkeypatch.setenv("IDENTITY_HEADER", cloud["msi"]["header"])
    for identity, status in ((msal.SystemAssignedManagedIdentity(), 200),
                             (msal.UserAssignedManagedIdentity(client_id=cloud["msi"]["user_assigned_client_id"]), 403)):
        client = msal.ManagedIdentityClient(identity, http_client=LabCASession(cloud["ca_cert"]))
        token = client.acquire_token_for_client(resource=cloud["graph_url"])["access_token"]
        assert _graph(cloud, MIGRATION_PATH, token).status_code == status


def test_beta_sensor_migration_paging_query_options_and_get_by_id(cloud):
    token = _token(cloud)["access_token"]
    count = len(cloud["sensors"])
    _settings(cloud, page_size=1)
    migrations, pages = _all_pages(cloud, MIGRATION_PATH, token)  # follows @odata.nextLink, which must stay on beta
    assert pages == count and len({m["id"] for m in migrations}) == count
    first = _graph(cloud, MIGRATION_PATH + "?$count=true&$select=migrationState", token).json()
    assert first["@odata.context"] == f"{cloud['graph_url']}/beta/$metadata#security/identities/sensorMigration"
    assert first["@odata.count"] == count and set(first["value"][0]) == {"@odata.type", "id", "migrationState"}
    assert first["@odata.nextLink"].startswith(cloud["graph_url"] + MIGRATION_PATH + "?")
    assert "%24select=migrationState" in first["@odata.nextLink"]
    _settings(cloud, page_size=100)
    assert [m["id"] for m in _graph(cloud, MIGRATION_PATH + "?$top=1&$skip=1", token).json()["value"]] == [migrations[1]["id"]]
    resp = _graph(cloud, f"{MIGRATION_PATH}/{migrations[0]['id']}", token)
    assert resp.status_code == 200 and resp.json()["id"] == migrations[0]["id"]
    assert resp.json()["@odata.context"] == f"{cloud['graph_url']}/beta/$metadata#security/identities/sensorMigration/$entity"
    resp = _graph(cloud, f"{MIGRATION_PATH}/nope", token)
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "ResourceNotFound"
    assert _graph(cloud, MIGRATION_PATH + "?$filter=migrationState eq 'migrating'", token).status_code == 400


@pytest.mark.parametrize("path,segment", [
    ("/v1.0/security/identities/sensorMigration", "sensorMigration"),  # beta only
    ("/beta/security/identities/sensors", "sensors"),  # the lab's beta serves sensorMigration only
    ("/beta/security/identities/healthIssues", "healthIssues"),
    ("/beta/security/identities", "identities"),
    ("/beta/security/alerts_v2", "alerts_v2"),
])
def test_each_version_serves_only_its_collections(cloud, path, segment):
    resp = _graph(cloud, path, _token(cloud)["access_token"])
    error = resp.json()["error"]
    assert (resp.status_code, error["code"], error["message"]) == (400, "BadRequest", f"Resource not found for the segment '{segment}'.")


def test_graph_version_must_be_known(cloud):
    resp = _graph(cloud, "/v2.0/security/identities/sensorMigration", _token(cloud)["access_token"])
    assert resp.status_code == 400 and resp.json()["error"]["message"] == "Invalid version: v2.0"


# ------------------------------------------------------------------ the lab's Graph inventory variables and --sensors (no lab)

def _lab_with_cloud(tmp_path: Path) -> dict:
    apps = {name: {"client_id": str(uuid.uuid4()), "client_secret": f"{name}-secret"} for name in ("sensors_reader", "sensors_only")}
    ca_cert = str(tmp_path / "ca.pem")
    return {
        "ca_cert": ca_cert, "samba": {"ip": "10.77.9.2", "domain_dns": "corp.example.test"},
        "winrm": {"hosts": {"dc1": {"ip": "10.77.9.2", "https_port": 5986, "user": "u", "password": "p"}}},
        "cloud": {"graph_url": "https://127.20.9.1:8444", "authority_host": "https://127.20.9.1:8443", "tenant_id": str(uuid.uuid4()),
                  "apps": apps, "ca_cert": ca_cert, "portal_url": "https://127.20.9.1:8445/apiproxy/aatp",
                  "portal_session": {"sccauth": "s", "xsrf_token": "x"}},
    }


def test_inventory_graph_vars_name_the_sensors_reader_app(tmp_path):
    lab = _lab_with_cloud(tmp_path)
    cloud, app = lab["cloud"], lab["cloud"]["apps"]["sensors_reader"]
    expected = {
        "action_identity_graph_url": cloud["graph_url"], "action_identity_authority_host": cloud["authority_host"],
        "action_identity_tenant_id": cloud["tenant_id"], "action_identity_client_id": app["client_id"],
        "action_identity_client_secret": app["client_secret"], "action_identity_ca_cert": lab["ca_cert"],
    }
    assert inventory.graph_vars(lab) == expected
    group_vars = inventory.build(lab)["all"]["children"]["domain_controllers"]["vars"]
    assert expected.items() <= group_vars.items() and group_vars["portal_url"] == cloud["portal_url"]
    without = {k: v for k, v in lab.items() if k != "cloud"}
    assert inventory.graph_vars(without) == {} and not any(k.startswith("action_identity_") for k in
                                                           inventory.build(without)["all"]["children"]["domain_controllers"]["vars"])


class _Recorder:
    """A lab component that only records what lab.json said when it started."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.stopped = False

    def start(self, lab: dict, _lab_dir: Path, _pki) -> dict:
        return {"lab_json_at_start": json.loads((self.directory / "lab.json").read_text()), "seen": lab.get("sensor_generation")}

    def stop(self, _info: dict) -> None:
        self.stopped = True


@pytest.mark.parametrize("sensors", ["v3", "migrating"])
def test_labctl_records_the_sensor_generation_before_the_cloud_starts(tmp_path, monkeypatch, sensors):
    directory = tmp_path / "lab"
    recorder = _Recorder(directory)
    monkeypatch.delenv(lab_domain.ENV, raising=False)
    monkeypatch.setattr(labctl, "COMPONENTS", [(key, recorder) for key in labctl.ALL])
    lab = labctl.up(directory, ["cloud"], sensors)
    try:
        assert lab["cloud"]["seen"] == sensors and lab["cloud"]["lab_json_at_start"]["sensor_generation"] == sensors
        assert labctl.load(directory)["sensor_generation"] == sensors
    finally:
        labctl.down(directory)
    assert recorder.stopped


def test_labctl_sensors_option(tmp_path):
    assert labctl.parser().parse_args(["up"]).sensors == "v2"
    assert labctl.parser().parse_args(["up", "--sensors", "mixed", "--components", "cloud"]).sensors == "mixed"
    with pytest.raises(SystemExit):
        labctl.parser().parse_args(["up", "--sensors", "v4"])
    with pytest.raises(SystemExit, match="choose from v2, v3, mixed, migrating"):
        labctl.up(tmp_path / "lab", ["cloud"], "v4")
    assert not (tmp_path / "lab").exists()


def test_ports_are_not_interchangeable(cloud):
    token = _token(cloud)["access_token"]
    on_login = requests.get(cloud["authority_host"] + "/v1.0/security/identities/sensors", headers={"Authorization": f"Bearer {token}"},
                            verify=cloud["ca_cert"], timeout=10)
    assert on_login.status_code == 404
    on_graph = requests.post(cloud["graph_url"] + f"/{cloud['tenant_id']}/oauth2/v2.0/token", verify=cloud["ca_cert"], timeout=10)
    assert on_graph.status_code == 400 and "access_token" not in on_graph.text
    on_portal = requests.get(cloud["portal_url"].split("/apiproxy")[0] + "/v1.0/security/identities/sensors",
                             headers={"Authorization": f"Bearer {token}"}, verify=cloud["ca_cert"], timeout=10)
    assert on_portal.headers["Content-Type"].startswith("text/html")  # the portal's page, not Graph's JSON


# ------------------------------------------------------------------ portal

def test_portal_round_trip_and_persistence(lab, cloud):
    assert _portal(cloud, "GET", "/api/remediationActions/configuration").json() == {"IsRemediationWithLocalSystemEnabled": True}
    resp = _portal(cloud, "POST", "/api/remediationActions/configuration", {"IsRemediationWithLocalSystemEnabled": False})
    assert resp.status_code == 200 and resp.json() == {"IsRemediationWithLocalSystemEnabled": False}
    assert _portal(cloud, "GET", "/api/remediationActions/configuration").json() == {"IsRemediationWithLocalSystemEnabled": False}
    added = _portal(cloud, "POST", "/odata/EntityRemediatorCredentials", ACCOUNT)
    assert added.status_code == 200 and added.json()["Id"] == "mdiAction$@corp.example.test"
    for duplicate in (ACCOUNT, {**ACCOUNT, "AccountName": "MDIACTION"}):
        assert _portal(cloud, "POST", "/odata/EntityRemediatorCredentials", duplicate).status_code == 409
    listed = _portal(cloud, "GET", "/odata/EntityRemediatorCredentials").json()
    assert listed["@odata.context"].endswith("#EntityRemediatorCredentials")
    assert [(a["Id"], a["AccountName"], a["DomainDnsName"]) for a in listed["value"]] == [("mdiAction$@corp.example.test", "mdiAction$",
                                                                                           "corp.example.test")]
    saved = json.loads(Path(lab["lab_dir"], "cloud", "state.json").read_text())
    assert saved["local_system"] is False and [a["Id"] for a in saved["accounts"]] == ["mdiAction$@corp.example.test"]
    state = _control(cloud, "GET", "state").json()
    assert state["local_system"] is False and len(state["accounts"]) == 1
    assert _portal(cloud, "POST", "/odata/EntityRemediatorCredentials/delete", {"id": "mdiaction$@corp.example.test"}).status_code == 204
    assert _portal(cloud, "POST", "/odata/EntityRemediatorCredentials/delete", {"id": "mdiaction$@corp.example.test"}).status_code == 404
    assert _portal(cloud, "GET", "/odata/EntityRemediatorCredentials").json()["value"] == []


@pytest.mark.parametrize("case,status", [
    ("no cookies", 401), ("unknown session", 401), ("expired session", 401), ("no XSRF header", 403),
    ("wrong XSRF header", 403), ("XSRF header not URL-decoded", 403), ("non-admin read", 403), ("non-admin write", 403),
])
def test_portal_session_errors(cloud, case, status):
    path, body, method, kwargs = "/odata/EntityRemediatorCredentials", None, "GET", {}
    if case == "no cookies":
        kwargs["cookies"] = False
    elif case == "unknown session":
        cloud = {**cloud, "portal_session": {**cloud["portal_session"], "sccauth": "x" * 40}}
    elif case == "expired session":
        _settings(cloud, portal_sessions_expired=True)
    elif case == "no XSRF header":
        kwargs["xsrf_header"] = ""
    elif case == "wrong XSRF header":
        kwargs["xsrf_header"] = cloud["portal_session_non_admin"]["xsrf_header"]
    elif case == "XSRF header not URL-decoded":
        kwargs["xsrf_header"] = cloud["portal_session"]["xsrf_token"]
    else:
        kwargs["session"] = "portal_session_non_admin"
        if case == "non-admin write":
            method, body = "POST", ACCOUNT
    resp = _portal(cloud, method, path, body, **kwargs)
    assert resp.status_code == status and "message" in resp.json()["error"]


@pytest.mark.parametrize("body,status", [
    ({k: v for k, v in ACCOUNT.items() if k != "IsSingleLabelAccountDomainName"}, 400),
    ({**ACCOUNT, "Extra": 1}, 400),
    ({**ACCOUNT, "AccountPassword": "Secret-1"}, 400),
    ({**ACCOUNT, "IsGroupManagedServiceAccount": "true"}, 400),
    ({**ACCOUNT, "Id": "mdiAction@corp.example.test"}, 400),
    ({**ACCOUNT, "AccountName": "CORP\\mdiAction"}, 400),
    ({**ACCOUNT, "DomainDnsName": "CORP"}, 400),
    ({**ACCOUNT, "DomainDnsName": "CORP", "IsSingleLabelAccountDomainName": True}, 200),
    ({**ACCOUNT, "AccountName": "svc-mdi", "IsGroupManagedServiceAccount": False, "AccountPassword": "Lab-Only-Passw0rd"}, 200),
    ([ACCOUNT], 400),
])
def test_portal_validates_account_bodies(cloud, body, status):
    resp = _portal(cloud, "POST", "/odata/EntityRemediatorCredentials", body)
    assert resp.status_code == status, resp.text
    if status == 200:
        assert resp.json()["AccountPassword"] is None  # a password is never echoed


def test_portal_validates_other_bodies(cloud):
    for body in ({"IsRemediationWithLocalSystemEnabled": "no"}, {}, {"IsRemediationWithLocalSystemEnabled": True, "x": 1}):
        assert _portal(cloud, "POST", "/api/remediationActions/configuration", body).status_code == 400
    assert _portal(cloud, "POST", "/odata/EntityRemediatorCredentials/delete", {"Id": "a@b.c"}).status_code == 400
    sess = cloud["portal_session"]
    for data, ctype, status in (("{", "application/json", 400), (json.dumps(ACCOUNT), "text/plain", 415)):
        headers = {"X-XSRF-TOKEN": sess["xsrf_header"], "Content-Type": ctype,
                   "Cookie": f"sccauth={sess['sccauth']}; XSRF-TOKEN={sess['xsrf_token']}"}
        resp = requests.post(cloud["portal_url"] + "/odata/EntityRemediatorCredentials", data=data, headers=headers,
                             verify=cloud["ca_cert"], timeout=10)
        assert resp.status_code == status
    assert _portal(cloud, "DELETE", "/odata/EntityRemediatorCredentials").status_code == 405


def test_portal_page_outside_the_api_is_html(cloud):
    url = cloud["portal_url"].split("/apiproxy")[0] + "/odata/EntityRemediatorCredentials"
    resp = requests.get(url, verify=cloud["ca_cert"], timeout=10)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/html")


# ------------------------------------------------------------------ faults

@pytest.mark.parametrize("fault", [
    {"status": 401}, {"status": 403}, {"status": 404}, {"status": 429, "retry_after": 1}, {"status": 500}, {"status": 502},
    {"status": 503, "retry_after": 2}, {"status": 504}, {"status": 200, "body": {"unexpected": True}}, {"status": 200, "html": True},
    {"status": 200, "body": "<html>not json</html>", "content_type": "text/html"}, {"status": 302, "headers": {"Location": "https://login.lab.test/"}},
    {"status": 503, "count": 2},
])
def test_portal_fault_fires_then_clears(cloud, fault):
    _arm(cloud, path=r"/EntityRemediatorCredentials$", method="GET", **fault)
    for _attempt in range(fault.get("count", 1)):
        resp = _portal(cloud, "GET", "/odata/EntityRemediatorCredentials", allow_redirects=False)
        assert resp.status_code == fault["status"]
        if "retry_after" in fault:
            assert resp.headers["Retry-After"] == str(fault["retry_after"])
        if fault.get("html"):
            assert resp.headers["Content-Type"].startswith("text/html") and "Sign in" in resp.text
        elif "body" in fault:
            assert resp.json() == fault["body"] if isinstance(fault["body"], dict) else resp.text == fault["body"]
        elif fault["status"] >= 400:
            assert "message" in resp.json()["error"]
        if "headers" in fault:
            assert resp.headers["Location"] == fault["headers"]["Location"]
    resp = _portal(cloud, "GET", "/odata/EntityRemediatorCredentials")
    assert resp.status_code == 200 and resp.json()["value"] == []
    log = _control(cloud, "GET", "requests").json()
    assert [e["fault"] for e in log] == [True] * fault.get("count", 1) + [False]


def test_graph_and_login_faults_use_their_service_shapes(cloud):
    token = _token(cloud)["access_token"]
    _arm(cloud, "graph", path="/sensors", status=429, retry_after=3)
    resp = _graph(cloud, "/v1.0/security/identities/sensors", token)
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "3"
    assert resp.json()["error"]["code"] == "TooManyRequests" and "request-id" in resp.json()["error"]["innerError"]
    # A wrong-shape Graph answer: 200 without "value".
    _arm(cloud, "graph", path="/sensors", status=200, body={"@odata.context": "x", "items": []})
    assert "value" not in _graph(cloud, "/v1.0/security/identities/sensors", token).json()
    # Only the second page fails (query regex), as HTML (the seed's "shape" spelling).
    _arm(cloud, "graph", path="/sensors$", query="skiptoken", status=200, shape="html")
    first = _graph(cloud, "/v1.0/security/identities/sensors", token).json()
    second = _graph(cloud, first["@odata.nextLink"], token)
    assert second.status_code == 200 and second.headers["Content-Type"].startswith("text/html")
    # msal returns 429 from the token endpoint as an error dict, but raises on 5xx.
    _arm(cloud, "login", path="/oauth2/v2.0/token$", status=429, retry_after=1)
    result = _token(cloud)
    assert result["error"] == "temporarily_unavailable" and "access_token" not in result
    _arm(cloud, "login", path="/oauth2/v2.0/token$", status=503)
    with pytest.raises(msal.exceptions.MsalServiceError, match="503"):
        _token(cloud)
    assert "access_token" in _token(cloud)


def test_msal_passes_wrong_shape_token_answers_through(cloud):
    # A 200 without access_token comes back as that dict (no "error" either); HTML raises a JSON error.
    _arm(cloud, "login", path="/oauth2/v2.0/token$", status=200, body={"unexpected": True})
    assert _token(cloud) == {"unexpected": True}
    _arm(cloud, "login", path="/oauth2/v2.0/token$", status=200, html=True)
    with pytest.raises(ValueError):
        _token(cloud)
    _arm(cloud, "login", path="openid-configuration$", status=200, html=True)
    with pytest.raises(ValueError, match="Unable to get authority configuration"):
        _token(cloud)


def test_delay_and_dropped_connection_faults(cloud):
    _arm(cloud, path="/EntityRemediatorCredentials$", delay_seconds=0.6)
    started = time.monotonic()
    assert _portal(cloud, "GET", "/odata/EntityRemediatorCredentials").status_code == 200  # slow, then normal
    assert time.monotonic() - started >= 0.6
    _arm(cloud, path="/EntityRemediatorCredentials$", delay_seconds=1)
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(cloud["portal_url"] + "/odata/EntityRemediatorCredentials", verify=cloud["ca_cert"], timeout=0.3)
    time.sleep(0.8)  # let the delayed answer go to its closed connection
    _arm(cloud, path="/EntityRemediatorCredentials$", close=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        _portal(cloud, "GET", "/odata/EntityRemediatorCredentials")
    assert _portal(cloud, "GET", "/odata/EntityRemediatorCredentials").status_code == 200


def test_fault_targeting_validation_and_reset(cloud):
    _arm(cloud, "login", listener="graph", path=".*", status=500)  # armed through another port: state is shared
    assert _portal(cloud, "GET", "/odata/EntityRemediatorCredentials").status_code == 200
    assert len(_control(cloud, "GET", "faults").json()) == 1
    assert _control(cloud, "POST", "reset", {}).json()["armed_faults"] == 0
    for bad in ({"status": 500, "typo": 1}, {"path": "(", "status": 500}, {"status": 200}, {"count": 0, "status": 500}, {"path": "x"}):
        assert _control(cloud, "POST", "faults", bad).status_code == 400
    _arm(cloud, status=500, count=5)
    assert _control(cloud, "POST", "reset", {}).status_code == 200
    assert _portal(cloud, "GET", "/odata/EntityRemediatorCredentials").status_code == 200


# ------------------------------------------------------------------ the request log

def test_request_log_and_files_hold_no_secrets(lab, cloud, monkeypatch):
    tokens = [_token(cloud)["access_token"]]
    app = cloud["apps"]["sensors_reader"]
    key = Path(app["key"]).read_text(encoding="ascii")
    tokens.append(_token(cloud, credential={"private_key": key, "thumbprint": app["thumbprint"]})["access_token"])
    monkeypatch.setenv("IDENTITY_ENDPOINT", cloud["msi"]["endpoint"])
    monkeypatch.setenv("IDENTITY_HEADER", cloud["msi"]["header"])
    client = msal.ManagedIdentityClient(msal.SystemAssignedManagedIdentity(), http_client=LabCASession(cloud["ca_cert"]))
    tokens.append(client.acquire_token_for_client(resource=cloud["graph_url"])["access_token"])
    _token(cloud, credential="wrong-secret-value-123")
    for token in tokens:
        _all_pages(cloud, "/v1.0/security/identities/sensors", token)
    password = "Lab-Only-Passw0rd-" + uuid.uuid4().hex
    account = {**ACCOUNT, "AccountName": "svc", "IsGroupManagedServiceAccount": False, "AccountPassword": password}
    assert _portal(cloud, "POST", "/odata/EntityRemediatorCredentials", account).status_code == 200
    _portal(cloud, "GET", "/odata/EntityRemediatorCredentials", session="portal_session_non_admin")
    assert _control(cloud, "GET", "state").json()["issued_tokens"] >= 3
    logs = [_control(cloud, "GET", "requests", listener=name).json() for name in ("login", "graph", "portal")]
    assert logs[0] == logs[1] == logs[2]
    paths = {e["path"] for e in logs[0]}
    assert f"/{cloud['tenant_id']}/oauth2/v2.0/token" in paths and "/msi/token" in paths
    assert all("?" not in p for p in paths) and {e["status"] for e in logs[0]} >= {200, 401, 403}
    files = [Path(lab["lab_dir"], "cloud", name) for name in ("requests.jsonl", "state.json")] + [Path(cloud["log"])]
    text = json.dumps(logs) + "".join(f.read_text() for f in files)
    secrets = [a["client_secret"] for a in cloud["apps"].values()] + tokens + [password, "wrong-secret-value-123", cloud["msi"]["header"]]
    secrets += [s[k] for s in (cloud["portal_session"], cloud["portal_session_non_admin"]) for k in ("sccauth", "xsrf_token", "xsrf_header")]
    secrets += [urllib.parse.quote(t) for t in tokens]
    assert not [s for s in secrets if s in text]

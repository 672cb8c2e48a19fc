# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import datetime
import json
import logging

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import auth
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._cloud.fakes import FakeResponse

GRAPH = "https://graph.microsoft.com"


@pytest.fixture(name="cert_files", scope="module")
def fixture_cert_files(tmp_path_factory):
    """(cert path, key path, combined path, SHA-1 thumbprint) of a throwaway self-signed certificate."""
    tmp = tmp_path_factory.mktemp("cert")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "unit-test-app")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    paths = tmp / "cert.pem", tmp / "key.pem", tmp / "both.pem"
    paths[0].write_text(cert_pem)
    paths[1].write_text(key_pem)
    paths[2].write_text(cert_pem + key_pem)
    return (*map(str, paths), cert.fingerprint(hashes.SHA1()).hex().upper())  # nosec - SHA-1 is what Entra's thumbprint is


@pytest.mark.parametrize("given, expected", [
    ("login.microsoftonline.us", "https://login.microsoftonline.us"),
    ("https://login.partner.microsoftonline.cn/", "https://login.partner.microsoftonline.cn"),
])
def test_normalize_host(given, expected):
    assert auth.normalize_host(given) == expected


def test_plain_http_authority_is_refused():
    with pytest.raises(CloudError, match="must be an https URL"):
        auth.normalize_host("http://login.example")


def test_certificate_file_with_key_gives_key_and_computed_thumbprint(cert_files):
    _cert, _key, both, thumbprint = cert_files
    credential = auth.certificate_credential(both)
    assert credential["thumbprint"] == thumbprint
    assert credential["private_key"].startswith("-----BEGIN PRIVATE KEY-----")
    assert "CERTIFICATE" not in credential["private_key"]


def test_key_file_with_given_thumbprint_needs_no_certificate(cert_files):
    _cert, key, _both, thumbprint = cert_files
    colons = ":".join(thumbprint[i:i + 2] for i in range(0, 40, 2)).lower()
    credential = auth.certificate_credential(private_key_path=key, thumbprint=colons, passphrase="pass-phrase")
    assert credential == {"private_key": open(key, encoding="ascii").read().strip(), "thumbprint": thumbprint, "passphrase": "pass-phrase"}


def test_certificate_and_separate_key(cert_files):
    cert, key, _both, thumbprint = cert_files
    assert auth.certificate_credential(cert, key)["thumbprint"] == thumbprint


@pytest.mark.parametrize("kwargs, text", [
    ({"certificate_path": "CERT"}, "no PEM private key"),
    ({"private_key_path": "KEY"}, "or client_certificate_thumbprint"),
    ({"private_key_path": "KEY", "thumbprint": "abc"}, "40 hex digits"),
    ({"certificate_path": "/nonexistent/cert.pem"}, "cannot read client_certificate_path"),
])
def test_certificate_problems_are_clear(cert_files, kwargs, text):
    cert, key, _both, _thumbprint = cert_files
    kwargs = {k: {"CERT": cert, "KEY": key}.get(v, v) for k, v in kwargs.items()}
    with pytest.raises(CloudError, match=text):
        auth.certificate_credential(**kwargs)


def _provider(make_http, **kwargs):
    http, _session, _sleeps = make_http()
    kwargs.setdefault("tenant_id", "tenant-1")
    kwargs.setdefault("client_id", "client-1")
    return auth.TokenProvider(http, GRAPH, **kwargs), http


@pytest.mark.parametrize("kwargs, method", [
    ({"client_secret": "s3cret-value", "client_certificate_path": "/c.pem", "managed_identity": True}, "managed_identity"),
    ({"client_secret": "s3cret-value", "client_certificate_path": "/c.pem"}, "certificate"),
    ({"client_secret": "s3cret-value", "client_private_key_path": "/k.pem"}, "certificate"),
    ({"client_secret": "s3cret-value"}, "client_secret"),
])
def test_credential_precedence(make_http, kwargs, method):
    assert _provider(make_http, **kwargs)[0].method == method


def test_no_credential_is_a_clear_error(make_http):
    with pytest.raises(CloudError, match="no credential: set client_secret"):
        _provider(make_http)[0].token()


def test_tenant_and_client_are_required_without_managed_identity(make_http):
    with pytest.raises(CloudError, match="tenant_id must be set unless managed_identity=true"):
        _provider(make_http, tenant_id=None, client_secret="s3cret-value")[0].token()


class FakeApp:
    made = []
    result = {"access_token": "eyJ-token-value", "expires_in": 3599}

    def __init__(self, client_id, client_credential=None, authority=None, http_client=None, instance_discovery=None):
        self.kwargs = {"client_id": client_id, "credential": client_credential, "authority": authority,
                       "http_client": http_client, "instance_discovery": instance_discovery}
        self.scopes = []
        FakeApp.made.append(self)

    def acquire_token_for_client(self, scopes):
        self.scopes.append(scopes)
        return dict(self.result)


@pytest.fixture(name="fake_app")
def fixture_fake_app(monkeypatch):
    FakeApp.made = []
    monkeypatch.setattr(auth.msal, "ConfidentialClientApplication", FakeApp)
    return FakeApp


def test_token_is_acquired_once_and_then_scrubbed(make_http, fake_app):
    provider, http = _provider(make_http, client_secret="s3cret-value", authority_host="https://127.0.0.1:8443")
    assert provider.token() == provider.token() == "eyJ-token-value"
    assert len(fake_app.made) == 1
    app = fake_app.made[0]
    assert app.kwargs["authority"] == "https://127.0.0.1:8443/tenant-1"
    assert app.kwargs["credential"] == "s3cret-value"
    assert app.kwargs["instance_discovery"] is False  # not a Microsoft host: no discovery call to login.microsoftonline.com
    assert isinstance(app.kwargs["http_client"], auth.MsalHttpClient)
    assert app.scopes == [["https://graph.microsoft.com/.default"]]
    assert "eyJ-token-value" not in http.secrets.scrub("token eyJ-token-value") and "s3cret-value" not in http.secrets.scrub("s3cret-value")


def test_sovereign_hosts_keep_instance_discovery(make_http, fake_app):
    provider, _http = _provider(make_http, client_secret="s3cret-value", authority_host="login.microsoftonline.us")
    provider.token()
    assert fake_app.made[0].kwargs["instance_discovery"] is None
    assert fake_app.made[0].kwargs["authority"] == "https://login.microsoftonline.us/tenant-1"


def test_a_refusal_names_the_aad_error_and_a_hint_without_the_secret(make_http, fake_app, monkeypatch):
    monkeypatch.setattr(fake_app, "result", {"error": "invalid_client",
                                             "error_description": "AADSTS7000215: Invalid client secret s3cret-value.\r\nTrace ID: 1"})
    provider, _http = _provider(make_http, client_secret="s3cret-value")
    with pytest.raises(CloudError) as caught:
        provider.token()
    text = str(caught.value)
    assert "AADSTS7000215" in text and "check client_secret" in text and "s3cret-value" not in text and "Trace ID" not in text
    assert caught.value.action == auth.ACTION


def test_msal_logs_no_traceback_to_stderr():
    # msal logs an unreadable token answer with logger.exception; the last-resort handler would print it to stderr.
    assert any(isinstance(handler, logging.NullHandler) for handler in logging.getLogger("msal").handlers)


def test_an_answer_without_token_or_error_names_authority_host(make_http, fake_app, monkeypatch):
    monkeypatch.setattr(fake_app, "result", {"token_type": "Bearer"})
    with pytest.raises(CloudError, match=r"the sign-in was refused \(no token\); .*: check authority_host"):
        _provider(make_http, client_secret="s3cret-value")[0].token()


def test_msal_value_errors_become_cloud_errors(make_http, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise ValueError("Unable to get authority configuration for https://x/tenant-1. Authority would typically be ...")
    monkeypatch.setattr(auth.msal, "ConfidentialClientApplication", refuse)
    refused = "msal refused the configuration: Unable to get authority configuration for https://x/tenant-1; check authority_host"
    with pytest.raises(CloudError, match=refused):
        _provider(make_http, client_secret="s3cret-value")[0].token()


def test_a_sign_in_answer_that_is_not_json_names_authority_host(make_http, monkeypatch):
    def html(*_args, **_kwargs):
        return json.loads("<!DOCTYPE html><html>Sign in</html>")
    monkeypatch.setattr(auth.msal, "ConfidentialClientApplication", html)
    with pytest.raises(CloudError, match=r"answered the sign-in with something that is not JSON \(an HTML page\?\): check authority_host"):
        _provider(make_http, client_secret="s3cret-value")[0].token()


@pytest.mark.parametrize("client_id, kind", [(None, "SystemAssigned"), ("mi-client-id", "ClientId")])
def test_managed_identity_asks_for_the_graph_resource(make_http, monkeypatch, client_id, kind):
    seen = {}

    class FakeMiClient:
        def __init__(self, identity, http_client=None):
            seen.update(identity=dict(identity), http_client=http_client)

        def acquire_token_for_client(self, resource):
            seen["resource"] = resource
            return {"access_token": "mi-token-value"}

    monkeypatch.setattr(auth.msal, "ManagedIdentityClient", FakeMiClient)
    provider, _http = _provider(make_http, managed_identity=True, tenant_id=None, client_id=client_id)
    assert provider.token() == "mi-token-value"
    assert seen["resource"] == GRAPH and seen["identity"]["ManagedIdentityIdType"] == kind and seen["identity"]["Id"] == client_id
    assert isinstance(seen["http_client"], auth.MsalHttpClient)


def test_msal_http_goes_through_the_client_with_verify(make_http, tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    http, session, _sleeps = make_http(FakeResponse(200, {"ok": 1}), FakeResponse(200, {"ok": 2}), ca_cert=str(ca))
    client = auth.MsalHttpClient(http)
    client.get("https://login.example/t/v2.0/.well-known/openid-configuration", headers={"a": "b"})
    client.post("https://login.example/t/oauth2/v2.0/token", data={"grant_type": "client_credentials"}, timeout=99)
    assert [c["verify"] for c in session.calls] == [str(ca), str(ca)]
    assert session.calls[1]["data"] == {"grant_type": "client_credentials"} and session.calls[1]["method"] == "POST"

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import email.utils

import pytest
import requests

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import http
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError, Secrets

from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._cloud.fakes import FakeResponse

URL = "https://graph.example.test/v1.0/x"


def test_retry_after_seconds_reads_delta_seconds_and_http_dates():
    assert http.retry_after_seconds("3") == 3.0
    assert http.retry_after_seconds(" 1.5 ") == 1.5
    assert http.retry_after_seconds("-4") == 0.0
    assert http.retry_after_seconds(None) is None
    assert http.retry_after_seconds("soon") is None
    now = 1_800_000_000.0
    assert http.retry_after_seconds(email.utils.formatdate(now + 7, usegmt=True), now=now) == pytest.approx(7.0)
    assert http.retry_after_seconds(email.utils.formatdate(now - 60, usegmt=True), now=now) == 0.0


def _script(*replies):
    replies = list(replies)
    calls = []

    def attempt():
        calls.append(1)
        reply = replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return reply
    return attempt, calls


def test_429_honours_retry_after_then_succeeds():
    attempt, calls = _script(FakeResponse(429, headers={"Retry-After": "2"}), FakeResponse(200, {}))
    sleeps = []
    assert http.with_retries(attempt, retries=3, sleep=sleeps.append).status_code == 200
    assert sleeps == [2.0] and len(calls) == 2


def test_retry_after_is_capped():
    attempt, _calls = _script(FakeResponse(503, headers={"Retry-After": "3600"}), FakeResponse(200, {}))
    sleeps = []
    http.with_retries(attempt, retries=1, sleep=sleeps.append)
    assert sleeps == [http.MAX_RETRY_WAIT]


def test_without_retry_after_the_wait_doubles():
    attempt, _calls = _script(*[FakeResponse(502)] * 3, FakeResponse(200, {}))
    sleeps = []
    http.with_retries(attempt, retries=3, sleep=sleeps.append)
    assert sleeps == [1.0, 2.0, 4.0]


def test_tries_are_bounded_and_the_last_response_is_returned():
    attempt, calls = _script(*[FakeResponse(503, headers={"Retry-After": "0"})] * 3)
    response = http.with_retries(attempt, retries=2, sleep=lambda _s: None)
    assert response.status_code == 503 and len(calls) == 3


@pytest.mark.parametrize("status", [200, 201, 400, 401, 403, 404, 409])
def test_other_statuses_are_not_retried(status):
    attempt, calls = _script(FakeResponse(status))
    assert http.with_retries(attempt, retries=3, sleep=lambda _s: None).status_code == status
    assert len(calls) == 1


def test_zero_retries_means_one_try():
    attempt, calls = _script(FakeResponse(429, headers={"Retry-After": "1"}))
    assert http.with_retries(attempt, retries=0, sleep=lambda _s: None).status_code == 429
    assert len(calls) == 1


def test_connection_errors_are_retried_then_raised():
    attempt, calls = _script(requests.ConnectionError("reset"), requests.Timeout("slow"), requests.ConnectionError("refused"))
    with pytest.raises(requests.ConnectionError):
        http.with_retries(attempt, retries=2, sleep=lambda _s: None)
    assert len(calls) == 3


def test_certificate_errors_are_not_retried():
    attempt, calls = _script(requests.exceptions.SSLError("CERTIFICATE_VERIFY_FAILED"))
    with pytest.raises(requests.exceptions.SSLError):
        http.with_retries(attempt, retries=3, sleep=lambda _s: None)
    assert len(calls) == 1


def test_every_request_carries_verify_and_timeout(make_http, tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    client, session, _sleeps = make_http(FakeResponse(200, {}), ca_cert=str(ca), timeout=7)
    client.send("GET", URL)
    assert session.calls[0]["verify"] == str(ca) and session.calls[0]["timeout"] == 7


@pytest.mark.parametrize("validate_certs, verify", [(True, True), (False, False)])
def test_without_ca_cert_validate_certs_decides(make_http, validate_certs, verify):
    client, session, _sleeps = make_http(FakeResponse(200, {}), validate_certs=validate_certs)
    client.send("GET", URL)
    assert session.calls[0]["verify"] is verify


def test_why_verify_goes_on_every_request(monkeypatch, tmp_path):
    """requests lets REQUESTS_CA_BUNDLE override a Session's verify attribute; a per-request verify wins."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    session = requests.Session()
    session.verify = str(tmp_path / "lab-ca.pem")
    assert session.merge_environment_settings(URL, {}, None, None, None)["verify"] == "/etc/ssl/certs/ca-certificates.crt"
    assert session.merge_environment_settings(URL, {}, None, str(tmp_path / "lab-ca.pem"), None)["verify"] == str(tmp_path / "lab-ca.pem")


def test_a_missing_ca_cert_is_a_clear_error(tmp_path):
    with pytest.raises(CloudError, match="ca_cert .* is not a readable file"):
        http.HttpClient(ca_cert=str(tmp_path / "nope.pem"))


@pytest.mark.parametrize("kwargs, text", [({"timeout": 0}, "timeout must be"), ({"retries": -1}, "retries must be")])
def test_bad_numbers_are_refused(kwargs, text):
    with pytest.raises(CloudError, match=text):
        http.HttpClient(session=object(), **kwargs)


def test_connection_failure_names_host_and_cause(make_http):
    client, _session, _sleeps = make_http(requests.exceptions.SSLError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"))
    with pytest.raises(CloudError, match=r"cannot reach https://graph.example.test: its certificate is not trusted: set ca_cert"):
        client.send("GET", URL)


def test_the_ca_message_names_the_modules_own_option(make_http):
    client, _session, _sleeps = make_http(requests.exceptions.SSLError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
                                          option_prefix="graph_")
    with pytest.raises(CloudError, match=r"not trusted: set graph_ca_cert to the PEM file .* \(graph_validate_certs=false only"):
        client.send("GET", URL)


def test_timeouts_are_retried_and_reported(make_http):
    client, session, sleeps = make_http(*[requests.exceptions.ReadTimeout("read timed out")] * 3, timeout=5)
    with pytest.raises(CloudError, match="no answer within 5 s"):
        client.send("GET", URL)
    assert len(session.calls) == 3 and sleeps == [1.0, 2.0]


def test_status_error_scrubs_and_shortens_the_service_text(make_http):
    client, _session, _sleeps = make_http(secrets=Secrets("cookie-value-123"))
    body = {"error": {"code": "Oops", "message": "echo sccauth cookie-value-123 " + "x" * 500}}
    exc = client.status_error(FakeResponse(500, body), action="do it")
    text = str(exc)
    assert "cookie-value-123" not in text and "Oops" in text and len(text) < 420
    assert exc.status == 500 and exc.action == "do it"
    assert "after 3 tries" in text


def test_status_error_uses_the_service_hint():
    client = http.HttpClient(session=object(), retries=0)
    exc = client.status_error(FakeResponse(403, {"error": "denied"}), hints={403: "you lack X"})
    assert str(exc) == "you lack X (HTTP 403: denied)"


def test_json_body_refuses_html_and_garbage(make_http):
    client, _session, _sleeps = make_http()
    html = FakeResponse(200, text="<html>Sign in</html>", headers={"Content-Type": "text/html; charset=utf-8"})
    with pytest.raises(CloudError, match="HTML page instead of JSON"):
        client.json_body(html, "the portal")
    with pytest.raises(CloudError, match="not JSON"):
        client.json_body(FakeResponse(200, text="{oops"), "the portal")
    assert client.json_body(FakeResponse(200, {"a": 1}), "the portal") == {"a": 1}
    with pytest.raises(CloudError, match=r"HTML page instead of JSON \(often its sign-in page\): check portal_url$"):
        client.json_body(html, "the portal", fix="check portal_url")

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: HTTPS to the Microsoft cloud with requests.

Every request gets ``verify=`` itself: requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a
Session's ``verify`` attribute, so only a per-request value makes ``ca_cert`` really count.
All retries go through ``with_retries``, the one bounded retry helper of this backend.
"""
from __future__ import annotations

import email.utils
import os
import re
import time
import traceback
import warnings

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError, Secrets

try:
    import requests
    from urllib3.exceptions import InsecureRequestWarning
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_RETRY_WAIT = 60.0  # seconds: a longer Retry-After is capped, so a task never hangs for minutes
BACKOFF = 1.0  # seconds before the first retry without Retry-After; doubles each time
_DETAIL_LENGTH = 300

_GENERIC = {
    408: "the service timed out", 429: "the service is throttling these requests",
    500: "the service failed", 502: "the service's gateway failed", 503: "the service is unavailable",
    504: "the service's gateway timed out",
}


def retry_after_seconds(value, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def with_retries(attempt, retries: int, sleep=time.sleep, max_wait: float = MAX_RETRY_WAIT, backoff: float = BACKOFF):
    """Call ``attempt()`` (returns a response) at most ``retries + 1`` times.

    Retried: HTTP 408/429/5xx, and connection errors and timeouts (not certificate errors: they do not heal).
    The wait honours Retry-After, else backs off exponentially; either is capped at ``max_wait``.
    The last response is returned as is; the last connection error is raised.
    """
    for tries in range(retries + 1):
        last = tries >= retries
        try:
            response = attempt()
        except requests.exceptions.SSLError:
            raise
        except (requests.ConnectionError, requests.Timeout):
            if last:
                raise
            wait = backoff * 2 ** tries
        else:
            if last or response.status_code not in RETRY_STATUSES:
                return response
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait is None:
                wait = backoff * 2 ** tries
        sleep(min(wait, max_wait))
    raise AssertionError("unreachable")  # pragma: no cover


def describe_connection_error(exc: Exception, timeout, option_prefix: str = "") -> str:
    """``option_prefix``: what the module's HTTP options start with ("graph_" where ca_cert is the LDAP connection's)."""
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        if re.search(r"CERTIFICATE_VERIFY_FAILED|certificate verify failed", text, re.IGNORECASE):
            if re.search(r"hostname|match|not valid for", text, re.IGNORECASE):
                return "its certificate is not issued for this host name"
            return (f"its certificate is not trusted: set {option_prefix}ca_cert to the PEM file of the CA that issued it"
                    f" ({option_prefix}validate_certs=false only in a lab)")
        return f"the TLS handshake failed ({text})"
    if isinstance(exc, requests.Timeout):
        return f"no answer within {timeout} s"
    if re.search(r"refused", text, re.IGNORECASE):
        return "the connection was refused"
    if re.search(r"Name or service not known|nodename nor servname|getaddrinfo|NameResolution", text):
        return "the host name does not resolve"
    return text


class HttpClient:
    """requests with a fixed trust setting, timeout, retries and the run's secrets (for scrubbing)."""

    def __init__(self, ca_cert: str | None = None, validate_certs: bool = True, timeout: int = 30, retries: int = 3,
                 secrets: Secrets | None = None, sleep=time.sleep, session=None, option_prefix: str = ""):
        if ca_cert and not os.path.isfile(ca_cert):
            raise CloudError(f"{option_prefix}ca_cert {ca_cert} is not a readable file")
        if timeout is not None and timeout <= 0:
            raise CloudError(f"{option_prefix}timeout must be a positive number of seconds, not {timeout}")
        if retries is not None and retries < 0:
            raise CloudError(f"{option_prefix}retries must be 0 or more, not {retries}")
        self.option_prefix = option_prefix  # for messages that name an option
        # ca_cert wins; else system trust (which REQUESTS_CA_BUNDLE may name), or none at all.
        self.verify = ca_cert if ca_cert else bool(validate_certs)
        self.timeout = 30 if timeout is None else timeout
        self.retries = 3 if retries is None else retries
        self.secrets = secrets or Secrets()
        self._sleep = sleep
        self._session = session or requests.Session()

    def send(self, method: str, url: str, **kwargs):
        """One request, retried as ``with_retries`` says; connection failures become CloudError."""
        kwargs["verify"] = self.verify
        kwargs.setdefault("timeout", self.timeout)
        try:
            with warnings.catch_warnings():
                # validate_certs=false is the user's explicit choice: no urllib3 warning on every request.
                warnings.simplefilter("ignore", InsecureRequestWarning)
                return with_retries(lambda: self._session.request(method, url, **kwargs), self.retries, sleep=self._sleep)
        except requests.RequestException as exc:
            host = re.sub(r"^(https?://[^/]+).*$", r"\1", url)
            why = describe_connection_error(exc, kwargs["timeout"], self.option_prefix)
            raise CloudError(self.secrets.scrub(f"cannot reach {host}: {why}")) from exc

    def error_detail(self, response) -> str:
        """The service's own words about a failure, scrubbed and shortened."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            error = body.get("error")
            if isinstance(error, dict):
                text = " ".join(str(error[k]) for k in ("code", "message") if error.get(k))
            else:
                text = body.get("error_description") or body.get("message") or (str(error) if error else "")
        elif is_html(response):
            text = "an HTML page"
        else:
            text = (response.text or "").strip()
        text = self.secrets.scrub(" ".join(str(text).split()))
        return text if len(text) <= _DETAIL_LENGTH else text[:_DETAIL_LENGTH] + "..."

    def status_error(self, response, hints: dict | None = None, action: str | None = None) -> CloudError:
        """A CloudError for a non-success response; ``hints`` map a status to what it means for this service."""
        status = response.status_code
        why = (hints or {}).get(status) or _GENERIC.get(status) or "unexpected answer"
        tries = f" after {self.retries + 1} tries" if status in RETRY_STATUSES and self.retries else ""
        detail = self.error_detail(response)
        return CloudError(f"{why} (HTTP {status}{tries}{': ' + detail if detail else ''})", action=action, status=status)

    def json_body(self, response, service: str, action: str | None = None, fix: str = ""):
        """The parsed JSON body; anything else (an HTML sign-in page, say) is a CloudError ending with ``fix``."""
        fix = f": {fix}" if fix else ""
        if is_html(response):
            raise CloudError(f"{service} answered with an HTML page instead of JSON (often its sign-in page){fix}",
                             action=action, status=response.status_code)
        try:
            return response.json()
        except ValueError as exc:
            raise CloudError(f"{service} answered with something that is not JSON{fix}", action=action,
                             status=response.status_code) from exc


def is_html(response) -> bool:
    return "html" in (response.headers.get("Content-Type") or "").lower()

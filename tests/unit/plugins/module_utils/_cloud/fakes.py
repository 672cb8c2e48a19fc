# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scripted HTTP for the _cloud unit tests: a session whose request() replays canned responses and records calls."""
from __future__ import annotations

import json

import requests
from requests.structures import CaseInsensitiveDict


class FakeResponse:
    def __init__(self, status=200, body=None, headers=None, text=None):
        self.status_code = status
        self.headers = CaseInsensitiveDict(headers or {})
        if text is None:
            text = "" if body is None else json.dumps(body)
            if body is not None:
                self.headers.setdefault("Content-Type", "application/json")
        self.text = text
        self.content = text.encode()

    def json(self):
        return json.loads(self.text)

    def raise_for_status(self):
        if self.status_code >= 400:
            raise requests.HTTPError(str(self.status_code))


class FakeSession:
    """``replies``: FakeResponse or exception instances, consumed in order."""

    def __init__(self, *replies):
        self.replies = list(replies)
        self.calls = []

    def request(self, method, url, **kwargs):
        self.calls.append({"method": method, "url": url, **kwargs})
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return reply

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: Microsoft cloud failures, and the scrubbing that keeps
cookies, tokens and secrets out of every message."""
from __future__ import annotations

import re
import urllib.parse

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError

MASK = "********"
# Values shorter than this are not scrubbed: masking "a" or "1" would mangle every message.
_MIN_SECRET_LENGTH = 6
# Secrets we were not told about but can recognise by their context.
_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)((?:access_token|refresh_token|id_token|client_secret|client_assertion|sccauth|xsrf-token)[\"']?\s*[:=]\s*[\"']?)"
               r"[^\s\"';,&]+"),
)


class CloudError(MdiError):
    """A call to the Microsoft cloud failed.

    ``action`` says what was being done ("list MDI sensors"); ``status`` is the HTTP status when there was one.
    """

    def __init__(self, message: str, action: str | None = None, status: int | None = None, **details):
        super().__init__(message, status=status, **details)
        self.action = action
        self.status = status


class Secrets:
    """The secret values of one run; ``scrub`` masks them, in plain and URL-encoded form, in any text."""

    def __init__(self, *values):
        self._values: set[str] = set()
        for value in values:
            self.add(value)

    def add(self, value) -> None:
        if isinstance(value, str) and len(value) >= _MIN_SECRET_LENGTH:
            self._values.update({value, urllib.parse.quote(value, safe=""), urllib.parse.unquote(value)})

    def scrub(self, text) -> str:
        text = str(text)
        # Longest first, so a value that contains another is masked whole.
        for value in sorted(self._values, key=len, reverse=True):
            text = text.replace(value, MASK)
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: m.group(1) + MASK, text)
        return text


def failure_message(exc: CloudError, default_action: str) -> str:
    """The collection's failure message: "Failed to <action> <object>: <cause>"."""
    return f"Failed to {exc.action or default_action}: {exc}"

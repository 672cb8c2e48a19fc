# -*- coding: utf-8 -*-
"""One HTTP answer of the fake cloud: status, body, headers. Handlers build these; server.py sends them.

Not emulated: compression, chunked encoding, ETags, CORS.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

JSON = "application/json; charset=utf-8"


@dataclass
class Reply:
    status: int
    body: object = None  # JSON-serialisable, or bytes/str sent as they are
    headers: dict = field(default_factory=dict)
    content_type: str = JSON

    def encoded(self) -> bytes:
        if self.body is None or self.status == 204:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str) and self.content_type != JSON:
            return self.body.encode()
        return json.dumps(self.body).encode()

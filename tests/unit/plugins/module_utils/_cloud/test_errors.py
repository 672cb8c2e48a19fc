# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import MASK, CloudError, Secrets, failure_message
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError


def test_scrub_masks_plain_encoded_and_decoded_forms():
    secrets = Secrets("abc/+=def", "s3cr3t-value")
    text = "cookie abc/+=def header abc%2F%2B%3Ddef body s3cr3t-value"
    assert secrets.scrub(text) == f"cookie {MASK} header {MASK} body {MASK}"


def test_scrub_ignores_empty_short_and_non_text_values():
    secrets = Secrets(None, "", "abc", 12345678)
    assert secrets.scrub("abc 12345678") == "abc 12345678"


def test_scrub_masks_the_longest_value_whole():
    secrets = Secrets("token-1234", "token-1234-and-more")
    assert secrets.scrub("x token-1234-and-more y") == f"x {MASK} y"


def test_scrub_recognises_unknown_tokens_by_context():
    secrets = Secrets()
    text = 'Authorization: Bearer eyJ0eXAi.abc-_ {"access_token": "qwerty123"} sccauth=zzz; client_secret=hunter22&x=1'
    scrubbed = secrets.scrub(text)
    for value in ("eyJ0eXAi.abc-_", "qwerty123", "zzz", "hunter22"):
        assert value not in scrubbed
    assert "x=1" in scrubbed


def test_cloud_error_is_an_mdi_error_with_action_and_status():
    exc = CloudError("the service failed (HTTP 503)", action="list MDI sensors", status=503)
    assert isinstance(exc, MdiError)
    assert exc.status == 503 and exc.details == {"status": 503}
    assert failure_message(exc, "do something") == "Failed to list MDI sensors: the service failed (HTTP 503)"
    assert failure_message(CloudError("why"), "do something") == "Failed to do something: why"

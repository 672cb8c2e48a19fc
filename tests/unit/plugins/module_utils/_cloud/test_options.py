# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.mdi.action_accounts.plugins.doc_fragments import cloud_http, defender_portal, graph_auth
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import options

PAIRS = [(cloud_http, options.http_argument_spec, options.HTTP_OPTION_NAMES),
         (graph_auth, options.graph_auth_argument_spec, options.GRAPH_AUTH_OPTION_NAMES),
         (defender_portal, options.portal_argument_spec, options.PORTAL_OPTION_NAMES)]


@pytest.mark.parametrize("fragment, spec_function, names", PAIRS)
def test_each_fragment_documents_its_spec_exactly(fragment, spec_function, names):
    documented = yaml.safe_load(fragment.ModuleDocFragment.DOCUMENTATION)["options"]
    spec = spec_function()
    assert set(documented) == set(spec) == set(names)
    for name, entry in spec.items():
        assert documented[name]["type"] == entry["type"], name
        assert documented[name].get("default") == entry.get("default"), name
        for env in (entry.get("fallback") or (None, []))[1]:
            assert f"E({env})" in " ".join(documented[name]["description"]), name


def _validate(which, params):
    if which == "action_account":
        return ArgumentSpecValidator(options.action_account_argument_spec(), **options.ACTION_ACCOUNT_CONSTRAINTS).validate(params)
    return ArgumentSpecValidator(options.sensor_info_argument_spec()).validate(params)


def test_action_account_api_mode_needs_the_session(monkeypatch):
    monkeypatch.delenv("MDI_PORTAL_SCCAUTH", raising=False)
    monkeypatch.delenv("MDI_PORTAL_XSRF_TOKEN", raising=False)
    result = _validate("action_account", {"name": "mdiAction", "domain": "corp.example.test"})
    assert any("portal_sccauth" in message for message in result.error_messages)
    manual = _validate("action_account", {"name": "mdiAction", "domain": "corp.example.test", "mode": "manual"})
    assert manual.error_messages == []
    assert manual.validated_parameters["portal_url"] == "https://security.microsoft.com/apiproxy/aatp"
    assert manual.validated_parameters["state"] == "present" and manual.validated_parameters["use_local_system"] is None


def test_session_from_the_environment_is_no_log(monkeypatch):
    monkeypatch.setenv("MDI_PORTAL_SCCAUTH", "cookie-from-env")
    monkeypatch.setenv("MDI_PORTAL_XSRF_TOKEN", "xsrf-from-env")
    result = _validate("action_account", {"name": "mdiAction", "domain": "corp.example.test"})
    assert result.error_messages == []
    assert result.validated_parameters["portal_sccauth"] == "cookie-from-env"
    assert {"cookie-from-env", "xsrf-from-env"} <= result._no_log_values  # pylint: disable=protected-access


def test_graph_options_take_the_azure_environment(monkeypatch):
    for name, value in {"AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "secret-from-env",
                        "AZURE_AUTHORITY_HOST": "login.microsoftonline.us"}.items():
        monkeypatch.setenv(name, value)
    result = _validate("sensor_info", {})
    params = result.validated_parameters
    assert (params["tenant_id"], params["client_id"], params["client_secret"]) == ("t", "c", "secret-from-env")
    assert params["authority_host"] == "login.microsoftonline.us" and params["graph_url"] == "https://graph.microsoft.com"
    assert "secret-from-env" in result._no_log_values  # pylint: disable=protected-access


@pytest.mark.parametrize("params", [{"retries": "many"}, {"mode": "api"}, {"unknown": 1}, {"state": "gone"}])
def test_bad_values_are_refused(params):
    result = _validate("action_account", {"name": "x", "domain": "y.z", "mode": "manual", **params})
    assert result.error_messages


def test_pick_maps_options_one_to_one():
    assert options.pick({"ca_cert": "/ca.pem", "other": 1}, options.HTTP_OPTION_NAMES) == {
        "ca_cert": "/ca.pem", "validate_certs": None, "timeout": None, "retries": None}

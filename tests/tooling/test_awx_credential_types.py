# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX custom credential types in extensions/awx/credential_types/:

- they are valid for AWX (its input schema and its injector check, modelled below);
- they inject only environment variables and extra vars that the collection documents (doc fragments) and
  really reads (argument spec fallbacks, host variables), so renaming one on either side fails here;
- what AWX would inject, fed to the collection's own option handling, gives the options meant.

The AWX model follows awx/main/fields.py (CredentialTypeInputField, CredentialTypeInjectorField) and
awx/main/models/credential/__init__.py (CredentialType.inject_credential)."""
from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from unittest import mock

import pytest
from jinja2 import StrictUndefined, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .conftest import AWX, documented_names, load_yaml_files

TYPES = load_yaml_files(AWX / "credential_types")
_NAME = re.compile(r"^[a-zA-Z_]+[a-zA-Z0-9_]*$")
_FILE = re.compile(r"^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$")
FIELD_KEYS = {"id", "label", "type", "format", "choices", "help_text", "multiline", "secret", "ask_at_runtime", "default"}


# ---------------------------------------------------------------- a model of AWX


class _Names:
    """tower.filename in AWX's injector check: only the declared file templates exist."""

    def __init__(self, names):
        for name in names:
            setattr(self, name, "EXAMPLE_FILENAME")


class _Tower:
    def __init__(self, filename):
        self.filename = filename


def awx_validate(ctype: dict) -> None:
    """AWX's checks when the credential type is saved; raises AssertionError with AWX's reason."""
    assert set(ctype) <= {"name", "description", "kind", "inputs", "injectors"}, set(ctype)
    assert ctype["kind"] in ("cloud", "net"), "custom credential types are of kind cloud or net"
    fields = ctype["inputs"]["fields"]
    ids = [field["id"] for field in fields]
    assert len(ids) == len(set(ids)), "field IDs must be unique"
    for field in fields:
        assert set(field) <= FIELD_KEYS and {"id", "label"} <= set(field), field
        assert _NAME.match(field["id"]) and field["id"] != "tower", field["id"]
        kind = field.get("type", "string")
        assert kind in ("string", "boolean"), field
        if "default" in field:
            assert isinstance(field["default"], {"string": str, "boolean": bool}[kind]), field
        if kind != "string":
            assert not {"choices", "multiline", "format", "secret"} & set(field), field
    assert set(ctype["inputs"].get("required", [])) <= set(ids)
    injectors = ctype["injectors"]
    assert set(injectors) <= {"env", "extra_vars", "file"}, set(injectors)
    files = list(injectors.get("file", {}))
    assert all(_FILE.match(name) for name in files), files
    assert not ("template" in files and len(files) > 1), "multi-file syntax is needed for more than one file"
    filename = "EXAMPLE_FILENAME" if files == ["template"] else _Names(name.split(".")[1] for name in files)
    namespace = {**{field_id: "EXAMPLE" for field_id in ids}, "tower": _Tower(filename)}
    jinja = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for kind, templates in injectors.items():
        for key, template in templates.items():
            if kind == "env":
                assert _NAME.match(key) and not key.startswith("ANSIBLE_"), key
            elif kind == "extra_vars":
                assert _NAME.match(key), key
            assert isinstance(template, str), (key, template)
            jinja.from_string(template).render(namespace)  # an undefined field raises here, as in AWX


def awx_inject(ctype: dict, inputs: dict, private_dir: Path) -> tuple[dict, dict, dict[str, str]]:
    """What a job gets from a credential of this type: (env, extra_vars, files written)."""
    fields = {field["id"]: field for field in ctype["inputs"]["fields"]}
    namespace: dict = {}
    for name, value in inputs.items():
        if isinstance(value, bool) or len(value):
            namespace[name] = value
    for name, field in fields.items():
        if field.get("type") == "boolean" and name not in inputs:
            namespace[name] = False
    jinja = ImmutableSandboxedEnvironment()
    filenames = {}
    tower = _Tower(None)
    for label, template in ctype["injectors"].get("file", {}).items():
        path = private_dir / f"{label.replace('.', '_')}_{len(filenames)}"
        path.write_text(jinja.from_string(template).render(**namespace, tower=tower), encoding="utf-8")
        filenames[label] = str(path)
    if "template" in filenames:
        tower.filename = filenames["template"]
    elif filenames:
        tower.filename = _Names([])
        for label, path in filenames.items():
            setattr(tower.filename, label.split(".")[1], path)
    namespace["tower"] = tower
    env = {key: jinja.from_string(t).render(**namespace) for key, t in ctype["injectors"].get("env", {}).items()}
    extra = {key: jinja.from_string(t).render(**namespace) for key, t in ctype["injectors"].get("extra_vars", {}).items()}
    return env, extra, {label: Path(path).read_text(encoding="utf-8") for label, path in filenames.items()}


# ---------------------------------------------------------------- the collection's side


def env_fallbacks() -> dict[str, tuple[str, dict]]:
    """Environment variable -> (option, argument spec) over every option spec the plugins use."""
    from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import options as cloud  # pylint: disable=import-outside-toplevel
    from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap import options as ldap  # pylint: disable=import-outside-toplevel

    specs = {**cloud.http_argument_spec(), **cloud.graph_auth_argument_spec(), **cloud.portal_argument_spec(),
             **ldap.ldap_connection_argument_spec()}
    result = {}
    for option, spec in specs.items():
        fallback = spec.get("fallback")
        if fallback:
            for name in fallback[1]:
                result[name] = (option, spec)
    return result


def host_variables() -> dict[str, str]:
    """Host variable -> LDAP option, as the action plugins read them."""
    from ansible_collections.mdi.action_accounts.plugins.plugin_utils import _host_defaults  # pylint: disable=import-outside-toplevel

    result = {name: option for option, names in _host_defaults.LDAP_HOST_VARIABLES.items() for name in names}
    for usernames, passwords in _host_defaults.LDAP_HOST_CREDENTIALS:
        result.update({name: "username" for name in usernames})
        result.update({name: "password" for name in passwords})
    return result


def _secret_fields(ctype: dict) -> set[str]:
    return {field["id"] for field in ctype["inputs"]["fields"] if field.get("secret")}


def _sources(template: str) -> set[str]:
    """The fields (and ``tower``) a template reads."""
    return meta.find_undeclared_variables(ImmutableSandboxedEnvironment().parse(template))


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("filename", sorted(TYPES))
def test_awx_accepts_the_credential_type(filename):
    awx_validate(TYPES[filename])


def test_names_are_unique():
    names = [ctype["name"] for ctype in TYPES.values()]
    assert len(names) == len(set(names)), names


@pytest.mark.parametrize("filename", sorted(TYPES))
def test_injects_only_what_the_collection_documents(filename, collections_root):
    del collections_root  # makes the collection importable
    documented = documented_names()
    documented_env = {name for fragment in documented.values() for name in fragment["env"]}
    documented_host = {name for fragment in documented.values() for name in fragment["host"]}
    fallbacks = env_fallbacks()
    hostvars = host_variables()
    injectors = TYPES[filename]["injectors"]
    problems = []
    for name in injectors.get("env", {}):
        if name not in documented_env:
            problems.append(f"env {name}: no doc fragment names it (E({name})); documented: {sorted(documented_env)}")
        if name not in fallbacks:
            problems.append(f"env {name}: no option of the collection falls back to it; read: {sorted(fallbacks)}")
    for name in injectors.get("extra_vars", {}):
        if name not in documented_host:
            problems.append(f"extra var {name}: no doc fragment names it as a host variable (C({name}))")
        if name not in hostvars:
            problems.append(f"extra var {name}: the action plugins do not read it; read: {sorted(hostvars)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("filename", sorted(TYPES))
def test_secrets_stay_secret(filename, collections_root):
    """A secret field only feeds options the collection never logs, and every such field is marked secret."""
    del collections_root
    ctype = TYPES[filename]
    secret = _secret_fields(ctype)
    fallbacks, hostvars = env_fallbacks(), host_variables()
    for field in ctype["inputs"]["fields"]:
        if re.search(r"secret|password|passphrase|sccauth|xsrf|token|certificate|key", field["id"]):
            assert field["id"] in secret, f"{field['id']} must be secret: true"
    for kind, templates in ctype["injectors"].items():
        for key, template in templates.items():
            if not _sources(template) & secret or kind == "file":
                continue
            if kind == "env":
                option, spec = fallbacks[key]
                assert spec.get("no_log") or spec.get("type") == "path", f"{key} carries a secret into {option}, which is not no_log"
            else:
                assert hostvars[key] == "password", f"{key} carries a secret into {hostvars[key]}"


def _graph(tmp_path, **inputs):
    ctype = next(t for t in TYPES.values() if "AZURE_TENANT_ID" in t["injectors"].get("env", {}))
    return awx_inject(ctype, {"tenant_id": "contoso.example", "client_id": "11111111-1111-1111-1111-111111111111", **inputs}, tmp_path)


def _token_provider(env: dict):
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator  # pylint: disable=import-outside-toplevel
    from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import options  # pylint: disable=import-outside-toplevel
    from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.auth import TokenProvider  # pylint: disable=import-outside-toplevel

    with mock.patch.dict(os.environ, env, clear=True):
        result = ArgumentSpecValidator(options.graph_auth_argument_spec()).validate({})
    assert not result.error_messages, result.error_messages
    params = result.validated_parameters

    class Http:
        secrets = set()

    return params, TokenProvider(Http(), **options.pick(params, options.GRAPH_AUTH_OPTION_NAMES))


def test_graph_app_with_a_secret(tmp_path, collections_root):
    del collections_root
    env, extra, _files = _graph(tmp_path, client_secret="s3cret")
    assert not extra
    params, provider = _token_provider(env)
    assert provider.method == "client_secret"
    assert params["tenant_id"] == "contoso.example" and params["client_secret"] == "s3cret"
    assert params["graph_url"] == "https://graph.microsoft.com"
    assert provider.authority_host == "https://login.microsoftonline.com"


def _self_signed_pem() -> str:
    from cryptography import x509  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel
    from cryptography.x509.oid import NameOID  # pylint: disable=import-outside-toplevel

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mdi-app")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM).decode() + key_pem.decode()


def test_graph_app_with_a_certificate_in_a_sovereign_cloud(tmp_path, collections_root):
    del collections_root
    from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.auth import certificate_credential  # pylint: disable=import-outside-toplevel

    pem = _self_signed_pem()
    env, _extra, files = _graph(tmp_path, client_certificate=pem, authority_host="https://login.microsoftonline.us",
                                graph_url="https://graph.microsoft.us")
    assert list(files.values()) == [pem]
    params, provider = _token_provider(env)
    assert provider.method == "certificate"
    assert params["graph_url"] == "https://graph.microsoft.us" and provider.authority_host == "https://login.microsoftonline.us"
    credential = certificate_credential(params["client_certificate_path"], None, None, params["client_private_key_passphrase"])
    assert re.fullmatch(r"[0-9A-F]{40}", credential["thumbprint"]) and "PRIVATE KEY" in credential["private_key"]


def test_graph_app_fields_left_empty_fall_back_to_the_defaults(tmp_path, collections_root):
    """AWX injects '' for an empty field: the endpoints must still be the defaults, and no credential is picked."""
    del collections_root
    env, _extra, _files = _graph(tmp_path, client_secret="s3cret", authority_host="", graph_url="", client_certificate="")
    assert env["AZURE_CLIENT_CERTIFICATE_PATH"] == ""
    params, provider = _token_provider(env)
    assert provider.method == "client_secret"
    assert params["graph_url"] == "https://graph.microsoft.com" and provider.authority_host == "https://login.microsoftonline.com"


def test_portal_session_reaches_the_module_options(tmp_path, collections_root):
    del collections_root
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator  # pylint: disable=import-outside-toplevel
    from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import options  # pylint: disable=import-outside-toplevel

    ctype = next(t for t in TYPES.values() if "MDI_PORTAL_SCCAUTH" in t["injectors"].get("env", {}))
    env, _extra, _files = awx_inject(ctype, {"portal_sccauth": "cookie-a", "portal_xsrf_token": "token%3Db"}, tmp_path)
    spec = options.action_account_argument_spec()
    with mock.patch.dict(os.environ, env, clear=True):
        result = ArgumentSpecValidator(spec, **options.ACTION_ACCOUNT_CONSTRAINTS).validate({"name": "mdiAction", "domain": "corp.example.com"})
    assert not result.error_messages, result.error_messages
    params = result.validated_parameters
    assert params["portal_sccauth"] == "cookie-a" and params["portal_xsrf_token"] == "token%3Db"
    assert params["portal_url"] == "https://security.microsoft.com/apiproxy/aatp"
    assert {"cookie-a", "token%3Db"} <= set(result._no_log_values)  # pylint: disable=protected-access


def test_ldap_bind_account_wins_over_the_machine_credential_user(tmp_path, collections_root):
    """In AWX the Machine credential gives ansible_user but no password variable; the LDAP credential's pair is used."""
    del collections_root
    from ansible_collections.mdi.action_accounts.plugins.plugin_utils._host_defaults import ldap_host_defaults  # pylint: disable=import-outside-toplevel

    ctype = next(t for t in TYPES.values() if "extra_vars" in t["injectors"])
    _env, extra, _files = awx_inject(ctype, {"ldap_username": "ldap-admin@corp.example.com", "ldap_password": "pw"}, tmp_path)
    hostvars = {**extra, "ansible_user": "winrm-admin@CORP.EXAMPLE.COM", "ansible_connection": "winrm",
                "inventory_hostname": "dc1.corp.example.com"}
    args = ldap_host_defaults({}, hostvars.get)
    assert args["username"] == "ldap-admin@corp.example.com" and args["password"] == "pw"
    assert args["server"] == "dc1.corp.example.com"

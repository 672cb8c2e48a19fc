# -*- coding: utf-8 -*-
"""The bad-input catalogue (issue 13): one table of rows over every module and role of the collection, each run as a
small playbook against the lab (a task on dc1, or a role on domain_controllers).

Every row asserts that
- the run fails (rc != 0) and a task result says failed;
- that failure's message holds the row's words: the option or the object, and the fix ("set ...", "check ...",
  "must be one of", ...);
- nothing escaped as a Python exception: no "Traceback (most recent call last)" in stdout, stderr or any result, no
  "exception" key holding one, and no "Task failed: ..." message (how an exception raised in an action plugin or a
  template error shows with ANSIBLE_DISPLAY_TRACEBACK=never; rerun the row with =error to see where it came from);
- tests/lab/snapshot.py reads the lab identical before and after (gMSAs, KDS root keys, the DACLs of the domain root
  and OU=MDI Lab, each fake DC's user rights, the portal's registrations and LocalSystem switch): nothing was written.

Rows marked xfail are defects found by this catalogue and not fixed yet: the module accepts the input. They run in
check mode, so the defect cannot write to the lab; strict, so a fix shows as XPASS and the mark must go.
Rows that could act on a real account if a guard broke (identity_account_action with a broken Graph setting) run in
check mode for the same reason: check mode asks Graph for nothing but the account's lookup.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import json
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests" / "lab"))

import snapshot  # noqa: E402  pylint: disable=wrong-import-position
from conftest import CloudLab  # noqa: E402  pylint: disable=wrong-import-position,wrong-import-order

SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
# As on this machine and on many corporate controllers: the system bundle, which does not hold the lab CA. The cloud
# modules must honour their own ca_cert over these; without one, they must say the certificate is not trusted.
RUN_ENV = {"REQUESTS_CA_BUNDLE": SYSTEM_BUNDLE, "CURL_CA_BUNDLE": SYSTEM_BUNDLE, "ANSIBLE_DISPLAY_TRACEBACK": "never"}
TRACEBACK = "Traceback (most recent call last)"
NO_TRACEBACK = (None, "(traceback unavailable)")  # ansible-core 2.19 puts the latter in every failed result
COLLECTION = "mdi.action_accounts"
WRONG_PASSWORD = "Not-The-Password-1"  # long enough that no_log masking of it cannot mangle the message
NO_SUCH_OU = "OU=No Such OU"
UNKNOWN_GUID = "11111111-2222-3333-4444-555555555555"
RIGHT_NAMES = ("create_child", "delete_child", "list_children", "self_write", "read_property", "write_property", "delete_tree",
               "list_object", "control_access", "delete", "read_control", "write_dac")


class Ctx:
    """What rows build their arguments from: the running lab's names, addresses and cloud credentials."""

    def __init__(self, lab: dict):
        samba = lab["samba"]
        self.base = samba["base_dn"]
        self.ou = samba["ous"]["lab"]
        self.dc_ip = samba["ip"]
        self.cloud = CloudLab(lab)

    def missing_ou(self) -> str:
        return f"{NO_SUCH_OU},{self.base}"

    def graph(self, app: str = "sensors_reader", **changes) -> dict:
        """Graph options of the cloud modules (ca_cert, timeout, retries), no retries so a fault is not waited out."""
        return {**self.cloud.graph_args(app), "retries": 0, "timeout": 10, **changes}

    def graph_prefixed(self, app: str = "sensors_reader", **changes) -> dict:
        """Graph options of identity_account_action and remediation_canary, whose ca_cert is the LDAP connection's."""
        args = self.cloud.graph_args(app)
        args.update(graph_ca_cert=args.pop("ca_cert"), graph_retries=0, graph_timeout=10)
        return {**args, **changes}

    def portal(self, **changes) -> dict:
        return {**self.cloud.portal_args(), "retries": 0, "timeout": 10, **changes}

    def registration(self, **changes) -> dict:
        """mdi_action_account registering the lab's gMSA, with no sensor to check (so Graph is not asked)."""
        return self.portal(**{"name": "mdiAction", "domain": "corp.example.test", "sensors": [], **changes})


@dataclasses.dataclass(frozen=True)
class Row:
    id: str
    target: str  # a module (ad_ace) or a role (role:gmsa)
    args: Callable[[Ctx], dict]  # the module's arguments, or the role's variables
    words: tuple  # all in the failure's message: the option or the object, and the fix
    faults: tuple = ()  # fake-cloud faults armed just before the run
    check_mode: bool = False
    xfail: str = ""  # a defect this row shows: the reason

    @property
    def hosts(self) -> str:
        return "domain_controllers" if self.target.startswith("role:") else "dc1"


def _without(args: dict, *names: str) -> dict:
    return {k: v for k, v in args.items() if k not in names}


def _oversized_aces() -> list:
    """1,200 object ACEs of 56 bytes (one per GUID): more than the 65,535 bytes an ACL holds, whatever is there already."""
    return [{"rights": ["read_property"], "object_type": str(uuid.UUID(int=n))} for n in range(1, 1201)]


def _too_many_aces() -> list:
    """2,001 distinct 20-byte ACEs of Everyone (one per rights combination): past Samba's 2,000 ACEs, 40 KB in size."""
    return [{"rights": [name for bit, name in enumerate(RIGHT_NAMES) if n >> bit & 1]} for n in range(1, 2002)]


def _html(listener: str, path: str, **extra) -> dict:
    return {"listener": listener, "path": path, "status": 200, "html": True, **extra}


def _json(listener: str, path: str, body, **extra) -> dict:
    return {"listener": listener, "path": path, "status": 200, "body": body, **extra}


ROWS = [
    # ---------------------------------------------------------------- ad_ace
    Row("ad_ace-wrong-type", "ad_ace",
        lambda c: {"principal": "alice", "target": c.ou, "preset": "mdi_action_account", "include_groups": "maybe"},
        ("include_groups", "Valid booleans include")),
    Row("ad_ace-unknown-principal", "ad_ace", lambda c: {"principal": "nosuchuser", "target": c.ou, "preset": "mdi_action_account"},
        ("principal 'nosuchuser' not found", "check the name, or give the account's DN or SID")),
    Row("ad_ace-unknown-right", "ad_ace", lambda c: {"principal": "alice", "target": c.ou, "aces": [{"rights": ["fly"]}]},
        ("aces[0].rights", "'fly'", "choose from")),
    Row("ad_ace-unknown-attribute", "ad_ace",
        lambda c: {"principal": "alice", "target": c.ou, "aces": [{"rights": ["read_property"], "object_type": "notAnAttribute"}]},
        ("aces[0].object_type", "'notAnAttribute'", "check the name, or give its GUID")),
    Row("ad_ace-unknown-class", "ad_ace",
        lambda c: {"principal": "alice", "target": c.ou, "aces": [{"rights": ["read_property"], "inherited_object_type": "notAClass"}]},
        ("aces[0].inherited_object_type", "no class named 'notAClass'", "check the name")),
    Row("ad_ace-malformed-guid", "ad_ace",
        lambda c: {"principal": "alice", "target": c.ou, "aces": [{"rights": ["read_property"], "object_type": "1234-5678"}]},
        ("aces[0].object_type", "'1234-5678' is not a valid GUID", "expected 8-4-4-4-12")),
    Row("ad_ace-unknown-guid", "ad_ace",
        lambda c: {"principal": "alice", "target": c.ou, "aces": [{"rights": ["read_property"], "object_type": UNKNOWN_GUID}]},
        ("aces[0].object_type", UNKNOWN_GUID, "check the GUID, or give the name"), check_mode=True),
    Row("ad_ace-bad-choice", "ad_ace",
        lambda c: {"principal": "alice", "target": c.ou, "aces": [{"rights": ["read_property"], "applies_to": "everything"}]},
        ("applies_to", "must be one of")),
    Row("ad_ace-target-does-not-exist", "ad_ace",
        lambda c: {"principal": "alice", "target": c.missing_ou(), "preset": "mdi_action_account"},
        (NO_SUCH_OU, "does not exist: check target")),
    Row("ad_ace-target-not-a-dn", "ad_ace", lambda c: {"principal": "alice", "target": "not a dn", "preset": "mdi_action_account"},
        ("'not a dn' is not a valid distinguished name", "give a DN")),
    Row("ad_ace-dacl-over-65535-bytes", "ad_ace", lambda c: {"principal": "alice", "target": c.ou, "aces": _oversized_aces()},
        ("an ACL holds at most 65,535 bytes", "grant fewer ACEs")),
    Row("ad_ace-dacl-over-2000-aces", "ad_ace", lambda c: {"principal": "S-1-1-0", "target": c.ou, "aces": _too_many_aces()},
        ("at most 2,000 ACEs", "grant fewer ACEs")),
    Row("ad_ace-unknown-option", "ad_ace", lambda c: {"principal": "alice", "targets": [c.ou], "preset": "mdi_action_account"},
        ("targets", "Supported parameters include")),
    # ---------------------------------------------------------------- ad_ace_info: the LDAP connection
    Row("ad_ace_info-wrong-password", "ad_ace_info", lambda c: {"password": WRONG_PASSWORD},
        ("bind as 'Administrator@corp.example.test' refused", "check username and password")),
    Row("ad_ace_info-untrusted-certificate", "ad_ace_info", lambda c: {"ca_cert": SYSTEM_BUNDLE},
        ("is not trusted", "set ca_cert")),
    # The DC's address written as one number: it reaches the DC, but is no name or address its certificate carries.
    Row("ad_ace_info-certificate-for-another-name", "ad_ace_info", lambda c: {"server": str(int(ipaddress.IPv4Address(c.dc_ip)))},
        ("is not issued for", "set server (or the host's mdi_ldap_server)")),
    Row("ad_ace_info-cleartext-without-opt-in", "ad_ace_info", lambda c: {"tls_mode": "none"},
        ("tls_mode=none", "use tls_mode=ldaps", "allow_cleartext=true")),
    Row("ad_ace_info-not-ldap-https", "ad_ace_info",
        lambda c: {"server": c.cloud.info["ip"], "port": c.cloud.info["ports"]["portal"], "timeout": 2},
        ("no LDAP answer from", "check server and port")),
    Row("ad_ace_info-not-ldap-kerberos", "ad_ace_info", lambda c: {"port": 88, "tls_mode": "starttls", "timeout": 3},
        ("cannot connect to", ":88 (starttls)", "check server and port")),
    Row("ad_ace_info-port-out-of-range", "ad_ace_info", lambda c: {"port": 70000},
        ("port 70000", "set port between 1 and 65535")),
    Row("ad_ace_info-ca-cert-missing", "ad_ace_info", lambda c: {"ca_cert": "/nonexistent/ca.pem"},
        ("ca_cert /nonexistent/ca.pem does not exist", "set ca_cert")),
    Row("ad_ace_info-unknown-principal", "ad_ace_info", lambda c: {"principal": "ghost$"},
        ("principal 'ghost$' not found", "check the name")),
    # ---------------------------------------------------------------- gmsa_account
    Row("gmsa_account-name-too-long", "gmsa_account", lambda c: {"name": "mdiActionAcct15"},
        ("'mdiActionAcct15' is 16 characters with its trailing $", "use at most 14 characters")),
    Row("gmsa_account-illegal-characters", "gmsa_account", lambda c: {"name": "mdi/act*on"},
        ("'mdi/act*on' is not a valid account name", "are not allowed; avoid")),
    Row("gmsa_account-unknown-retrieval-principal", "gmsa_account",
        lambda c: {"name": "mdiBadInput", "retrieval_principals": {"set": ["nosuchgroup"]}},
        ("principal 'nosuchgroup' not found", "check the name")),
    Row("gmsa_account-non-dc-retrieval", "gmsa_account", lambda c: {"name": "mdiBadInput", "retrieval_principals": {"set": ["alice"]}},
        ("CORP\\alice is not a domain controller", "Set allow_non_dc_retrieval: true")),
    Row("gmsa_account-path-does-not-exist", "gmsa_account", lambda c: {"name": "mdiBadInput", "path": c.missing_ou()},
        (NO_SUCH_OU, "create the OU or container first")),
    Row("gmsa_account-wrong-type", "gmsa_account", lambda c: {"name": "mdiBadInput", "password_interval_days": "monthly"},
        ("password_interval_days", "unable to convert to int")),
    # Check mode for the rows that found a defect: a broken guard cannot write.
    Row("gmsa_account-negative-interval", "gmsa_account", lambda c: {"name": "mdiBadInput", "password_interval_days": -5},
        ("password_interval_days -5 is out of range", "give the days between password changes, from 1 to"), check_mode=True),
    Row("gmsa_account-dns-hostname-not-a-name", "gmsa_account", lambda c: {"name": "mdiBadInput", "dns_hostname": "not a host!"},
        ("dns_hostname 'not a host!' is not a DNS host name", "give labels of letters, digits and hyphens"), check_mode=True),
    Row("gmsa_account-name-double-dollar", "gmsa_account", lambda c: {"name": "mdiBad$$"},
        ("'mdiBad$$' ends in more than one $", "give 'mdiBad' or 'mdiBad$'"), check_mode=True),
    # ---------------------------------------------------------------- gpo
    Row("gpo-empty-name", "gpo", lambda c: {"name": ""},
        ("name must be a display name of 1 to 255 characters", "not ''")),
    Row("gpo-bad-status", "gpo", lambda c: {"name": "MDI bad input", "status": "off"},
        ("status", "must be one of: all_settings_enabled")),
    Row("gpo-link-target-missing", "gpo", lambda c: {"name": "MDI bad input", "links": [{"target": c.missing_ou()}]},
        ("links[0].target", "does not exist: give the distinguished name of an OU")),
    Row("gpo-link-order-zero", "gpo", lambda c: {"name": "MDI bad input", "links": [{"target": c.ou, "order": 0}]},
        ("links[0].order must be 1 (the highest precedence) or more", "not 0")),
    # ---------------------------------------------------------------- ad_optional_feature
    Row("optional-feature-without-opt-in", "ad_optional_feature", lambda c: {"name": "recycle_bin"},
        ("cannot be undone", "Set accept_irreversible: true")),
    Row("optional-feature-unknown", "ad_optional_feature", lambda c: {"name": "recycle", "accept_irreversible": True},
        ("name", "must be one of: privileged_access_management, recycle_bin")),
    # ---------------------------------------------------------------- ad_domain_info
    Row("ad_domain_info-unknown-placeholder", "ad_domain_info", lambda c: {"objects": ["CN=ADFS,CN=Microsoft,CN=Program Data,{domian}"]},
        ("objects[0]", "unknown placeholder {domian}: use {domain}, {configuration}, {schema}, {forest_root}")),
    Row("ad_domain_info-not-a-dn", "ad_domain_info", lambda c: {"objects": ["ADFS container"]},
        ("objects[0] 'ADFS container'", "is not a valid distinguished name")),
    # ---------------------------------------------------------------- kds_root_key
    Row("kds_root_key-absent-without-key-id", "kds_root_key", lambda c: {"state": "absent"},
        ("state is absent", "key_id")),
    Row("kds_root_key-bad-choice", "kds_root_key", lambda c: {"state": "gone"},
        ("state", "must be one of: present, absent")),
    Row("kds_root_key-key-id-not-a-guid", "kds_root_key", lambda c: {"state": "absent", "key_id": "not-a-guid"},
        ("key_id 'not-a-guid' is not a GUID", "give the key's GUID"), check_mode=True),
    # The lab's forest has a usable key, so no key would be created: effective_time is refused all the same.
    Row("kds_root_key-bad-effective-time-with-a-key", "kds_root_key", lambda c: {"effective_time": "next tuesday"},
        ("effective_time 'next tuesday' is not an ISO 8601 time", "such as 2026-12-01T08:00:00Z"), check_mode=True),
    # ---------------------------------------------------------------- action_account_info
    Row("action_account_info-wrong-password", "action_account_info", lambda c: {"name": "mdiAction", "password": WRONG_PASSWORD},
        ("bind as", "check username and password")),
    Row("action_account_info-wrong-type", "action_account_info", lambda c: {"name": "mdiAction", "targets": {"ou": c.ou}},
        ("targets", "unable to convert to list")),
    # ---------------------------------------------------------------- user_right (scope=local over WinRM, scope=gpo over LDAP and SMB)
    Row("user_right-unknown-right", "user_right", lambda c: {"name": "SeFlyRight", "users": ["alice"]},
        ("'SeFlyRight' is not a Windows user right", "give its constant")),
    Row("user_right-misspelt-right", "user_right", lambda c: {"name": "Log on as a pirate", "users": ["alice"]},
        ("'Log on as a pirate'", "did you mean", "'SeServiceLogonRight'")),
    Row("user_right-unknown-account", "user_right", lambda c: {"name": "SeServiceLogonRight", "users": ["CORP\\nosuchuser"]},
        ("CORP\\nosuchuser", "check users")),
    Row("user_right-unknown-gpo-name", "user_right",
        lambda c: {"name": "SeServiceLogonRight", "users": ["alice"], "scope": "gpo", "gpo": "No Such Policy"},
        ("no Group Policy object 'No Such Policy'", "check gpo")),
    Row("user_right-unknown-gpo-guid", "user_right",
        lambda c: {"name": "SeServiceLogonRight", "users": ["alice"], "scope": "gpo", "gpo": "{" + UNKNOWN_GUID + "}"},
        (UNKNOWN_GUID, "check gpo")),
    Row("user_right-gpo-unknown-account", "user_right",
        lambda c: {"name": "SeServiceLogonRight", "users": ["nosuchuser"], "scope": "gpo", "action": "set"},
        ("principal 'nosuchuser' not found", "check the name")),
    Row("user_right-gpo-wrong-password", "user_right",
        lambda c: {"name": "SeServiceLogonRight", "users": ["alice"], "scope": "gpo", "password": WRONG_PASSWORD},
        ("bind as", "check username and password")),
    Row("user_right-bad-choice", "user_right", lambda c: {"name": "SeServiceLogonRight", "users": ["alice"], "action": "grant"},
        ("action", "must be one of: add, remove, set")),
    # ---------------------------------------------------------------- user_right_info
    Row("user_right_info-unknown-right", "user_right_info", lambda c: {"name": "SeFlyRight"},
        ("'SeFlyRight' is not a Windows user right", "give its constant")),
    Row("user_right_info-unknown-option", "user_right_info", lambda c: {"name": "SeServiceLogonRight", "scope": "gpo"},
        ("scope", "Supported parameters include: name")),
    # ---------------------------------------------------------------- mdi_sensor_info: sign-in and Graph answers
    Row("mdi_sensor_info-wrong-client-secret", "mdi_sensor_info", lambda c: c.graph(client_secret="Not-The-Secret-1"),
        ("invalid_client", "check client_secret")),
    Row("mdi_sensor_info-untrusted-certificate", "mdi_sensor_info", lambda c: _without(c.graph(), "ca_cert"),
        ("certificate is not trusted", "set ca_cert")),
    Row("mdi_sensor_info-authority-not-https", "mdi_sensor_info", lambda c: c.graph(authority_host=f"http://{c.cloud.info['ip']}:8443"),
        ("authority_host", "must be an https URL")),
    Row("mdi_sensor_info-malformed-thumbprint", "mdi_sensor_info",
        lambda c: {**_without(c.graph(), "client_secret"), "client_private_key_path": c.cloud.info["apps"]["sensors_reader"]["key"],
                   "client_certificate_thumbprint": "xyz"},
        ("client_certificate_thumbprint", "must be the certificate's SHA-1 thumbprint")),
    Row("mdi_sensor_info-missing-permission", "mdi_sensor_info", lambda c: c.graph("no_permissions"),
        ("SecurityIdentitiesSensors.Read.All", "grant it")),
    Row("mdi_sensor_info-html-instead-of-json", "mdi_sensor_info", lambda c: c.graph(),
        ("Microsoft Graph answered with an HTML page", "check graph_url"), faults=(_html("graph", "/sensors$"),)),
    Row("mdi_sensor_info-json-without-value", "mdi_sensor_info", lambda c: c.graph(),
        ("no 'value' list", "check graph_url"), faults=(_json("graph", "/sensors$", {"unexpected": []}),)),
    Row("mdi_sensor_info-truncated-json", "mdi_sensor_info", lambda c: c.graph(),
        ("not JSON", "check graph_url"), faults=(_json("graph", "/sensors$", '{"value": [{"id": "', content_type="application/json"),)),
    Row("mdi_sensor_info-sign-in-page-from-token-endpoint", "mdi_sensor_info", lambda c: c.graph(),
        ("answered the sign-in with something that is not JSON", "check authority_host"), faults=(_html("login", "/token$"),)),
    Row("mdi_sensor_info-token-answer-without-token", "mdi_sensor_info", lambda c: c.graph(),
        ("no token", "check authority_host"), faults=(_json("login", "/token$", {"token_type": "Bearer"}),)),
    # ---------------------------------------------------------------- mdi_health_info
    Row("mdi_health_info-bad-choice", "mdi_health_info", lambda c: c.graph(status=["bogus"]),
        ("status", "must be one or more of: open, closed, suppressed")),
    Row("mdi_health_info-missing-permission", "mdi_health_info", lambda c: c.graph("sensors_only"),
        ("SecurityIdentitiesHealth.Read.All", "grant it")),
    Row("mdi_health_info-html-instead-of-json", "mdi_health_info", lambda c: c.graph(),
        ("HTML page instead of JSON", "check graph_url"), faults=(_html("graph", "healthIssues"),)),
    # ---------------------------------------------------------------- action_identity_info
    Row("action_identity_info-bad-choice", "action_identity_info", lambda c: c.graph(identity="gMSA"),
        ("identity", "must be one of: auto, gmsa, local_system")),
    Row("action_identity_info-wrong-type", "action_identity_info", lambda c: c.graph(sensors=["dc1"]),
        ("sensors", "unable to convert to dict")),
    Row("action_identity_info-expired-portal-session", "action_identity_info",
        lambda c: {**c.graph(), **_without(c.portal(portal_sccauth="expired-session-cookie"), "ca_cert", "retries", "timeout")},
        ("sccauth", "sign in again")),
    Row("action_identity_info-sensor-without-version", "action_identity_info",
        lambda c: c.graph(identity="gmsa", sensors=[{"name": "dc1"}]),
        ("sensors[0].type and sensors[0].version", "give each sensor's name, type and version")),
    # ---------------------------------------------------------------- mdi_action_account: portal session and answers
    Row("mdi_action_account-expired-session", "mdi_action_account", lambda c: c.registration(portal_sccauth="expired-session-cookie"),
        ("sccauth", "sign in again")),
    Row("mdi_action_account-wrong-xsrf-token", "mdi_action_account", lambda c: c.registration(portal_xsrf_token="not-the-xsrf-token"),
        ("XSRF-TOKEN", "sign in again")),
    Row("mdi_action_account-untrusted-certificate", "mdi_action_account", lambda c: _without(c.registration(), "ca_cert"),
        ("certificate is not trusted", "set ca_cert")),
    Row("mdi_action_account-name-too-long", "mdi_action_account", lambda c: c.registration(name="mdiActionAcct15"),
        ("name 'mdiActionAcct15' is 16 characters", "use at most 14 characters")),
    Row("mdi_action_account-name-double-dollar", "mdi_action_account", lambda c: c.registration(name="mdiAction$$"),
        ("name 'mdiAction$$' ends in more than one $", "give 'mdiAction' or 'mdiAction$'")),
    Row("mdi_action_account-domain-not-a-dns-name", "mdi_action_account", lambda c: c.registration(domain="corp example!"),
        ("domain 'corp example!'", "must be the AD domain's DNS name")),
    Row("mdi_action_account-gmsa-on-sensor-v3", "mdi_action_account",
        lambda c: c.registration(sensors=[{"name": "dc1.corp.example.test", "type": "domainControllerIntegrated", "version": "3.0.1"}]),
        ("dc1.corp.example.test (version 3.0.1)", "Use identity=local_system")),
    Row("mdi_action_account-sign-in-page-instead-of-json", "mdi_action_account", lambda c: c.registration(),
        ("HTML page instead of JSON", "sign in again"), faults=(_html("portal", "EntityRemediatorCredentials", method="GET"),)),
    Row("mdi_action_account-json-without-value", "mdi_action_account", lambda c: c.registration(),
        ("no 'value' list", "mode=manual"), faults=(_json("portal", "EntityRemediatorCredentials", {"unexpected": 1}, method="GET"),)),
    Row("mdi_action_account-json-without-switch", "mdi_action_account", lambda c: c.registration(),
        ("IsRemediationWithLocalSystemEnabled", "mode=manual"),
        faults=(_json("portal", "configuration", {"unexpected": 1}, method="GET"),)),
    Row("mdi_action_account-no-session", "mdi_action_account", lambda c: _without(c.registration(), "portal_sccauth", "portal_xsrf_token"),
        ("portal_sccauth, portal_xsrf_token", "missing")),
    # ---------------------------------------------------------------- identity_account_action (check mode: see the docstring)
    Row("identity_account_action-unknown-account", "identity_account_action",
        lambda c: c.graph_prefixed(account="nosuchuser", action="force_password_reset"),
        ("principal 'nosuchuser' not found", "check the name"), check_mode=True),
    Row("identity_account_action-not-a-user", "identity_account_action", lambda c: c.graph_prefixed(account="srv1$", action="disable"),
        ("CORP\\srv1$ is not a user account", "disable, enable and reset users"), check_mode=True),
    Row("identity_account_action-untrusted-certificate", "identity_account_action",
        lambda c: _without(c.graph_prefixed(account="bob", action="force_password_reset"), "graph_ca_cert"),
        ("certificate is not trusted", "set graph_ca_cert"), check_mode=True),
    Row("identity_account_action-wrong-client-secret", "identity_account_action",
        lambda c: c.graph_prefixed(account="bob", action="force_password_reset", client_secret="Not-The-Secret-1"),
        ("invalid_client", "check client_secret"), check_mode=True),
    Row("identity_account_action-bad-choice", "identity_account_action", lambda c: c.graph_prefixed(account="bob", action="lock"),
        ("action", "must be one of: disable, enable, force_password_reset")),
    # ---------------------------------------------------------------- remediation_canary
    Row("remediation_canary-canary-does-not-exist", "remediation_canary",
        lambda c: c.graph_prefixed(account="nosuchcanary", wait_timeout=5),
        ("the canary nosuchcanary does not exist", "set create=true")),
    Row("remediation_canary-wrong-type", "remediation_canary", lambda c: c.graph_prefixed(account="bob", context="broken", wait_timeout=5),
        ("context", "unable to convert to dict")),
    # ---------------------------------------------------------------- roles (a play on domain_controllers with the bad variable)
    Row("role-action_identity-inventory-choice", "role:action_identity", lambda c: {"mdi_action_identity": "gMSA"},
        ("action_identity_mode", "must be one of: auto, gmsa, local_system")),
    Row("role-action_identity-wrong-client-secret", "role:action_identity", lambda c: {"action_identity_client_secret": "Not-The-Secret-1"},
        ("Nothing was changed", "check client_secret")),
    Row("role-gmsa-name-too-long", "role:gmsa", lambda c: {"gmsa_name": "mdiActionAcct15", "gmsa_state": "absent"},
        ("'mdiActionAcct15' is 16 characters", "use at most 14 characters")),
    Row("role-gmsa-bad-choice", "role:gmsa", lambda c: {"gmsa_kerberos_encryption_types": ["des"]},
        ("gmsa_kerberos_encryption_types", "must be one or more of: aes128, aes256, rc4")),
    Row("role-logon_right-bad-scope", "role:logon_right", lambda c: {"logon_right_scope": "bogus"},
        ("logon_right_scope", "must be one of: local, gpo")),
    Row("role-logon_right-unknown-principal", "role:logon_right", lambda c: {"logon_right_principal": "CORP\\nosuchuser"},
        ("CORP\\nosuchuser", "check users")),
    Row("role-logon_right-unknown-gpo", "role:logon_right",
        lambda c: {"logon_right_principal": "alice", "logon_right_scope": "gpo", "logon_right_gpo": "No Such Policy"},
        ("no Group Policy object 'No Such Policy'", "check gpo")),
    Row("role-delegation-unknown-principal", "role:delegation", lambda c: {"delegation_principal": "ghost$"},
        ("principal 'ghost$' not found", "check the name")),
    Row("role-delegation-target-does-not-exist", "role:delegation",
        lambda c: {"delegation_principal": "alice", "delegation_targets": [c.missing_ou()]},
        (NO_SUCH_OU, "check target")),
    # Role argument validation cannot refuse it: type list splits a string at its commas (ansible-core's check_type_list),
    # so one DN passes as its RDNs and the role's loop then fails on the string, without naming the variable.
    Row("role-delegation-targets-string", "role:delegation", lambda c: {"delegation_principal": "alice", "delegation_targets": c.ou},
        ("delegation_targets", "must be a list of DNs")),
    Row("role-verify-delegation-targets-string", "role:verify", lambda c: {"verify_delegation_targets": c.ou},
        ("verify_delegation_targets", "must be a list of DNs")),
    Row("role-delegation-bad-choice", "role:delegation", lambda c: {"delegation_state": "exact"},
        ("delegation_state", "must be one of: present, absent")),
    Row("role-portal-bad-choice", "role:portal", lambda c: {"portal_mode": "auto"},
        ("portal_mode", "must be one of: api, manual")),
    Row("role-portal-expired-session", "role:portal",
        lambda c: {"portal_identity": "local_system", "portal_sccauth": "expired-session-cookie"},
        ("sccauth", "sign in again")),
    Row("role-verify-bad-choice", "role:verify", lambda c: {"verify_action_identity": "gMSA"},
        ("verify_action_identity", "must be one of: auto, gmsa, local_system")),
    Row("role-verify-wrong-type", "role:verify", lambda c: {"verify_remediation_timeout": "soon"},
        ("verify_remediation_timeout", "unable to convert to int")),
    # --- gpo settings modules rows ---
    Row("gpo_audit_policy-unknown-gpo", "gpo_audit_policy",
        lambda c: {"gpo": "No Such Policy", "subcategories": [{"name": "Logon", "audit": ["success"]}]},
        ("no Group Policy object 'No Such Policy'", "check gpo")),
    Row("gpo_audit_policy-unknown-subcategory", "gpo_audit_policy",
        lambda c: {"gpo": "Default Domain Policy", "subcategories": [{"name": "Teleportation", "audit": ["success"]}]},
        ("Unknown audit subcategory 'Teleportation'", "give its GUID")),
    Row("gpo_audit_policy-empty-audit", "gpo_audit_policy",
        lambda c: {"gpo": "Default Domain Policy", "subcategories": [{"name": "Logon", "audit": []}]},
        ("subcategories[0].audit must be [success], [failure], [success, failure] or [none]", "not []")),
    Row("gpo_audit_policy-bad-choice", "gpo_audit_policy",
        lambda c: {"gpo": "Default Domain Policy", "subcategories": [{"name": "Logon", "audit": ["sometimes"]}]},
        ("audit", "must be one or more of: success, failure, none", "found in subcategories")),
    Row("gpo_security_template-unknown-gpo", "gpo_security_template",
        lambda c: {"gpo": "{" + UNKNOWN_GUID + "}", "registry_values": [{"path": "MACHINE\\Software\\X\\Y", "type": "REG_DWORD", "value": 1}]},
        (UNKNOWN_GUID, "check gpo")),
    Row("gpo_security_template-relative-path", "gpo_security_template",
        lambda c: {"gpo": "Default Domain Policy", "registry_values": [{"path": "Software\\X\\Y", "type": "REG_DWORD", "value": 1}]},
        ("registry_values[0].path must be MACHINE\\<key>\\<value name>", "not 'Software")),
    Row("gpo_security_template-quote-in-string", "gpo_security_template",
        lambda c: {"gpo": "Default Domain Policy", "registry_values": [{"path": "MACHINE\\Software\\X\\Y", "type": "REG_SZ",
                                                                       "value": 'say "hi"'}]},
        ("MACHINE\\Software\\X\\Y", "without double quotes or line breaks")),
    Row("gpo_security_template-dword-text", "gpo_security_template",
        lambda c: {"gpo": "Default Domain Policy", "registry_values": [{"path": "MACHINE\\Software\\X\\Y", "type": "REG_DWORD",
                                                                       "value": "two"}]},
        ("registry_values[0].value must be an integer from 0 to 4294967295 for type REG_DWORD", "not 'two'")),
    # --- dsa rows ---
    Row("ad_group-illegal-characters", "ad_group", lambda c: {"name": "mdi/grp*", "scope": "global"},
        ("name must be 1 to 64 characters without", "not 'mdi/grp*'")),
    Row("ad_group-unknown-member", "ad_group", lambda c: {"name": "mdiBadGroup", "scope": "global", "members": {"add": ["nosuchuser"]}},
        ("principal 'nosuchuser' not found", "check the name")),
    Row("ad_group-new-without-scope", "ad_group", lambda c: {"name": "mdiBadGroup"},
        ("group mdiBadGroup does not exist", "give scope")),
    Row("ad_group-global-to-domain-local", "ad_group", lambda c: {"name": "Domain Users", "scope": "domain_local"},
        ("does not change the global group Domain Users to domain_local directly", "scope: universal first")),
    Row("ad_group-name-of-a-user", "ad_group", lambda c: {"name": "alice", "scope": "global"},
        ("alice is a user, not a group", "choose another name")),
    Row("ad_group-path-does-not-exist", "ad_group", lambda c: {"name": "mdiBadGroup", "scope": "global", "path": c.missing_ou()},
        (NO_SUCH_OU, "create the OU or container first")),
    Row("ad_group-bad-choice", "ad_group", lambda c: {"name": "mdiBadGroup", "scope": "forest"},
        ("value of scope", "must be one of")),
    Row("directory_service_account_info-not-an-account", "directory_service_account_info", lambda c: {"name": "Domain Users"},
        ("CORP\\Domain Users, a group", "name a user account or a gMSA")),
    Row("role-directory_service_account-is-the-action-account", "role:directory_service_account",
        lambda c: {"directory_service_account_name": "mdiAction$"},
        ("is also the MDI action account", "Choose another directory_service_account_name")),
    Row("role-directory_service_account-bad-choice", "role:directory_service_account",
        lambda c: {"directory_service_account_kerberos_encryption_types": ["des"]},
        ("directory_service_account_kerberos_encryption_types", "must be one or more of: aes128, aes256, rc4")),
    # --- auto_auditing rows ---
    Row("mdi_auto_auditing-wrong-type", "mdi_auto_auditing", lambda c: c.graph(enabled="maybe"),
        ("enabled", "not a valid boolean")),
    Row("mdi_auto_auditing-bad-choice", "mdi_auto_auditing", lambda c: c.graph(enabled=True, api_version="v2"),
        ("api_version", "must be one of: v1.0, beta")),
    Row("mdi_auto_auditing-missing-write-permission", "mdi_auto_auditing", lambda c: c.graph("auditing_reader", enabled=True),
        ("SecurityIdentitiesAutoConfig.ReadWrite.All", "grant it")),
    Row("mdi_auto_auditing-no-workspace", "mdi_auto_auditing", lambda c: c.graph(enabled=True),
        ("no Defender for Identity workspace", "open Settings > Identities"),
        faults=({"listener": "graph", "path": "autoAuditingConfiguration", "status": 404},)),
    Row("mdi_auto_auditing-json-without-isAutomatic", "mdi_auto_auditing", lambda c: c.graph(enabled=True),
        ("no boolean isAutomatic", "check graph_url"), faults=(_json("graph", "autoAuditingConfiguration", {"value": []}),)),
    # --- gpo security filtering rows ---
    Row("gpo-permission-unknown-principal", "gpo",
        lambda c: {"name": "MDI bad input", "permissions": [{"principal": "nosuchuser", "level": "apply"}]},
        ("permissions[0].principal: principal 'nosuchuser' not found", "check the name")),
    Row("gpo-permission-bad-level", "gpo", lambda c: {"name": "MDI bad input", "permissions": [{"principal": "S-1-5-11", "level": "edit"}]},
        ("level", "must be one of: read, apply, deny_apply")),
    Row("gpo-permission-principal-twice", "gpo",
        lambda c: {"name": "MDI bad input", "permissions": [{"principal": "S-1-5-11", "level": "read"},
                                                            {"principal": "Authenticated Users", "level": "apply"}]},
        ("permissions[1].principal 'Authenticated Users' is S-1-5-11", "give each principal once")),
    Row("gpo-absent-with-permissions", "gpo",
        lambda c: {"name": "MDI bad input", "state": "absent", "permissions": [{"principal": "S-1-5-11", "level": "read"}]},
        ("state=absent deletes the GPO", "leave out links, status and permissions")),
    # --- ad_ace sacl rows ---
    Row("ad_ace-audit-flags-on-allow", "ad_ace",
        lambda c: {"principal": "alice", "target": c.ou, "aces": [{"rights": ["read_property"], "audit_flags": ["success"]}]},
        ("aces[0].audit_flags", "only an audit ACE", "set access: audit")),
    Row("ad_ace-audit-without-flags", "ad_ace",
        lambda c: {"principal": "alice", "target": c.ou, "aces": [{"access": "audit", "rights": ["read_property"]}]},
        ("aces[0].audit_flags", "an audit ACE needs what to log", "[success, failure]")),
    Row("ad_ace-audit-bad-flag", "ad_ace",
        lambda c: {"principal": "alice", "target": c.ou, "aces": [{"access": "audit", "audit_flags": ["always"], "rights": ["read_property"]}]},
        ("value of audit_flags", "must be one or more of: success, failure")),
    Row("ad_ace-deleted-objects-without-take-ownership", "ad_ace",
        lambda c: {"principal": "alice", "target": f"CN=Deleted Objects,{c.base}",
                   "aces": [{"rights": ["list_children", "read_property"]}]},
        ("cannot read the DACL of CN=Deleted Objects", "take_ownership=true")),
    # --- gpo_preference_registry rows ---
    Row("gpo_preference_registry-user-hive", "gpo_preference_registry",
        lambda c: {"gpo": "Default Domain Policy", "items": [{"hive": "HKEY_CURRENT_USER", "key": "Software\\X", "name": "Y",
                                                              "type": "REG_DWORD", "value": 1}]},
        ("hive", "must be one of: HKEY_LOCAL_MACHINE")),
    Row("gpo_preference_registry-hive-in-key", "gpo_preference_registry",
        lambda c: {"gpo": "Default Domain Policy", "items": [{"key": "HKLM\\Software\\X", "name": "Y", "type": "REG_DWORD", "value": 1}]},
        ("items[0].key starts with the hive 'HKLM'", "give the hive in items[0].hive")),
    Row("gpo_preference_registry-dword-text", "gpo_preference_registry",
        lambda c: {"gpo": "Default Domain Policy", "items": [{"key": "Software\\X", "name": "Y", "type": "REG_DWORD", "value": "all"}]},
        ("items[0].value must be an integer from 0 to 4294967295 for type REG_DWORD", "not 'all'")),
    Row("gpo_preference_registry-twice", "gpo_preference_registry",
        lambda c: {"gpo": "Default Domain Policy", "items": [{"key": "Software\\X", "name": "Y", "type": "REG_SZ", "value": "a"},
                                                             {"key": "software\\x\\", "name": "y", "type": "REG_SZ", "value": "b"}]},
        ("items[1] names HKEY_LOCAL_MACHINE\\software\\x\\y", "give each hive, key and value name once")),
    # --- gpo_registry_policy rows ---
    Row("gpo_registry_policy-hive-in-key", "gpo_registry_policy",
        lambda c: {"gpo": "Default Domain Policy", "values": [{"key": "HKLM\\Software\\X", "name": "Y", "type": "REG_DWORD", "data": 1}]},
        ("values[0].key 'HKLM\\Software\\X' names the hive", "write it without the hive, as 'Software\\X'")),
    Row("gpo_registry_policy-dword-text", "gpo_registry_policy",
        lambda c: {"gpo": "Default Domain Policy", "values": [{"key": "Software\\X", "name": "Y", "type": "REG_DWORD", "data": "two"}]},
        ("values[0].data must be an integer from 0 to 4294967295 for type REG_DWORD", "not 'two'")),
    Row("gpo_registry_policy-twice", "gpo_registry_policy",
        lambda c: {"gpo": "Default Domain Policy", "values": [{"key": "Software\\X", "name": "Y", "type": "REG_SZ", "data": "a"},
                                                              {"key": "software\\x", "name": "y", "type": "REG_SZ", "data": "b"}]},
        ("values[1] names software\\x\\y, which values[0] already names", "give each key and name once")),
    # --- auditing role rows ---
    Row("role-auditing-recycle-bin-without-opt-in", "role:auditing", lambda c: {"auditing_recycle_bin": True},
        ("auditing_recycle_bin is true", "can never be undone", "Set auditing_recycle_bin_accept_irreversible to true")),
    Row("role-auditing-automatic-bad-choice", "role:auditing", lambda c: {"auditing_automatic": "sometimes"},
        ("auditing_automatic (sometimes)", "take auto, true or false")),
    Row("role-auditing-bad-state", "role:auditing", lambda c: {"auditing_state": "exact"},
        ("auditing_state", "must be one of: present, absent")),
    Row("role-auditing-dsa-missing", "role:auditing", lambda c: {
        **{f"auditing_{item}": False for item in ("advanced_audit_policy_dcs", "ntlm_auditing", "processor_performance",
                                                  "advanced_audit_policy_cas", "ca_auditing", "entra_connect_auditing",
                                                  "domain_object_auditing", "configuration_container_auditing", "adfs_auditing",
                                                  "automatic")},
        "auditing_dsa_name": "ghostDSA"},
        ("RemoteSAM (auditing_remote_sam) failed: the Directory Service account ghostDSA was not found (principal 'ghostDSA' not found",
         "create it with the role directory_service_account")),
    # --- readiness role rows ---
    Row("role-readiness-wrong-type", "role:readiness", lambda c: {"readiness_auditing": "maybe"},
        ("readiness_auditing", "not a valid boolean")),
    Row("role-readiness-unknown-auditing-role", "role:readiness",
        lambda c: {"readiness_auditing_role": "no.such.role", "readiness_report_dir": str(c.cloud.lab_dir / "readiness-bad-input")},
        ("readiness_auditing_role no.such.role", "the role is not installed")),
]


def _play(row: Row, ctx: Ctx) -> str:
    args = row.args(ctx)
    if row.target.startswith("role:"):
        task = {"name": "bad input", "ansible.builtin.import_role": {"name": f"{COLLECTION}.{row.target[5:]}"}}
        play = {"name": row.id, "hosts": row.hosts, "gather_facts": False, "vars": args, "tasks": [task]}
    else:
        task = {"name": "bad input", f"{COLLECTION}.{row.target}": args, **({"check_mode": True} if row.check_mode else {})}
        play = {"name": row.id, "hosts": row.hosts, "gather_facts": False, "tasks": [task]}
    return json.dumps([play])


def _failures(result) -> list[dict]:
    return [res for play in result.data.get("plays", []) for task in play["tasks"] for res in task["hosts"].values() if res.get("failed")]


def _parts(res: dict) -> list[dict]:
    """A result and its loop items."""
    return [res, *[item for item in res.get("results") or [] if isinstance(item, dict)]]


def _message(res: dict) -> str:
    return " | ".join(str(part["msg"]) for part in _parts(res) if part.get("msg"))


def _params():
    for row in ROWS:
        marks = [pytest.mark.xfail(strict=True, reason=f"defect: {row.xfail}")] if row.xfail else []
        yield pytest.param(row, id=row.id, marks=marks)


def test_the_catalogue_covers_every_module_and_role():
    modules = {path.stem for path in (REPO / "plugins" / "modules").glob("*.py") if path.stem != "__init__"}
    roles = {path.name for path in (REPO / "roles").iterdir() if (path / "meta" / "argument_specs.yml").is_file()} - {"domain_scope"}
    covered = {row.target.removeprefix("role:") for row in ROWS if not row.xfail}
    assert modules | roles <= covered, f"no failing row for {sorted((modules | roles) - covered)}"
    assert len([row for row in ROWS if not row.xfail]) >= 40
    assert len({row.id for row in ROWS}) == len(ROWS), "row ids must be unique"


@pytest.mark.parametrize("row", list(_params()))
def test_bad_input(row: Row, lab, playbook, request):
    ctx = Ctx(lab)
    if row.faults:
        cloud = request.getfixturevalue("cloud")  # reset now and after the row: no fault outlives it
        for fault in row.faults:
            cloud.fault(**fault)
    before = snapshot.take(lab)
    result = playbook(_play(row, ctx), env=RUN_ENV)
    after = snapshot.take(lab)

    failures = _failures(result)
    assert result.rc != 0 and failures, f"{row.id}: the run did not fail (rc={result.rc}): {result.stdout[-2000:]} {result.stderr[-2000:]}"
    messages = [_message(res) for res in failures]
    assert any(all(word in message for word in row.words) for message in messages), \
        f"{row.id}: no failure names {row.words}: {messages}"
    assert TRACEBACK not in result.stdout and TRACEBACK not in result.stderr, f"{row.id}: a traceback in the output"
    for res in failures:
        for part in _parts(res):
            assert part.get("exception") in NO_TRACEBACK, f"{row.id}: an exception: {part.get('exception')}"
            assert not str(part.get("msg", "")).startswith("Task failed:"), f"{row.id}: not a clean failure: {part.get('msg')}"
    assert snapshot.differences(before, after) == [], f"{row.id}: the lab changed"

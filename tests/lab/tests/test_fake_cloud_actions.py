# -*- coding: utf-8 -*-
"""The fake Graph's identityAccounts and invokeAction against the running lab ($MDI_LAB_DIR/lab.json), and the
REAL effect of each action on the Samba DC, read back here over LDAPS as the domain administrator:

- the listing is the lab domain's users, read at request time (a user created later is listed), paged, with
  the documented $filter only; each endpoint answers 403 without its app role;
- invokeAction validates its body as the CSDL says and answers 200 before anything happens;
- as LocalSystem (the default switch) disable, enable and forcePasswordReset take effect on bob;
- as a gMSA set up the way the collection does it (retrievable by Domain Controllers, the four MDI ACEs on
  OU=MDI Lab, "Log on as a service" on dc1, registered in the fake portal, LocalSystem off) they take effect
  too, and each broken step makes the action fail with its own error while nothing changes in AD.

Everything created here (gMSA, ACEs, the right, portal state) is removed in finally blocks or fixtures.
"""
from __future__ import annotations

import struct
import time
import uuid
from pathlib import Path

import ldap3
import pytest
import requests
from ldap3.protocol.microsoft import security_descriptor_control

import fake_winrm_hosts
from enforcement import bind
from fake_winrm.host import DDCP
from samba_seed import DACL_ONLY, INHERITED_ACE, UF_ACCOUNTDISABLE, UF_NORMAL_ACCOUNT, sid_string
from test_fake_cloud import _all_pages, _control, _graph, _portal, _settings, _token
from test_fake_cloud import fixture_cloud  # noqa: F401  pylint: disable=unused-import  # the `cloud` fixture

ACCOUNTS = "/v1.0/security/identities/identityAccounts"
ITEM_KEYS = {"@odata.type", "id", "displayName", "domain", "onPremisesSecurityIdentifier", "cloudSecurityIdentifier", "isEnabled",
             "emailAddress", "userPrincipalName", "accounts"}
OUTCOME_TIMEOUT = 30.0  # seconds: the outcome comes within about one; the machine may be busy
RIGHT = "SeServiceLogonRight"
USER_CLASS, GROUP_CLASS = "bf967aba-0de6-11d0-a285-00aa003049e2", "bf967a9c-0de6-11d0-a285-00aa003049e2"
# The four ACEs of the MDI preset (mdi-facts.md): mask, object type, inherited object type.
MDI_ACES = {"reset_password": (0x100, "00299570-246d-11d0-a768-00aa006e0529", USER_CLASS),
            "pwd_last_set": (0x30, "bf967a0a-0de6-11d0-a285-00aa003049e2", USER_CLASS),
            "user_account_control": (0x30, "bf967a68-0de6-11d0-a285-00aa003049e2", USER_CLASS),
            "group_member": (0x30, "bf9679c0-0de6-11d0-a285-00aa003049e2", GROUP_CLASS)}


# ------------------------------------------------------------------ security descriptors, as bytes

def _sid_bytes(sid: str) -> bytes:
    parts = sid.split("-")
    subs = [int(p) for p in parts[3:]]
    return bytes([int(parts[1]), len(subs)]) + int(parts[2]).to_bytes(6, "big") + struct.pack(f"<{len(subs)}I", *subs)


def _ace(kind: int, flags: int, body: bytes) -> bytes:
    return struct.pack("<BBH", kind, flags, 4 + len(body)) + body


def _object_ace(sid: str, mask: int, object_type: str, inherited_type: str) -> bytes:
    """ACCESS_ALLOWED_OBJECT_ACE, CONTAINER_INHERIT|INHERIT_ONLY, both GUIDs present: "Descendant <class> objects"."""
    return _ace(0x05, 0x0A, struct.pack("<II", mask, 0x3) + uuid.UUID(object_type).bytes_le + uuid.UUID(inherited_type).bytes_le
                + _sid_bytes(sid))


def _acl(aces: list[bytes]) -> bytes:
    return struct.pack("<BBHHH", 2, 0, 8 + sum(map(len, aces)), len(aces), 0) + b"".join(aces)


def _membership(sids: list[str]) -> bytes:
    """msDS-GroupMSAMembership: owner BUILTIN\\Administrators, one allow ACE (0xF01FF) per principal that may retrieve."""
    owner = _sid_bytes("S-1-5-32-544")
    dacl = _acl([_ace(0x00, 0x00, struct.pack("<I", 0xF01FF) + _sid_bytes(sid)) for sid in sids])
    return struct.pack("<BBHIIII", 1, 0, 0x8004, 20, 0, 0, 20 + len(owner)) + owner + dacl


def _with_aces(descriptor: bytes, extra: list[bytes]) -> bytes:
    """A DACL-only descriptor: `descriptor`'s DACL with `extra` after its explicit ACEs (canonical order)."""
    control, offset = struct.unpack_from("<H", descriptor, 2)[0], struct.unpack_from("<I", descriptor, 16)[0]
    aces, at = [], offset + 8
    for _index in range(struct.unpack_from("<H", descriptor, offset + 4)[0]):
        size = struct.unpack_from("<H", descriptor, at + 2)[0]
        aces.append(descriptor[at:at + size])
        at += size
    split = next((i for i, ace in enumerate(aces) if ace[1] & INHERITED_ACE), len(aces))
    return struct.pack("<BBHIIII", 1, 0, control, 0, 0, 0, 20) + _acl(aces[:split] + extra + aces[split:])


# ------------------------------------------------------------------ helpers

def _invoke(cloud: dict, token: str, identity: str, body, segment: str = "invokeAction", method: str = "POST"):
    return requests.request(method, f"{cloud['graph_url']}{ACCOUNTS}/{identity}/{segment}", json=body,
                            headers={"Authorization": f"Bearer {token}"}, verify=cloud["ca_cert"], timeout=30)


def _identity(cloud: dict, token: str, sid: str) -> dict:
    resp = _graph(cloud, f"{ACCOUNTS}?$filter=onPremisesSecurityIdentifier eq '{sid}'", token)
    assert resp.status_code == 200, resp.text
    assert len(resp.json()["value"]) == 1, resp.json()
    return resp.json()["value"][0]


def _body(item: dict, action: str) -> dict:
    return {"accountId": item["accounts"][0]["identifier"], "action": action, "identityProvider": "activeDirectory"}


def _outcome(cloud: dict, correlation_id: str) -> dict:
    """The action log's entry for that call, polled until the sensor has acted."""
    deadline = time.monotonic() + OUTCOME_TIMEOUT
    while True:
        found = [e for e in _control(cloud, "GET", "actions").json() if e["correlationId"] == correlation_id]
        if found:
            return found[0]
        assert time.monotonic() < deadline, f"no outcome for {correlation_id} within {OUTCOME_TIMEOUT} s"
        time.sleep(0.1)


def _act(cloud: dict, token: str, sid: str, action: str) -> dict:
    """Find the account by the documented $filter, invoke the action, and wait for its outcome."""
    item = _identity(cloud, token, sid)
    resp = _invoke(cloud, token, item["id"], _body(item, action))
    assert resp.status_code == 200, resp.text
    return _outcome(cloud, resp.json()["correlationId"])


def _account_state(admin: ldap3.Connection, dn: str) -> tuple[int, int]:
    """(userAccountControl, pwdLastSet) as the DC has them now."""
    admin.search(dn, "(objectClass=*)", search_scope=ldap3.BASE, attributes=["userAccountControl", "pwdLastSet"])
    raw = admin.entries[0]
    return int(raw["userAccountControl"].raw_values[0]), int(raw["pwdLastSet"].raw_values[0])


def _restore_user(admin: ldap3.Connection, dn: str) -> None:
    """Enabled, and pwdLastSet back to a real time (AD takes only 0 or -1: -1 is now)."""
    admin.modify(dn, {"userAccountControl": [(ldap3.MODIFY_REPLACE, [str(UF_NORMAL_ACCOUNT)])],
                      "pwdLastSet": [(ldap3.MODIFY_REPLACE, ["-1"])]})
    assert admin.result["result"] == 0, admin.result


@pytest.fixture(name="admin")
def fixture_admin(lab):
    with bind(lab) as conn:
        yield conn


@pytest.fixture(name="token")
def fixture_token(cloud) -> str:
    result = _token(cloud)
    assert "access_token" in result, result
    return result["access_token"]


# ------------------------------------------------------------------ listing

def test_listing_is_the_domain_users_paged_and_read_at_request_time(lab, cloud, token, admin):
    samba = lab["samba"]
    items, pages = _all_pages(cloud, ACCOUNTS, token)
    assert pages == -(-len(items) // 2)  # page size 2
    by_sid = {i["onPremisesSecurityIdentifier"]: i for i in items}
    assert {u["sid"] for u in samba["users"].values()} <= set(by_sid)
    assert not {c["sid"] for c in samba["computers"].values()} & set(by_sid)  # no computers, no DC
    assert f"{samba['domain_sid']}-502" not in by_sid  # krbtgt is left out
    bob = by_sid[samba["users"]["bob"]["sid"]]
    assert set(bob) == ITEM_KEYS and bob["@odata.type"] == "#microsoft.graph.security.user"
    assert (bob["displayName"], bob["domain"], bob["userPrincipalName"], bob["isEnabled"], bob["emailAddress"]) == \
        ("bob", samba["domain_dns"], samba["users"]["bob"]["upn"], True, None)
    assert bob["cloudSecurityIdentifier"].startswith("S-1-12-4-")
    assert bob["accounts"] == [{"identifier": bob["accounts"][0]["identifier"], "identityProvider": "activeDirectory",
                                "actions": ["disable", "forcePasswordReset"]}]
    assert bob["accounts"][0]["identifier"] != bob["id"]
    assert by_sid[f"{samba['domain_sid']}-501"]["accounts"][0]["actions"] == ["enable", "forcePasswordReset"]  # Guest: disabled
    again = _graph(cloud, f"{ACCOUNTS}/{bob['id']}", token).json()
    assert again["@odata.context"].endswith("#security/identities/identityAccounts/$entity") and again["id"] == bob["id"]
    assert _graph(cloud, f"{ACCOUNTS}/{uuid.uuid4()}", token).json()["error"]["code"] == "ResourceNotFound"
    page = _graph(cloud, f"{ACCOUNTS}?$top=1&$count=true&$select=displayName", token).json()
    assert len(page["value"]) == 1 and page["@odata.count"] == len(items) and set(page["value"][0]) == {"@odata.type", "id", "displayName"}
    assert "%24select=displayName" in page["@odata.nextLink"]

    name = f"canary-{uuid.uuid4().hex[:6]}"
    canary = f"CN={name},{samba['ous']['users']}"
    admin.add(canary, ["top", "person", "organizationalPerson", "user"], {"sAMAccountName": name, "userAccountControl": 514})
    try:
        sid = _identity_sid(admin, canary)
        listed = _identity(cloud, token, sid)  # created after the lab started: listed at once
        assert listed["displayName"] == name and listed["isEnabled"] is False and listed["userPrincipalName"] is None
        assert listed["accounts"][0]["actions"] == ["enable", "forcePasswordReset"]
    finally:
        admin.delete(canary)
    assert _graph(cloud, f"{ACCOUNTS}?$filter=onPremisesSecurityIdentifier eq '{sid}'", token).json()["value"] == []


def _identity_sid(admin: ldap3.Connection, dn: str) -> str:
    admin.search(dn, "(objectClass=*)", search_scope=ldap3.BASE, attributes=["objectSid"])
    return sid_string(admin.entries[0]["objectSid"].raw_values[0])


@pytest.mark.parametrize("expression", [
    "displayName eq 'bob'", "onPremisesSecurityIdentifier ne 'S-1-5-21-1-2-3-1104'", "startswith(displayName,'b')",
    "onPremisesSecurityIdentifier eq 'S-1-5-21-1-2-3-1104' or isEnabled eq false", "onPremisesSecurityIdentifier eq S-1-5-21-1",
])
def test_only_the_documented_filter(cloud, token, expression):
    resp = _graph(cloud, ACCOUNTS, token, params={"$filter": expression})
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "BadRequest"
    assert expression in resp.json()["error"]["message"]


def test_documented_filter_and_other_collections(lab, cloud, token):
    bob = lab["samba"]["users"]["bob"]["sid"]
    found = _graph(cloud, ACCOUNTS, token, params={"$filter": f"onPremisesSecurityIdentifier eq '{bob}'"}).json()
    assert [i["userPrincipalName"] for i in found["value"]] == [lab["samba"]["users"]["bob"]["upn"]]
    none = _graph(cloud, ACCOUNTS, token, params={"$filter": f"onPremisesSecurityIdentifier eq '{bob}9'"}).json()
    assert none["value"] == [] and "@odata.nextLink" not in none
    everyone = ",".join(f"'{u['sid']}'" for u in lab["samba"]["users"].values())  # `in` is not the documented form
    assert _graph(cloud, ACCOUNTS, token, params={"$filter": f"onPremisesSecurityIdentifier in ({everyone})"}).status_code == 400
    item = _identity(cloud, token, bob)
    assert _graph(cloud, f"{ACCOUNTS}/{item['id']}", token, params={"$filter": "x"}).status_code == 400
    for path in ("/v1.0/security/identities/sensors", "/v1.0/security/identities/healthIssues"):
        resp = _graph(cloud, path, token, params={"$filter": "displayName eq 'DC1'"})
        assert resp.status_code == 400 and "$filter" in resp.json()["error"]["message"]


def test_filter_survives_paging(lab, cloud, token):
    _settings(cloud, page_size=1)
    sid = lab["samba"]["users"]["alice"]["sid"]
    items, pages = _all_pages(cloud, f"{ACCOUNTS}?$filter=onPremisesSecurityIdentifier eq '{sid}'", token)
    assert pages == 1 and [i["onPremisesSecurityIdentifier"] for i in items] == [sid]
    everything, pages = _all_pages(cloud, ACCOUNTS, token)
    assert pages == len(everything) >= 6


def test_each_endpoint_needs_its_app_role(lab, cloud, token):
    item = _identity(cloud, token, lab["samba"]["users"]["bob"]["sid"])
    for app in ("sensors_only", "no_permissions"):
        other = _token(cloud, app)["access_token"]
        listing = _graph(cloud, ACCOUNTS, other)
        assert listing.status_code == 403 and listing.json()["error"]["code"] == "Forbidden"
        assert "SecurityIdentitiesAccount.Read.All" in listing.json()["error"]["message"]
        assert _graph(cloud, f"{ACCOUNTS}/{item['id']}", other).status_code == 403
        acting = _invoke(cloud, other, item["id"], _body(item, "disable"))
        assert acting.status_code == 403 and "SecurityIdentitiesActions.ReadWrite.All" in acting.json()["error"]["message"]
    assert _control(cloud, "GET", "actions").json() == []


# ------------------------------------------------------------------ invokeAction validation

def _case_bodies(item: dict) -> dict:
    good = _body(item, "disable")
    return {  # name: (body, status, words in the message)
        "missing key": ({k: v for k, v in good.items() if k != "identityProvider"}, 400, "identityProvider"),
        "unknown key": ({**good, "provider": "activeDirectory"}, 400, "provider"),
        "wrong type": ({**good, "action": 1}, 400, "action"),
        "not an object": ([good], 400, "JSON object"),
        "identity id as accountId": ({**good, "accountId": item["id"]}, 400, "identity's id"),
        "another accountId": ({**good, "accountId": str(uuid.uuid4())}, 400, "is not an activeDirectory account"),
        "okta": ({**good, "identityProvider": "okta"}, 400, "not emulated"),
        "entraID": ({**good, "identityProvider": "entraID"}, 400, "not supported in the current scope"),
        "docs casing": ({**good, "identityProvider": "ActiveDirectory"}, 400, "identityProvider"),
        "revokeAllSessions": ({**good, "action": "revokeAllSessions"}, 400, "not supported for activeDirectory"),
        "unknown action": ({**good, "action": "explode"}, 400, "microsoft.graph.security.action"),
    }


def test_invoke_action_validation(lab, cloud, token):
    item = _identity(cloud, token, lab["samba"]["users"]["bob"]["sid"])
    for name, (body, status, words) in _case_bodies(item).items():
        resp = _invoke(cloud, token, item["id"], body)
        assert (resp.status_code, resp.json()["error"]["code"]) == (status, "BadRequest"), name
        assert words in resp.json()["error"]["message"], (name, resp.json())
        assert set(resp.json()["error"]["innerError"]) >= {"date", "request-id", "client-request-id"}
    unknown = _invoke(cloud, token, str(uuid.uuid4()), _body(item, "disable"))
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "ResourceNotFound")
    not_json = requests.post(f"{cloud['graph_url']}{ACCOUNTS}/{item['id']}/invokeAction", data="{", verify=cloud["ca_cert"],
                             headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, timeout=30)
    assert not_json.status_code == 400
    assert _invoke(cloud, token, item["id"], None, method="GET").status_code == 405
    assert _invoke(cloud, token, item["id"], _body(item, "disable"), segment="invokeActions").status_code == 400
    assert requests.post(f"{cloud['graph_url']}{ACCOUNTS}", json=_body(item, "disable"), headers={"Authorization": f"Bearer {token}"},
                         verify=cloud["ca_cert"], timeout=30).status_code == 405
    # The namespace-qualified segment is the same action. With no identity at all it fails later, changing nothing.
    _portal(cloud, "POST", "/api/remediationActions/configuration", {"IsRemediationWithLocalSystemEnabled": False})
    resp = _invoke(cloud, token, item["id"], _body(item, "disable"), segment="microsoft.graph.security.invokeAction")
    assert resp.status_code == 200, resp.text
    result = resp.json()
    assert result["@odata.context"] == f"{cloud['graph_url']}/v1.0/$metadata#microsoft.graph.security.invokeActionResult"
    assert {k: result[k] for k in ("accountId", "action", "identityProvider")} == _body(item, "disable")
    assert uuid.UUID(result["correlationId"])
    outcome = _outcome(cloud, result["correlationId"])
    assert (outcome["ok"], outcome["identity"], outcome["samAccountName"]) == (False, None, "bob")
    assert "no identity" in outcome["error"]
    assert [e["correlationId"] for e in _control(cloud, "GET", "actions").json()] == [result["correlationId"]]  # nothing else acted
    assert _control(cloud, "POST", "reset", {}).status_code == 200
    assert _control(cloud, "GET", "actions").json() == []


def test_action_delay_setting(cloud):
    for bad in (-1, 61, "1", True):
        assert _control(cloud, "POST", "settings", {"action_delay_seconds": bad}).status_code == 400
    assert _settings(cloud, action_delay_seconds=1.5)["action_delay_seconds"] == 1.5


# ------------------------------------------------------------------ as LocalSystem

@pytest.mark.parametrize("generation", ["v2", "v3"])
def test_local_system_acts_on_bob(lab, cloud, token, admin, generation):
    bob = lab["samba"]["users"]["bob"]
    _settings(cloud, sensor_generation=generation, action_delay_seconds=3)
    try:
        item = _identity(cloud, token, bob["sid"])
        resp = _invoke(cloud, token, item["id"], _body(item, "disable"))
        assert resp.status_code == 200
        # Graph answered before the sensor acted: nothing has happened yet.
        assert _account_state(admin, bob["dn"])[0] & UF_ACCOUNTDISABLE == 0
        assert _control(cloud, "GET", "actions").json() == []
        outcome = _outcome(cloud, resp.json()["correlationId"])
        dc1 = lab["winrm"]["hosts"]["dc1"]["fqdn"]
        assert (outcome["ok"], outcome["identity"], outcome["sensor"], outcome["error"]) == (True, "LocalSystem", dc1, None)
        assert (outcome["accountSid"], outcome["samAccountName"], outcome["action"]) == (bob["sid"], "bob", "disable")
        assert _account_state(admin, bob["dn"])[0] & UF_ACCOUNTDISABLE
        assert _identity(cloud, token, bob["sid"])["accounts"][0]["actions"] == ["enable", "forcePasswordReset"]
        _settings(cloud, action_delay_seconds=0.1)
        outcome = _act(cloud, token, bob["sid"], "enable")
        assert (outcome["ok"], outcome["identity"]) == (True, "LocalSystem")
        assert _account_state(admin, bob["dn"])[0] & UF_ACCOUNTDISABLE == 0
        outcome = _act(cloud, token, bob["sid"], "forcePasswordReset")
        assert (outcome["ok"], outcome["identity"]) == (True, "LocalSystem")
        assert _account_state(admin, bob["dn"])[1] == 0
    finally:
        _restore_user(admin, bob["dn"])


# ------------------------------------------------------------------ as the gMSA

@pytest.fixture(name="gmsa", scope="module")
def fixture_gmsa(lab):
    """A gMSA as the collection sets it up: retrievable by Domain Controllers, the four MDI ACEs on OU=MDI Lab,
    "Log on as a service" on dc1. Removed afterwards, with the ACEs and the right."""
    samba, dc1 = lab["samba"], lab["winrm"]["hosts"]["dc1"]
    name = f"mdiT{uuid.uuid4().hex[:6]}"
    dn = f"CN={name},CN=Managed Service Accounts,{samba['base_dn']}"
    dacl_only = security_descriptor_control(sdflags=DACL_ONLY)
    host_state = fake_winrm_hosts.state(dc1)
    with bind(lab) as admin:
        admin.search(samba["ous"]["lab"], "(objectClass=*)", search_scope=ldap3.BASE, attributes=["nTSecurityDescriptor"],
                     controls=dacl_only)
        original_dacl = admin.entries[0]["nTSecurityDescriptor"].raw_values[0]
        try:
            admin.add(dn, ["top", "person", "organizationalPerson", "user", "computer", "msDS-GroupManagedServiceAccount"], {
                "sAMAccountName": f"{name}$", "dNSHostName": f"{name}.{samba['domain_dns']}", "msDS-ManagedPasswordInterval": 30,
                "userAccountControl": 4096, "msDS-SupportedEncryptionTypes": 24,
                "msDS-GroupMSAMembership": _membership([f"{samba['domain_sid']}-516"])})
            assert admin.result["result"] == 0, admin.result
            sid = _identity_sid(admin, dn)
            aces = {what: _object_ace(sid, *ace) for what, ace in MDI_ACES.items()}

            def set_aces(*names):
                admin.modify(samba["ous"]["lab"], {"nTSecurityDescriptor": [(ldap3.MODIFY_REPLACE, [
                    _with_aces(original_dacl, [aces[n] for n in names])])]}, controls=dacl_only)
                assert admin.result["result"] == 0, admin.result

            set_aces(*MDI_ACES)
            rights = {**host_state["rights"], RIGHT: host_state["rights"].get(RIGHT, []) + [sid]}
            fake_winrm_hosts.write_state(dc1, {**host_state, "rights": rights})
            yield {"name": name, "dn": dn, "sid": sid, "set_aces": set_aces, "admin": admin, "host_state": {**host_state, "rights": rights}}
        finally:
            fake_winrm_hosts.write_state(dc1, host_state)
            admin.modify(samba["ous"]["lab"], {"nTSecurityDescriptor": [(ldap3.MODIFY_REPLACE, [original_dacl])]}, controls=dacl_only)
            admin.delete(dn)


def _register(cloud: dict, name: str, domain: str) -> None:
    """The gMSA as the action account in the fake portal, LocalSystem off: as the collection's portal role leaves it."""
    account = {"Id": "", "AccountName": name, "DomainDnsName": domain, "AccountPassword": None, "IsGroupManagedServiceAccount": True,
               "IsSingleLabelAccountDomainName": False}
    assert _portal(cloud, "POST", "/odata/EntityRemediatorCredentials", account).status_code == 200
    switched = _portal(cloud, "POST", "/api/remediationActions/configuration", {"IsRemediationWithLocalSystemEnabled": False})
    assert switched.status_code == 200


def test_gmsa_acts_with_the_collections_setup(lab, cloud, token, admin, gmsa):
    bob = lab["samba"]["users"]["bob"]
    _register(cloud, gmsa["name"], lab["samba"]["domain_dns"])
    try:
        for action, done in (("disable", lambda s: s[0] & UF_ACCOUNTDISABLE), ("enable", lambda s: not s[0] & UF_ACCOUNTDISABLE),
                             ("forcePasswordReset", lambda s: s[1] == 0)):
            outcome = _act(cloud, token, bob["sid"], action)
            assert (outcome["ok"], outcome["identity"], outcome["error"]) == (True, f"gmsa:{gmsa['name']}$", None), outcome
            assert outcome["sensor"] == lab["winrm"]["hosts"]["dc1"]["fqdn"]
            assert done(_account_state(admin, bob["dn"])), action
    finally:
        _restore_user(admin, bob["dn"])
    # mixed: dc2 runs v3.x, but the acting sensor (dc1) is v2.x: the gMSA still acts.
    _settings(cloud, sensor_generation="mixed")
    try:
        assert _act(cloud, token, bob["sid"], "forcePasswordReset")["identity"] == f"gmsa:{gmsa['name']}$"
    finally:
        _restore_user(admin, bob["dn"])
    persisted = Path(lab["lab_dir"], "cloud", "actions.jsonl").read_text(encoding="utf-8")
    assert persisted.count(f"gmsa:{gmsa['name']}$") == 4 and lab["samba"]["admin_password"] not in persisted  # no password


def _break_right(lab, gmsa, cloud):
    dc1, host_state = lab["winrm"]["hosts"]["dc1"], gmsa["host_state"]
    rights = {**host_state["rights"], RIGHT: [s for s in host_state["rights"][RIGHT] if s != gmsa["sid"]]}
    fake_winrm_hosts.write_state(dc1, {**host_state, "rights": rights})
    return lambda: fake_winrm_hosts.write_state(dc1, host_state)


def _gpo_defining(member: str):
    """A breaker: the Default Domain Controllers Policy on dc1 defines the right with ALL SERVICES and `member`
    ({netbios} and {gmsa}, the gMSA's name without the $, are filled in)."""
    def breaker(lab, gmsa, _cloud):
        dc1, host_state = lab["winrm"]["hosts"]["dc1"], gmsa["host_state"]
        gpo = {**DDCP, "members": ["*S-1-5-80-0", member.format(netbios=lab["samba"]["netbios"], gmsa=gmsa["name"])]}
        fake_winrm_hosts.write_state(dc1, {**host_state, "gpo_rights": {**host_state["gpo_rights"], RIGHT: gpo}})
        return lambda: fake_winrm_hosts.write_state(dc1, host_state)
    return breaker


def _break_retrieval(lab, gmsa, cloud):
    samba = lab["samba"]

    def membership(sids):
        gmsa["admin"].modify(gmsa["dn"], {"msDS-GroupMSAMembership": [(ldap3.MODIFY_REPLACE, [_membership(sids)])]})
        assert gmsa["admin"].result["result"] == 0

    membership([samba["computers"]["srv1"]["sid"]])  # a member server only: the acting DC is not in the list
    return lambda: membership([f"{samba['domain_sid']}-516"])


def _break_ace(lab, gmsa, cloud):
    gmsa["set_aces"]("reset_password", "pwd_last_set", "group_member")
    return lambda: gmsa["set_aces"](*MDI_ACES)


def _sensor_v3(lab, gmsa, cloud):
    _settings(cloud, sensor_generation="v3")
    return lambda: None  # the cloud fixture resets the settings


def _v3_with_local_system(lab, gmsa, cloud):
    _settings(cloud, sensor_generation="v3")
    _portal(cloud, "POST", "/api/remediationActions/configuration", {"IsRemediationWithLocalSystemEnabled": True})
    return lambda: None


def _unregistered(lab, gmsa, cloud):
    assert _portal(cloud, "POST", "/odata/EntityRemediatorCredentials/delete",
                   {"id": f"{gmsa['name']}@{lab['samba']['domain_dns']}"}).status_code == 204
    return lambda: None


def _nothing(lab, gmsa, cloud):
    return lambda: None


# name: (break, user, action, ok, identity is the gMSA's, words in the error)
NO_ACCESS = "insufficient access (LDAP error 50) writing"
NO_RIGHT_BY_GPO = f"GPO {DDCP['gpo_name']} defines"
BREAKS = {
    "right removed from dc1": (_break_right, "bob", "disable", False, True, "lacks Log on as a service on dc1 (not in the local policy"),
    "GPO defines the right without it": (_gpo_defining("{netbios}\\alice"), "bob", "disable", False, True, NO_RIGHT_BY_GPO),
    "GPO defines the right with it": (_gpo_defining("{netbios}\\{gmsa}"), "bob", "forcePasswordReset", True, True, None),
    "DC not in the retrieval list": (_break_retrieval, "bob", "disable", False, True, "cannot retrieve the gMSA's password"),
    "userAccountControl ACE missing: disable": (_break_ace, "bob", "disable", False, True, f"{NO_ACCESS} userAccountControl"),
    "userAccountControl ACE missing: forcePasswordReset": (_break_ace, "bob", "forcePasswordReset", True, True, None),
    "user outside the OU": (_nothing, "dave", "forcePasswordReset", False, True, f"{NO_ACCESS} pwdLastSet"),
    "protected account": (_nothing, "protected1", "disable", False, True, f"{NO_ACCESS} userAccountControl"),
    "v3 sensor with the gMSA registered": (_sensor_v3, "bob", "disable", False, False, "not supported on sensor v3.x"),
    "v3 sensor, gMSA registered, LocalSystem on": (_v3_with_local_system, "bob", "disable", False, False, "not supported on sensor v3.x"),
    "switch off and nothing registered": (_unregistered, "bob", "disable", False, False, "no identity"),
}


@pytest.mark.parametrize("case", list(BREAKS))
def test_each_broken_step_fails_the_action(lab, cloud, token, admin, gmsa, case):
    breaker, user_name, action, ok, as_gmsa, words = BREAKS[case]
    user = lab["samba"]["users"][user_name]
    _register(cloud, gmsa["name"], lab["samba"]["domain_dns"])
    before = _account_state(admin, user["dn"])
    restore = breaker(lab, gmsa, cloud)
    try:
        outcome = _act(cloud, token, user["sid"], action)
    finally:
        restore()
    after = _account_state(admin, user["dn"])
    if after != before:
        _restore_user(admin, user["dn"])
    assert (outcome["ok"], outcome["identity"]) == (ok, f"gmsa:{gmsa['name']}$" if as_gmsa else None), outcome
    if ok:
        assert outcome["error"] is None and after[1] == 0
    else:
        assert words in outcome["error"], outcome
        assert after == before, "a failed action changed the account"

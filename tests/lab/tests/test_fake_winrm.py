# -*- coding: utf-8 -*-
"""The fake WinRM domain controllers of the running lab: pywinrm and Ansible's winrm connection work
against them, faults fire and clear, unknown commands fail like PowerShell, the user-rights contract
(docs/contracts/user_rights.md) holds, state survives a restart, every command is logged once."""
from __future__ import annotations

import base64
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import winrm
import xmltodict
from winrm.exceptions import InvalidCredentialsError, WSManFaultError

import fake_winrm_hosts as hosts_api
import lab_domain
import samba_dc

REPO = Path(__file__).resolve().parents[3]
REAL_SCRIPT = REPO / "plugins" / "module_utils" / "_winrm" / "user_rights.ps1"
MARKER = "# mdi.action_accounts/user_rights v2"
BOOTSTRAP = "$s = [Console]::In.ReadToEnd(); & ([ScriptBlock]::Create($s))"
NAMES = ("dc1", "dc2", "dc3")


def _url(host: dict, https: bool = True) -> str:
    return f"https://{host['ip']}:{host['https_port']}/wsman" if https else f"http://{host['ip']}:{host['http_port']}/wsman"


def _session(lab: dict, host: dict, https: bool = True, user: str | None = None, password: str | None = None,
             **kwargs) -> winrm.Session:
    kwargs.setdefault("transport", "basic")
    return winrm.Session(_url(host, https), auth=(user or host["user"], password or host["password"]),
                         server_cert_validation="validate", ca_trust_path=lab["ca_cert"], **kwargs)


def _script(request: dict) -> str:
    return f"{MARKER}\n$Request = @'\n{json.dumps(request)}\n'@\n# (the real script's body)\n"


def _user_rights(lab: dict, host: dict, **request) -> tuple[int, dict]:
    request = {"principals": [], "check_mode": False, "refuse_gpo_conflict": False, "right": "SeServiceLogonRight", **request}
    result = _session(lab, host).run_ps(_script(request))
    lines = result.std_out.decode().splitlines()
    assert len(lines) == 1, result.std_out  # exactly one JSON line
    return result.status_code, json.loads(lines[0])


def _sids(members: list[dict]) -> list[str]:
    return [m["sid"] for m in members]


@pytest.fixture(name="hosts")
def fixture_hosts(lab) -> dict:
    return lab["winrm"]["hosts"]


@pytest.fixture(name="nb")
def fixture_nb(lab) -> str:
    """The lab domain's NetBIOS name (CORP by default), for DOMAIN\\name forms."""
    return lab_domain.of(lab).netbios


@pytest.fixture(name="dc2")
def fixture_dc2(hosts):
    """dc2 for fault tests: every fault is cleared afterwards."""
    yield hosts["dc2"]
    hosts_api.clear_faults(hosts["dc2"])


@pytest.fixture(name="dc3")
def fixture_dc3(hosts):
    """dc3 for state tests: its state.json is put back afterwards."""
    before = hosts_api.state(hosts["dc3"])
    yield hosts["dc3"]
    hosts_api.write_state(hosts["dc3"], before)


@pytest.fixture(name="samba")
def fixture_samba(lab) -> dict:
    assert lab.get("samba"), "this test needs the lab's Samba DC (lab.json has no samba)"
    return lab["samba"]


# ---- transport ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_pywinrm_over_validated_https_and_http(lab, hosts, name):
    host = hosts[name]
    for https in (True, False):
        result = _session(lab, host, https=https).run_ps("hostname")
        assert (result.status_code, result.std_out, result.std_err) == (0, f"{name.upper()}\r\n".encode(), b"")
        result = _session(lab, host, https=https).run_cmd("hostname")
        assert (result.status_code, result.std_out) == (0, f"{name.upper()}\r\n".encode())


def test_certificate_is_validated_against_the_lab_ca_only(lab, hosts):
    host = hosts["dc2"]
    system_ca = winrm.Session(_url(host), auth=(host["user"], host["password"]), transport="basic",
                              server_cert_validation="validate", ca_trust_path=None)
    with pytest.raises(requests.exceptions.SSLError):
        system_ca.run_ps("hostname")


@pytest.mark.parametrize("user", ["Administrator", "{netbios}\\Administrator", "administrator@{dns}"])
def test_user_name_forms_are_accepted(lab, hosts, user):
    domain = lab_domain.of(lab)
    result = _session(lab, hosts["dc3"], user=user.format(netbios=domain.netbios, dns=domain.dns)).run_ps("whoami")
    assert result.std_out == f"{domain.netbios.lower()}\\administrator\r\n".encode()


def test_wrong_password_is_rejected(lab, hosts):
    for transport in ("basic", "ntlm"):
        with pytest.raises(InvalidCredentialsError):
            _session(lab, hosts["dc2"], password="wrong", transport=transport).run_ps("hostname")


@pytest.mark.parametrize("https, encryption, logged", [(False, "auto", "ntlm-encrypted"), (False, "never", "ntlm"),
                                                       (True, "auto", "ntlm")])
def test_ntlm(lab, hosts, nb, https, encryption, logged):
    """NTLM: over HTTP with message encryption (pywinrm's default) or without, over HTTPS with channel binding."""
    host = hosts["dc1"]
    session = _session(lab, host, https=https, user=f"{nb}\\Administrator", transport="ntlm", message_encryption=encryption)
    result = session.run_ps("hostname")
    assert (result.status_code, result.std_out) == (0, b"DC1\r\n")
    assert hosts_api.commands(host)[-1]["auth"] == logged


def test_anonymous_request_gets_the_challenges(hosts):
    conn = http.client.HTTPConnection(hosts["dc2"]["ip"], hosts["dc2"]["http_port"], timeout=5)
    conn.request("POST", "/wsman", body=b"<x/>", headers={"Content-Type": "application/soap+xml;charset=UTF-8"})
    response = conn.getresponse()
    assert response.status == 401
    assert response.headers.get_all("WWW-Authenticate") == ["Negotiate", 'Basic realm="WSMAN"']
    assert response.getheader("Server") == "Microsoft-HTTPAPI/2.0"
    conn.close()


def test_unknown_action_is_a_soap_fault(lab, hosts):
    protocol = _session(lab, hosts["dc2"]).protocol
    envelope = {"env:Envelope": protocol._get_soap_header(  # pylint: disable=protected-access  # a raw request
        resource_uri="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd",
        action="http://schemas.xmlsoap.org/ws/2004/09/transfer/Get")}
    envelope["env:Envelope"]["env:Body"] = {}
    with pytest.raises(WSManFaultError) as caught:
        protocol.send_message(xmltodict.unparse(envelope))
    assert caught.value.wsman_fault_code == 2150858771
    assert caught.value.fault_subcode == "a:ActionNotSupported"


def test_unknown_shell_is_a_soap_fault(lab, hosts):
    protocol = _session(lab, hosts["dc2"]).protocol
    with pytest.raises(WSManFaultError) as caught:
        protocol.run_command("5A1C56E5-0000-0000-0000-000000000000", "hostname")
    assert caught.value.wsman_fault_code == 2150858843
    assert "the shell was not found on the server" in caught.value.reason


# ---- faults ------------------------------------------------------------------------------------

def test_fault_refuse_closes_the_listener_and_reopens(lab, dc2):
    session = _session(lab, dc2)
    assert session.run_ps("hostname").status_code == 0  # a kept-alive connection exists now
    hosts_api.set_faults(dc2, refuse=True)
    for https in (True, False):
        with pytest.raises(requests.exceptions.ConnectionError):
            _session(lab, dc2, https=https).run_ps("hostname")
    with pytest.raises(requests.exceptions.ConnectionError):
        session.run_ps("hostname")  # the open connection was dropped too
    hosts_api.clear_faults(dc2)
    assert _session(lab, dc2).run_ps("hostname").std_out == b"DC2\r\n"


def test_fault_http_500(lab, dc2):
    hosts_api.set_faults(dc2, http_500=True)
    with pytest.raises(WSManFaultError) as caught:
        _session(lab, dc2).run_ps("hostname")
    assert caught.value.code == 500 and caught.value.fault_subcode == "w:InternalError"
    hosts_api.clear_faults(dc2)
    assert _session(lab, dc2).run_ps("hostname").status_code == 0


def test_fault_auth_fail(lab, dc2):
    hosts_api.set_faults(dc2, auth_fail=True)
    with pytest.raises(InvalidCredentialsError):
        _session(lab, dc2).run_ps("hostname")
    hosts_api.clear_faults(dc2)
    assert _session(lab, dc2).run_ps("hostname").status_code == 0


def test_fault_delay(lab, dc2):
    hosts_api.set_faults(dc2, delay_seconds=3)
    with pytest.raises(requests.exceptions.Timeout):
        _session(lab, dc2, read_timeout_sec=2, operation_timeout_sec=1).run_ps("hostname")
    hosts_api.set_faults(dc2, delay_seconds=0.3)
    started = time.monotonic()
    assert _session(lab, dc2).run_ps("hostname").status_code == 0
    assert time.monotonic() - started >= 1.5  # five requests (create, command, receive, signal, delete), each 0.3 s late
    hosts_api.clear_faults(dc2)
    started = time.monotonic()
    assert _session(lab, dc2).run_ps("hostname").status_code == 0
    assert time.monotonic() - started < 1.5


# ---- commands ----------------------------------------------------------------------------------

@pytest.mark.parametrize("script, stdout", [
    ("whoami", "{netbios}\\administrator"),
    ("$env:COMPUTERNAME", "DC2"),
    ("Write-Output 'reachable'", "reachable"),
    ("echo ok; hostname", "ok\r\nDC2"),
    ("Set-StrictMode -Version Latest\n$ProgressPreference = 'SilentlyContinue'\n& hostname; exit $LASTEXITCODE", "DC2"),
])
def test_reachability_commands(lab, hosts, nb, script, stdout):
    result = _session(lab, hosts["dc2"]).run_ps(script)
    assert (result.status_code, result.std_out.decode()) == (0, stdout.format(netbios=nb.lower()) + "\r\n")


def test_unknown_powershell_command_fails_like_powershell(lab, hosts):
    result = _session(lab, hosts["dc2"]).run_ps("hostname\nGet-Nonexistent -Foo")
    assert result.status_code == 1
    assert result.std_out == b"DC2\r\n"
    assert result.std_err.startswith(b"Get-Nonexistent : The term 'Get-Nonexistent' is not recognized as the name of a cmdlet")
    assert b"At line:2 char:1" in result.std_err and b"CommandNotFoundException" in result.std_err


def test_unknown_cmd_command_fails_like_cmd(lab, hosts):
    result = _session(lab, hosts["dc2"]).run_cmd("ipconfig", ["/all"])
    assert result.status_code == 1
    assert result.std_err == b"'ipconfig' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"


def test_command_line_longer_than_cmd_takes_fails(lab, hosts):
    result = _session(lab, hosts["dc2"]).run_ps("Write-Output '" + "x" * 3100 + "'")
    assert (result.status_code, result.std_err) == (1, b"The command line is too long.\r\n")


def test_script_on_stdin(lab, hosts):
    """The way a long script reaches a host: an encoded bootstrap reads it from stdin."""
    protocol = _session(lab, hosts["dc2"]).protocol
    shell_id = protocol.open_shell(codepage=65001)
    try:
        encoded = base64.b64encode(BOOTSTRAP.encode("utf-16-le")).decode()
        command_id = protocol.run_command(shell_id, "powershell", ["-NoProfile", "-NonInteractive", "-EncodedCommand", encoded])
        protocol.send_command_input(shell_id, command_id, ("echo '" + "y" * 5000 + "'; hostname\r\n").encode(), end=True)
        stdout, _stderr, code = protocol.get_command_output(shell_id, command_id)
        protocol.cleanup_command(shell_id, command_id)
    finally:
        protocol.close_shell(shell_id)
    assert (code, stdout) == (0, ("y" * 5000 + "\r\nDC2\r\n").encode())


def test_every_command_is_logged_once(lab, hosts, nb):
    host = hosts["dc1"]
    before = len(hosts_api.commands(host))
    admin = f"{nb}\\Administrator"
    session = _session(lab, host, user=admin)
    session.run_ps("hostname")
    session.run_ps("Get-Nope")
    session.run_cmd("whoami")
    log = hosts_api.commands(host)[before:]
    assert [(e["operation"], e["exit_code"], e["user"]) for e in log] == [
        ("hostname", 0, admin), ("unknown", 1, admin), ("whoami", 0, admin)]
    assert log[0]["script"] == "hostname" and len(log[0]["script_sha256"]) == 64 and log[0]["host"] == "dc1"


# ---- the user-rights contract ------------------------------------------------------------------

def test_user_rights_query_add_check_mode_remove_set(lab, dc3, samba, nb):
    alice, bob = samba["users"]["alice"], samba["users"]["bob"]
    nb_alice = f"{nb}\\alice"
    state = hosts_api.state(dc3)
    state["rights"]["SeServiceLogonRight"] = ["S-1-5-80-0"]  # a fresh DC's, whatever a playbook run granted before
    hosts_api.write_state(dc3, state)
    before = len(hosts_api.commands(dc3))
    code, out = _user_rights(lab, dc3, action="query")
    assert code == 0 and not out["changed"] and out["gpo"] is None
    assert {"sid": "S-1-5-80-0", "name": "NT SERVICE\\ALL SERVICES"} in out["before"] and out["before"] == out["after"]

    code, out = _user_rights(lab, dc3, action="add", principals=[nb_alice], check_mode=True)
    assert code == 0 and out["changed"] and out["added"] == [{"sid": alice["sid"], "name": nb_alice}]
    assert alice["sid"] not in hosts_api.state(dc3)["rights"]["SeServiceLogonRight"]  # check mode stored nothing

    code, out = _user_rights(lab, dc3, action="add", principals=[alice["upn"], f"{samba['domain_dns']}\\bob"])
    assert code == 0 and out["changed"] and _sids(out["added"]) == [alice["sid"], bob["sid"]]
    assert hosts_api.state(dc3)["rights"]["SeServiceLogonRight"] == ["S-1-5-80-0", alice["sid"], bob["sid"]]

    code, out = _user_rights(lab, dc3, action="add", principals=[alice["sid"], "alice"])
    assert code == 0 and not out["changed"] and out["added"] == []

    code, out = _user_rights(lab, dc3, action="remove", principals=["alice"])
    assert code == 0 and out["changed"] and out["removed"] == [{"sid": alice["sid"], "name": nb_alice}]
    assert _sids(out["after"]) == ["S-1-5-80-0", bob["sid"]]

    code, out = _user_rights(lab, dc3, action="set", principals=["NT SERVICE\\ALL SERVICES", "S-1-5-20"])
    assert code == 0 and _sids(out["removed"]) == [bob["sid"]] and _sids(out["after"]) == ["S-1-5-80-0", "S-1-5-20"]
    assert out["added"] == [{"sid": "S-1-5-20", "name": "NT AUTHORITY\\NETWORK SERVICE"}]

    log = hosts_api.commands(dc3)[before:]
    assert [e["operation"] for e in log] == ["user_rights"] * 6  # one command per request
    assert log[1]["request"]["check_mode"] is True and log[1]["request"]["principals"] == [nb_alice]


def test_user_rights_orphaned_sid_is_listed_with_name_null(lab, dc3):
    orphan = "S-1-5-21-1-2-3-4242"
    code, out = _user_rights(lab, dc3, action="add", principals=[f"*{orphan}"])
    assert code == 0 and out["added"] == [{"sid": orphan, "name": None}]
    code, out = _user_rights(lab, dc3, action="remove", principals=[orphan])
    assert code == 0 and out["removed"] == [{"sid": orphan, "name": None}]


@pytest.mark.parametrize("request_, error_type, text", [
    ({"right": "SeMadeUpRight", "action": "add", "principals": ["CORP\\nobody"]}, "UnknownRight", "No such privilege"),
    ({"action": "add", "principals": ["CORP\\nobody"]}, "UnknownPrincipal", "could not be translated. (CORP\\nobody)"),
    ({"action": "add", "principals": ["OTHERDOMAIN\\alice"]}, "UnknownPrincipal", "could not be translated"),
    ({"action": "add", "principals": ["S-1-5-x"]}, "UnknownPrincipal", "could not be translated"),
    ({"action": "grant", "principals": []}, "BadRequest", "action must be query, add, remove or set"),
    ({"action": "add", "principals": [7]}, "BadRequest", "principals must be strings"),
])
def test_user_rights_errors(lab, dc3, request_, error_type, text):
    code, out = _user_rights(lab, dc3, **request_)
    assert (code, out["failed"], out["error_type"]) == (1, True, error_type)
    assert text in out["msg"]


def test_gpo_defined_right_and_policy_refresh(lab, dc3, samba, nb):
    alice = samba["users"]["alice"]
    state = hosts_api.state(dc3)
    state["gpo_rights"]["SeServiceLogonRight"] = {
        "gpo_name": "Default Domain Controllers Policy", "gpo_guid": "{6AC1786C-016F-11D2-945F-00C04FB984F9}",
        "members": ["*S-1-5-80-0", f"{nb}\\alice", f"{nb}\\gone-from-ad"]}
    hosts_api.write_state(dc3, state)
    code, out = _user_rights(lab, dc3, action="add", principals=["S-1-5-20"], refuse_gpo_conflict=True)
    assert code == 0 and out["refused"] and not out["changed"] and out["gpo"]["guid"] == "{6AC1786C-016F-11D2-945F-00C04FB984F9}"
    assert "S-1-5-20" not in hosts_api.state(dc3)["rights"]["SeServiceLogonRight"]  # refused before anything was stored
    code, out = _user_rights(lab, dc3, action="add", principals=["S-1-5-20"])
    assert code == 0 and out["changed"] and not out["refused"]
    assert out["gpo"] == {"name": "Default Domain Controllers Policy", "guid": "{6AC1786C-016F-11D2-945F-00C04FB984F9}",
                          "members": [{"sid": "S-1-5-80-0", "name": "NT SERVICE\\ALL SERVICES"},
                                      {"sid": alice["sid"], "name": f"{nb}\\alice"},
                                      {"sid": None, "name": f"{nb}\\gone-from-ad"}]}
    refresh = _session(lab, dc3).run_cmd("gpupdate", ["/target:computer", "/force"])
    assert refresh.status_code == 0 and b"Computer Policy update has completed successfully." in refresh.std_out
    # The policy refresh overwrote the local change, as on a real DC.
    assert hosts_api.state(dc3)["rights"]["SeServiceLogonRight"] == ["S-1-5-80-0", alice["sid"]]


def test_state_persists_across_a_restart(lab, dc3):
    code, _out = _user_rights(lab, dc3, action="add", principals=["NT AUTHORITY\\LOCAL SERVICE"])
    assert code == 0
    protocol = _session(lab, dc3).protocol
    shell_id = protocol.open_shell()
    hosts_api.restart(dc3, lab["ca_cert"])
    with pytest.raises(WSManFaultError):
        protocol.run_command(shell_id, "hostname")  # shells do not survive a service restart
    code, out = _user_rights(lab, dc3, action="query")
    assert code == 0 and "S-1-5-19" in _sids(out["before"])


def test_account_created_later_in_samba_resolves_on_every_host(lab, hosts, samba, nb):
    dn = f"CN=mdiLabTest,CN=Managed Service Accounts,{samba['base_dn']}"
    with samba_dc.connect(samba) as conn:
        conn.add(dn, ["top", "person", "organizationalPerson", "user", "computer", "msDS-GroupManagedServiceAccount"], {
            "sAMAccountName": "mdiLabTest$", "dNSHostName": f"mdiLabTest.{samba['domain_dns']}",
            "msDS-ManagedPasswordInterval": 30, "userAccountControl": 4096, "msDS-SupportedEncryptionTypes": 24})
    try:
        for name in NAMES:
            code, out = _user_rights(lab, hosts[name], action="query", principals=[f"{nb}\\mdiLabTest$", "mdiLabTest"])
            assert code == 0, out
    finally:
        with samba_dc.connect(samba) as conn:
            conn.delete(dn)
    code, out = _user_rights(lab, hosts["dc2"], action="query", principals=[f"{nb}\\mdiLabTest$"])
    assert (code, out["error_type"]) == (1, "UnknownPrincipal")  # deleted: no longer translates


def test_shipped_script_is_recognised_on_stdin(lab, hosts):
    """plugins/module_utils/_winrm/user_rights.ps1 as shipped (a query) over stdin, as a long script must travel."""
    assert REAL_SCRIPT.exists(), f"{REAL_SCRIPT} is missing"
    protocol = _session(lab, hosts["dc1"]).protocol
    shell_id = protocol.open_shell(codepage=65001)
    try:
        encoded = base64.b64encode(BOOTSTRAP.encode("utf-16-le")).decode()
        command_id = protocol.run_command(shell_id, "PowerShell", ["-NoProfile", "-NonInteractive", "-EncodedCommand", encoded])
        protocol.send_command_input(shell_id, command_id, REAL_SCRIPT.read_bytes(), end=True)
        stdout, stderr, code = protocol.get_command_output(shell_id, command_id)
        protocol.cleanup_command(shell_id, command_id)
    finally:
        protocol.close_shell(shell_id)
    assert code == 0, stdout + stderr
    assert json.loads(stdout)["right"] == "SeServiceLogonRight"
    assert stderr.startswith(b"#< CLIXML")  # the progress record Windows PowerShell writes: clients must ignore it


# ---- Ansible's own winrm connection plugin -----------------------------------------------------

def _ansible(tmp_path: Path, inventory: dict, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    """Run the `ansible` CLI of this venv; returns the process and each host's result (from --tree)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path, tree = tmp_path / "inventory.json", tmp_path / "tree"
    path.write_text(json.dumps(inventory), encoding="utf-8")
    env = dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="false", ANSIBLE_LOCAL_TEMP=str(tmp_path))
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible"), "-i", str(path), "--tree", str(tree), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=180)
    results = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in tree.iterdir()} if tree.exists() else {}
    return proc, results


def _inventory(lab: dict, hosts: dict, password: str | None = None) -> dict:
    any_host = next(iter(hosts.values()))
    https = {n: {"ansible_host": h["ip"], "ansible_port": h["https_port"]} for n, h in hosts.items()}
    http = {f"{n}_http": {"ansible_host": h["ip"], "ansible_port": h["http_port"]} for n, h in hosts.items()}
    ntlm = {f"{n}_ntlm": {"ansible_host": h["ip"], "ansible_port": h["http_port"]} for n, h in hosts.items()}
    return {"all": {
        "vars": {"ansible_connection": "winrm", "ansible_winrm_transport": "basic", "ansible_user": any_host["user"],
                 "ansible_password": password or any_host["password"]},
        "children": {
            "over_https": {"hosts": https, "vars": {"ansible_winrm_scheme": "https", "ansible_winrm_server_cert_validation": "validate",
                                                    "ansible_winrm_ca_trust_path": lab["ca_cert"]}},
            "over_http": {"hosts": http, "vars": {"ansible_winrm_scheme": "http", "ansible_winrm_message_encryption": "never"}},
            # NTLM over HTTP: the messages are encrypted with the NTLM session (Ansible's default, "auto").
            "ntlm_over_http": {"hosts": ntlm, "vars": {"ansible_winrm_scheme": "http", "ansible_winrm_transport": "ntlm",
                                                       "ansible_user": f"{lab_domain.of(lab).netbios}\\Administrator"}},
        }}}


def test_ansible_winrm_connection_raw_hostname(lab, hosts, tmp_path):
    before = {name: len(hosts_api.commands(host)) for name, host in hosts.items()}
    proc, results = _ansible(tmp_path, _inventory(lab, hosts), "all", "-m", "ansible.builtin.raw", "-a", "hostname")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(results) == sorted([*NAMES, *(f"{n}_http" for n in NAMES), *(f"{n}_ntlm" for n in NAMES)])
    for name, result in results.items():
        assert (result["rc"], result["stdout"]) == (0, f"{name[:3].upper()}\r\n")
    for name, host in hosts.items():  # one command per host and connection; Basic twice, NTLM with encryption once
        log = hosts_api.commands(host)[before[name]:]
        assert sorted(e["auth"] for e in log) == ["basic", "basic", "ntlm-encrypted"]
        assert {e["script"] for e in log} == {"hostname"}


def test_ansible_winrm_connection_unknown_command_and_wrong_password(lab, hosts, tmp_path):
    proc, results = _ansible(tmp_path, _inventory(lab, {"dc2": hosts["dc2"]}), "over_https", "-m", "ansible.builtin.raw", "-a", "Get-Nope")
    result = results["dc2"]
    assert proc.returncode != 0 and result["rc"] == 1
    assert "The term 'Get-Nope' is not recognized" in result["stderr"]  # Ansible decoded the CLIXML
    proc, results = _ansible(tmp_path / "wrong", _inventory(lab, {"dc2": hosts["dc2"]}, password="wrong"), "over_https",
                             "-m", "ansible.builtin.raw", "-a", "hostname")
    result = results["dc2"]
    assert proc.returncode != 0 and result["unreachable"] and "credentials were rejected" in result["msg"]

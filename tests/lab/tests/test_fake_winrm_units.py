# -*- coding: utf-8 -*-
"""The fake WinRM host's logic without a network or a lab: the user-rights contract (parsing, arithmetic,
principal resolution, error order), powershell.exe/cmd.exe command lines, the CLIXML clients parse, NTLM."""
from __future__ import annotations

import ast
import base64
import json
import threading
from pathlib import Path

import pytest
import spnego
import winrm
from ansible.plugins.shell.powershell import _parse_clixml

from fake_winrm import ntlm, powershell, shell, user_rights
from fake_winrm.principals import Resolver, UnknownPrincipal, normalise_sid, service_sid

REPO = Path(__file__).resolve().parents[3]
DOMAIN_SID = "S-1-5-21-1-2-3"
ALICE = (f"{DOMAIN_SID}-1103", "CORP\\alice")
GMSA = (f"{DOMAIN_SID}-1200", "CORP\\mdiAction$")


class StubDirectory:
    """Answers the LDAP filters principals.py sends, from a table."""

    def __init__(self):
        self.filters: list[str] = []
        self.table = {
            "(sAMAccountName=alice)": [ALICE], "(userPrincipalName=alice@corp.example.test)": [ALICE],
            "(sAMAccountName=mdiAction$)": [GMSA], f"(objectSid={ALICE[0]})": [ALICE], f"(objectSid={GMSA[0]})": [GMSA],
        }

    def search(self, ldap_filter: str):
        self.filters.append(ldap_filter)
        return self.table.get(ldap_filter, [])


class StubHost:
    def __init__(self):
        self.lock = threading.RLock()
        self.directory = StubDirectory()
        self.state = {"computer_name": "DC9", "netbios": "CORP", "domain": "corp.example.test",
                      "rights": {"SeServiceLogonRight": ["S-1-5-80-0"]}, "gpo_rights": {}}
        self.saved = 0

    def reload_state(self):
        pass

    def save(self):
        self.saved += 1


def _script(request) -> str:
    body = request if isinstance(request, str) else json.dumps(request)
    return f"{user_rights.MARKER}{user_rights.VERSION}\n$Request = @'\n{body}\n'@\nWrite-Output 'the body'\n"


def _req(**fields) -> dict:
    return {"right": "SeServiceLogonRight", "action": "query", "principals": [], "check_mode": False, "refuse_gpo_conflict": False, **fields}


# ---- contract parsing --------------------------------------------------------------------------

def test_parse_request_reads_the_here_string():
    assert user_rights.parse_request(_script(_req(action="add", principals=["CORP\\alice"]))) == _req(
        action="add", principals=["CORP\\alice"])


def test_parse_request_accepts_crlf():
    assert user_rights.parse_request(_script(_req()).replace("\n", "\r\n")) == _req()


@pytest.mark.parametrize("script, text", [
    ("$Request = @'\n{}\n'@\n", "marker line"),
    (_script(_req()).replace(f" v{user_rights.VERSION}", " v1"), "version 1 is not supported"),
    (_script(_req()) + "$Request = @'\n{}\n'@\n", "exactly one $Request here-string, found 2"),
    (f"{user_rights.MARKER}{user_rights.VERSION}\n$Request = @\"\n{{}}\n\"@\n", "found 0"),
    (_script('{"right": "SeServiceLogonRight",\n"action": "query"}'), "ONE line of JSON"),
    (_script("{not json"), "Bad request: Expecting property name"),
    (_script("[1, 2]"), "not a JSON object"),
    (_script(json.dumps({"right": "SeServiceLogonRight", "action": "query", "principals": []})), "'check_mode' cannot be found"),
    (_script(json.dumps({k: v for k, v in _req().items() if k != "refuse_gpo_conflict"})), "'refuse_gpo_conflict' cannot be found"),
    (_script(_req(principals="CORP\\alice")), "principals must be strings"),
    (_script(_req(check_mode="yes")), "check_mode and refuse_gpo_conflict booleans"),
    (_script(_req(refuse_gpo_conflict=1)), "check_mode and refuse_gpo_conflict booleans"),
    (_script(_req(action="grant")), "not 'grant'"),
])
def test_parse_request_refuses_what_the_contract_does_not_allow(script, text):
    with pytest.raises(user_rights.ContractError) as caught:
        user_rights.parse_request(script)
    assert caught.value.error_type == "BadRequest" and text in caught.value.msg


def test_rights_match_the_collections_list():
    """Both sides of the contract know the same constants (plugins/module_utils/_user_rights/rights.py)."""
    tree = ast.parse((REPO / "plugins/module_utils/_user_rights/rights.py").read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "RIGHTS")
    assert set(ast.literal_eval(node.value)) == user_rights.RIGHTS


def test_right_names_are_case_insensitive_and_checked():
    assert user_rights.canonical_right("seservicelogonright") == "SeServiceLogonRight"
    with pytest.raises(user_rights.ContractError) as caught:
        user_rights.canonical_right("Log on as a service")  # display names are the module's business, not LSA's
    assert caught.value.error_type == "UnknownRight"


@pytest.mark.parametrize("action, wanted, after", [
    ("query", ["c"], ["a", "b"]),
    ("add", ["c", "a"], ["a", "b", "c"]),
    ("remove", ["a", "z"], ["b"]),
    ("set", ["c", "a"], ["c", "a"]),
])
def test_compute(action, wanted, after):
    assert user_rights.compute(["a", "b"], wanted, action) == after


# ---- principals --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, sid", [
    ("S-1-5-18", "S-1-5-18"), ("s-1-5-32-544", "S-1-5-32-544"), ("*S-1-5-80-0", "S-1-5-80-0"), (" S-1-5-021 ", "S-1-5-21"),
    ("S-1-5", "S-1-5"), ("S-1-5-x", None), ("S-1-5-4294967296", None), ("S-1-5" + "-1" * 16, None), ("CORP\\alice", None),
])
def test_normalise_sid(text, sid):
    assert normalise_sid(text) == sid


def test_service_sids_are_computed_like_windows():
    assert service_sid("TrustedInstaller") == "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"
    assert service_sid("wdiservicehost") == "S-1-5-80-3139157870-2983391045-3678747466-658725712-1809340420"


@pytest.mark.parametrize("principal, sid", [
    ("NT SERVICE\\ALL SERVICES", "S-1-5-80-0"), ("nt authority\\system", "S-1-5-18"), ("Everyone", "S-1-1-0"),
    ("BUILTIN\\Administrators", "S-1-5-32-544"), ("Administrators", "S-1-5-32-544"),
    ("CORP\\alice", ALICE[0]), ("corp.example.test\\alice", ALICE[0]), ("alice", ALICE[0]), ("alice@corp.example.test", ALICE[0]),
    ("CORP\\mdiAction$", GMSA[0]), ("CORP\\mdiAction", GMSA[0]), ("mdiAction$@corp.example.test", GMSA[0]),
    (f"{DOMAIN_SID}-9999", f"{DOMAIN_SID}-9999"),
])
def test_resolver_translates_like_a_dc(principal, sid):
    assert Resolver(StubDirectory(), "CORP", "corp.example.test").sid_of(principal) == sid


@pytest.mark.parametrize("principal", ["CORP\\nobody", "OTHER\\alice", "alice@other.test", "S-1-5-x", "", "NT SERVICE\\NoSuchSvc"])
def test_resolver_refuses_what_does_not_translate(principal):
    with pytest.raises(UnknownPrincipal):
        Resolver(StubDirectory(), "CORP", "corp.example.test").sid_of(principal)


def test_resolver_names_sids_and_remembers():
    directory = StubDirectory()
    resolver = Resolver(directory, "CORP", "corp.example.test")
    assert [resolver.name_of(s) for s in ("S-1-5-80-0", ALICE[0], ALICE[0], f"{DOMAIN_SID}-9999")] == [
        "NT SERVICE\\ALL SERVICES", "CORP\\alice", "CORP\\alice", None]
    assert directory.filters == [f"(objectSid={ALICE[0]})", f"(objectSid={DOMAIN_SID}-9999)"]


# ---- handle(): the whole operation on a stub host ----------------------------------------------

def test_handle_add_then_check_mode_stores_nothing():
    host = StubHost()
    result, code = user_rights.handle(_script(_req(action="add", principals=["CORP\\mdiAction$"], check_mode=True)), host)
    assert code == 0 and result["changed"] and result["added"] == [{"sid": GMSA[0], "name": GMSA[1]}]
    assert host.state["rights"]["SeServiceLogonRight"] == ["S-1-5-80-0"] and host.saved == 0
    result, code = user_rights.handle(_script(_req(action="add", principals=["CORP\\mdiAction$", GMSA[0]])), host)
    assert code == 0 and host.state["rights"]["SeServiceLogonRight"] == ["S-1-5-80-0", GMSA[0]] and host.saved == 1
    assert list(result) == ["changed", "right", "before", "after", "added", "removed", "gpo", "refused"]


def test_handle_an_unheld_right_and_a_gpo():
    host = StubHost()
    host.state["gpo_rights"]["SeDenyServiceLogonRight"] = {"gpo_name": "Hardening", "gpo_guid": "{0-1}",
                                                           "members": ["*S-1-5-32-546", "CORP\\nobody"]}
    result, code = user_rights.handle(_script(_req(right="SeDenyServiceLogonRight")), host)
    assert code == 0 and result["before"] == [] and result["gpo"] == {
        "name": "Hardening", "guid": "{0-1}",
        "members": [{"sid": "S-1-5-32-546", "name": "BUILTIN\\Guests"}, {"sid": None, "name": "CORP\\nobody"}]}


@pytest.mark.parametrize("gpo_members, refused", [(["CORP\\alice"], True), (["*S-1-5-80-0", "CORP\\alice", "CORP\\nobody"], False)])
def test_handle_refuses_only_a_result_the_gpo_replaces(gpo_members, refused):
    host = StubHost()
    host.state["gpo_rights"]["SeServiceLogonRight"] = {"gpo_name": "P", "gpo_guid": "{1}", "members": gpo_members}
    result, code = user_rights.handle(_script(_req(action="add", principals=["CORP\\alice"], refuse_gpo_conflict=True)), host)
    assert code == 0 and result["refused"] is refused and result["changed"] is not refused and host.saved == int(not refused)
    assert result["after"] == (result["before"] if refused else result["before"] + [{"sid": ALICE[0], "name": ALICE[1]}])


@pytest.mark.parametrize("request_, error_type", [
    (_req(right="SeNoSuch", action="grant", principals=["CORP\\nobody"]), "BadRequest"),
    (_req(right="SeNoSuch", action="add", principals=["CORP\\nobody"]), "UnknownRight"),
    (_req(action="add", principals=["CORP\\alice", "CORP\\nobody"]), "UnknownPrincipal"),
])
def test_handle_errors_come_in_the_scripts_order(request_, error_type):
    host = StubHost()
    result, code = user_rights.handle(_script(request_), host)
    assert (code, result["failed"], result["error_type"]) == (1, True, error_type)
    assert host.saved == 0


def test_apply_group_policy_overwrites_local_members():
    host = StubHost()
    host.state["gpo_rights"]["SeServiceLogonRight"] = {"gpo_name": "P", "gpo_guid": "{1}", "members": ["CORP\\alice", "CORP\\nobody"]}
    user_rights.apply_group_policy(host)
    assert host.state["rights"]["SeServiceLogonRight"] == [ALICE[0]]


# ---- command lines -----------------------------------------------------------------------------

def _ctx(stdin: bytes = b"", codepage: int = 437) -> shell.Context:
    return shell.Context(host=StubHost(), user="CORP\\Administrator", stdin=stdin, codepage=codepage)


def _encoded(script: str) -> str:
    return base64.b64encode(script.encode("utf-16-le")).decode()


@pytest.mark.parametrize("command, args", [
    ("powershell -encodedcommand " + _encoded("hostname"), []),  # pywinrm's run_ps
    ("PowerShell", ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Unrestricted", "-EncodedCommand", _encoded("hostname")]),
    ("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", ["-nop", "-enc", _encoded("hostname")]),
    ("powershell", ["-Command", "hostname"]),
    ("powershell.exe hostname", []),
    ("cmd /c hostname", []),
])
def test_command_lines_that_run_hostname(command, args):
    outcome = shell.run(command, args, False, _ctx())
    assert (outcome.exit_code, outcome.stdout) == (0, "DC9\r\n")


def test_script_from_stdin_in_the_shells_code_page():
    outcome = shell.run("powershell", ["-NoProfile", "-Command", "-"], False, _ctx("\ufeffWrite-Output 'Grüße'".encode(), 65001))
    assert (outcome.exit_code, outcome.stdout) == (0, "Grüße\r\n")
    outcome = shell.run("powershell", ["-enc", _encoded("$input | Out-String")], False, _ctx(b"whoami", 437))
    assert (outcome.exit_code, outcome.stdout, outcome.operation) == (0, "corp\\administrator\r\n", "stdin:whoami")


def test_cmd_exe_length_limit():
    assert shell.run("echo " + "x" * 8186, [], False, _ctx()).exit_code == 0
    outcome = shell.run("echo " + "x" * 8187, [], False, _ctx())
    assert (outcome.exit_code, outcome.stderr) == (1, b"The command line is too long.\r\n")


def test_without_cmd_exe_launch_failures_are_faults():
    with pytest.raises(shell.LaunchFault) as caught:
        shell.check_launch("echo", ["hi"], True)  # a cmd.exe built-in, no program
    assert caught.value.code == 2
    with pytest.raises(shell.LaunchFault) as caught:
        shell.check_launch("powershell", ["-Command", "x" * 32767], True)
    assert caught.value.code == 206
    shell.check_launch("powershell", ["-enc", _encoded("hostname")], True)


def test_bad_encoded_command_is_a_usage_error():
    outcome = shell.run("powershell", ["-EncodedCommand", "not*base64"], False, _ctx())
    assert outcome.exit_code == 1 and b"not properly encoded" in outcome.stderr


def test_unmarked_contract_script_gets_a_clear_error():
    script = _script(_req()).split("\n", 1)[1]  # the marker line stripped with the comments
    outcome = powershell.run_script(script, _ctx(), xml_errors=False)
    assert outcome.exit_code == 1 and b"marker line" in outcome.stderr


# ---- PowerShell's errors, as clients parse them ------------------------------------------------

def test_statements_respect_quotes():
    found = [s for _n, _l, _c, s in powershell.statements("echo 'a;b'; hostname\n  whoami")]
    assert found == ["echo 'a;b'", "hostname", "whoami"]


def test_unknown_command_error_parses_in_ansible_and_pywinrm():
    outcome = shell.run("powershell", ["-EncodedCommand", _encoded("hostname; Get-Thing -Name 'a<b>&c'")], False, _ctx())
    assert outcome.exit_code == 1 and outcome.stdout == "DC9\r\n"
    ansible_text = _parse_clixml(outcome.stderr).decode()
    assert ansible_text.startswith("Get-Thing : The term 'Get-Thing' is not recognized as the name of a cmdlet")
    assert "At line:1 char:11\r\n+ hostname; Get-Thing -Name 'a<b>&c'\r\n+           ~~~~~~~~~" in ansible_text
    pywinrm_text = winrm.Session("http://127.0.0.1/wsman", auth=("u", "p"))._clean_error_msg(outcome.stderr)
    assert pywinrm_text.startswith(b"Get-Thing : The term 'Get-Thing' is not recognized")


def test_progress_record_alone_parses_to_nothing():
    assert _parse_clixml(powershell.clixml([], progress=True)) == b""


# ---- NTLM --------------------------------------------------------------------------------------

def _handshake(acceptor: ntlm.Acceptor, user: str, password: str) -> spnego.ContextProxy:
    client = spnego.client(user, password, protocol="ntlm")
    challenge = acceptor.step(client.step())
    assert acceptor.user is None and challenge
    acceptor.step(client.step(challenge))
    return client


def test_ntlm_handshake_and_sealed_messages(tmp_path, monkeypatch):
    monkeypatch.setenv("NTLM_USER_FILE", "")
    ntlm.write_user_file(tmp_path / "users", "CORP", "corp.example.test", "Pa55word!")
    acceptor = ntlm.Acceptor(None)
    client = _handshake(acceptor, "CORP\\Administrator", "Pa55word!")
    assert acceptor.user == "CORP\\Administrator"
    sealed = client.wrap_winrm(b"<request/>")
    body = (b"--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
            b"\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=10\r\n--Encrypted Boundary\r\n"
            b"\tContent-Type: application/octet-stream\r\n" + len(sealed.header).to_bytes(4, "little") + sealed.header + sealed.data
            + b"--Encrypted Boundary--\r\n")
    assert acceptor.decrypt(body) == b"<request/>"
    reply = acceptor.encrypt(b"<reply/>")
    payload = reply.split(b"application/octet-stream\r\n")[1].removesuffix(b"--Encrypted Boundary--\r\n")
    assert client.unwrap_winrm(payload[4:20], payload[20:]) == b"<reply/>"


def test_ntlm_wrong_password_and_unauthenticated_decrypt(tmp_path, monkeypatch):
    monkeypatch.setenv("NTLM_USER_FILE", "")
    ntlm.write_user_file(tmp_path / "users", "CORP", "corp.example.test", "Pa55word!")
    acceptor = ntlm.Acceptor(None)
    with pytest.raises(ntlm.NtlmError):
        _handshake(acceptor, "CORP\\Administrator", "wrong")
    with pytest.raises(ntlm.NtlmError):
        acceptor.decrypt(b"--Encrypted Boundary\r\n")


@pytest.mark.parametrize("script, token", [("Write-Output 'a' | Out-Null", "|"), ("echo hi > $null", ">"), ("hostname $x", "$x")])
def test_syntax_the_fake_lacks_fails_loudly(script, token):
    outcome = powershell.run_script(script, _ctx(), xml_errors=False)
    assert outcome.exit_code == 1 and outcome.stdout == ""
    assert f"The term '{token}' is not recognized".encode() in outcome.stderr and b"not emulated" in outcome.stderr
